"""Shapes of the auth endpoints: sign in, refresh, the token pair, and password reset."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.schemas.user_schema import PASSWORD_MAX, Password

STRICT_INPUT = ConfigDict(extra="forbid")


class TokenCreate(BaseModel):
    """Credentials to sign in with."""

    model_config = STRICT_INPUT

    email: str = Field(min_length=1, max_length=254, examples=["ann@example.com"])
    password: str = Field(min_length=1, max_length=PASSWORD_MAX)


class TokenRefresh(BaseModel):
    """A refresh token to trade for a new pair."""

    model_config = STRICT_INPUT

    refresh_token: str = Field(min_length=1, max_length=128)


class TokenPairOut(BaseModel):
    """A new access and refresh token; shown once, never stored in the clear."""

    model_config = ConfigDict(from_attributes=True)

    access_token: str
    refresh_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - the scheme name, not a secret
    expires_in: int = Field(description="Seconds until the access token expires")


class TokenPairData(BaseModel):
    """`{"data": pair}`."""

    data: TokenPairOut


class PasswordResetRequest(BaseModel):
    """The email of the account whose password is forgotten."""

    model_config = STRICT_INPUT

    email: str = Field(min_length=1, max_length=254, examples=["ann@example.com"])


class PasswordResetAccepted(BaseModel):
    """The same answer whether or not an account has the email."""

    detail: str = Field(
        examples=["If an active account has this email, a reset link has been sent to it."]
    )


class PasswordResetAcceptedData(BaseModel):
    """`{"data": {"detail": ...}}`."""

    data: PasswordResetAccepted


class PasswordResetConfirm(BaseModel):
    """The token from the reset link, and the new password."""

    model_config = STRICT_INPUT

    token: str = Field(min_length=1, max_length=128, examples=["the token from the link"])
    new_password: Password
