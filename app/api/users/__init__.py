"""User endpoints: sign-up, your own profile, and user administration."""
