"""Shapes shared by several features' schemas: ids, JSON integers, "left out, never null", pages."""

from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, Field, ValidationInfo, field_validator

from app.common.ids import MAX_ROW_ID
from app.common.pagination import DEFAULT_LIMIT, MAX_LIMIT

__all__ = [
    "JSON_INTEGER",
    "MAX_ROW_ID",
    "NOT_BLANK",
    "NOT_SENT",
    "PAGE_CURSOR",
    "PAGE_LIMIT",
    "Links",
    "PartialUpdate",
    "RowId",
]

# An id outside 1..MAX_ROW_ID is invalid input (422), never a driver overflow (500).
RowId = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]
# Names are stripped before they are checked, so one made only of spaces is empty (422).
# Python's `str.strip` also removes U+001C-U+001F and U+0085, which a regex's `\s` does not
# match: they are named here so that a value the schema accepts never strips to "" (found by
# Schemathesis: an address of "\x1f" passed the schema, then the service's 422).
NOT_BLANK = r"[^\s\x1c-\x1f\x85]"


def _refuse_text(value: object) -> object:
    if isinstance(value, str | bool):
        raise ValueError("must be a JSON integer, not a string or a boolean")
    return value


# Put last in `Annotated[int, Field(...), JSON_INTEGER]` (after the constraints, or they
# vanish from the document): an integer in a JSON body exactly as JSON Schema's
# `"type": "integer"` means it, so 3 and 3.0 are integers, 3.5, "3" and true are not
# (pydantic's strict mode would also refuse 3.0, which the document allows).
JSON_INTEGER = BeforeValidator(_refuse_text)


def _document_as_not_null(schema: dict[str, Any]) -> None:
    """Drop the `null` branch and the `default: null` from a field's JSON Schema."""
    schema.pop("default", None)
    branches = [branch for branch in schema.pop("anyOf", []) if branch != {"type": "null"}]
    if len(branches) == 1:
        schema.update(branches[0])
    elif branches:
        schema["anyOf"] = branches


# For a partial update's field that may be left out but not set to null:
# `name: Name | None = NOT_SENT`. `None` only means "not sent"; the document shows the field
# as not nullable, and the schema's own validator must refuse an explicit null (422).
NOT_SENT: Any = Field(default=None, json_schema_extra=_document_as_not_null)

# The `limit` and `cursor` of a keyset-paginated list query: `limit: int = PAGE_LIMIT`.
PAGE_LIMIT: Any = Field(
    default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, json_schema_extra={"example": DEFAULT_LIMIT}
)
PAGE_CURSOR: Any = Field(
    default=None, max_length=512, description="`links.next` of the previous page holds it"
)


class RequestModel(BaseModel):
    """Base of query-string and form models: their JSON Schema is built once per class.

    flask-openapi3 asks for a query or form model's JSON Schema on every request it
    validates (to tell list fields from scalars), and pydantic builds it afresh each time:
    about 0.6 ms of a 2 ms list request. A class's schema never changes, so the default
    form (the one request validation asks for, and only reads) is cached; the document
    builder's calls, with other arguments, still get a fresh copy they may change.
    """

    _schema_cache: ClassVar[dict[type[BaseModel], dict[str, Any]]] = {}

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Return the model's JSON Schema; built once per class for the default arguments."""
        if args or kwargs:
            return super().model_json_schema(*args, **kwargs)
        cached = RequestModel._schema_cache.get(cls)
        if cached is None:
            cached = RequestModel._schema_cache[cls] = super().model_json_schema()
        return cached


class Links(BaseModel):
    """Links of a list page."""

    next: str | None


class PartialUpdate(BaseModel):
    """A PATCH body: only the fields sent change; a field may be left out, but not sent as null.

    Give its fields `NOT_SENT` defaults, so the document shows them as not nullable; the
    fields named in `nullable_fields` (such as a description) may be set to null.
    """

    nullable_fields: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_null(cls, value: object, info: ValidationInfo) -> object:
        if value is None and info.field_name not in cls.nullable_fields:
            raise ValueError("may not be null; leave the field out to keep its value")
        return value

    def changes(self) -> dict[str, Any]:
        """Return only the fields the client sent."""
        return self.model_dump(exclude_unset=True)
