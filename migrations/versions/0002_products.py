"""Catalog: categories, products, their links, and product full-text search.

Full-text search is kept in sync by the database itself on every write:
- SQLite: an FTS5 external-content table `products_fts` fed by triggers (ranked by bm25);
- PostgreSQL: a STORED generated tsvector column `search_vector` with a GIN index.
migrations/env.py tells autogenerate to ignore both, as the models do not map them.

Caution for later migrations on SQLite: a batch ("move and copy") alteration of
`products` recreates the table and drops its FTS triggers; run this module's
SQLITE_SEARCH statements again afterwards.

Revision ID: 0002_products
Revises: 0001_identity
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_products"
down_revision = "0001_identity"
branch_labels = None
depends_on = None

SQLITE_SEARCH = (
    "CREATE VIRTUAL TABLE products_fts USING fts5("
    "sku, name, description, content='products', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER products_fts_after_insert AFTER INSERT ON products BEGIN "
    "INSERT INTO products_fts(rowid, sku, name, description) "
    "VALUES (new.id, new.sku, new.name, new.description); END",
    "CREATE TRIGGER products_fts_after_delete AFTER DELETE ON products BEGIN "
    "INSERT INTO products_fts(products_fts, rowid, sku, name, description) "
    "VALUES ('delete', old.id, old.sku, old.name, old.description); END",
    "CREATE TRIGGER products_fts_after_update AFTER UPDATE OF sku, name, description "
    "ON products BEGIN "
    "INSERT INTO products_fts(products_fts, rowid, sku, name, description) "
    "VALUES ('delete', old.id, old.sku, old.name, old.description); "
    "INSERT INTO products_fts(rowid, sku, name, description) "
    "VALUES (new.id, new.sku, new.name, new.description); END",
    "INSERT INTO products_fts(products_fts) VALUES ('rebuild')",
)
SQLITE_SEARCH_DROP = (
    "DROP TRIGGER IF EXISTS products_fts_after_update",
    "DROP TRIGGER IF EXISTS products_fts_after_delete",
    "DROP TRIGGER IF EXISTS products_fts_after_insert",
    "DROP TABLE IF EXISTS products_fts",
)
POSTGRESQL_SEARCH = (
    "ALTER TABLE products ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, coalesce(sku, '')), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, coalesce(name, '')), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, coalesce(description, '')), 'B')"
    ") STORED",
    "CREATE INDEX ix_products_search_vector ON products USING gin (search_vector)",
)
POSTGRESQL_SEARCH_DROP = (
    "DROP INDEX IF EXISTS ix_products_search_vector",
    "ALTER TABLE products DROP COLUMN IF EXISTS search_vector",
)


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "categories",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_categories")),
        sa.UniqueConstraint("name", name=op.f("uq_categories_name")),
    )
    op.create_table(
        "products",
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("price", sa.Numeric(precision=12, scale=2), nullable=False),
        *_timestamps(),
        sa.CheckConstraint("price >= 0", name=op.f("ck_products_price_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
        sa.UniqueConstraint("sku", name=op.f("uq_products_sku")),
    )
    op.create_index("ix_products_name_id", "products", ["name", "id"])
    op.create_index("ix_products_price_id", "products", ["price", "id"])
    op.create_index("ix_products_created_at_id", "products", ["created_at", "id"])
    op.create_table(
        "product_categories",
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["categories.id"],
            name=op.f("fk_product_categories_category_id_categories"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_product_categories_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("product_id", "category_id", name=op.f("pk_product_categories")),
    )
    op.create_index(
        "ix_product_categories_category_id", "product_categories", ["category_id", "product_id"]
    )
    for statement in _search_statements(create=True):
        op.execute(statement)


def downgrade() -> None:
    for statement in _search_statements(create=False):
        op.execute(statement)
    op.drop_index("ix_product_categories_category_id", table_name="product_categories")
    op.drop_table("product_categories")
    op.drop_index("ix_products_created_at_id", table_name="products")
    op.drop_index("ix_products_price_id", table_name="products")
    op.drop_index("ix_products_name_id", table_name="products")
    op.drop_table("products")
    op.drop_table("categories")


def _search_statements(*, create: bool) -> tuple[str, ...]:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        return SQLITE_SEARCH if create else SQLITE_SEARCH_DROP
    if dialect == "postgresql":
        return POSTGRESQL_SEARCH if create else POSTGRESQL_SEARCH_DROP
    return ()
