"""SQLAlchemy 2 typed models, one class per file.

Rule: models import only `app.models.base` and `app.common`; never Flask or services.
Every model module is imported here so Alembic and `db.metadata` see all tables.
"""

from app.models.base import Base

__all__ = ["Base"]
