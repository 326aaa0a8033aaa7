"""GET /api/products/<id> signed in: one product from the middle of the catalog."""

from benchmarks import bare_flask_catalog, baseline_catalog, catalog, identity
from benchmarks.scenarios.base import BASELINE, STOCKROOM, DataSize, Scenario, Target

SCENARIO = Scenario(
    name="product_detail",
    method="GET",
    path=f"/api/products/{catalog.bench_products() // 2}",
    baseline=baseline_catalog.make_product_detail,
    bare_flask_view=bare_flask_catalog.make_product_detail,
    bare_flask_rule="/api/products/<int:product_id>",
    headers=identity.bearer,
    data=DataSize(users=1, products=catalog.bench_products()),
    targets=(
        Target(STOCKROOM, BASELINE, "inprocess_us", max_ratio=3.0),
        Target(STOCKROOM, BASELINE, "rps", min_ratio=0.5),
    ),
    requires=("app.api.products.routes",),
)
