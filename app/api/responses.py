"""Success responses in the API's one shape: `{"data": ...}` and lists with `links.next`."""

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlencode

from flask import Response, current_app, request, url_for
from pydantic import BaseModel

from app.http.json_provider import dumps_bytes

# What werkzeug leaves unquoted in a query string (werkzeug.urls._urlencode).
_QUERY_SAFE = "!$'()*,/:;?@"
_ROUTE_PATHS_KEY = "stockroom.route_paths"
_ROUTE_PATHS_KEPT = 256


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

    The path arguments and every other query argument stay as the client sent them. The
    text is `url_for(endpoint, **path_args, **query_args)`'s; a route without path
    arguments skips the URL map: its path is built once and the query encoded as werkzeug
    encodes it (a test compares the two).
    """
    if not next_cursor or request.endpoint is None:
        return None
    if request.view_args:
        args: dict[str, Any] = {**request.view_args, **request.args.to_dict()}
        args["cursor"] = next_cursor
        return url_for(request.endpoint, **args)
    query = request.args.to_dict()
    query["cursor"] = next_cursor
    return f"{_route_path(request.endpoint)}?{urlencode(query, safe=_QUERY_SAFE)}"


def _route_path(endpoint: str) -> str:
    """The URL of a route without path arguments (script root included), built once.

    Kept per app and script root; a bounded number, in case a proxy ever sets the root
    per request.
    """
    paths: dict[tuple[str, str], str] = current_app.extensions.setdefault(_ROUTE_PATHS_KEY, {})
    key = (endpoint, request.root_path)
    path = paths.get(key)
    if path is None:
        path = url_for(endpoint)
        if len(paths) < _ROUTE_PATHS_KEPT:
            paths[key] = path
    return path


def render_page(items: Iterable[Any], next_cursor: str | None) -> Response:
    """Answer one keyset page: `render_list` with the link to the page after it."""
    return render_list(items, next_page_url(next_cursor))


def render_no_content(headers: Mapping[str, str] | None = None) -> Response:
    """Answer 204 with no body."""
    return Response(status=204, headers=headers)


# Stands in for the id while a route's URL is built once; no row id comes near it.
_ID_MARKER = 7_305_918_264_519
_ID_URLS_KEY = "stockroom.id_urls"
_ID_URLS_KEPT = 256  # per app: endpoints times script roots


def url_for_id(endpoint: str, name: str, value: int) -> str:
    """Return `url_for(endpoint, **{name: value})` for a route with one integer argument.

    url_for matches the endpoint's rule and builds and quotes its URL on every call (about
    5 µs); here the URL is built once per app, endpoint and script root, with a marker in
    the id's place, and each call puts the id between the text before and after it. A
    route whose URL that would not reproduce (a converter that pads or formats numbers)
    gets url_for every time.
    """
    templates: dict[tuple[str, str, str], tuple[str, str] | None] = (
        current_app.extensions.setdefault(_ID_URLS_KEY, {})
    )
    key = (endpoint, name, request.root_path)
    if key in templates:
        template = templates[key]
    else:
        template = _id_url_template(endpoint, name)
        if len(templates) < _ID_URLS_KEPT:
            templates[key] = template
    if template is None:
        return _url_for_one(endpoint, name, value)
    return f"{template[0]}{value}{template[1]}"


def _id_url_template(endpoint: str, name: str) -> tuple[str, str] | None:
    parts = _url_for_one(endpoint, name, _ID_MARKER).split(str(_ID_MARKER))
    if len(parts) != 2:  # the text before the one marker and after it
        return None
    before, after = parts
    return (before, after) if _url_for_one(endpoint, name, 1) == f"{before}1{after}" else None


def _url_for_one(endpoint: str, name: str, value: int) -> str:
    values: dict[str, Any] = {name: value}
    return url_for(endpoint, **values)
