"""Schemathesis hooks for the live run; the CLI loads them through `hooks` in its config."""

import uuid
from typing import Any

import schemathesis


@schemathesis.hook
def before_call(_context: Any, case: schemathesis.Case, _kwargs: dict[str, Any]) -> None:
    """Give every valid Idempotency-Key a new value, as a well-behaved client does.

    Schemathesis sends its example key with every POST, and a key reused with another
    body is (rightly) a 422. Invalid keys (empty, too long) stay, so their 422 is tested;
    key reuse, replays and the 409 have tests of their own.
    """
    key = (case.headers or {}).get("Idempotency-Key")
    if isinstance(key, str) and key.strip() and len(key) <= 255:
        case.headers["Idempotency-Key"] = f"live-{uuid.uuid4().hex}"
