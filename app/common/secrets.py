"""What makes a SECRET_KEY unacceptable in production (shared by start-up and deploy-check)."""

PLACEHOLDER_SECRET_KEYS = frozenset(
    {"", "change-me", "changeme", "secret", "dev", "development", "dev-insecure-change-me"}
)
MIN_SECRET_KEY_LENGTH = 32


def is_weak_secret_key(key: object) -> bool:
    """Tell whether a SECRET_KEY is missing, shorter than 32 characters, or a placeholder."""
    return (
        not isinstance(key, str)
        or key.strip().lower() in PLACEHOLDER_SECRET_KEYS
        or len(key) < MIN_SECRET_KEY_LENGTH
    )
