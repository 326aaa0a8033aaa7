"""Shapes of the store endpoints: create, update, list filters and the store itself."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.models.store import (
    STORE_ADDRESS_MAX,
    STORE_CITY_MAX,
    STORE_NAME_MAX,
    STORE_STATE_MAX,
    STORE_ZIP_CODE_MAX,
)
from app.schemas.common_schema import (
    NOT_BLANK,
    NOT_SENT,
    PAGE_CURSOR,
    PAGE_LIMIT,
    Links,
    RequestModel,
    RowId,
)

StoreSort = Literal["name", "-name", "city", "-city", "state", "-state", "id", "-id"]


Name = Annotated[
    str, Field(min_length=1, max_length=STORE_NAME_MAX, pattern=NOT_BLANK, examples=["Downtown"])
]
Address = Annotated[
    str,
    Field(
        min_length=1, max_length=STORE_ADDRESS_MAX, pattern=NOT_BLANK, examples=["1 Main Street"]
    ),
]
City = Annotated[
    str, Field(min_length=1, max_length=STORE_CITY_MAX, pattern=NOT_BLANK, examples=["Springfield"])
]
State = Annotated[
    str, Field(min_length=1, max_length=STORE_STATE_MAX, pattern=NOT_BLANK, examples=["IL"])
]
ZipCode = Annotated[
    str, Field(min_length=1, max_length=STORE_ZIP_CODE_MAX, pattern=NOT_BLANK, examples=["62701"])
]

STRICT_INPUT = ConfigDict(extra="forbid", str_strip_whitespace=True)


class StorePath(BaseModel):
    """The store named in the URL."""

    store_id: RowId = Field(json_schema_extra={"example": 1})


class StoreCreate(BaseModel):
    """A new store: every field is required."""

    model_config = STRICT_INPUT

    name: Name
    address: Address
    city: City
    state: State
    zip_code: ZipCode


class StoreUpdate(BaseModel):
    """A partial change to a store: only the fields sent change; none may be null."""

    model_config = STRICT_INPUT

    name: Name | None = NOT_SENT
    address: Address | None = NOT_SENT
    city: City | None = NOT_SENT
    state: State | None = NOT_SENT
    zip_code: ZipCode | None = NOT_SENT

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("may not be null; leave the field out to keep its value")
        return value

    def changes(self) -> dict[str, str]:
        """Return only the fields the client sent."""
        return self.model_dump(exclude_unset=True)


class StoreListQuery(RequestModel):
    """Filters, order and page of GET /api/stores."""

    model_config = ConfigDict(extra="forbid")

    city: str | None = Field(default=None, max_length=STORE_CITY_MAX)
    state: str | None = Field(default=None, max_length=STORE_STATE_MAX)
    manager: RowId | None = Field(default=None, description="Only stores this user manages")
    sort: StoreSort = Field(default="name", description="A field, `-` first for descending")
    limit: int = PAGE_LIMIT
    cursor: str | None = PAGE_CURSOR


class ManagerPath(BaseModel):
    """The store and user named in the URL."""

    store_id: RowId = Field(json_schema_extra={"example": 1})
    user_id: RowId = Field(json_schema_extra={"example": 1})


class PageQuery(RequestModel):
    """The page of a store's managers or stock."""

    model_config = ConfigDict(extra="forbid")

    limit: int = PAGE_LIMIT
    cursor: str | None = PAGE_CURSOR


class StoreOut(BaseModel):
    """A store as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    address: str
    city: str
    state: str
    zip_code: str
    created_at: datetime
    updated_at: datetime


class StoreData(BaseModel):
    """`{"data": store}`."""

    data: StoreOut


class StoreList(BaseModel):
    """One page of stores."""

    data: list[StoreOut]
    links: Links


class ManagerOut(BaseModel):
    """A store's manager: who to contact (an admin sees more at /api/users/<id>)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str | None
    email: str


class ManagerData(BaseModel):
    """`{"data": manager}`."""

    data: ManagerOut


class ManagerList(BaseModel):
    """One page of a store's managers."""

    data: list[ManagerOut]
    links: Links
