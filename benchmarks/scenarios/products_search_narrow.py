"""GET /api/products?q=cordless+spade signed in: a two-word search with few matches.

Both words are in one product in 63 (name and description: "Cordless spade <n>"): 1,588
of the 100k bench catalog (15,873 of 1M), against 11,116 for products_search's "spade".
Side by side, the two show how the ranked search's cost grows with the number of matches
(bm25 ranks every match before the LIMIT). Same target as products_search.
"""

from urllib.parse import urlencode

from benchmarks import baseline_catalog, catalog, identity
from benchmarks.scenarios.base import DataSize, Scenario
from benchmarks.scenarios.products_search import WITHIN_2X_OF_A_LIST_PAGE

SCENARIO = Scenario(
    name="products_search_narrow",
    method="GET",
    path=f"/api/products?{urlencode({'q': catalog.NARROW_SEARCH})}",
    baseline=baseline_catalog.make_products_list,
    headers=identity.bearer,
    data=DataSize(users=1, products=catalog.bench_products()),
    targets=(WITHIN_2X_OF_A_LIST_PAGE,),
    requires=("app.api.products.routes",),
)
