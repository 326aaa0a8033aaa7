"""Shapes of the user endpoints: sign-up, profile edits, admin edits, lists and users."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StrictBool

from app.common.pagination import DEFAULT_LIMIT, MAX_LIMIT
from app.schemas.common_schema import NOT_SENT, PartialUpdate, RequestModel, RowId

NAME_MAX = 120
PASSWORD_MAX = 128

RoleName = Literal["admin", "manager"]
Name = Annotated[str, Field(max_length=NAME_MAX, examples=["Ann Example"])]
Password = Annotated[str, Field(max_length=PASSWORD_MAX, examples=["a long passphrase"])]

STRICT_INPUT = ConfigDict(extra="forbid", str_strip_whitespace=False)


class SignupIn(BaseModel):
    """A new account: email and password, and a name if you like."""

    model_config = STRICT_INPUT

    email: EmailStr = Field(examples=["ann@example.com"])
    password: Password
    name: Name | None = None


class ProfileUpdate(PartialUpdate):
    """Changes to your own account; a new password needs `current_password`."""

    model_config = STRICT_INPUT

    name: Name | None = NOT_SENT
    password: Password | None = NOT_SENT
    current_password: Password | None = NOT_SENT


class UserUpdate(PartialUpdate):
    """An admin's changes to a user; `roles` replaces the user's roles."""

    model_config = STRICT_INPUT

    name: Name | None = NOT_SENT
    is_active: StrictBool | None = NOT_SENT
    roles: Annotated[list[RoleName], Field(max_length=2)] | None = NOT_SENT


class UserPath(BaseModel):
    """The user named in the URL."""

    user_id: RowId


class UserListQuery(RequestModel):
    """Filters and page of GET /api/users."""

    model_config = ConfigDict(extra="forbid")

    role: RoleName | None = None
    is_active: bool | None = None
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    cursor: str | None = Field(default=None, max_length=512)


class UserOut(BaseModel):
    """A user as the API shows it (never the password hash)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    name: str | None
    is_active: bool
    roles: list[str] = Field(validation_alias="role_names", examples=[["manager"]])
    last_login_at: datetime | None
    created_at: datetime
    updated_at: datetime


class UserData(BaseModel):
    """`{"data": user}`."""

    data: UserOut


class UserLinks(BaseModel):
    """Links of a list page."""

    next: str | None


class UserList(BaseModel):
    """One page of users."""

    data: list[UserOut]
    links: UserLinks
