"""Assertions shared by the catalog API tests (categories, products, product search)."""

from typing import Any

Headers = dict[str, str]
PROBLEM = "application/problem+json"
VALIDATION = "urn:stockroom:problem:validation-error"


def assert_problem(response: Any, status: int, fields: set[str] | None = None) -> dict[str, Any]:
    """Check a problem+json answer: status, request id and, for 422, the fields named."""
    assert response.status_code == status
    assert response.mimetype == PROBLEM
    body: dict[str, Any] = response.get_json()
    assert body["status"] == status
    assert body["request_id"] == response.headers["X-Request-ID"]
    if fields is not None:
        assert body["type"] == VALIDATION
        assert set(body["errors"]) == fields
    return body
