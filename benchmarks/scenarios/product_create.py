"""POST /api/products as the bench admin: a new product with a unique SKU every time.

Every request, in-process and over HTTP (wrk's Lua `request()`, the Python generator), sends
its own SKU: the body's placeholder is replaced by a random per-run prefix, the thread's
number and a counter (`benchmarks.unique_bodies`), so nothing collides on the run's copy of
the database, however often the run is repeated. The name sorts after every seeded name,
so the rows created do not change the list scenarios' first page.
Target: requests/s at least 0.5x the baseline's (a raw INSERT and COMMIT); the in-process
ratio is printed without a target.
"""

import orjson

from benchmarks import bare_flask_catalog, baseline_catalog, catalog
from benchmarks.scenarios.base import BASELINE, STOCKROOM, BenchContext, DataSize, Scenario, Target

UNIQUE = "@unique-placeholder@"  # 20 characters: 8 of run prefix, 2 of thread, 10 of counter
NAME = "Zinc trowel"  # after "Steel ...", the last of the seeded names


def admin_headers(ctx: BenchContext) -> dict[str, str]:
    """The bench admin's bearer token, and JSON."""
    return {
        "Authorization": f"Bearer {ctx.fixtures['admin_token']}",
        "Content-Type": "application/json",
    }


def product(sku: str) -> bytes:
    """A new product's JSON with this SKU."""
    return orjson.dumps({"sku": sku, "name": NAME, "price": "9.95"})


def one_product(_ctx: BenchContext) -> bytes:
    """The body with the SKU's placeholder, which every request replaces."""
    return product(f"BENCH-{UNIQUE}")


SCENARIO = Scenario(
    name="product_create",
    method="POST",
    path="/api/products",
    baseline=baseline_catalog.make_product_create,
    bare_flask_view=bare_flask_catalog.make_product_create,
    headers=admin_headers,
    body=one_product,
    unique=UNIQUE,
    data=DataSize(users=1, products=catalog.bench_products()),
    expected_status=201,
    targets=(Target(STOCKROOM, BASELINE, "rps", min_ratio=0.5),),
    requires=("app.api.products.routes",),
)
