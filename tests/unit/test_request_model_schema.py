"""Query and form models build their JSON Schema once (flask-openapi3 asks per request)."""

from pydantic import Field

from app.schemas.common_schema import RequestModel
from app.schemas.product_schema import ProductListQuery


class _Query(RequestModel):
    limit: int = Field(default=20, ge=1)


def test_the_default_schema_is_built_once_and_reused() -> None:
    first = _Query.model_json_schema()

    assert _Query.model_json_schema() is first
    assert first["properties"]["limit"]["minimum"] == 1


def test_calls_with_arguments_get_a_fresh_schema_they_may_change() -> None:
    fresh = _Query.model_json_schema(ref_template="#/components/schemas/{model}")

    fresh["properties"].clear()

    assert _Query.model_json_schema()["properties"]["limit"]["default"] == 20


def test_each_class_keeps_its_own_schema() -> None:
    assert _Query.model_json_schema() is not ProductListQuery.model_json_schema()
    assert "q" in ProductListQuery.model_json_schema()["properties"]
