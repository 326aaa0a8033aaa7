"""Call the views flask-openapi3 has nothing to check for straight, without its wrapper.

flask-openapi3 wraps every view in a `view_func` that, on each request, validates the
request parts the view declares (path, query, header, cookie, form, body, raw), looks
the app up twice to see whether responses are validated, and calls the view. A view that
declares no part, on a rule with no arguments, with response validation off, gets
exactly the view's own answer from that wrapper: `func()`. Such views are put in the
wrapper's place once, when the API is mounted (measured: see docs/performance.md).

The wrapper's settings are read from its closure, by name. If a flask-openapi3 release
names them differently, nothing is replaced and every view keeps its wrapper (a test
checks that the health view is replaced, so such a release is noticed).
"""

import inspect
from collections.abc import Callable
from typing import Any

from flask import Flask

# The wrapper's closure, as flask-openapi3's `APIScaffold.create_view_func` makes it.
_WRAPPER_NAME = "APIScaffold.create_view_func.<locals>.view_func"
_SETTINGS = frozenset(
    {
        "func",
        "header",
        "cookie",
        "path",
        "query",
        "form",
        "body",
        "raw",
        "view_class",
        "view_kwargs",
        "validate_response",
        "responses",
    }
)
_ASYNC_FLAGS = inspect.CO_COROUTINE | inspect.CO_ITERABLE_COROUTINE | inspect.CO_ASYNC_GENERATOR
# The settings that make the wrapper do more than call `func()` when they are set.
_CHECKED = ("header", "cookie", "path", "query", "form", "body", "raw", "view_class")


def unwrap_plain_views(app: Flask) -> list[str]:
    """Put each plain view in its wrapper's place; return their endpoints.

    Not when the app validates responses, or has URL value preprocessors (which could
    give a view arguments its wrapper would have dropped).
    """
    if getattr(app, "validate_response", None) or any(app.url_value_preprocessors.values()):
        return []
    unwrapped = []
    for endpoint, view in list(app.view_functions.items()):
        func = plain_view(view)
        if func is not None and _takes_no_arguments(app, endpoint):
            app.view_functions[endpoint] = func
            unwrapped.append(endpoint)
    return unwrapped


def plain_view(view: Any) -> Callable[..., Any] | None:
    """Return the view inside flask-openapi3's wrapper when the wrapper adds nothing, else None.

    That is, when the view declares no request part, is a plain function (no view
    class, not async, no delayed validation) and does not ask for its responses to be
    validated.
    """
    settings = _wrapper_settings(view)
    if settings is None:
        return None
    func = settings["func"]
    adds_nothing = (
        all(settings[name] is None for name in _CHECKED)
        and not settings["validate_response"]
        and getattr(func, "__delay_validate_request__", False) is not True
        and _is_plain_function(func)
    )
    return func if adds_nothing else None


def _wrapper_settings(view: Any) -> dict[str, Any] | None:
    """Return the closure of a synchronous flask-openapi3 wrapper by name, else None."""
    if not _is_plain_function(view) or view.__code__.co_qualname != _WRAPPER_NAME:
        return None
    code = view.__code__
    if view.__closure__ is None or frozenset(code.co_freevars) != _SETTINGS:
        return None
    cells = zip(code.co_freevars, view.__closure__, strict=True)
    return {name: cell.cell_contents for name, cell in cells}


def _is_plain_function(func: Any) -> bool:
    code = getattr(func, "__code__", None)
    return code is not None and not code.co_flags & _ASYNC_FLAGS


def _takes_no_arguments(app: Flask, endpoint: str) -> bool:
    rules = app.url_map.iter_rules(endpoint)
    return all(not rule.arguments and not rule.defaults for rule in rules)
