import re

import pytest
from argon2 import PasswordHasher

from app.common.errors import ValidationError
from app.services import passwords

PHC = re.compile(r"^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$")


def test_a_hash_is_an_argon2id_phc_string_with_owasp_parameters_or_stronger() -> None:
    stored = passwords.hash_password("a perfectly fine passphrase")

    match = PHC.match(stored)
    assert match is not None, stored
    memory_kib, iterations, parallelism = (int(part) for part in match.groups())
    assert memory_kib >= 19456
    assert iterations >= 2
    assert parallelism >= 1


def test_the_same_password_hashes_differently_each_time() -> None:
    assert passwords.hash_password("same password here") != passwords.hash_password(
        "same password here"
    )


def test_the_right_password_verifies() -> None:
    stored = passwords.hash_password("the right password")

    assert passwords.verify_password(stored, "the right password") is True


def test_a_wrong_password_does_not_verify() -> None:
    stored = passwords.hash_password("the right password")

    assert passwords.verify_password(stored, "the wrong password") is False


@pytest.mark.parametrize("stored", ["", "plain-text", "$argon2id$v=19$m=1,t=1,p=1$broken"])
def test_a_malformed_hash_never_verifies(stored: str) -> None:
    assert passwords.verify_password(stored, "anything at all") is False


def test_a_hash_with_todays_parameters_needs_no_rehash() -> None:
    assert passwords.needs_rehash(passwords.hash_password("current parameters")) is False


def test_a_hash_with_older_parameters_needs_a_rehash() -> None:
    old = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash("older params")

    assert passwords.needs_rehash(old) is True


def test_a_malformed_hash_needs_a_rehash() -> None:
    assert passwords.needs_rehash("not a hash") is True


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short1!", "Use between 12 and 128 characters."),
        ("x" * 129, "Use between 12 and 128 characters."),
        ("password1234", "This password is too easy to guess; choose a less common one."),
        ("abababababab", "This password is too easy to guess; choose a less common one."),
        ("ann.example1@example.com", "Do not use your email address as your password."),
        ("ANN.EXAMPLE1", "Do not use your email address as your password."),
    ],
)
def test_a_weak_password_is_refused_with_a_reason(password: str, problem: str) -> None:
    assert passwords.password_problems(password, "Ann.Example1@example.com") == [problem]


@pytest.mark.parametrize(
    "password", ["a" * 8 + "bcd1", "correct horse battery staple", "é" * 6 + "ñ" * 6 + "üö"]
)
def test_an_acceptable_password_has_no_problems(password: str) -> None:
    assert passwords.password_problems(password, "ann@example.com") == []


def test_check_strength_raises_a_validation_error_naming_the_password_field() -> None:
    with pytest.raises(ValidationError) as caught:
        passwords.check_strength("ann@example.com", "short")

    assert caught.value.errors == {"password": ["Use between 12 and 128 characters."]}
