"""`read_query` gives what flask-openapi3's own query validation gives: model or 422."""

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_openapi3.request import _validate_request
from pydantic import BaseModel, Field
from werkzeug.exceptions import HTTPException

from app.api.query_args import query_read_directly, read_query
from app.schemas.product_schema import ProductListQuery
from tests.api.problems import Headers, assert_problem

QUERY_STRINGS = [
    "",
    "limit=20",
    "q=steel+spade&category=3&min_price=1.5&max_price=20.00&sort=-price&limit=5&cursor=abc",
    "q=+spaced+&sort=name",
    "limit=5&limit=7&sort=-name&sort=bogus",
    "limit=0",
    "limit=101",
    "limit=abc",
    "limit=",
    "category=0",
    "category=x&limit=-1",
    "min_price=-1",
    "min_price=1.234",
    "min_price=nan&max_price=inf",
    "min_price=10&max_price=5",
    "sort=bogus",
    "q=",
    f"q={'a' * 201}",
    f"cursor={'c' * 513}",
    "unknown=1",
    "zzz=1&limit=0&aaa=2&sort=bogus",
    "cursor=&q=x&extra=&limit=1",
]


def openapi3_answer(model: type[BaseModel]) -> Any:
    """What flask-openapi3 hands the view (the model), or the response it aborts with."""
    try:
        return _validate_request(query=model)["query"]
    except HTTPException as error:
        return error.response


def direct_answer(model: type[BaseModel]) -> Any:
    try:
        return read_query(model)
    except HTTPException as error:
        return error.response


@pytest.mark.parametrize("query_string", QUERY_STRINGS)
def test_the_product_query_reads_the_same(app: Flask, query_string: str) -> None:
    with app.test_request_context(f"/api/products?{query_string}"):
        expected, actual = openapi3_answer(ProductListQuery), direct_answer(ProductListQuery)

    if isinstance(expected, BaseModel):
        assert isinstance(actual, ProductListQuery)
        assert actual.model_dump() == expected.model_dump()
        assert actual.model_fields_set == expected.model_fields_set
    else:
        assert actual.status_code == expected.status_code == 422
        assert actual.get_data() == expected.get_data()
        assert actual.headers == expected.headers


def test_a_bad_query_is_the_422_problem(client: FlaskClient, manager_headers: Headers) -> None:
    response = client.get("/api/products?limit=0&sort=bogus&extra=1", headers=manager_headers)

    assert_problem(response, 422)
    assert set(response.get_json()["errors"]) == {"limit", "sort", "extra"}


class Tags(BaseModel):
    tag: list[str] = []


class Aliased(BaseModel):
    page_size: int = Field(default=10, alias="pageSize")


def _takes_tags(query: Tags) -> None: ...


def _takes_aliased(query: Aliased) -> None: ...


def _takes_more(query: ProductListQuery, path: BaseModel) -> None: ...


def _takes_nothing() -> None: ...


def _takes_unannotated(query: ProductListQuery, other):  # type: ignore[no-untyped-def]
    ...


def _takes_no_model(query: dict[str, str]) -> None: ...


@pytest.mark.parametrize(
    "view",
    [_takes_tags, _takes_aliased, _takes_more, _takes_nothing, _takes_unannotated, _takes_no_model],
)
def test_a_query_read_otherwise_is_refused(view: Any) -> None:
    with pytest.raises(TypeError):
        query_read_directly(view)


def test_the_wrapped_view_keeps_what_the_document_reads() -> None:
    def listing(query: ProductListQuery) -> str:
        """Answer a page."""
        return query.sort or "-"

    wrapped: Any = query_read_directly(listing)

    assert wrapped.__name__ == "listing"
    assert wrapped.__doc__ == "Answer a page."
    assert wrapped.__annotations__["query"] is ProductListQuery
    assert wrapped.__delay_validate_request__ is True
