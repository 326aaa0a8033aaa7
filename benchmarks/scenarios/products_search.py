"""GET /api/products?q=spade signed in: full-text search, best match first.

"spade" is in one product name in nine (about 11,000 of 100k), so ranking is real work.
Compare with products_list: the target is search within 2x of a plain page.
"""

from benchmarks import baseline_catalog, catalog, identity
from benchmarks.scenarios.base import BASELINE, STOCKROOM, DataSize, Scenario, Target

SCENARIO = Scenario(
    name="products_search",
    method="GET",
    path=f"/api/products?q={catalog.SEARCH_WORD}",
    baseline=baseline_catalog.make_products_list,
    headers=identity.bearer,
    data=DataSize(users=1, products=catalog.bench_products()),
    targets=(Target(STOCKROOM, BASELINE, "inprocess_us", max_ratio=3.0),),
    requires=("app.api.products.routes",),
)
