"""Stores, who manages which store, and how much of each product a store holds.

Deleting a store removes its manager and stock rows; deleting a user removes their
manager rows; deleting a product removes its stock rows (all ON DELETE CASCADE).

Revision ID: 0003_stores
Revises: 0001_identity
Depends on: 0002_products (stock_items.product_id references products)
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_stores"
down_revision = "0001_identity"
branch_labels = None
depends_on = "0002_products"


def _timestamps_and_version():
    return (
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    )


def upgrade():
    op.create_table(
        "stores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("state", sa.String(length=100), nullable=False),
        sa.Column("zip_code", sa.String(length=20), nullable=False),
        *_timestamps_and_version(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stores")),
    )
    op.create_index("ix_stores_name_id", "stores", ["name", "id"], unique=False)
    op.create_index("ix_stores_city_id", "stores", ["city", "id"], unique=False)
    op.create_index("ix_stores_state_id", "stores", ["state", "id"], unique=False)

    op.create_table(
        "store_managers",
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name=op.f("fk_store_managers_store_id_stores"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_store_managers_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("store_id", "user_id", name=op.f("pk_store_managers")),
    )
    op.create_index(
        op.f("ix_store_managers_user_id"), "store_managers", ["user_id"], unique=False
    )

    op.create_table(
        "stock_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        *_timestamps_and_version(),
        sa.CheckConstraint("quantity >= 0", name=op.f("ck_stock_items_quantity_not_negative")),
        sa.CheckConstraint(
            "quantity <= 1000000000", name=op.f("ck_stock_items_quantity_at_most_max")
        ),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name=op.f("fk_stock_items_store_id_stores"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_stock_items_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_items")),
        sa.UniqueConstraint("store_id", "product_id", name=op.f("uq_stock_items_store_id")),
    )
    op.create_index(op.f("ix_stock_items_product_id"), "stock_items", ["product_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_stock_items_product_id"), table_name="stock_items")
    op.drop_table("stock_items")
    op.drop_index(op.f("ix_store_managers_user_id"), table_name="store_managers")
    op.drop_table("store_managers")
    op.drop_index("ix_stores_state_id", table_name="stores")
    op.drop_index("ix_stores_city_id", table_name="stores")
    op.drop_index("ix_stores_name_id", table_name="stores")
    op.drop_table("stores")
