"""The only place errors become RFC 9457 `application/problem+json` responses.

Domain errors from services, Werkzeug's HTTP errors, request validation failures and
unexpected exceptions all leave the API through here, so no HTML and no stack trace
ever reaches an API client.
"""

import logging
import time
from typing import Any

from flask import Flask, Response, request
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.common import errors
from app.extensions import limiter
from app.http.error_pages import render_error_page
from app.http.json_provider import dumps_bytes
from app.http.request_id import current_request_id

logger = logging.getLogger(__name__)

PROBLEM_MIMETYPE = "application/problem+json"
TYPE_PREFIX = "urn:stockroom:problem:"
DOMAIN_STATUS: dict[type[errors.StockroomError], int] = {
    errors.BadRequestError: 400,
    errors.AuthenticationError: 401,
    errors.PermissionDeniedError: 403,
    errors.NotFoundError: 404,
    errors.ConflictError: 409,
    errors.PreconditionFailedError: 412,
    errors.ValidationError: 422,
    errors.PreconditionRequiredError: 428,
    errors.ServiceUnavailableError: 503,
}


def problem(  # noqa: PLR0913 - each argument is one member of the RFC 9457 document
    status: int,
    title: str,
    detail: str,
    *,
    type_: str = "about:blank",
    errors_by_field: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """Build a problem+json response carrying the request id."""
    body: dict[str, Any] = {
        "type": type_,
        "title": title,
        "status": status,
        "detail": detail,
        "request_id": current_request_id(),
    }
    if errors_by_field is not None:
        body["errors"] = errors_by_field
    return Response(dumps_bytes(body), status, headers, mimetype=PROBLEM_MIMETYPE)


def is_api_request() -> bool:
    """Tell whether the current request is for the JSON API (and so wants problem+json)."""
    path = request.path
    return path == "/api" or path.startswith("/api/")


def domain_error_response(error: errors.StockroomError) -> Response:
    """Turn a service's domain error into its problem response."""
    status = next((code for cls, code in DOMAIN_STATUS.items() if isinstance(error, cls)), 400)
    headers: dict[str, str] = {}
    if isinstance(error, errors.AuthenticationError):
        headers["WWW-Authenticate"] = 'Bearer realm="stockroom"'
    if isinstance(error, errors.ServiceUnavailableError):
        headers["Retry-After"] = str(error.retry_after)
    field_errors = error.errors if isinstance(error, errors.ValidationError) else None
    return problem(
        status,
        error.title,
        error.detail,
        type_=TYPE_PREFIX + error.code,
        errors_by_field=field_errors,
        headers=headers,
    )


def http_error_response(error: HTTPException) -> Response:
    """Turn a Werkzeug HTTP error (404, 405, 413, 429, ...) into a problem response."""
    status = error.code or 500
    headers = {
        key: value
        for key, value in error.get_headers()
        if key.lower() in {"allow", "retry-after", "www-authenticate"}
    }
    if status == 401 and "WWW-Authenticate" not in headers:
        headers["WWW-Authenticate"] = 'Bearer realm="stockroom"'
    if status == 429:
        headers.update(_rate_limit_headers(error))
    return problem(status, error.name, error.description or error.name, headers=headers)


def _rate_limit_headers(error: HTTPException) -> dict[str, str]:
    """Say when to retry: the reset time of the limit that was hit, in seconds."""
    limit_headers: Any = error.response.headers if error.response else {}
    headers = {k: v for k, v in limit_headers.items() if k.lower().startswith("x-ratelimit")}
    current = limiter.current_limit
    seconds = int(current.reset_at - time.time()) if current is not None else 60
    headers["Retry-After"] = limit_headers.get("Retry-After", str(max(seconds, 1)))
    return headers


def validation_error_response(error: PydanticValidationError) -> Response:
    """Turn a request validation failure (from flask-openapi3) into a 422 problem."""
    by_field: dict[str, list[str]] = {}
    for item in error.errors(include_url=False):
        field = ".".join(str(part) for part in item["loc"]) or "body"
        by_field.setdefault(field, []).append(item["msg"])
    return problem(
        422,
        "Validation failed",
        "The request has fields that are missing or invalid; see errors.",
        type_=TYPE_PREFIX + errors.ValidationError.code,
        errors_by_field=by_field,
    )


def _handle_http_error(error: HTTPException) -> Response | HTTPException:
    if is_api_request():
        return http_error_response(error)
    kept = {k: v for k, v in error.get_headers() if k.lower() in {"allow", "retry-after"}}
    status = error.code or 500
    page = render_error_page(status, error.name, error.description or error.name, kept)
    return error if page is None else page


def _handle_domain_error(error: errors.StockroomError) -> Response:
    response = domain_error_response(error)
    if is_api_request():
        return response
    retry = {k: v for k, v in response.headers.items() if k.lower() == "retry-after"}
    page = render_error_page(response.status_code, error.title, error.detail, retry)
    return response if page is None else page


def _handle_database_error(error: DBAPIError) -> Response | HTTPException:
    if not error.connection_invalidated and "connect" not in str(error.orig).lower():
        return _handle_unexpected(error)
    logger.warning("database unavailable: %s", type(error.orig).__name__)
    return _handle_domain_error(
        errors.ServiceUnavailableError("The database does not answer; try again shortly.")
    )


def _handle_unexpected(error: Exception) -> Response | HTTPException:
    logger.exception("unhandled error", exc_info=error)
    if not is_api_request():
        detail = "Something went wrong on our side; quote the request id if you report it."
        page = render_error_page(500, "Internal server error", detail)
        return InternalServerError(original_exception=error) if page is None else page
    return problem(
        500,
        "Internal server error",
        "Something went wrong on our side; quote the request_id if you report it.",
    )


def init_app(app: Flask) -> None:
    """Register every error handler on the app."""
    app.register_error_handler(HTTPException, _handle_http_error)
    app.register_error_handler(errors.StockroomError, _handle_domain_error)
    app.register_error_handler(DBAPIError, _handle_database_error)
    app.register_error_handler(Exception, _handle_unexpected)
