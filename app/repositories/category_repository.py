"""Queries over categories."""

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from app.models.category import Category
from app.repositories.keyset import Seek, seek_page, split_page

SORT_COLUMNS: dict[str, ColumnElement[Any]] = {
    "id": Category.__table__.c.id,
    "name": Category.__table__.c.name,
    "created_at": Category.__table__.c.created_at,
}


def get_by_id(session: Session, category_id: int) -> Category | None:
    """Return the category with this id, or None."""
    return session.get(Category, category_id)


def get_by_name(session: Session, name: str) -> Category | None:
    """Return the category with exactly this name, or None."""
    return session.scalars(select(Category).where(Category.name == name)).one_or_none()


def list_by_ids(session: Session, category_ids: Iterable[int]) -> list[Category]:
    """Return the categories whose ids are given (unknown ids are left out), by id."""
    wanted = sorted(set(category_ids))
    if not wanted:
        return []
    return list(
        session.scalars(select(Category).where(Category.id.in_(wanted)).order_by(Category.id))
    )


def list_page(
    session: Session, sort_field: str, *, descending: bool, seek: Seek
) -> tuple[Sequence[tuple[Category, Any]], bool]:
    """Return one page of (category, sort value) rows and whether another page follows."""
    sort_column = SORT_COLUMNS[sort_field]
    stmt = select(Category, sort_column)
    stmt = seek_page(stmt, sort_column, Category.__table__.c.id, descending=descending, seek=seek)
    rows = [(row[0], row[1]) for row in session.execute(stmt)]
    return split_page(rows, seek.limit)


def add(session: Session, category: Category) -> Category:
    """Stage a new category; the caller's service commits."""
    session.add(category)
    return category


def delete(session: Session, category: Category) -> None:
    """Stage the removal of a category; its product links go with it (ON DELETE CASCADE)."""
    session.delete(category)
