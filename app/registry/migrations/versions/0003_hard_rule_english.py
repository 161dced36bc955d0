"""English titles of hard rules and deliverables (``title_en``, ``deliverable_en``)

Both columns are optional: a hard rule without them is shown with its Chinese title on English pages
(marked as Chinese content). ``registry load`` fills them from ``hard_rules/<id>.yaml``: the rows'
content hash covers the new fields, so a load after this upgrade rewrites the hard rules that have
them. A downgrade clears the content hash of the hard rules that had English, so a later upgrade
and load writes them again.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("hard_rules", schema=None) as batch_op:
        batch_op.add_column(sa.Column("title_en", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("deliverable_en", sa.Text(), nullable=True))


def downgrade() -> None:
    # the stored content hash of a hard rule with English covers the fields dropped here: clear it, so
    # that the next load (after an upgrade) writes the hard rule again rather than skip it as unchanged
    op.execute(
        sa.text("UPDATE hard_rules SET content_hash = '' WHERE title_en IS NOT NULL OR deliverable_en IS NOT NULL")
    )
    with op.batch_alter_table("hard_rules", schema=None) as batch_op:
        batch_op.drop_column("deliverable_en")
        batch_op.drop_column("title_en")
