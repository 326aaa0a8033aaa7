"""Give every request an id: taken from `X-Request-ID` when sane, else made; echoed back."""

import re
from random import getrandbits
from typing import TYPE_CHECKING

from flask import Flask, request

from app.http.plumbing import REQUEST_ID_KEY, Headers, plumbing, replace_headers

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

REQUEST_ID_HEADER = "X-Request-ID"
_HEADER_KEY = REQUEST_ID_HEADER.lower()
# Accept a caller's id only if it is short and plain, so it is safe to log and echo.
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
# Kept in the WSGI environ (under REQUEST_ID_KEY), not `g`: `g` belongs to the app context,
# which requests share when one is already pushed (tests, shells), so an id kept there would
# outlive its request. The plumbing reads it from there for the access line.
_ENVIRON_KEY = REQUEST_ID_KEY


def request_id_of(environ: "WSGIEnvironment") -> str:
    """Return the id of the request behind `environ` (made, and kept there, on first use)."""
    request_id: str | None = environ.get(_ENVIRON_KEY)
    if request_id is None:
        given = environ.get("HTTP_X_REQUEST_ID", "")
        # 128 random bits as 32 hex digits, like uuid4().hex. From `random`, not the kernel:
        # an id needs to be unique, not secret (a caller may send its own), and a system
        # call per request costs more than the call itself (docs/performance.md). `random`
        # is seeded from os.urandom and again in every forked worker.
        request_id = given if given and _SAFE_ID.fullmatch(given) else f"{getrandbits(128):032x}"
        environ[_ENVIRON_KEY] = request_id
    return request_id


def current_request_id() -> str:
    """Return the id of the current request (made on first use)."""
    return request_id_of(request.environ)


def _echo_request_id(environ: "WSGIEnvironment", headers: Headers) -> Headers:
    echoed = (REQUEST_ID_HEADER, request_id_of(environ))
    for name, _value in headers:
        if name.lower() == _HEADER_KEY:  # rare: the view set one; replace it
            return replace_headers(headers, [echoed])
    return [*headers, echoed]


def init_app(app: Flask) -> None:
    """Echo the request id on every response."""
    plumbing(app).finishers.append(_echo_request_id)
