"""GET /api/openapi.json: a complete OpenAPI 3.1 document of every route that exists.

Every API rule in Flask's url_map is documented, with a summary, the bearer scheme where a
token is needed, its success answer and the errors the app can give it (as problem+json),
the conditional and idempotency headers, and no `default` response.
"""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.api.auth import is_public_endpoint
from app.api.openapi_docs import PROBE_PATHS
from app.common.ids import MAX_ROW_ID
from tests.api.openapi_statuses import JOBS_STATUSES, STORES_ETAGS, STORES_STATUSES

Operation = dict[str, Any]
PROBLEM_CONTENT = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
# The document itself and its interactive viewer are tooling, not API operations.
TOOLING_ENDPOINT = re.compile(r"^(openapi|swagger)\.|^api_docs$")
# The exact answers of the routes this document's conventions were finished on.
CATALOG_STATUSES = {
    ("get", "/api/health"): {"200", "500"},
    ("get", "/api/health/ready"): {"200", "500", "503"},
    ("get", "/api/categories"): {"200", "400", "401", "422", "429", "500", "503"},
    ("post", "/api/categories"): {
        *("201", "400", "401", "403", "409", "413", "415", "422", "429", "500", "503"),
    },
    ("get", "/api/categories/{category_id}"): {
        "200",
        "304",
        "401",
        "404",
        "422",
        "429",
        "500",
        "503",
    },
    ("patch", "/api/categories/{category_id}"): {
        *("200", "400", "401", "403", "404", "409", "412", "413", "415", "422", "428", "429"),
        *("500", "503"),
    },
    ("delete", "/api/categories/{category_id}"): {
        *("204", "400", "401", "403", "404", "412", "422", "428", "429", "500", "503"),
    },
    ("get", "/api/products"): {"200", "400", "401", "422", "429", "500", "503"},
    ("post", "/api/products"): {
        *("201", "400", "401", "403", "409", "413", "415", "422", "429", "500", "503"),
    },
    ("get", "/api/products/{product_id}"): {"200", "304", "401", "404", "422", "429", "500", "503"},
    ("patch", "/api/products/{product_id}"): {
        *("200", "400", "401", "403", "404", "409", "412", "413", "415", "422", "428", "429"),
        *("500", "503"),
    },
    ("delete", "/api/products/{product_id}"): {
        *("204", "400", "401", "403", "404", "412", "422", "428", "429", "500", "503"),
    },
}
EXACT_STATUSES = {**CATALOG_STATUSES, **STORES_STATUSES, **JOBS_STATUSES}
CATALOG_SCHEMAS = [
    *("CategoryCreate", "CategoryUpdate", "CategoryOut", "CategorySummary"),
    *("ProductCreate", "ProductUpdate", "ProductOut", "HealthOut", "ReadinessOut", "Problem"),
]


@pytest.fixture
def document(client: FlaskClient) -> dict[str, Any]:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    body: dict[str, Any] = response.get_json()
    return body


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, Operation]]:
    for path, path_item in document["paths"].items():
        for method, operation in path_item.items():
            yield method, path, operation


def documented_path(rule: str) -> str:
    """`/api/stores/<int:store_id>` -> `/api/stores/{store_id}`."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def api_rules(app: Flask) -> Iterator[tuple[str, str, str]]:
    """Yield (method, documented path, endpoint) for every API view in the url_map."""
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api") or TOOLING_ENDPOINT.search(rule.endpoint):
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            yield method.lower(), documented_path(rule.rule), rule.endpoint


def header_names(operation: Operation) -> set[str]:
    return {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}


def test_the_document_is_openapi_3_1_with_the_bearer_scheme(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.1.")
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "An access token.",
    }


def test_every_api_rule_of_the_url_map_is_documented(app: Flask, document: dict[str, Any]) -> None:
    routes = {(method, path) for method, path, _endpoint in api_rules(app)}
    documented = {(method, path) for method, path, _operation in operations(document)}

    assert len(routes) >= 30
    assert routes - documented == set()
    assert documented - routes == set()


def test_every_operation_has_a_summary_and_an_operation_id(document: dict[str, Any]) -> None:
    lacking = [
        (method, path)
        for method, path, operation in operations(document)
        if not operation.get("summary") or not operation.get("operationId")
    ]

    assert lacking == []


def test_every_operation_needing_a_token_declares_the_bearer_scheme_and_401(
    app: Flask, document: dict[str, Any]
) -> None:
    with app.test_request_context():
        public = {(m, p) for m, p, endpoint in api_rules(app) if is_public_endpoint(endpoint)}

    for method, path, operation in operations(document):
        if (method, path) in public:
            assert "security" not in operation, (method, path)
        else:
            assert operation["security"] == [{"bearerAuth": []}], (method, path)
            assert "WWW-Authenticate" in operation["responses"]["401"]["headers"], (method, path)
    assert ("post", "/api/auth/tokens") in public


def test_every_operation_has_a_success_answer_and_no_default(document: dict[str, Any]) -> None:
    for method, path, operation in operations(document):
        statuses = set(operation["responses"])
        assert "default" not in statuses, (method, path)
        assert any(status.startswith("2") for status in statuses), (method, path)
        assert "500" in statuses, (method, path)
        # Every operation can be rate-limited except the probes, which are exempt.
        assert ("429" in statuses) == (path not in PROBE_PATHS), (method, path)


def test_every_error_answer_is_a_problem_document(document: dict[str, Any]) -> None:
    for method, path, operation in operations(document):
        for status, response in operation["responses"].items():
            if status[0] in "45":
                assert response["content"] == PROBLEM_CONTENT, (method, path, status)
                assert response["description"], (method, path, status)


def test_every_json_body_documents_400_413_415_and_422(document: dict[str, Any]) -> None:
    with_body = [(m, p, o) for m, p, o in operations(document) if "requestBody" in o]

    assert len(with_body) >= 10
    for method, path, operation in with_body:
        assert {"400", "413", "415", "422"} <= set(operation["responses"]), (method, path)


def test_every_post_outside_auth_documents_idempotency_key_with_its_409_and_422(
    document: dict[str, Any],
) -> None:
    for method, path, operation in operations(document):
        if method != "post":
            continue
        is_stored = not path.startswith("/api/auth/")
        assert ("Idempotency-Key" in header_names(operation)) is is_stored, path
        if is_stored:
            assert {"409", "422"} <= set(operation["responses"]), path


def test_conditional_operations_document_their_headers(document: dict[str, Any]) -> None:
    for method, path, operation in operations(document):
        responses = operation["responses"]
        assert ("If-Match" in header_names(operation)) is ("412" in responses), (method, path)
        assert ("If-None-Match" in header_names(operation)) is ("304" in responses), (method, path)
        if "412" in responses:
            assert {"400", "428"} <= set(responses), (method, path)


def test_path_parameters_are_documented_as_required_with_a_404(document: dict[str, Any]) -> None:
    for method, path, operation in operations(document):
        names = set(re.findall(r"{([^}]+)}", path))
        in_path = [p for p in operation.get("parameters", []) if p["in"] == "path"]
        assert {p["name"] for p in in_path} == names, (method, path)
        assert all(p["required"] for p in in_path), (method, path)
        if names:
            assert "404" in operation["responses"], (method, path)


@pytest.mark.parametrize(("method", "path"), sorted(EXACT_STATUSES))
def test_finished_operations_document_exactly_their_answers(
    document: dict[str, Any], method: str, path: str
) -> None:
    assert set(document["paths"][path][method]["responses"]) == EXACT_STATUSES[(method, path)]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/api/categories/{category_id}", "200"),
        ("get", "/api/categories/{category_id}", "304"),
        ("post", "/api/categories", "201"),
        ("patch", "/api/categories/{category_id}", "200"),
        ("get", "/api/products/{product_id}", "200"),
        ("post", "/api/products", "201"),
        ("patch", "/api/products/{product_id}", "200"),
    ],
)
def test_catalog_resources_document_their_etag(
    document: dict[str, Any], method: str, path: str, status: str
) -> None:
    headers = document["paths"][path][method]["responses"][status]["headers"]

    assert "ETag" in headers
    assert ("Location" in headers) is (status == "201")


@pytest.mark.parametrize(("method", "path"), sorted(STORES_STATUSES))
def test_stores_operations_document_an_etag_exactly_where_they_send_one(
    document: dict[str, Any], method: str, path: str
) -> None:
    responses = document["paths"][path][method]["responses"]
    for status in {"200", "201", "304"} & set(responses):
        headers = responses[status].get("headers", {})
        assert ("ETag" in headers) is ((method, path, status) in STORES_ETAGS), status


def test_an_export_file_is_documented_as_text_csv(document: dict[str, Any]) -> None:
    answer = document["paths"]["/api/jobs/{job_id}/file"]["get"]["responses"]["200"]

    assert answer["content"] == {"text/csv": {"schema": {"type": "string"}}}
    assert "Content-Disposition" in answer["headers"]


@pytest.mark.parametrize("name", ["ImportForm", "ExportCreate"])
def test_job_requests_document_store_id_as_a_bounded_integer(
    document: dict[str, Any], name: str
) -> None:
    store_id = document["components"]["schemas"][name]["properties"]["store_id"]

    assert (store_id["type"], store_id["minimum"], store_id["maximum"]) == (
        "integer",
        1,
        MAX_ROW_ID,
    )
    assert "ge" not in store_id
    assert "default" not in store_id


def test_the_import_form_is_one_flat_object_with_a_binary_file(document: dict[str, Any]) -> None:
    form = document["components"]["schemas"]["ImportForm"]

    assert "oneOf" not in form
    assert set(form["required"]) == {"kind", "file"}
    assert form["properties"]["file"] == {
        **form["properties"]["file"],
        **{"type": "string", "format": "binary"},
    }


@pytest.mark.parametrize("name", CATALOG_SCHEMAS)
def test_catalog_schemas_carry_examples(document: dict[str, Any], name: str) -> None:
    def has_example(schema: dict[str, Any]) -> bool:
        if "examples" in schema or "$ref" in schema:
            return True
        nested = [*schema.get("anyOf", []), *([schema["items"]] if "items" in schema else [])]
        return any(has_example(part) for part in nested if part.get("type") != "null")

    properties = document["components"]["schemas"][name]["properties"]
    assert [field for field, schema in properties.items() if not has_example(schema)] == []
