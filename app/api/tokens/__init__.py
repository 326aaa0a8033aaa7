"""Token endpoints: sign in, refresh, sign out."""
