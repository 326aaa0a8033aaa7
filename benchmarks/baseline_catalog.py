"""The raw baseline of the product scenarios: list (keyset), search, detail and create.

Plain sqlite3 and orjson, answering the shapes Stockroom answers (`{"data": ..., "links":
{"next": ...}}` for a page, `{"data": product}` otherwise). Like Stockroom, a page reads
its 20 rows (plus one, to know whether a next page exists) and then their categories in
one more query; a bearer token is checked with one query, as Stockroom does.
The SQL and the JSON are plain functions on a connection, which bare Flask's views
(`bare_flask_catalog`) call too.
"""

import base64
import hashlib
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode

import orjson

from benchmarks.baseline import connection, iso_utc, respond, stored_now

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

PAGE = 20
COLUMNS = "p.id, p.sku, p.name, p.description, p.price, p.created_at, p.updated_at, p.version"
LIST_FIRST = f"SELECT {COLUMNS}, p.name FROM products p ORDER BY p.name, p.id LIMIT ?"
LIST_AFTER = (
    f"SELECT {COLUMNS}, p.name FROM products p WHERE (p.name, p.id) > (?, ?) "
    "ORDER BY p.name, p.id LIMIT ?"
)
SEARCH = (
    f"SELECT {COLUMNS}, hits.score FROM products p JOIN (SELECT rowid AS product_id, "
    "bm25(products_fts, 10.0, 5.0, 1.0) AS score FROM products_fts WHERE products_fts MATCH ?)"
    " AS hits ON hits.product_id = p.id ORDER BY hits.score, p.id LIMIT ?"
)
DETAIL = f"SELECT {COLUMNS} FROM products p WHERE p.id = ?"
CATEGORIES = (
    "SELECT pc.product_id, c.id, c.name FROM product_categories pc "
    "JOIN categories c ON c.id = pc.category_id WHERE pc.product_id IN ({}) ORDER BY c.id"
)
TOKEN = (
    "SELECT t.user_id FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? "
    "AND t.kind = 'access' AND t.revoked_at IS NULL AND t.expires_at > ? AND u.is_active = 1"
)
INSERT = (
    "INSERT INTO products (sku, name, description, price, created_at, updated_at, version) "
    "VALUES (?, ?, ?, ?, ?, ?, 1)"
)
UNAUTHORIZED = b'{"status": 401}'


def signed_in(conn: sqlite3.Connection, environ: "WSGIEnvironment") -> bool:
    """Tell whether the request carries a live access token (one query)."""
    _, _, raw = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
    digest = hashlib.sha256(raw.strip().encode()).hexdigest()
    return conn.execute(TOKEN, (digest, stored_now())).fetchone() is not None


def product_json(row: Sequence[Any], categories: list[dict[str, Any]]) -> dict[str, Any]:
    """One product as Stockroom shows it."""
    return {
        "id": row[0],
        "sku": row[1],
        "name": row[2],
        "description": row[3],
        "price": f"{row[4]:.2f}",
        "categories": categories,
        "created_at": iso_utc(row[5]),
        "updated_at": iso_utc(row[6]),
    }


def with_categories(conn: sqlite3.Connection, rows: Sequence[Sequence[Any]]) -> list[Any]:
    """The rows as product JSON, their categories read in one query."""
    found: dict[int, list[dict[str, Any]]] = {row[0]: [] for row in rows}
    if found:
        marks = ",".join("?" * len(found))
        for product_id, category_id, name in conn.execute(CATEGORIES.format(marks), list(found)):
            found[product_id].append({"id": category_id, "name": name})
    return [product_json(row, found[row[0]]) for row in rows]


def encode_cursor(key: list[Any]) -> str:
    """The app's cursor format: the sort key, JSON, base64url without padding."""
    return base64.urlsafe_b64encode(orjson.dumps(key)).decode().rstrip("=")


def page_rows(conn: sqlite3.Connection, args: Mapping[str, str]) -> tuple[list[Any], str]:
    """Read one page (plus one row) by name, or by search rank with `q`; return its sort token."""
    if "q" in args:
        match = " ".join(f'"{word}"' for word in args["q"].split())
        return conn.execute(SEARCH, (match, PAGE + 1)).fetchall(), "rank"
    if "cursor" in args:
        raw = args["cursor"]
        _, name, row_id = orjson.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        return conn.execute(LIST_AFTER, (name, row_id, PAGE + 1)).fetchall(), "name"
    return conn.execute(LIST_FIRST, (PAGE + 1,)).fetchall(), "name"


def page_body(conn: sqlite3.Connection, args: Mapping[str, str]) -> bytes:
    """The JSON of one page and the link to the next; `args` holds each query parameter once."""
    rows, token = page_rows(conn, args)
    next_url = None
    if len(rows) > PAGE:
        rows = rows[:PAGE]
        query = {**args, "cursor": encode_cursor([token, rows[-1][8], rows[-1][0]])}
        next_url = "/api/products?" + urlencode(query)
    return orjson.dumps({"data": with_categories(conn, rows), "links": {"next": next_url}})


def detail_body(conn: sqlite3.Connection, product_id: int) -> tuple[bytes, str] | None:
    """The JSON of one product and its ETag, or None when there is no such product."""
    row = conn.execute(DETAIL, (product_id,)).fetchone()
    if row is None:
        return None
    return orjson.dumps({"data": with_categories(conn, [row])[0]}), f'"{row[7]}"'


def create_product(conn: sqlite3.Connection, raw: bytes) -> tuple[int, bytes]:
    """Insert the product of a JSON body and commit; return its id and its JSON."""
    fields = orjson.loads(raw)
    now = stored_now()
    price = round(float(fields["price"]), 2)
    values = (fields["sku"].strip(), fields["name"].strip(), fields.get("description"))
    with conn:
        cursor = conn.execute(INSERT, (*values, price, now, now))
    product_id = int(cursor.lastrowid or 0)
    row = (product_id, *values, price, now, now, 1)
    return product_id, orjson.dumps({"data": product_json(row, [])})


def created_headers(product_id: int) -> list[tuple[str, str]]:
    """The headers of a 201 for a new product (version 1); Content-Length is added apart."""
    return [
        ("Content-Type", "application/json"),
        ("Location", f"/api/products/{product_id}"),
        ("ETag", '"1"'),
    ]


def make_products_list(db_path: Path) -> "WSGIApplication":
    """GET /api/products[?q=...|?cursor=...]: one keyset page with its categories."""

    def products(environ: "WSGIEnvironment", start_response: "StartResponse") -> Iterable[bytes]:
        conn = connection(db_path)
        if not signed_in(conn, environ):
            return respond(start_response, "401 UNAUTHORIZED", UNAUTHORIZED)
        args = {key: values[0] for key, values in parse_qs(environ.get("QUERY_STRING", "")).items()}
        return respond(start_response, "200 OK", page_body(conn, args))

    return products


def make_product_detail(db_path: Path) -> "WSGIApplication":
    """GET /api/products/<id>: the product, its categories and its ETag."""

    def detail(environ: "WSGIEnvironment", start_response: "StartResponse") -> Iterable[bytes]:
        conn = connection(db_path)
        if not signed_in(conn, environ):
            return respond(start_response, "401 UNAUTHORIZED", UNAUTHORIZED)
        found = detail_body(conn, int(environ["PATH_INFO"].rsplit("/", 1)[1]))
        if found is None:
            return respond(start_response, "404 Not Found", b'{"status": 404}')
        body, etag = found
        start_response(
            "200 OK",
            [
                ("Content-Type", "application/json"),
                ("Content-Length", str(len(body))),
                ("ETag", etag),
            ],
        )
        return [body]

    return detail


def make_product_create(db_path: Path) -> "WSGIApplication":
    """POST /api/products: insert the product and commit, answer 201 with it."""

    def create(environ: "WSGIEnvironment", start_response: "StartResponse") -> Iterable[bytes]:
        conn = connection(db_path)
        if not signed_in(conn, environ):
            return respond(start_response, "401 UNAUTHORIZED", UNAUTHORIZED)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        product_id, body = create_product(conn, environ["wsgi.input"].read(length))
        headers = [*created_headers(product_id), ("Content-Length", str(len(body)))]
        start_response("201 CREATED", headers)
        return [body]

    return create
