"""The `links.next` URL of a store list page, shared by the stores package's routes."""

from typing import Any

from flask import request, url_for


def next_page_url(next_cursor: str | None) -> str | None:
    """Return this request's URL with `cursor` set to the next page's, or None at the end."""
    if next_cursor is None or request.endpoint is None:
        return None
    args: dict[str, Any] = {**(request.view_args or {}), **request.args.to_dict()}
    args["cursor"] = next_cursor
    return url_for(request.endpoint, **args)
