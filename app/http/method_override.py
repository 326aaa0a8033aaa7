"""Honour `X-HTTP-Method-Override` on POST, for clients that cannot send PATCH/PUT/DELETE.

Applied by the plumbing middleware (`app.http.plumbing`) before Flask routes the request,
when `init_app` has switched it on: one middleware for all the plumbing instead of two.
"""

from typing import TYPE_CHECKING

from flask import Flask

from app.http.plumbing import plumbing

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

OVERRIDABLE = frozenset({"PUT", "PATCH", "DELETE"})


def override_method(environ: "WSGIEnvironment") -> None:
    """Make a POST carrying the header the method it names.

    Only POST may be overridden (a GET must stay safe), and only to PUT, PATCH or DELETE.
    """
    if environ.get("REQUEST_METHOD") == "POST":
        wanted = environ.get("HTTP_X_HTTP_METHOD_OVERRIDE", "").upper()
        if wanted in OVERRIDABLE:
            environ["REQUEST_METHOD"] = wanted


def init_app(app: Flask) -> None:
    """Apply the override to every request, before routing."""
    plumbing(app).preparer = override_method
