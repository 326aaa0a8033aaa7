"""Constants shared by the users API tests: a password the policy accepts, a user's fields."""

GOOD_PASSWORD = "a long enough passphrase"
USER_FIELDS = {
    "id",
    "email",
    "name",
    "is_active",
    "roles",
    "last_login_at",
    "created_at",
    "updated_at",
}
