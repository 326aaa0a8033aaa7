"""The RFC 9457 problem document every API error uses."""

from pydantic import BaseModel, Field


class Problem(BaseModel):
    """An RFC 9457 `application/problem+json` error body."""

    type: str = Field(examples=["urn:stockroom:problem:not-found"])
    title: str = Field(examples=["Not found"])
    status: int = Field(examples=[404])
    detail: str = Field(examples=["No store with id 42."])
    request_id: str = Field(examples=["5f0c8a3e9b7d4c21a1e2f3a4b5c6d7e8"])
    errors: dict[str, list[str]] | None = Field(
        default=None, examples=[{"price": ["Input should be greater than or equal to 0"]}]
    )
