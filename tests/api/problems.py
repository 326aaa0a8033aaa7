"""problem+json assertions shared by the API tests, and the bearer `Headers` type."""

from typing import Any

Headers = dict[str, str]
PROBLEM = "application/problem+json"
VALIDATION = "urn:stockroom:problem:validation-error"


def assert_problem(
    response: Any, status: int, fields: set[str] | None = None, kind: str | None = None
) -> dict[str, Any]:
    """Check a problem+json answer: status, type, request id and (for 422) its fields."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body: dict[str, Any] = response.get_json()
    assert body["status"] == status
    assert body["request_id"] == response.headers["X-Request-ID"]
    assert body["detail"]
    if kind is not None:
        assert body["type"] == f"urn:stockroom:problem:{kind}"
    if fields is not None:
        assert body["type"] == VALIDATION
        assert set(body["errors"]) == fields
    return body
