"""Views flask-openapi3 has nothing to check for are called without its wrapper.

Only a view declaring no request part, on a rule without arguments, with response
validation off, is put in its wrapper's place; every other view keeps the wrapper.
"""

from typing import Any

from flask import Flask
from flask_openapi3 import OpenAPI
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.request import validate_request
from pydantic import BaseModel

from app.api.direct_views import plain_view, unwrap_plain_views
from app.api.health import routes as health_routes


class Query(BaseModel):
    """A query model: the wrapper must validate it."""

    page: int = 1


def make_app(**options: Any) -> OpenAPI:
    """An OpenAPI app with a plain view and one of each kind the wrapper has work for."""
    app = OpenAPI(__name__, **options)
    bp = APIBlueprint("things", __name__, url_prefix="/things")

    @bp.get("/plain")
    def plain() -> dict[str, str]:
        return {"view": "plain"}

    @bp.get("/queried")
    def queried(query: Query) -> dict[str, int]:
        return {"page": query.page}

    @bp.get("/validated", validate_response=True, responses={200: Query})
    def validated() -> dict[str, int]:
        return {"page": 1}

    @bp.get("/delayed")
    @validate_request()
    def delayed() -> dict[str, str]:
        return {"view": "delayed"}

    @bp.get("/asynchronous")
    async def asynchronous() -> dict[str, str]:
        return {"view": "async"}

    @bp.get("/with/<int:number>")
    def with_argument() -> dict[str, str]:  # the wrapper drops `number`: no path model
        return {"view": "with argument"}

    app.register_api(bp)
    return app


def test_the_health_view_is_called_without_its_wrapper(app: Flask) -> None:
    assert app.view_functions["api.health.get_health"] is health_routes.get_health
    assert app.view_functions["api.health.get_readiness"] is health_routes.get_readiness


def test_a_view_with_path_arguments_keeps_its_wrapper(app: Flask) -> None:
    view = app.view_functions["api.stores.get_store"]

    assert view.__code__.co_name == "view_func"
    assert plain_view(view) is None


def test_only_a_plain_view_on_a_rule_without_arguments_is_unwrapped() -> None:
    app = make_app()

    assert unwrap_plain_views(app) == ["things.plain"]
    assert app.view_functions["things.plain"].__code__.co_name == "plain"


def test_every_view_answers_as_before() -> None:
    wrapped, unwrapped = make_app(), make_app()
    unwrap_plain_views(unwrapped)
    paths = ["/things/plain", "/things/queried?page=3", "/things/delayed", "/things/with/7"]

    for path in paths:
        before, after = wrapped.test_client().get(path), unwrapped.test_client().get(path)
        assert before.status_code == 200
        assert (after.status_code, after.data) == (before.status_code, before.data)


def test_nothing_is_unwrapped_when_the_app_validates_responses() -> None:
    app = make_app(validate_response=True)

    assert unwrap_plain_views(app) == []


def test_nothing_is_unwrapped_when_a_url_value_preprocessor_could_add_arguments() -> None:
    app = make_app()
    app.url_value_preprocessor(lambda _endpoint, _values: None)

    assert unwrap_plain_views(app) == []


def test_anything_but_flask_openapi3s_wrapper_is_left_alone() -> None:
    def view_func() -> None:  # the wrapper's name, not its closure
        return None

    assert plain_view(view_func) is None
    assert plain_view(print) is None
