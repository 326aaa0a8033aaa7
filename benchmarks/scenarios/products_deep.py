"""GET /api/products?limit=20&cursor=...: the page 4,000 pages deep (80,000 rows in).

The cursor is the one the API gives out for that page (`catalog.deep_cursor`, checked
against the app's own encoder before each run). Compare with products_list (page 1).
"""

from benchmarks import baseline_catalog, catalog, identity
from benchmarks.scenarios.base import BASELINE, STOCKROOM, DataSize, Scenario, Target

SCENARIO = Scenario(
    name="products_deep",
    method="GET",
    path=f"/api/products?limit=20&cursor={catalog.deep_cursor(catalog.bench_products())}",
    baseline=baseline_catalog.make_products_list,
    headers=identity.bearer,
    data=DataSize(users=1, products=catalog.bench_products()),
    targets=(
        Target(STOCKROOM, BASELINE, "inprocess_us", max_ratio=3.0),
        Target(STOCKROOM, BASELINE, "rps", min_ratio=0.5),
    ),
    requires=("app.api.products.routes",),
)
