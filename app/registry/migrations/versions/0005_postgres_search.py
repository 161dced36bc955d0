"""PostgreSQL search backend: text units with bigram tsvectors under a GIN index (PostgreSQL only)

The tables hold derived data for ``SEARCH_BACKEND=postgres`` (app/search/postgres_backend.py):
one row per text unit (an article of a rule version, a version's title doc, an innovation's
title or text), its normalised text for exact verification and its distinct character
bigrams and characters as the lexemes of a ``tsvector`` (GIN: the candidate generator).
``search_versions`` counts the article units of each version (for ranking);
``search_state`` has one row once the index is built (format and time). On SQLite nothing
is created: the Whoosh backend keeps its index on disk.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if not _postgres():
        return
    op.create_table(
        "search_units",
        sa.Column("key", sa.Text(), primary_key=True),
        sa.Column("owner", sa.Text(), nullable=False),  # rule:<id> / innovation:<slug>
        sa.Column("unit", sa.SmallInteger(), nullable=False),  # app.search.schema.UNIT_*
        sa.Column("hash", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Text(), nullable=False),
        sa.Column("version", sa.Text(), nullable=False),  # "" for innovations
        sa.Column("article_id", sa.Text(), nullable=True),
        sa.Column("article_label", sa.Text(), nullable=False, server_default=""),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Integer(), nullable=False),  # date ordinal; 0 for innovations
        sa.Column("valid_to", sa.Integer(), nullable=False),  # exclusive date ordinal; 10**9 when open
        sa.Column("jurisdiction", sa.Text(), nullable=False),
        sa.Column("topic", sa.Text(), nullable=True),  # as written; compared in lower case
        sa.Column("kind", sa.Text(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("doc_number", sa.Text(), nullable=False, server_default=""),
        sa.Column("doc_number_norm", sa.Text(), nullable=True),  # normalised and stripped, for doc_number:
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("title_en", sa.Text(), nullable=False, server_default=""),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("norm", sa.Text(), nullable=False),
        sa.Column("grams", postgresql.TSVECTOR(), nullable=False),
    )
    op.create_index("ix_search_units_owner", "search_units", ["owner"])
    op.create_index("ix_search_units_grams", "search_units", ["grams"], postgresql_using="gin")
    # the request filters (jurisdiction + topic): a selective filter beats a common word's posting list
    op.create_index("ix_search_units_filter", "search_units", ["jurisdiction", sa.text("lower(topic)")])
    op.create_table(
        "search_versions",  # article (or innovation text) units per rule version: the ranking's denominator
        sa.Column("owner", sa.Text(), primary_key=True),
        sa.Column("version", sa.Text(), primary_key=True),
        sa.Column("units", sa.Integer(), nullable=False),
    )
    op.create_table(
        "search_state",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("format", sa.Text(), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    if not _postgres():
        return
    op.drop_table("search_state")
    op.drop_table("search_versions")
    op.drop_index("ix_search_units_filter", table_name="search_units")
    op.drop_index("ix_search_units_grams", table_name="search_units")
    op.drop_index("ix_search_units_owner", table_name="search_units")
    op.drop_table("search_units")
