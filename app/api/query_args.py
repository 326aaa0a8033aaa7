"""A list route's query string read straight into its model, as flask-openapi3 would.

flask-openapi3 reads a query model field by field: it looks each field's schema up, asks
the query string for the field, then adds the keys the model does not name, then
validates; about 20 µs of a list request, of which validating is 3. For a model whose
fields are all single values without aliases, that loop builds the same mapping as
`request.args.to_dict()`: the first value of each key, the unknown keys in the order
given. Only where the model's own keys sit among them differs, and pydantic reports the
fields in the model's order whatever the input's, so the same model or the same 422 comes
out. A test compares the two on valid and invalid query strings.

The route keeps its `query: Model` parameter, so the OpenAPI document does not change.
"""

import inspect
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, get_type_hints

from flask import abort, current_app, request
from pydantic import BaseModel, ValidationError

QueryModel = TypeVar("QueryModel", bound=BaseModel)
Answer = TypeVar("Answer")


def read_query(model: type[QueryModel]) -> QueryModel:
    """Validate this request's query string into `model`; a failure is flask-openapi3's 422.

    Raises:
        HTTPException: the query string does not fit the model (the app's validation
            error response, as flask-openapi3 aborts with it).
    """
    try:
        return model.model_validate(request.args.to_dict())
    except ValidationError as error:
        abort(current_app.validation_error_callback(error))  # type: ignore[attr-defined]


def query_read_directly(view: Callable[[Any], Answer]) -> Callable[[], Answer]:
    """Make a view whose only parameter is `query` read it with `read_query`.

    Put it under the route decorator. The wrapper keeps the view's name, docstring and
    annotations (the document reads them) and tells flask-openapi3 not to validate the
    request itself.

    Raises:
        TypeError: the view takes more than `query`, or the model has a field the direct
            read would get differently (a list, an alias, a null-only field).
    """
    model = get_type_hints(view).get("query")
    takes_query_only = list(inspect.signature(view).parameters) == ["query"]
    if not takes_query_only or not (isinstance(model, type) and issubclass(model, BaseModel)):
        raise TypeError(f"{view.__name__} must take exactly one parameter, `query: Model`")
    _check_single_values(model)

    @wraps(view)
    def view_with_query() -> Answer:
        return view(read_query(model))

    view_with_query.__delay_validate_request__ = True  # type: ignore[attr-defined]
    return view_with_query


def _check_single_values(model: type[BaseModel]) -> None:
    """Refuse a field flask-openapi3 reads otherwise than `to_dict`: a list, an alias, null."""
    properties = model.model_json_schema().get("properties", {})
    for name, field in model.model_fields.items():
        schema = properties.get(name)
        if field.alias or schema is None or schema.get("type") in {"array", "null"}:
            raise TypeError(f"{model.__name__}.{name} is not a plain single-value field")
        if any(each.get("type") == "array" for each in schema.get("anyOf", [])):
            raise TypeError(f"{model.__name__}.{name} is not a plain single-value field")
