"""Success responses in the API's one shape: `{"data": ...}` and lists with `links.next`."""

from collections.abc import Iterable, Mapping
from typing import Any

from flask import Response, request, url_for
from pydantic import BaseModel

from app.http.json_provider import dumps_bytes


def _plain(value: Any) -> Any:
    return value.model_dump(mode="json") if isinstance(value, BaseModel) else value


def render_json(
    payload: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    """Serialise `payload` as it is (no envelope); used by health, which has its own shape."""
    return Response(dumps_bytes(_plain(payload)), status, headers, mimetype="application/json")


def render_data(
    value: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    """Answer `{"data": value}`."""
    return render_json({"data": _plain(value)}, status, headers)


def render_created(value: Any, location: str, headers: Mapping[str, str] | None = None) -> Response:
    """Answer 201 `{"data": value}` with the new resource's `Location`."""
    return render_data(value, 201, {"Location": location, **(headers or {})})


def render_list(items: Iterable[Any], next_url: str | None) -> Response:
    """Answer `{"data": [...], "links": {"next": url-or-null}}`."""
    return render_json({"data": [_plain(item) for item in items], "links": {"next": next_url}})


def next_page_url(next_cursor: str | None) -> str | None:
    """Return this request's URL with `cursor` set to the next page's, or None at the end.

    The path arguments and every other query argument stay as the client sent them.
    """
    if not next_cursor or request.endpoint is None:
        return None
    args: dict[str, Any] = {**(request.view_args or {}), **request.args.to_dict()}
    args["cursor"] = next_cursor
    return url_for(request.endpoint, **args)


def render_page(items: Iterable[Any], next_cursor: str | None) -> Response:
    """Answer one keyset page: `render_list` with the link to the page after it."""
    return render_list(items, next_page_url(next_cursor))


def render_no_content(headers: Mapping[str, str] | None = None) -> Response:
    """Answer 204 with no body."""
    return Response(status=204, headers=headers)
