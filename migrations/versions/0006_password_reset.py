"""Password reset: `tokens.kind` may also be 'reset' (a single-use reset token).

Reset tokens live in the tokens table beside access and refresh tokens, so the same
revocations (deactivation, password change, reset) and the scheduled purge of expired
tokens cover them. Only the CHECK constraint changes. SQLite cannot alter a constraint in
place, so batch mode rebuilds the table there, from the full definition below rather than
by reflection, which also lets `flask db upgrade --sql` write the SQL offline.

Revision ID: 0006_password_reset
Revises: 0001_identity
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_password_reset"
down_revision = "0001_identity"
branch_labels = None
depends_on = None

CONSTRAINT = "ck_tokens_kind"
OLD_KINDS = "kind IN ('access', 'refresh')"
NEW_KINDS = "kind IN ('access', 'refresh', 'reset')"


def _tokens_table(kinds: str) -> sa.Table:
    """The tokens table as migration 0001 made it, with the CHECK constraint `kinds`."""
    return sa.Table(
        "tokens",
        sa.MetaData(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("pair_id", sa.String(length=32), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(kinds, name=CONSTRAINT),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_tokens_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_tokens"),
        sa.UniqueConstraint("token_hash", name="uq_tokens_token_hash"),
        sa.Index("ix_tokens_expires_at", "expires_at"),
        sa.Index("ix_tokens_pair_id", "pair_id"),
        sa.Index("ix_tokens_user_id", "user_id"),
    )


def _replace_kinds(old: str, new: str) -> None:
    with op.batch_alter_table("tokens", copy_from=_tokens_table(old)) as batch_op:
        batch_op.drop_constraint(op.f(CONSTRAINT), type_="check")
        batch_op.create_check_constraint(op.f(CONSTRAINT), new)


def upgrade():
    _replace_kinds(OLD_KINDS, NEW_KINDS)


def downgrade():
    op.execute("DELETE FROM tokens WHERE kind = 'reset'")
    _replace_kinds(NEW_KINDS, OLD_KINDS)
