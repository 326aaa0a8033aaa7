"""Tests against the real server: gunicorn with 2 workers on PostgreSQL and Redis."""
