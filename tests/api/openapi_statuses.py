"""The exact answers the OpenAPI document lists for the stores and jobs operations.

Each set is what the route declares plus what `app/api/openapi_docs.py` adds for every
operation of its shape (401 with a token, 422 with inputs, 404 with a path id, 400/413/415
with a body, 409 with Idempotency-Key on POST, 400/428 with If-Match, 429, 500 and 503).
"""

STORE = "/api/stores/{store_id}"
MANAGER = "/api/stores/{store_id}/managers/{user_id}"
STOCK_ITEM = "/api/stores/{store_id}/stock/{product_id}"
JOB = "/api/jobs/{job_id}"

STORES_STATUSES = {
    ("get", "/api/stores"): {"200", "400", "401", "422", "429", "500", "503"},
    ("post", "/api/stores"): {
        *("201", "400", "401", "403", "409", "413", "415", "422", "429", "500", "503"),
    },
    ("get", STORE): {"200", "304", "401", "404", "422", "429", "500", "503"},
    ("patch", STORE): {
        *(
            "200",
            "400",
            "401",
            "403",
            "404",
            "412",
            "413",
            "415",
            "422",
            "428",
            "429",
            "500",
            "503",
        ),
    },
    ("delete", STORE): {
        "204",
        "400",
        "401",
        "403",
        "404",
        "412",
        "422",
        "428",
        "429",
        "500",
        "503",
    },
    ("get", f"{STORE}/managers"): {"200", "400", "401", "404", "422", "429", "500", "503"},
    ("get", MANAGER): {"200", "401", "404", "422", "429", "500", "503"},
    ("put", MANAGER): {"201", "401", "403", "404", "409", "422", "429", "500", "503"},
    ("delete", MANAGER): {"204", "401", "403", "404", "422", "429", "500", "503"},
    ("get", f"{STORE}/stock"): {"200", "400", "401", "404", "422", "429", "500", "503"},
    ("get", STOCK_ITEM): {"200", "304", "401", "404", "422", "429", "500", "503"},
    ("put", STOCK_ITEM): {
        *("201", "400", "401", "403", "404", "409", "413", "415", "422", "429", "500", "503"),
    },
    ("patch", STOCK_ITEM): {
        *("200", "400", "401", "403", "404", "409", "412", "413", "415", "422", "428", "429"),
        *("500", "503"),
    },
    ("delete", STOCK_ITEM): {
        *("204", "400", "401", "403", "404", "412", "422", "428", "429", "500", "503"),
    },
}
JOBS_STATUSES = {
    ("post", "/api/imports"): {
        *("202", "400", "401", "403", "404", "409", "413", "415", "422", "429", "500", "503"),
    },
    ("post", "/api/exports"): {
        *("202", "400", "401", "403", "404", "409", "413", "415", "422", "429", "500", "503"),
    },
    ("get", JOB): {"200", "401", "404", "422", "429", "500", "503"},
    ("get", f"{JOB}/file"): {"200", "401", "404", "422", "429", "500", "503"},
}
# (method, path, status) of every answer that carries the resource's ETag.
STORES_ETAGS = [
    ("get", STORE, "200"),
    ("get", STORE, "304"),
    ("post", "/api/stores", "201"),
    ("patch", STORE, "200"),
    ("get", STOCK_ITEM, "200"),
    ("get", STOCK_ITEM, "304"),
    ("put", STOCK_ITEM, "201"),
    ("patch", STOCK_ITEM, "200"),
]
