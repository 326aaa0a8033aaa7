"""Pydantic request and response shapes (and the OpenAPI document built from them).

Rule: schemas import `app.common` only: no database, no Flask.
"""
