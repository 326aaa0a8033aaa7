"""A store's stock: anyone signed in reads it; an admin or the store's managers change it."""

from flask import Response, url_for
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from app.api.auth import BEARER, current_user
from app.api.conditional import expected_version, render_resource
from app.api.openapi_docs import HAS_ETAG, problems
from app.api.responses import next_page_url, render_list, render_no_content
from app.extensions import db
from app.schemas.stock_schema import (
    StockAdd,
    StockChange,
    StockItemData,
    StockItemOut,
    StockItemPath,
    StockList,
)
from app.schemas.store_schema import PageQuery, StorePath
from app.services import stock_service

bp = APIBlueprint(
    "stock", __name__, abp_tags=[Tag(name="stock", description="What each store holds")]
)


def _out(line: stock_service.StockLine) -> StockItemOut:
    return StockItemOut.model_validate(line, from_attributes=True)


def _key(path: StockItemPath) -> stock_service.StockKey:
    return stock_service.StockKey(path.store_id, path.product_id)


@bp.get(
    "/<int:store_id>/stock",
    responses={200: StockList, **problems(400, 404)},
    summary="List a store's stock with each product (keyset-paginated by product id)",
    security=BEARER,
)
def list_stock(path: StorePath, query: PageQuery) -> Response:
    """Answer one page of `{"product": {...}, "quantity": n}` items."""
    page = stock_service.list_stock(db.session(), path.store_id, query.limit, query.cursor)
    return render_list([_out(line) for line in page.items], next_page_url(page.next_cursor))


@bp.get(
    "/<int:store_id>/stock/<int:product_id>",
    responses={200: StockItemData, 304: None, **problems(404)},
    summary="How many units of a product the store holds",
    security=BEARER,
    openapi_extensions=HAS_ETAG,
)
def get_stock_item(path: StockItemPath) -> Response:
    """Answer 200 with the item and its ETag; 404 when the product is not stocked."""
    line = stock_service.get_stock_line(db.session(), _key(path))
    return render_resource(_out(line), line.version)


@bp.put(
    "/<int:store_id>/stock/<int:product_id>",
    responses={201: StockItemData, **problems(403, 404, 409)},
    summary="Start stocking a product (admin or the store's manager); the body is optional",
    security=BEARER,
    openapi_extensions=HAS_ETAG,
)
def add_stock(path: StockItemPath, body: StockAdd) -> Response:
    """Answer 201 with the item (quantity 0 unless given); 409 when already stocked."""
    line = stock_service.add_stock(db.session(), current_user(), _key(path), body.quantity)
    location = url_for("api.stores.stock.get_stock_item", **path.model_dump())
    return render_resource(_out(line), line.version, 201, {"Location": location})


@bp.patch(
    "/<int:store_id>/stock/<int:product_id>",
    responses={200: StockItemData, **problems(403, 404, 409, 412)},
    summary="Set (`quantity`) or atomically adjust (`delta`) a quantity; never below zero",
    security=BEARER,
    openapi_extensions=HAS_ETAG,
)
def change_stock(path: StockItemPath, body: StockChange) -> Response:
    """Answer 200 with the item; 409 when an adjustment would go below zero."""
    change = stock_service.QuantityChange(body.quantity, body.delta, expected_version())
    line = stock_service.change_stock(db.session(), current_user(), _key(path), change)
    return render_resource(_out(line), line.version)


@bp.delete(
    "/<int:store_id>/stock/<int:product_id>",
    responses={204: None, **problems(403, 404, 412)},
    summary="Stop stocking a product (admin or the store's manager)",
    security=BEARER,
)
def remove_stock(path: StockItemPath) -> Response:
    """Answer 204; 404 when the product is not stocked."""
    stock_service.remove_stock(db.session(), current_user(), _key(path), expected_version())
    return render_no_content()
