"""Shared building blocks: domain errors, pagination, clock.

Rule: imports nothing from the rest of `app` and nothing from Flask or Celery.
"""
