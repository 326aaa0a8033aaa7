"""Honour `X-HTTP-Method-Override` on POST, for clients that cannot send PATCH/PUT/DELETE."""

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

OVERRIDABLE = frozenset({"PUT", "PATCH", "DELETE"})


class MethodOverrideMiddleware:
    """WSGI middleware: a POST with the header becomes the method it names.

    Only POST may be overridden (a GET must stay safe), and only to PUT, PATCH or DELETE.
    """

    def __init__(self, app: "WSGIApplication") -> None:
        self.app = app

    def __call__(
        self, environ: "WSGIEnvironment", start_response: "StartResponse"
    ) -> Iterable[bytes]:
        """Rewrite REQUEST_METHOD before Flask routes the request."""
        if environ.get("REQUEST_METHOD") == "POST":
            wanted = environ.get("HTTP_X_HTTP_METHOD_OVERRIDE", "").upper()
            if wanted in OVERRIDABLE:
                environ["REQUEST_METHOD"] = wanted
        return self.app(environ, start_response)
