"""The dashboard's own error pages (403, 404, 500, ...) for every path outside /api."""

import logging

from flask import Response, jsonify, render_template, request
from markupsafe import escape

from app.http.request_id import current_request_id

logger = logging.getLogger(__name__)

BARE_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    "<title>{status} {headline}</title></head><body><main><h1>{headline}</h1><p>{detail}</p>"
    "<p>Request id: <code>{request_id}</code></p></main></body></html>"
)
# What a person is told, by status; the error's own detail follows when it is one of ours.
HEADLINES = {
    400: "That request could not be used",
    403: "You may not do that",
    404: "We could not find that page",
    405: "That action is not available here",
    409: "That clashes with what is stored",
    422: "Some values are not valid",
    429: "Too many attempts",
    500: "Something went wrong on our side",
}


def wants_json() -> bool:
    """Tell whether the caller is our fetch() script, which asks for JSON."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def render_error(status: int, title: str, detail: str) -> Response:
    """Render the error page (or JSON for fetch()), with the request id to quote."""
    request_id = current_request_id()
    if wants_json():
        body = {"status": status, "title": title, "detail": detail, "request_id": request_id}
        return jsonify(body)
    headline = HEADLINES.get(status, title)
    try:
        page = render_template(
            "errors/error.html",
            status=status,
            headline=headline,
            detail=detail,
            request_id=request_id,
        )
    except Exception:  # the page itself failed (the database is down, say): a bare page
        logger.exception("error page %s could not be rendered", status)
        page = BARE_PAGE.format(
            status=status,
            headline=escape(headline),
            detail=escape(detail),
            request_id=escape(request_id),
        )
    return Response(page, status, mimetype="text/html")
