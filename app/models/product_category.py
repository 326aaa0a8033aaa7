"""The product <-> category association: one row per link, removed with either side."""

from sqlalchemy import Column, ForeignKey, Index, Table

from app.models.base import Base

product_categories = Table(
    "product_categories",
    Base.metadata,
    Column("product_id", ForeignKey("products.id", ondelete="CASCADE"), primary_key=True),
    Column("category_id", ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True),
    # The primary key serves "categories of a product"; this serves "products in a category".
    Index("ix_product_categories_category_id", "category_id", "product_id"),
)
