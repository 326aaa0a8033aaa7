"""Schemathesis hooks for the live run; the CLI loads them through `hooks` in its config."""

import uuid
from typing import Any

import schemathesis
from schemathesis.core.failures import AcceptedNegativeData, Failure


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


@schemathesis.hook
def filter_failure(
    _context: Any, failure: Failure, case: schemathesis.Case, _response: Any
) -> bool:
    """Drop "schema-violating request accepted" when the stateful phase repaired the body.

    In the stateful phase Schemathesis 4.32 makes a negative body, then puts a real id
    from an earlier response (a pool draw) into it, which can overwrite the very field it
    broke: the request it sends is valid, and a 2xx is right. Seen on POST /api/imports
    (`{"kind": "stock", "store_id": 16, ...}` marked negative). The coverage and fuzzing
    phases check negative data without pool draws, so nothing else is dropped; the run's
    summary counts what this hook dropped.
    """
    meta = case.meta
    is_repaired = (
        meta is not None
        and meta.phase.name == "stateful"
        and any(draw.location == "body" for draw in meta.pool_draws)
    )
    return not (is_repaired and isinstance(failure, AcceptedNegativeData))
