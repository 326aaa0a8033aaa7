"""Developer scripts run with `python -m scripts.<name>` (not part of the app or the tests)."""
