"""Database commands: ``registry db upgrade`` applies the schema migrations (Alembic)."""

from __future__ import annotations

import click

from app.cli import applies_migrations, cli, handle_errors
from app.extensions import engine
from app.registry.db import current_revision


@cli.group("db")
def db_group() -> None:
    """Manage the database schema."""


@db_group.command("upgrade")
@handle_errors
@applies_migrations
def upgrade_command() -> None:
    """Bring the database to the newest schema (a fresh one is created; running it again changes nothing)."""
    click.echo(f"database schema up to date (revision {current_revision(engine())})")
