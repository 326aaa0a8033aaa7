"""Categories: anyone signed in reads them; admins create, change and delete them."""

from typing import Any

from flask import Response, request, url_for
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from app.api.auth import BEARER, current_user
from app.api.responses import render_created, render_data, render_list, render_no_content
from app.extensions import db
from app.models.category import Category
from app.schemas.category_schema import (
    CategoryCreate,
    CategoryData,
    CategoryList,
    CategoryListQuery,
    CategoryOut,
    CategoryPath,
    CategoryUpdate,
)
from app.schemas.problem_schema import Problem
from app.services import category_service

bp = APIBlueprint(
    "categories",
    __name__,
    url_prefix="/categories",
    abp_tags=[Tag(name="categories", description="Product categories")],
)


def _out(category: Category) -> CategoryOut:
    return CategoryOut.model_validate(category, from_attributes=True)


@bp.get(
    "",
    responses={200: CategoryList, 400: Problem, 422: Problem, 401: Problem},
    summary="List categories (keyset-paginated)",
    security=BEARER,
)
def list_categories(query: CategoryListQuery) -> Response:
    """Answer one page of categories in the requested order."""
    page = category_service.list_categories(db.session(), query.sort, query.limit, query.cursor)
    next_url = None
    if page.next_cursor:
        args: dict[str, Any] = {**request.args.to_dict(), "cursor": page.next_cursor}
        next_url = url_for("api.categories.list_categories", **args)
    return render_list([_out(category) for category in page.items], next_url)


@bp.get(
    "/<int:category_id>",
    responses={200: CategoryData, 404: Problem, 401: Problem},
    summary="A category",
    security=BEARER,
)
def get_category(path: CategoryPath) -> Response:
    """Answer 200 with the category."""
    return render_data(_out(category_service.get_category(db.session(), path.category_id)))


@bp.post(
    "",
    responses={
        201: CategoryData,
        409: Problem,
        422: Problem,
        401: Problem,
        403: Problem,
        404: Problem,
    },
    summary="Create a category (admin)",
    security=BEARER,
)
def create_category(body: CategoryCreate) -> Response:
    """Answer 201 with the new category and its Location; 409 when the name is taken."""
    category = category_service.create_category(
        db.session(), current_user(), body.name, body.description
    )
    location = url_for("api.categories.get_category", category_id=category.id)
    return render_created(_out(category), location)


@bp.patch(
    "/<int:category_id>",
    responses={
        200: CategoryData,
        409: Problem,
        422: Problem,
        401: Problem,
        403: Problem,
        404: Problem,
    },
    summary="Change a category's name or description (admin)",
    security=BEARER,
)
def update_category(path: CategoryPath, body: CategoryUpdate) -> Response:
    """Answer 200 with the changed category; 409 when the new name is taken."""
    category = category_service.update_category(
        db.session(), current_user(), path.category_id, body.changes()
    )
    return render_data(_out(category))


@bp.delete(
    "/<int:category_id>",
    responses={204: None, 401: Problem, 403: Problem, 404: Problem},
    summary="Delete a category; its products stay, unlinked from it (admin)",
    security=BEARER,
)
def delete_category(path: CategoryPath) -> Response:
    """Answer 204."""
    category_service.delete_category(db.session(), current_user(), path.category_id)
    return render_no_content()
