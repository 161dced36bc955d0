"""Engines, sessions and schema migrations (Alembic), for SQLite and PostgreSQL alike.

SQLite runs in WAL mode with foreign keys on and a busy timeout; write
sessions start with ``BEGIN IMMEDIATE`` so two writers queue instead of
failing half-way (docs/decisions.md "Databases").

The schema is migrated only on request — :func:`upgrade`, run by
``registry db upgrade``, ``registry serve`` and ``registry load`` — never by
building the app; :func:`schema_is_current` tells whether it is needed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).with_name("migrations")


def make_engine(
    url: str,
    *,
    pool_size: int = 5,
    max_overflow: int = 10,
    pool_timeout: float = 30.0,
    statement_timeout: float = 0.0,
    busy_timeout: float = 15.0,
) -> Engine:
    """Create an engine; for a SQLite file URL the folder is created first.

    The keyword arguments are the settings of :mod:`app.config` (``DB_POOL_SIZE``,
    ``DB_MAX_OVERFLOW``, ``DB_POOL_TIMEOUT``, ``DB_STATEMENT_TIMEOUT`` for PostgreSQL,
    ``SQLITE_BUSY_TIMEOUT`` for SQLite); ``app.config.engine_options`` supplies them.
    """
    database = make_url(url).database
    if url.startswith("sqlite"):
        in_memory = database in (None, "", ":memory:")
        if not in_memory:
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        pool = {} if in_memory else {"pool_size": pool_size, "max_overflow": max_overflow, "pool_timeout": pool_timeout}
        engine = create_engine(url, connect_args={"timeout": busy_timeout}, **pool)
        _configure_sqlite(engine, busy_timeout_ms=round(busy_timeout * 1000))
        return engine
    connect_args = {}
    if statement_timeout and url.startswith("postgresql"):
        connect_args["options"] = f"-c statement_timeout={round(statement_timeout * 1000)}"
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_timeout=pool_timeout,
        connect_args=connect_args,
    )


def _configure_sqlite(engine: Engine, *, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (below)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        immediate = conn.get_execution_options().get("immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextlib.contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A session for one all-or-nothing write: commits on success, rolls back on any error."""
    bind = engine.execution_options(immediate=True) if engine.dialect.name == "sqlite" else engine
    with Session(bind=bind, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def _alembic_config(connection=None) -> Config:  # type: ignore[no-untyped-def]
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest migration's revision id."""
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None  # the migrations folder ships with the code
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None: never migrated)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def schema_is_current(engine: Engine) -> bool:
    """True when the database is at the newest migration (``registry db upgrade`` has nothing to do)."""
    return current_revision(engine) == head_revision()


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Bring the database to the latest schema (a fresh database is created from scratch).

    Idempotent; returns the revisions before and after.
    """
    before = current_revision(engine)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":  # several nodes starting at once migrate one after another
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7322)")
        command.upgrade(_alembic_config(conn), "head")
    return before, head_revision()


def is_empty(engine: Engine) -> bool:
    """True when the schema has no rules loaded yet (or no schema at all)."""
    if not inspect(engine).has_table("rules"):
        return True
    with engine.connect() as conn:
        return conn.exec_driver_sql("SELECT count(*) FROM rules").scalar_one() == 0
