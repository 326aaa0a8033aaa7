"""POST /api/products as the bench admin: a new product with a unique SKU every time.

In-process only: the HTTP load generators replay one body, and a repeated SKU is a 409.
Target: at least 0.5x the baseline's insert rate (a raw INSERT and COMMIT).
"""

import itertools
from collections.abc import Callable

import orjson

from benchmarks import baseline_catalog, catalog
from benchmarks.scenarios.base import BASELINE, STOCKROOM, BenchContext, DataSize, Scenario, Target


def admin_headers(ctx: BenchContext) -> dict[str, str]:
    """The bench admin's bearer token, and JSON."""
    return {
        "Authorization": f"Bearer {ctx.fixtures['admin_token']}",
        "Content-Type": "application/json",
    }


def product(sku: str) -> bytes:
    """A new product's JSON with this SKU."""
    return orjson.dumps({"sku": sku, "name": "Bench trowel", "price": "9.95"})


def one_product(_ctx: BenchContext) -> bytes:
    """A body of the length every fresh body has (for the prepared request)."""
    return product("BENCH-X-000000000")


def fresh_products(_ctx: BenchContext, contestant: str) -> Callable[[], bytes]:
    """Bodies with SKUs unique to the contestant and the call."""
    numbers = itertools.count()
    prefix = contestant[0].upper()
    return lambda: product(f"BENCH-{prefix}-{next(numbers):09d}")


SCENARIO = Scenario(
    name="product_create",
    method="POST",
    path="/api/products",
    baseline=baseline_catalog.make_product_create,
    headers=admin_headers,
    body=one_product,
    fresh_body=fresh_products,
    http=False,
    data=DataSize(users=1, products=catalog.bench_products()),
    expected_status=201,
    targets=(Target(STOCKROOM, BASELINE, "inprocess_us", max_ratio=2.0),),
    requires=("app.api.products.routes",),
)
