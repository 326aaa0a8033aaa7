"""POST /api/auth/tokens: sign in. Its cost should be one argon2 verify and little else.

Loaded from one connection, so the p50 latency is one login's time, not a queue's.
"""

from collections.abc import Callable

import orjson

from benchmarks import baseline
from benchmarks.scenarios.base import REFERENCE, STOCKROOM, BenchContext, DataSize, Scenario, Target


def json_headers(_ctx: BenchContext) -> dict[str, str]:
    """Send JSON."""
    return {"Content-Type": "application/json"}


def credentials(ctx: BenchContext) -> bytes:
    """The bench user's email and password."""
    return orjson.dumps({"email": ctx.fixtures["email"], "password": ctx.fixtures["password"]})


def argon2_verify(ctx: BenchContext) -> Callable[[], object]:
    """One verify of the bench user's stored hash, with the app's own hasher."""
    from app.services import passwords

    password_hash, password = ctx.fixtures["password_hash"], ctx.fixtures["password"]
    return lambda: passwords.verify_password(password_hash, password)


SCENARIO = Scenario(
    name="login",
    method="POST",
    path="/api/auth/tokens",
    baseline=baseline.make_login,
    headers=json_headers,
    body=credentials,
    data=DataSize(users=100),
    expected_status=201,
    connections=1,
    reference=argon2_verify,
    reference_name="one argon2 verify",
    targets=(Target(STOCKROOM, REFERENCE, "p50_ms", max_ratio=1.2),),
    requires=("app.api.auth", "app.api.tokens.routes", "app.services.passwords"),
)
