"""SQLAlchemy 2 typed models, one class per file.

Rule: models import only `app.models.base` and `app.common`; never Flask or services.
Every model module is imported here so Alembic and `db.metadata` see all tables.
"""

from app.models.base import Base
from app.models.category import Category
from app.models.idempotency_key import IdempotencyKey
from app.models.job import Job
from app.models.job_file import JobFile
from app.models.product import Product
from app.models.product_category import product_categories
from app.models.role import Role
from app.models.stock_item import StockItem
from app.models.store import Store
from app.models.store_manager import StoreManager
from app.models.token import Token
from app.models.user import User
from app.models.user_role import user_roles

__all__ = [
    "Base",
    "Category",
    "IdempotencyKey",
    "Job",
    "JobFile",
    "Product",
    "Role",
    "StockItem",
    "Store",
    "StoreManager",
    "Token",
    "User",
    "product_categories",
    "user_roles",
]
