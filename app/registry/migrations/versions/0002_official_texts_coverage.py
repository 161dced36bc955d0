"""official texts, coverage and the innovation register (SPEC §8)

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("parameters", schema=None) as batch_op:
        batch_op.add_column(sa.Column("addressee", sa.String(length=12), server_default="enterprise", nullable=False))
    with op.batch_alter_table("rule_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("articles_total", sa.Integer(), nullable=True))
    with op.batch_alter_table("parameter_values", schema=None) as batch_op:
        batch_op.alter_column("article", existing_type=sa.String(length=20), nullable=True)
        batch_op.add_column(sa.Column("verified_in_text", sa.Boolean(), nullable=True))
    with op.batch_alter_table("innovations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("promotion_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("revision", sa.Integer(), server_default="1", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("innovations", schema=None) as batch_op:
        batch_op.drop_column("revision")
        batch_op.drop_column("promotion_date")
    with op.batch_alter_table("parameter_values", schema=None) as batch_op:
        batch_op.drop_column("verified_in_text")
        batch_op.alter_column("article", existing_type=sa.String(length=20), nullable=False)
    with op.batch_alter_table("rule_versions", schema=None) as batch_op:
        batch_op.drop_column("articles_total")
    with op.batch_alter_table("parameters", schema=None) as batch_op:
        batch_op.drop_column("addressee")
