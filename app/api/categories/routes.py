"""Categories: anyone signed in reads them; admins create, change and delete them."""

from flask import Response, url_for
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from app.api.auth import BEARER, current_user
from app.api.conditional import expected_version, render_resource
from app.api.openapi_docs import HAS_ETAG, problems
from app.api.responses import render_no_content, render_page
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
    responses={200: CategoryList, **problems(400)},
    summary="List categories (keyset-paginated)",
    security=BEARER,
)
def list_categories(query: CategoryListQuery) -> Response:
    """Answer one page of categories in the requested order."""
    page = category_service.list_categories(db.session(), query.sort, query.limit, query.cursor)
    return render_page([_out(category) for category in page.items], page.next_cursor)


@bp.get(
    "/<int:category_id>",
    responses={200: CategoryData, 304: None, **problems(404)},
    summary="A category",
    security=BEARER,
    openapi_extensions=HAS_ETAG,
)
def get_category(path: CategoryPath) -> Response:
    """Answer 200 with the category and its ETag (304 when If-None-Match names it)."""
    category = category_service.get_category(db.session(), path.category_id)
    return render_resource(_out(category), category.version)


@bp.post(
    "",
    responses={201: CategoryData, **problems(403, 409)},
    summary="Create a category (admin)",
    security=BEARER,
    openapi_extensions=HAS_ETAG,
)
def create_category(body: CategoryCreate) -> Response:
    """Answer 201 with the new category and its Location; 409 when the name is taken."""
    category = category_service.create_category(
        db.session(), current_user(), body.name, body.description
    )
    location = url_for("api.categories.get_category", category_id=category.id)
    return render_resource(_out(category), category.version, 201, {"Location": location})


@bp.patch(
    "/<int:category_id>",
    responses={200: CategoryData, **problems(403, 404, 409, 412)},
    summary="Change a category's name or description (admin)",
    security=BEARER,
    openapi_extensions=HAS_ETAG,
)
def update_category(path: CategoryPath, body: CategoryUpdate) -> Response:
    """Answer 200 with the changed category; 409 when the new name is taken.

    412 when If-Match names an old version.
    """
    category = category_service.update_category(
        db.session(), current_user(), path.category_id, body.changes(), expected_version()
    )
    return render_resource(_out(category), category.version)


@bp.delete(
    "/<int:category_id>",
    responses={204: None, **problems(403, 404, 412)},
    summary="Delete a category; its products stay, unlinked from it (admin)",
    security=BEARER,
)
def delete_category(path: CategoryPath) -> Response:
    """Answer 204; 412 when If-Match names an old version."""
    category_service.delete_category(
        db.session(), current_user(), path.category_id, expected_version()
    )
    return render_no_content()
