"""multi-node serving: one outbox cursor per search index

Each search index (a node's Whoosh folder, or a shared backend) records how far it
has applied the outbox; outbox entries are kept until every index has passed them.
On SQLite the outbox's ids become AUTOINCREMENT, so an id is never given twice even
after every entry was deleted (PostgreSQL's sequence already never reuses one).

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table(
            "index_outbox", recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ) as batch:
            batch.alter_column("id", existing_type=sa.Integer(), autoincrement=True)
    op.create_table(
        "index_cursors",
        sa.Column("name", sa.String(400), primary_key=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("index_cursors")
