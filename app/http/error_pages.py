"""A hook through which the dashboard renders its own error pages for non-/api paths.

`app.api.errors` handles errors app-wide; for a path outside /api it asks the renderer
registered here (the dashboard registers one) and falls back to Werkzeug's page.
"""

from collections.abc import Callable, Mapping

from flask import Flask, Response, current_app

EXTENSION_KEY = "stockroom.error_pages"
# (status, title, detail) -> the page
PageRenderer = Callable[[int, str, str], Response]


def register_renderer(app: Flask, renderer: PageRenderer) -> None:
    """Make `renderer` draw the error pages of every path outside /api."""
    app.extensions[EXTENSION_KEY] = renderer


def render_error_page(
    status: int, title: str, detail: str, headers: Mapping[str, str] | None = None
) -> Response | None:
    """Return the registered renderer's page, or None when no renderer is registered."""
    renderer: PageRenderer | None = current_app.extensions.get(EXTENSION_KEY)
    if renderer is None:
        return None
    response = renderer(status, title, detail)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response
