"""What the OpenAPI document says about errors and headers that every route shares.

Routes declare their own outcomes with `problems(...)` (403, 404, 409, 412, ...), and
`304` / `412` when they honour `If-None-Match` / `If-Match`. `complete_operation` then adds
what the app-wide hooks make true of every operation, so no route repeats it: 401 and the
bearer scheme (app/api/auth.py), 400/413/415 for bodies (app/api/request_body.py), 422 for
validation, `Idempotency-Key` with its 409/422 on POST (app/api/idempotency.py), 429
(rate limits) and 500 (app/api/errors.py). Nothing is documented that the code cannot answer.
"""

from typing import Any

from flask_openapi3.models.schema import Schema
from pydantic import BaseModel

from app.schemas.problem_schema import Problem

# Vendor marker a route sets with `openapi_extensions=HAS_ETAG`: its success answers carry
# an ETag. `complete_operation` turns it into documented response headers and removes it.
ETAG_MARKER = "x-stockroom-etag"
HAS_ETAG: dict[str, Any] = {ETAG_MARKER: True}
# Credential exchanges: no Idempotency-Key (app/api/idempotency.py ignores it there).
UNSTORED_PREFIX = "/api/auth/"

IF_MATCH: dict[str, Any] = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": "The ETag you last read; a stale one is 412, several different ones 400. "
    "Required (428 without it) when the server runs with REQUIRE_IF_MATCH.",
    "schema": {"type": "string", "examples": ['"3"']},
}
IF_NONE_MATCH: dict[str, Any] = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "ETags you hold; 304 with no body when one is current.",
    "schema": {"type": "string", "examples": ['"3"']},
}
IDEMPOTENCY_KEY: dict[str, Any] = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "A retry with the same key and body replays the first answer "
    "(`Idempotent-Replayed: true`); another body is 422, one still running 409.",
    "schema": {
        "type": "string",
        "minLength": 1,
        "maxLength": 255,
        "pattern": r"\S",
        "examples": ["9b2f6c1e-5d3a-4f0b-8e7c-1a2b3c4d5e6f"],
    },
}
ETAG_HEADER: dict[str, Any] = {
    "description": "The resource's version as a strong entity tag; send it back in If-Match.",
    "schema": {"type": "string", "examples": ['"3"']},
}
LOCATION_HEADER: dict[str, Any] = {
    "description": "The URL of the new resource.",
    "required": True,
    "schema": {"type": "string", "examples": ["/api/products/7"]},
}
WWW_AUTHENTICATE_HEADER: dict[str, Any] = {
    "description": "The scheme to use: `Bearer`.",
    "required": True,
    "schema": {"type": "string", "examples": ['Bearer realm="stockroom"']},
}
RETRY_AFTER_HEADER: dict[str, Any] = {
    "description": "Seconds to wait before trying again.",
    "required": True,
    "schema": {"type": "string", "examples": ["60"]},
}
DESCRIPTIONS = {
    "304": "Not modified: the ETag you sent is current",
    "400": "Malformed request: invalid JSON, an unreadable cursor or conflicting If-Match tags",
    "401": "Missing, unknown, expired or revoked access token",
    "403": "Signed in, but not allowed to do this",
    "404": "No such resource (or not one you may see)",
    "409": "Conflict with the current state, or the same Idempotency-Key still running",
    "412": "If-Match does not name the current version",
    "413": "The body is larger than the server accepts",
    "415": "The body is not application/json",
    "422": "Well-formed input that fails validation; `errors` names the fields",
    "428": "If-Match is required by this server and was not sent",
    "429": "Too many requests; see Retry-After",
    "500": "Unexpected server error; quote the request_id",
    "503": "A dependency does not answer; see Retry-After",
}


def keep_json_schema_keywords() -> None:
    """Make flask-openapi3 keep JSON Schema keywords its `Schema` model does not list.

    flask-openapi3 4.3 copies each pydantic schema into its own `Schema` model, which
    knows OpenAPI 3.0's `example` but not JSON Schema's `examples` (OpenAPI 3.1), so every
    `Field(examples=[...])` vanished from the document (luolingchun/flask-openapi3#176).
    Allowing extra keys keeps them. It must run before any route is declared: import this
    module before the feature blueprints (app/api/__init__.py does).
    """
    if Schema.model_config.get("extra") != "allow":
        Schema.model_config["extra"] = "allow"
        Schema.model_rebuild(force=True)


keep_json_schema_keywords()


# The type of a route's `responses` in flask-openapi3 (dicts are invariant, so say it whole).
Responses = dict[str | int, type[BaseModel] | dict[Any, Any] | None]


def problems(*statuses: int) -> Responses:
    """Return `{status: Problem}` for a route's `responses`, e.g. `**problems(403, 404)`."""
    return dict.fromkeys(statuses, Problem)


# The one operation that answers without the database: it can never say 503.
LIVENESS_PATH = "/api/health"
# The probes: exempt from rate limits (app/api/health/routes.py), so never 429.
PROBE_PATHS = frozenset({LIVENESS_PATH, "/api/health/ready"})


def _statuses_for(path: str, method: str, operation: dict[str, Any]) -> set[str]:
    """Return the error statuses the app-wide hooks can give this operation."""
    declared = operation.get("responses", {})
    parameters = operation.get("parameters", [])
    statuses = {"500"} if path in PROBE_PATHS else {"429", "500"}
    if path != LIVENESS_PATH:  # every other operation needs the database (or the broker)
        statuses.add("503")
    if operation.get("security"):
        statuses.add("401")
    if "requestBody" in operation:
        statuses.update({"400", "413", "415", "422"})
    if any(parameter["in"] in {"query", "path"} for parameter in parameters):
        statuses.add("422")
    if any(parameter["in"] == "path" for parameter in parameters):
        statuses.add("404")  # also the answer to an id that is not an integer
    if method == "post" and not path.startswith(UNSTORED_PREFIX):
        statuses.update({"409", "422"})
    if "412" in declared:
        statuses.update({"400", "428"})
    return statuses


def _headers_for(path: str, method: str, operation: dict[str, Any]) -> list[dict[str, Any]]:
    declared = operation.get("responses", {})
    headers = []
    if "304" in declared:
        headers.append(IF_NONE_MATCH)
    if "412" in declared:
        headers.append(IF_MATCH)
    if method == "post" and not path.startswith(UNSTORED_PREFIX):
        headers.append(IDEMPOTENCY_KEY)
    return headers


def _describe_responses(path: str, operation: dict[str, Any], has_etag: bool) -> None:
    for status, response in operation["responses"].items():
        response["description"] = DESCRIPTIONS.get(status, response.get("description", ""))
        headers = response.setdefault("headers", {})
        if has_etag and status in {"200", "201", "304"}:
            headers["ETag"] = ETAG_HEADER
        if status == "201" and not path.startswith(UNSTORED_PREFIX):
            headers["Location"] = LOCATION_HEADER
        if status == "401":
            headers["WWW-Authenticate"] = WWW_AUTHENTICATE_HEADER
        if status in {"429", "503"}:
            headers["Retry-After"] = RETRY_AFTER_HEADER
        if not headers:
            del response["headers"]


def complete_operation(path: str, method: str, operation: dict[str, Any]) -> None:
    """Add the app-wide headers and error answers to one operation of the document.

    It also drops flask-openapi3's automatic 422 from operations that take no input at
    all, which could never answer it.
    """
    responses = operation.setdefault("responses", {})
    if not operation.get("parameters") and "requestBody" not in operation:
        responses.pop("422", None)
    for status in sorted(_statuses_for(path, method, operation)):
        responses.setdefault(status, {"description": ""})
    names = {parameter["name"] for parameter in operation.get("parameters", [])}
    extra = [
        header for header in _headers_for(path, method, operation) if header["name"] not in names
    ]
    if extra:
        operation["parameters"] = [*operation.get("parameters", []), *extra]
    has_etag = bool(operation.pop(ETAG_MARKER, False))
    _describe_responses(path, operation, has_etag)
