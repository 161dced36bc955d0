"""Alembic environment: runs against the connection handed in by ``app.registry.db.upgrade``."""

from alembic import context

from app.registry.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
