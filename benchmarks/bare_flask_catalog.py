"""Bare Flask's product views: the baseline's raw sqlite3 SQL behind plain Flask routes.

Each view checks the bearer token and builds its answer with the very functions the raw
baseline calls (`baseline_catalog`: same statements, same orjson bytes), on the same kind of
per-thread connection; only Flask's routing, request and response objects are added. So
bare Flask minus the baseline is what Flask alone costs on these requests, and Stockroom
minus bare Flask is what Stockroom adds on top of any Flask app.
"""

from collections.abc import Callable
from pathlib import Path

from flask import Response, request

from benchmarks import baseline_catalog
from benchmarks.baseline import connection

JSON = "application/json"


def unauthorized() -> Response:
    """The 401 the baseline answers."""
    return Response(baseline_catalog.UNAUTHORIZED, 401, mimetype=JSON)


def make_products_list(db_path: Path) -> Callable[[], Response]:
    """GET /api/products[?q=...|?cursor=...]: one page, as the baseline reads it."""

    def products() -> Response:
        conn = connection(db_path)
        if not baseline_catalog.signed_in(conn, request.environ):
            return unauthorized()
        return Response(baseline_catalog.page_body(conn, request.args.to_dict()), mimetype=JSON)

    return products


def make_product_detail(db_path: Path) -> Callable[[int], Response]:
    """GET /api/products/<int:product_id>: the product and its ETag."""

    def product(product_id: int) -> Response:
        conn = connection(db_path)
        if not baseline_catalog.signed_in(conn, request.environ):
            return unauthorized()
        found = baseline_catalog.detail_body(conn, product_id)
        if found is None:
            return Response(b'{"status": 404}', 404, mimetype=JSON)
        body, etag = found
        return Response(body, headers={"ETag": etag}, mimetype=JSON)

    return product


def make_product_create(db_path: Path) -> Callable[[], Response]:
    """POST /api/products: insert and commit, answer 201 with the product."""

    def create() -> Response:
        conn = connection(db_path)
        if not baseline_catalog.signed_in(conn, request.environ):
            return unauthorized()
        product_id, body = baseline_catalog.create_product(conn, request.get_data())
        return Response(body, 201, headers=baseline_catalog.created_headers(product_id))

    return create
