"""Password-reset endpoints: ask for a link, then set a new password with its token."""
