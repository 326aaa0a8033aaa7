"""The raw baseline of the product scenarios: list (keyset), search, detail and create.

Plain sqlite3 and orjson, answering the shapes Stockroom answers (`{"data": ..., "links":
{"next": ...}}` for a page, `{"data": product}` otherwise). Like Stockroom, a page reads
its 20 rows (plus one, to know whether a next page exists) and then their categories in
one more query; a bearer token is checked with one query, as Stockroom does.
"""

import base64
import hashlib
import sqlite3
from collections.abc import Iterable, Sequence
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
_UNAUTHORIZED = b'{"status": 401}'


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


def page_rows(conn: sqlite3.Connection, args: dict[str, list[str]]) -> tuple[list[Any], str]:
    """Read one page (plus one row) by name, or by search rank with `q`; return its sort token."""
    if "q" in args:
        match = " ".join(f'"{word}"' for word in args["q"][0].split())
        return conn.execute(SEARCH, (match, PAGE + 1)).fetchall(), "rank"
    if "cursor" in args:
        raw = args["cursor"][0]
        _, name, row_id = orjson.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        return conn.execute(LIST_AFTER, (name, row_id, PAGE + 1)).fetchall(), "name"
    return conn.execute(LIST_FIRST, (PAGE + 1,)).fetchall(), "name"


def make_products_list(db_path: Path) -> "WSGIApplication":
    """GET /api/products[?q=...|?cursor=...]: one keyset page with its categories."""

    def products(environ: "WSGIEnvironment", start_response: "StartResponse") -> Iterable[bytes]:
        conn = connection(db_path)
        if not signed_in(conn, environ):
            return respond(start_response, "401 UNAUTHORIZED", _UNAUTHORIZED)
        args = parse_qs(environ.get("QUERY_STRING", ""))
        rows, token = page_rows(conn, args)
        next_url = None
        if len(rows) > PAGE:
            rows = rows[:PAGE]
            query = {key: values[0] for key, values in args.items()}
            query["cursor"] = encode_cursor([token, rows[-1][8], rows[-1][0]])
            next_url = "/api/products?" + urlencode(query)
        body = {"data": with_categories(conn, rows), "links": {"next": next_url}}
        return respond(start_response, "200 OK", orjson.dumps(body))

    return products


def make_product_detail(db_path: Path) -> "WSGIApplication":
    """GET /api/products/<id>: the product, its categories and its ETag."""

    def detail(environ: "WSGIEnvironment", start_response: "StartResponse") -> Iterable[bytes]:
        conn = connection(db_path)
        if not signed_in(conn, environ):
            return respond(start_response, "401 UNAUTHORIZED", _UNAUTHORIZED)
        product_id = int(environ["PATH_INFO"].rsplit("/", 1)[1])
        row = conn.execute(DETAIL, (product_id,)).fetchone()
        if row is None:
            return respond(start_response, "404 Not Found", b'{"status": 404}')
        body = orjson.dumps({"data": with_categories(conn, [row])[0]})
        start_response(
            "200 OK",
            [
                ("Content-Type", "application/json"),
                ("Content-Length", str(len(body))),
                ("ETag", f'"{row[7]}"'),
            ],
        )
        return [body]

    return detail


def make_product_create(db_path: Path) -> "WSGIApplication":
    """POST /api/products: insert the product and commit, answer 201 with it."""

    def create(environ: "WSGIEnvironment", start_response: "StartResponse") -> Iterable[bytes]:
        conn = connection(db_path)
        if not signed_in(conn, environ):
            return respond(start_response, "401 UNAUTHORIZED", _UNAUTHORIZED)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        fields = orjson.loads(environ["wsgi.input"].read(length))
        now = stored_now()
        price = round(float(fields["price"]), 2)
        values = (fields["sku"].strip(), fields["name"].strip(), fields.get("description"))
        with conn:
            cursor = conn.execute(INSERT, (*values, price, now, now))
        row = (cursor.lastrowid, *values, price, now, now, 1)
        body = orjson.dumps({"data": product_json(row, [])})
        start_response(
            "201 CREATED",
            [
                ("Content-Type", "application/json"),
                ("Content-Length", str(len(body))),
                ("Location", f"/api/products/{cursor.lastrowid}"),
                ("ETag", '"1"'),
            ],
        )
        return [body]

    return create
