"""GET /api/products?limit=20 signed in: the first page of the catalog, sorted by name."""

from benchmarks import bare_flask_catalog, baseline_catalog, catalog, identity
from benchmarks.scenarios.base import BASELINE, STOCKROOM, DataSize, Scenario, Target

SCENARIO = Scenario(
    name="products_list",
    method="GET",
    path="/api/products?limit=20",
    baseline=baseline_catalog.make_products_list,
    bare_flask_view=bare_flask_catalog.make_products_list,
    headers=identity.bearer,
    data=DataSize(users=1, products=catalog.bench_products()),
    targets=(
        Target(STOCKROOM, BASELINE, "inprocess_us", max_ratio=3.0),
        Target(STOCKROOM, BASELINE, "rps", min_ratio=0.5),
    ),
    requires=("app.api.products.routes",),
)
