"""ETags and conditional requests (RFC 9110 section 13): `If-None-Match` and `If-Match`.

A resource's ETag is its row `version` (`VersionedMixin`), so it changes on every UPDATE.
GET answers 304 when `If-None-Match` names the current tag; PATCH/PUT/DELETE pass the
version parsed from `If-Match` to their service, which compares it with the row inside
its transaction. See docs/http-conventions.md.
"""

import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from flask import Response, current_app, request

from app.api.responses import render_data
from app.common.errors import BadRequestError, PreconditionFailedError, PreconditionRequiredError

# entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE ; etagc = %x21 / %x23-7E / obs-text
_ENTITY_TAG = re.compile(r'[ \t]*(W/)?"([\x21\x23-\x7e\x80-\xff]*)"[ \t]*')
# Versions start at 1; at most 18 digits keeps int() cheap and the value a BIGINT.
_VERSION = re.compile(r"[1-9][0-9]{0,17}")
_SAFE_METHODS = frozenset({"GET", "HEAD"})


class EntityTag(NamedTuple):
    """One parsed entity-tag: its opaque value (without quotes) and whether it is weak."""

    opaque: str
    is_weak: bool


def etag_for(version: int) -> str:
    """Return the strong ETag of a resource at `version`, e.g. `"7"` (quotes included)."""
    return f'"{version}"'


def parse_entity_tags(value: str) -> list[EntityTag] | None:
    """Parse a comma-separated list of entity-tags; None when the list is malformed.

    Empty list elements are allowed, as RFC 9110 section 5.6.1 requires of recipients.
    The caller handles the `*` form.
    """
    tags: list[EntityTag] = []
    position = 0
    while position < len(value):
        if value[position] in ", \t":
            position += 1
            continue
        match = _ENTITY_TAG.match(value, position)
        if match is None:
            return None
        tags.append(EntityTag(match.group(2), is_weak=match.group(1) is not None))
        position = match.end()
        if position < len(value) and value[position] != ",":
            return None
    return tags


def _header(name: str) -> str | None:
    """Return every line of a header joined with commas (RFC 9110 5.3), None when absent.

    The WSGI environ holds each header once with its lines already joined (PEP 3333), so
    it is read directly: `request.headers.getlist` scans every header to find one.
    """
    return request.environ.get(f"HTTP_{name.upper().replace('-', '_')}")


def is_not_modified(version: int) -> bool:
    """Tell whether `If-None-Match` names the current tag (weak comparison, or `*`).

    A malformed header is ignored: the client then simply gets the full response.
    """
    value = _header("If-None-Match")
    if value is None:
        return False
    if value.strip() == "*":
        return True
    tags = parse_entity_tags(value) or []
    return any(tag.opaque == str(version) for tag in tags)


def render_resource(
    data: Any, version: int, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    """Answer `{"data": data}` with the resource's ETag, or 304 when the client has it.

    The 304 applies to a 200 answer to GET or HEAD only; it has no body and keeps the
    ETag and the other headers given.
    """
    all_headers = {**(headers or {}), "ETag": etag_for(version)}
    if status == 200 and request.method in _SAFE_METHODS and is_not_modified(version):
        return Response(status=304, headers=all_headers)
    return render_data(data, status, all_headers)


def expected_version() -> int | None:
    """Return the version the client saw, from `If-Match`; None when there is no condition.

    `If-Match: *` returns None (the service's own 404 covers "the resource must exist").
    Weak tags never match (If-Match uses the strong comparison) and are ignored.

    Raises:
        PreconditionRequiredError: no `If-Match` while config REQUIRE_IF_MATCH is true (428).
        PreconditionFailedError: no tag in the header can be one of ours (412); a malformed
            header also fails, so a garbled condition never becomes an unconditional write.
        BadRequestError: the header names several different versions (400).
    """
    value = _header("If-Match")
    if value is None:
        if current_app.config.get("REQUIRE_IF_MATCH"):
            raise PreconditionRequiredError(
                "This change needs an If-Match header with the ETag you last read."
            )
        return None
    if value.strip() == "*":
        return None
    versions = {
        int(tag.opaque)
        for tag in parse_entity_tags(value) or []
        if not tag.is_weak and _VERSION.fullmatch(tag.opaque)
    }
    if not versions:
        raise PreconditionFailedError(
            "If-Match does not name the current version of this resource; read it again."
        )
    if len(versions) > 1:
        raise BadRequestError("If-Match names several versions; send only the ETag you read.")
    return versions.pop()
