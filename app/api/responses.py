"""Success responses in the API's one shape: `{"data": ...}` and lists with `links.next`."""

from collections.abc import Iterable, Mapping
from typing import Any

from flask import Response
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


def render_no_content(headers: Mapping[str, str] | None = None) -> Response:
    """Answer 204 with no body."""
    return Response(status=204, headers=headers)
