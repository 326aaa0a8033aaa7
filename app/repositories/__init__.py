"""Queries over a SQLAlchemy Session, one module per feature.

Rule: repositories import models and `app.common` only, and never commit.
"""
