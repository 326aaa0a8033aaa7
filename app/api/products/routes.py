"""Products: anyone signed in lists, searches and reads them; admins change them."""

from flask import Response
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from app.api.auth import BEARER, current_user
from app.api.conditional import expected_version, render_resource
from app.api.openapi_docs import HAS_ETAG, problems
from app.api.query_args import query_read_directly
from app.api.responses import render_no_content, render_page, url_for_id
from app.extensions import db, db_connection
from app.models.product import Product
from app.schemas.product_schema import (
    ProductCreate,
    ProductData,
    ProductList,
    ProductListQuery,
    ProductOut,
    ProductPath,
    ProductUpdate,
)
from app.services import product_listing, product_service, product_view

bp = APIBlueprint(
    "products",
    __name__,
    url_prefix="/products",
    abp_tags=[Tag(name="products", description="The catalog: products and search")],
)


def _out(product: Product) -> ProductOut:
    return ProductOut.model_validate(product, from_attributes=True)


@bp.get(
    "",
    responses={200: ProductList, **problems(400)},
    summary="List products: filter, full-text search (ranked), sort, keyset pages",
    security=BEARER,
)
@query_read_directly
def list_products(query: ProductListQuery) -> Response:
    """Answer one page of products; with `q`, best matches first unless `sort` is given."""
    listing = product_listing.ProductListing(**query.model_dump())
    page = product_view.read_products(db_connection(), listing)
    return render_page(page.items, page.next_cursor)


@bp.get(
    "/<int:product_id>",
    responses={200: ProductData, 304: None, **problems(404)},
    summary="A product with its categories",
    security=BEARER,
    openapi_extensions=HAS_ETAG,
)
def get_product(path: ProductPath) -> Response:
    """Answer 200 with the product and its ETag (304 when If-None-Match names it)."""
    view = product_view.read_product(db_connection(), path.product_id)
    return render_resource(view.data, view.version)


@bp.post(
    "",
    responses={201: ProductData, **problems(403, 409)},
    summary="Create a product (admin)",
    security=BEARER,
    openapi_extensions=HAS_ETAG,
)
def create_product(body: ProductCreate) -> Response:
    """Answer 201 with the new product and its Location; 409 when the SKU is taken."""
    product = product_service.create_product(
        db.session(), current_user(), body.model_dump(exclude_unset=True)
    )
    location = url_for_id("api.products.get_product", "product_id", product.id)
    data = product_view.new_product_json(product)
    return render_resource(data, product.version, 201, {"Location": location})


@bp.patch(
    "/<int:product_id>",
    responses={200: ProductData, **problems(403, 404, 409, 412)},
    summary="Change some of a product's fields; `categories` replaces the set (admin)",
    security=BEARER,
    openapi_extensions=HAS_ETAG,
)
def update_product(path: ProductPath, body: ProductUpdate) -> Response:
    """Answer 200 with the changed product; 409 when the new SKU is taken.

    412 when If-Match names an old version.
    """
    product = product_service.update_product(
        db.session(), current_user(), path.product_id, body.changes(), expected_version()
    )
    return render_resource(_out(product), product.version)


@bp.delete(
    "/<int:product_id>",
    responses={204: None, **problems(403, 404, 412)},
    summary="Delete a product (admin)",
    security=BEARER,
)
def delete_product(path: ProductPath) -> Response:
    """Answer 204; its category links go with it. 412 when If-Match names an old version."""
    product_service.delete_product(
        db.session(), current_user(), path.product_id, expected_version()
    )
    return render_no_content()
