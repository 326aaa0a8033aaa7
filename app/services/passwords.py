"""Password hashing with argon2id (argon2-cffi) and the password policy.

Parameters follow OWASP's minimum for argon2id (m=19 MiB, t=2, p=1). A hash made with
other parameters still verifies; `needs_rehash` tells the login service to replace it.
"""

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from app.common.errors import ValidationError

MIN_LENGTH = 12
MAX_LENGTH = 128
MEMORY_COST_KIB = 19456
TIME_COST = 2
PARALLELISM = 1

# A few of the most common passwords long enough to pass the length rule.
COMMON_PASSWORDS = frozenset(
    {
        "123456789012",
        "1234567890123",
        "password1234",
        "password12345",
        "passwordpassword",
        "qwertyuiop12",
        "qwertyuiopasdf",
        "iloveyou1234",
        "administrator",
        "letmeinletmein",
        "changemechangeme",
        "welcome12345",
    }
)

_hasher = PasswordHasher(
    time_cost=TIME_COST,
    memory_cost=MEMORY_COST_KIB,
    parallelism=PARALLELISM,
    hash_len=32,
    salt_len=16,
    type=Type.ID,
)


def hash_password(password: str) -> str:
    """Return the argon2id PHC string of `password` (salted, never reversible)."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Tell whether `password` matches `password_hash`; a malformed hash never matches."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Tell whether a hash was made with other parameters than today's."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def burn_verify_time(password: str) -> None:
    """Spend as long as a real verification, so unknown emails cannot be told by timing."""
    verify_password(_DUMMY_HASH, password)


def password_problems(password: str, email: str) -> list[str]:
    """List what is wrong with a new password (empty when it is acceptable)."""
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        return [f"Use between {MIN_LENGTH} and {MAX_LENGTH} characters."]
    lowered = password.lower()
    address = email.strip().lower()
    if lowered in COMMON_PASSWORDS or len(set(lowered)) < 4:
        return ["This password is too easy to guess; choose a less common one."]
    if lowered in {address, address.split("@")[0]}:
        return ["Do not use your email address as your password."]
    return []


def check_strength(email: str, password: str) -> None:
    """Refuse a weak new password.

    Raises:
        ValidationError: listing the password's problems under `password`.
    """
    problems = password_problems(password, email)
    if problems:
        raise ValidationError("The password is too weak.", errors={"password": problems})


def check_current(password_hash: str, current_password: str | None) -> None:
    """Require the current password before a new one is set.

    Raises:
        ValidationError: under `current_password`, when it is missing or wrong.
    """
    if current_password is None:
        raise ValidationError(
            errors={"current_password": ["Give your current password to set a new one."]}
        )
    if not verify_password(password_hash, current_password):
        raise ValidationError(errors={"current_password": ["This is not your current password."]})


_DUMMY_HASH = hash_password("timing-equaliser-never-a-real-password")
