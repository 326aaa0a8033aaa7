"""`user_roles`: which user holds which role (a plain association table)."""

from sqlalchemy import Column, ForeignKey, Index, Table

from app.models.base import Base

user_roles = Table(
    "user_roles",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("role_id", ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True),
)
# The primary key serves lookups by user; filtering users by role needs this one.
Index("ix_user_roles_role_id", user_roles.c.role_id)
