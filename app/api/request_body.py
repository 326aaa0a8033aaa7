"""Check a request body's type and syntax before validation: 413, 415, 400 (and null: 422).

flask-openapi3 reads JSON with `silent=True`, which would turn a malformed body or a
wrong content type into a 422; DESIGN wants 400 and 415, so this runs first.
"""

import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask import Request, current_app, request
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge, UnsupportedMediaType

from app.api.errors import is_api_request
from app.common.errors import BadRequestError, ValidationError

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORM_MIMETYPES = frozenset({"multipart/form-data", "application/x-www-form-urlencoded"})
JSON_MIMETYPE = "application/json"
_EXPECTATIONS: dict[str, str | None] = {}


def expected_body(view: Callable[..., Any] | None) -> str | None:
    """Return "json", "optional-json", "form" or None, from the view's `body` or `form`.

    A body model configured with `openapi_extra={"required": False}` (which also documents
    the body as optional) makes it "optional-json": the request may carry no body at all.
    """
    if view is None:
        return None
    parameters = inspect.signature(view).parameters
    if "body" in parameters:
        config = getattr(parameters["body"].annotation, "model_config", {})
        is_optional = config.get("openapi_extra", {}).get("required", True) is False
        return "optional-json" if is_optional else "json"
    return "form" if "form" in parameters else None


def may_need_body_check(environ: "WSGIEnvironment") -> bool:
    """Tell whether `check_request_body` could refuse this request (False: it surely won't).

    Most requests are bodiless GETs without a NUL in the query: nothing to check, so
    they cost one look at the environ.
    """
    return bool(
        environ.get("REQUEST_METHOD", "GET").upper() in BODY_METHODS
        or environ.get("CONTENT_LENGTH")
        or "%00" in environ.get("QUERY_STRING", "")
    )


def check_request_body() -> None:
    """Refuse oversized, wrongly typed or malformed API bodies with the right status.

    The request object is fetched from its proxy once and handed down: every access
    through `flask.request` costs a context lookup.
    """
    current: Request = request._get_current_object()  # type: ignore[attr-defined]
    environ = current.environ
    if "%00" in environ.get("QUERY_STRING", "") and is_api_request():
        _refuse_nul({name: "".join(values) for name, values in current.args.lists()})
    method = environ.get("REQUEST_METHOD", "GET").upper()
    if (method in BODY_METHODS or environ.get("CONTENT_LENGTH")) and is_api_request():
        _check_api_body(current)


def _refuse_nul(document: Any) -> None:
    """Refuse text holding the NUL character: PostgreSQL cannot store it (a 500 otherwise)."""
    fields = sorted(_nul_paths(document, ""))
    if fields:
        message = "must not contain the NUL character (U+0000)"
        raise ValidationError(
            "Text may not contain the NUL character.", {field: [message] for field in fields}
        )


def _nul_paths(value: Any, path: str) -> list[str]:
    if isinstance(value, str):
        return [path or "body"] if "\x00" in value else []
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return []
    found: list[str] = []
    for key, item in items:
        found += _nul_paths(item, f"{path}.{key}" if path else str(key))
    return found


def _check_api_body(current: Request) -> None:
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit:
        length = current.content_length
        if length and length > limit:
            raise RequestEntityTooLarge()
    endpoint = current.endpoint
    if current.method not in BODY_METHODS or endpoint is None:
        return
    if endpoint not in _EXPECTATIONS:
        _EXPECTATIONS[endpoint] = expected_body(current_app.view_functions.get(endpoint))
    expected = _EXPECTATIONS[endpoint]
    if expected == "optional-json" and not current.get_data():
        return
    if expected in {"json", "optional-json"}:
        _check_json(current)
    elif expected == "form" and current.mimetype not in FORM_MIMETYPES:
        raise UnsupportedMediaType("Send this request as multipart/form-data.")


def _check_json(current: Request) -> None:
    # The exact common header needs no parsing; anything else goes through `is_json`.
    if current.environ.get("CONTENT_TYPE") != JSON_MIMETYPE and not current.is_json:
        raise UnsupportedMediaType("Send this request body as application/json.")
    try:
        document = current.get_json(force=True)
    except BadRequest as error:
        raise BadRequestError("The request body is not valid JSON.") from error
    if document is None:
        # A `null` body is not "no body", though validation would read both as None.
        raise ValidationError(
            "The request body must be a JSON object.", {"body": ["must be a JSON object"]}
        )
    if b"\\u0000" in current.get_data():  # JSON can carry NUL only as this escape
        _refuse_nul(document)
