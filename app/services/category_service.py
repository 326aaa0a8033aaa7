"""Categories: anyone signed in reads them; only admins create, change or delete them."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from app.common.errors import (
    ConflictError,
    NotFoundError,
    ValidationError,
)
from app.common.pagination import Page
from app.models.category import Category
from app.repositories import category_repository
from app.services.access import Actor, require_admin
from app.services.keyset_cursor import (
    ValueReader,
    cursor_after,
    parse_sort,
    read_datetime,
    read_int,
    read_text,
    seek_from,
)
from app.services.versioning import check_version, commit_unique, commit_versioned

_TAKEN = "A category with this name already exists."
SORTS: dict[str, ValueReader] = {"id": read_int, "name": read_text, "created_at": read_datetime}
DEFAULT_SORT = "name"
EDITABLE = frozenset({"name", "description"})


def list_categories(
    session: Session, sort: str = DEFAULT_SORT, limit: int = 20, cursor: str | None = None
) -> Page[Category]:
    """Return one page of categories in `sort` order (`name`, `-name`, `id`, ...).

    Raises:
        ValidationError: the sort is not allowed.
        BadRequestError: the cursor is unreadable.
    """
    field, descending = parse_sort(sort, SORTS)
    seek = seek_from(cursor, sort, SORTS[field], limit)
    rows, has_more = category_repository.list_page(session, field, descending=descending, seek=seek)
    next_cursor = cursor_after(sort, rows[-1][1], rows[-1][0].id) if has_more else None
    return Page(items=[category for category, _ in rows], next_cursor=next_cursor)


def get_category(session: Session, category_id: int) -> Category:
    """Return one category.

    Raises:
        NotFoundError: no category has this id.
    """
    category = category_repository.get_by_id(session, category_id)
    if category is None:
        raise NotFoundError(f"No category with id {category_id}.")
    return category


def create_category(
    session: Session, actor: Actor, name: str, description: str | None = None
) -> Category:
    """Create a category (admins only); its name, trimmed, must be new.

    Raises:
        PermissionDeniedError: the actor is not an admin.
        ValidationError: the name is blank.
        ConflictError: another category has this name.
    """
    require_admin(actor, "change categories")
    category = Category(name=_clean_name(name), description=description)
    _ensure_name_free(session, category.name)
    category_repository.add(session, category)
    commit_unique(session, _TAKEN)
    return category


def update_category(
    session: Session,
    actor: Actor,
    category_id: int,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
) -> Category:
    """Change a category's name and/or description (admins only).

    Raises:
        PermissionDeniedError: the actor is not an admin.
        NotFoundError: no category has this id.
        PreconditionFailedError: the category is not at `expected_version`.
        ValidationError: an unknown field, or a blank name.
        ConflictError: another category has the new name.
    """
    require_admin(actor, "change categories")
    category = get_category(session, category_id)
    check_version(category.version, expected_version)
    unknown = sorted(set(changes) - EDITABLE)
    if unknown:
        raise ValidationError("Unknown fields.", {field: ["Unknown field."] for field in unknown})
    if "name" in changes:
        name = _clean_name(changes["name"])
        if name != category.name:
            _ensure_name_free(session, name)
            category.name = name
    if "description" in changes:
        category.description = changes["description"]
    commit_unique(session, _TAKEN)
    return category


def delete_category(
    session: Session, actor: Actor, category_id: int, expected_version: int | None = None
) -> None:
    """Delete a category (admins only); its products stay, their links to it go.

    Raises:
        PermissionDeniedError: the actor is not an admin.
        NotFoundError: no category has this id.
        PreconditionFailedError: the category is not at `expected_version`.
    """
    require_admin(actor, "change categories")
    category = get_category(session, category_id)
    check_version(category.version, expected_version)
    category_repository.delete(session, category)
    commit_versioned(session)


def _clean_name(name: object) -> str:
    cleaned = name.strip() if isinstance(name, str) else ""
    if not cleaned:
        raise ValidationError("The name is blank.", {"name": ["Give a name."]})
    return cleaned


def _ensure_name_free(session: Session, name: str) -> None:
    if category_repository.get_by_name(session, name) is not None:
        raise ConflictError(f"A category named {name!r} already exists.")
