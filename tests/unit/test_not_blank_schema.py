"""NOT_BLANK: what the schemas accept as "not blank" never strips to "" in a service."""

import sys

import pytest
from pydantic import BaseModel, Field, ValidationError

from app.schemas.common_schema import NOT_BLANK


class Named(BaseModel):
    name: str = Field(pattern=NOT_BLANK)


PYTHON_WHITESPACE = [chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()]


@pytest.mark.parametrize("space", PYTHON_WHITESPACE, ids=lambda c: f"U+{ord(c):04X}")
def test_text_made_only_of_what_strip_removes_is_refused(space: str) -> None:
    with pytest.raises(ValidationError):
        Named(name=space * 3)


@pytest.mark.parametrize("value", ["a", " a ", "a\x1f", "\ufeff", "\x00x"])
def test_text_that_keeps_a_character_after_strip_is_accepted(value: str) -> None:
    assert value.strip()
    assert Named(name=value).name == value
