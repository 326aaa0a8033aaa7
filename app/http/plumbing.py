"""One WSGI middleware that carries the plumbing every response gets.

The request id, the security headers, the JSON access log line and the metrics used to be
four pairs of Flask `before_request`/`after_request` hooks; here they are header finishers
(run on the plain header list when the response starts) and observers (told about
answered requests in batches, see `app.http.answers`). Measured by `make bench`, this
costs a fraction of the hooks (no hook dispatch, no Werkzeug `Headers` bookkeeping, no
log line formatted while a request waits), and it also sees responses that Flask's hooks
never do. A `preparer` may change the environ before Flask sees it (the method override,
`app.http.method_override`: one middleware for all of it instead of two). See
docs/performance.md.
"""

import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from flask import Flask

from app.http.answers import Answer, AnswerBatch, Observer

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

Headers = list[tuple[str, str]]
# Rewrites the response's header list (add, replace); receives the request's environ.
HeaderFinisher = Callable[["WSGIEnvironment", Headers], Headers]
# Changes the request's environ before the app sees it.
Preparer = Callable[["WSGIEnvironment"], None]

EXTENSION_KEY = "stockroom.plumbing"
# Where `app.http.request_id` keeps a request's id in its environ.
REQUEST_ID_KEY = "stockroom.request_id"


class PlumbingMiddleware:
    """Finish every response's headers and note every answered request for the observers."""

    def __init__(self, app: "WSGIApplication") -> None:
        self.app = app
        self.finishers: list[HeaderFinisher] = []
        self.preparer: Preparer | None = None
        self.answers = AnswerBatch()

    @property
    def observers(self) -> list[Observer]:
        """Who is told about answered requests, in batches (`app.http.answers`)."""
        return self.answers.observers

    def __call__(
        self, environ: "WSGIEnvironment", start_response: "StartResponse"
    ) -> Iterable[bytes]:
        """Call the app, finishing its headers as it starts the response, then note it."""
        started = time.perf_counter()
        if self.preparer is not None:
            self.preparer(environ)
        finishers = self.finishers
        # The last status the app started the response with, and Flask's request object.
        answered: str | None = None
        request: Any = None

        def finish_response(status: str, headers: Headers, exc_info: Any = None) -> Any:
            nonlocal answered, request
            # Flask's request is still in the environ here; it is gone once the app returns.
            answered, request = status, environ.get("werkzeug.request")
            for finish in finishers:
                headers = finish(environ, headers)
            return start_response(status, headers, exc_info)

        result = self.app(environ, finish_response)
        if answered is not None and self.answers.observers:
            seconds = time.perf_counter() - started
            self.answers.add(
                Answer(
                    time.time(),
                    environ.get("REQUEST_METHOD", "GET") if request is None else request.method,
                    environ.get("PATH_INFO", "/") if request is None else request.path,
                    None if request is None else request.endpoint,
                    int(answered[:3]),
                    seconds,
                    environ.get(REQUEST_ID_KEY),
                )
            )
        return result


def plumbing(app: Flask) -> PlumbingMiddleware:
    """Return the app's plumbing middleware, wrapping `app.wsgi_app` on first use."""
    middleware: PlumbingMiddleware | None = app.extensions.get(EXTENSION_KEY)
    if middleware is None:
        middleware = PlumbingMiddleware(app.wsgi_app)
        app.wsgi_app = middleware  # type: ignore[method-assign]
        app.extensions[EXTENSION_KEY] = middleware
    return middleware


def replace_headers(headers: Headers, added: Headers) -> Headers:
    """Return `headers` without any header named in `added`, then `added` itself."""
    names = {name.lower() for name, _ in added}
    return [header for header in headers if header[0].lower() not in names] + added
