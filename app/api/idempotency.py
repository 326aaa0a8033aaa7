"""`Idempotency-Key` on every POST under /api: a retry replays the first response.

A `before_request` hook, run after authentication so a key belongs to its user (see
`app.api.make_api_request_hook`), claims the key (or answers with the stored response, or
409/422); once it has claimed one, it asks Flask to run `store_response` after this
request's view, which stores the response, except a 5xx, which releases the key so a
retry can run again. Any other request (not a POST, or without the header) costs one look
at the WSGI environ.
Secrets are never stored: keys sent to /api/auth/ (token exchanges) are ignored, and a
response marked `Cache-Control: no-store` releases its key. See docs/http-conventions.md.
"""

import hashlib
import logging
from typing import TYPE_CHECKING

import orjson
from flask import Response, after_this_request, g, request
from sqlalchemy.exc import SQLAlchemyError

from app.api.errors import is_api_request
from app.common.errors import ValidationError
from app.extensions import db
from app.models.idempotency_key import KEY_MAX
from app.services import idempotency_service
from app.services.idempotency_service import HEADER, StoredResponse

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

logger = logging.getLogger(__name__)

REPLAYED_HEADER = "Idempotent-Replayed"
# Headers that belong to the resource, not to one exchange (request id, security, limits).
STORED_HEADERS = frozenset(
    {"content-type", "location", "etag", "content-location", "link", "last-modified"}
)
# Credential exchanges answer raw tokens, which are never stored (DESIGN section 5); they
# are safe to retry anyway, so a key sent to them is ignored.
UNSTORED_PATH_PREFIXES = ("/api/auth/",)
# The header as the WSGI environ names it.
ENVIRON_HEADER = "HTTP_" + HEADER.upper().replace("-", "_")


def request_scope() -> str:
    """Return whose key this is: the signed-in user, else the client's address."""
    user_id = getattr(g.get("current_user"), "id", None)
    if user_id is not None:
        return f"user:{user_id}"
    address = request.remote_addr or "unknown"
    if len(address) > 64:  # a forwarded address is whatever the proxy was told; keep it short
        address = hashlib.sha256(address.encode()).hexdigest()
    return f"ip:{address}"


def canonical_body() -> bytes:
    """Return the request body in a form that does not change between retries.

    JSON is re-encoded with sorted keys; a multipart form is reduced to its fields and the
    SHA-256 of each file, since clients pick a new random boundary for every attempt.
    """
    if request.mimetype == "multipart/form-data":
        return _canonical_form()
    parsed = request.get_json(silent=True) if request.is_json else None
    if parsed is not None:
        try:
            return orjson.dumps(parsed, option=orjson.OPT_SORT_KEYS)
        except orjson.JSONEncodeError:
            pass  # an integer orjson cannot write back: fall back to the bytes as sent
    return request.get_data()


def _canonical_form() -> bytes:
    parts: list[object] = [list(item) for item in sorted(request.form.items(multi=True))]
    for field, upload in sorted(request.files.items(multi=True), key=lambda item: item[0]):
        content = upload.stream.read()
        upload.stream.seek(0)
        parts.append([field, upload.filename, hashlib.sha256(content).hexdigest()])
    return orjson.dumps(parts)


def _read_key() -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not key.strip() or len(key) > KEY_MAX:
        raise ValidationError(
            f"{HEADER} must be 1 to {KEY_MAX} characters long.",
            {HEADER: [f"must be 1 to {KEY_MAX} characters long"]},
        )
    return key


def _is_covered() -> bool:
    """Tell whether this request is a POST to an API view whose answer may be stored."""
    return (
        request.method == "POST"
        and request.endpoint is not None
        and is_api_request()
        and not request.path.startswith(UNSTORED_PATH_PREFIXES)
    )


def may_claim(environ: "WSGIEnvironment") -> bool:
    """Tell whether `claim_key` could act: a POST with the header (else it surely won't)."""
    return ENVIRON_HEADER in environ and environ.get("REQUEST_METHOD", "").upper() == "POST"


def claim_key() -> Response | None:
    """Before a POST view: claim the key, or replay the stored response (409/422 raised)."""
    if not may_claim(request.environ):
        return None
    key = _read_key() if _is_covered() else None
    if key is None:
        return None
    target = request.full_path if request.query_string else request.path
    request_fingerprint = idempotency_service.fingerprint(request.method, target, canonical_body())
    claim = idempotency_service.begin(db.session(), request_scope(), key, request_fingerprint)
    if claim.replay is None:
        g.idempotency_record_id = claim.record_id
        after_this_request(store_response)
        return None
    response = Response(claim.replay.body, claim.replay.status, claim.replay.headers)
    response.headers[REPLAYED_HEADER] = "true"
    return response


def store_response(response: Response) -> Response:
    """After the view: store the response for replays, or release the key after a 5xx."""
    record_id: int | None = g.pop("idempotency_record_id", None)
    if record_id is None:
        return response
    session = db.session()
    # Whatever the view left uncommitted is discarded at teardown anyway; discard it now,
    # so the commit below stores only the response.
    session.rollback()
    try:
        if _is_storable(response):
            stored = StoredResponse(response.status_code, _kept_headers(response), response.data)
            idempotency_service.finish(session, record_id, stored)
        else:
            idempotency_service.abandon(session, record_id)
    except SQLAlchemyError:
        # The work is done; the client still gets its answer. The key stays in flight
        # until IN_FLIGHT_TIMEOUT, then a retry runs again.
        session.rollback()
        logger.exception("idempotency: could not store the response of record %s", record_id)
    return response


def _is_storable(response: Response) -> bool:
    return (
        response.status_code < 500
        and not response.direct_passthrough  # a file stream (send_file) is not buffered
        and "no-store" not in response.headers.get("Cache-Control", "").lower()
    )


def _kept_headers(response: Response) -> list[tuple[str, str]]:
    return [(name, value) for name, value in response.headers if name.lower() in STORED_HEADERS]
