"""Give every request an id: taken from `X-Request-ID` when sane, else made; echoed back."""

import re
import uuid

from flask import Flask, Response, g, request

REQUEST_ID_HEADER = "X-Request-ID"
# Accept a caller's id only if it is short and plain, so it is safe to log and echo.
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def current_request_id() -> str:
    """Return the id of the current request (made on first use)."""
    request_id: str | None = g.get("request_id")
    if request_id is None:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = given if _SAFE_ID.match(given) else uuid.uuid4().hex
        g.request_id = request_id
    return request_id


def _echo_request_id(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = current_request_id()
    return response


def init_app(app: Flask) -> None:
    """Echo the request id on every response."""
    app.after_request(_echo_request_id)
