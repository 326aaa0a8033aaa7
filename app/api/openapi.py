"""The Flask application class: flask-openapi3's OpenAPI, with problem+json error docs."""

import inspect
from collections.abc import Callable
from typing import Any

from flask import render_template_string
from flask_openapi3.models.info import Info
from flask_openapi3.models.security_scheme import SecurityScheme
from flask_openapi3.openapi import OpenAPI
from flask_openapi3_swagger.templates import swagger_html_string

from app.api.errors import PROBLEM_MIMETYPE, validation_error_response
from app.api.openapi_docs import complete_operation
from app.schemas.problem_schema import Problem

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
SECURITY_SCHEMES: dict[str, SecurityScheme | dict[str, Any]] = {
    "bearerAuth": {"type": "http", "scheme": "bearer", "description": "An access token."}
}

# 3.12's `inspect.markcoroutinefunction` marks a plain function as a coroutine function;
# before 3.12 nothing does (and asking costs an AttributeError per call).
_CAN_MARK = hasattr(inspect, "markcoroutinefunction")


class StockroomOpenAPI(OpenAPI):
    """OpenAPI app whose documented errors are `application/problem+json` Problems."""

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Return a plain function as it is, as Flask does, with a cheaper test first.

        Flask asks this of every view and hook on every request, through
        `inspect.iscoroutinefunction`; a function's code flags answer the same for the
        common case. Anything else (a coroutine function, a partial) goes to Flask.
        """
        code = getattr(func, "__code__", None)
        is_plain = code is not None and not code.co_flags & inspect.CO_COROUTINE
        if is_plain and not (_CAN_MARK and hasattr(func, "_is_coroutine_marker")):
            return func
        return super().ensure_sync(func)

    def generate_spec_json(self) -> None:
        """Build the document, add the app-wide answers, describe 4xx/5xx bodies as Problems."""
        super().generate_spec_json()  # type: ignore[no-untyped-call]
        for path, path_item in self.spec_json["paths"].items():
            for method, operation in path_item.items():
                complete_operation(path, method, operation)
                for status, response in operation["responses"].items():
                    if status[0] in "45":
                        response["content"] = {PROBLEM_MIMETYPE: {"schema": PROBLEM_REF}}


def make_application(import_name: str, version: str) -> StockroomOpenAPI:
    """Build the app object with Stockroom's OpenAPI settings."""
    app = StockroomOpenAPI(
        import_name,
        info=Info(title="Stockroom API", version=version),
        security_schemes=SECURITY_SCHEMES,
        doc_prefix="/api",
        doc_url="/openapi.json",
        validation_error_status=422,
        validation_error_model=Problem,
        validation_error_callback=validation_error_response,
        instance_relative_config=True,
    )

    def docs() -> Any:
        return render_template_string(
            swagger_html_string, doc_url="openapi.json", swagger_config={}, oauth_config=None
        )

    app.add_url_rule("/api/docs", "api_docs", docs, methods=["GET"])
    return app
