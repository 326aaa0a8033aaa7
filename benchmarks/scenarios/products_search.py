"""GET /api/products?q=spade signed in: full-text search, best match first.

"spade" is in one product name in nine (11,116 of 100k), so ranking is real work.
Target: Stockroom's search within 2x of Stockroom's own plain list page (products_list,
in the same run; not measured when products_list is not run). products_search_narrow
asks the same with far fewer matches.
"""

from benchmarks import baseline_catalog, catalog, identity
from benchmarks.scenarios.base import STOCKROOM, DataSize, Scenario, Target

WITHIN_2X_OF_A_LIST_PAGE = Target(
    STOCKROOM, STOCKROOM, "inprocess_us", max_ratio=2.0, versus_scenario="products_list"
)

SCENARIO = Scenario(
    name="products_search",
    method="GET",
    path=f"/api/products?q={catalog.SEARCH_WORD}",
    baseline=baseline_catalog.make_products_list,
    headers=identity.bearer,
    data=DataSize(users=1, products=catalog.bench_products()),
    targets=(WITHIN_2X_OF_A_LIST_PAGE,),
    requires=("app.api.products.routes",),
)
