"""A node's search index follows the database's outbox: one cursor per index, entries applied in order.

Several app servers can share one database while each keeps its own Whoosh index
(docs/deploy.md). Every write records its index update in ``IndexOutbox`` in the
write's own transaction, after the writers' lock (``app.registry.audit.lock``), so
outbox ids grow in commit order. Each index keeps, in ``IndexCursor``, the highest
outbox id it holds; bringing it up to date means applying the entries above that
id, then moving the cursor. An entry is deleted once every index's cursor has
passed it (cursors idle for :data:`IDLE_CURSOR` no longer hold entries back); an
index whose cursor is below what was deleted, or that has no cursor or no files,
is rebuilt from the database instead.

On one node, the processes that update the same index (gunicorn workers, a
command) take turns through :func:`node_lock`, so an older state of a rule is never
applied over a newer one. :class:`Follower` is the loop each server process runs:
it brings the index up to date every ``INDEX_FOLLOW_INTERVAL`` seconds, so a write
accepted by any node is searchable on every node within that interval plus the
time to apply it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, delete, func, select, text
from sqlalchemy.exc import IntegrityError

from app.exceptions import SearchIndexError
from app.registry.db import session_factory, write_session
from app.registry.models import IndexCursor, IndexOutbox

#: the cursor row that records the highest outbox id deleted
PRUNED = "(pruned)"
#: a cursor not moved for this long no longer holds outbox entries back
IDLE_CURSOR = dt.timedelta(days=7)
#: a following index touches its cursor at least this often, to show it is alive
TOUCH_EVERY = dt.timedelta(hours=1)

_LOCK_POLL = 0.02


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def cursor_name(backend: object) -> str:
    """The cursor of this backend's index: per host and folder for a local index, else the backend's name.

    >>> class Shared:
    ...     name = "postgres"
    >>> cursor_name(Shared())
    'postgres'
    """
    path = getattr(backend, "path", None)
    name = getattr(backend, "name", type(backend).__name__)
    if path is None:
        return str(name)
    return f"{name}:{socket.gethostname()}:{Path(path).resolve()}"


@contextlib.contextmanager
def node_lock(backend: object, timeout: float | None = None) -> Iterator[None]:
    """Hold this node's update lock for the backend's index (a file lock beside a local index; an advisory lock for an index kept in PostgreSQL).

    Released by the operating system when the holder dies, so a killed worker never
    leaves it held. SearchIndexError when another holder keeps it past ``timeout``
    (default: the backend's ``lock_timeout``). An index kept in SQLite or in no database needs none.
    """
    path = getattr(backend, "path", None)
    timeout = float(timeout if timeout is not None else getattr(backend, "lock_timeout", 10.0))
    if path is None:
        shared = getattr(backend, "engine", None)
        if shared is None or shared.dialect.name != "postgresql":
            yield
            return
        with _database_lock(shared, timeout):
            yield
        return
    lock_path = Path(path).resolve().with_name(Path(path).name + ".sync.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise SearchIndexError(
                        f"the search index at {path} is being updated by another process (waited {timeout:g} s)"
                    ) from None
                time.sleep(_LOCK_POLL)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


#: PostgreSQL advisory lock key under which updates of an index kept in the database take turns
SHARED_INDEX_LOCK_KEY = 7323


@contextlib.contextmanager
def _database_lock(engine: Engine, timeout: float) -> Iterator[None]:
    """The update lock of an index kept in the database itself (every node updates the same one):
    a session-level advisory lock on a connection of its own, released when the holder dies."""
    with engine.connect() as conn:
        deadline = time.monotonic() + timeout
        while not conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": SHARED_INDEX_LOCK_KEY}).scalar():
            if time.monotonic() >= deadline:
                raise SearchIndexError(f"the search index is being updated by another node (waited {timeout:g} s)")
            time.sleep(_LOCK_POLL)
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": SHARED_INDEX_LOCK_KEY})
            conn.commit()


def position(engine: Engine, name: str) -> int | None:
    """The highest outbox id the index called ``name`` holds (None: it has never been built)."""
    with session_factory(engine)() as session:
        return session.scalar(select(IndexCursor.position).where(IndexCursor.name == name))


def latest_entry(engine: Engine) -> int:
    """The highest outbox id written so far: kept, or deleted once every index had it (0: none yet)."""
    with session_factory(engine)() as session:
        kept = session.scalar(select(func.max(IndexOutbox.id))) or 0
        deleted = session.scalar(select(IndexCursor.position).where(IndexCursor.name == PRUNED)) or 0
    return max(kept, deleted)


def must_rebuild(engine: Engine, name: str) -> bool:
    """True when the index has no cursor, or entries it has not applied were already deleted."""
    with session_factory(engine)() as session:
        rows = dict(
            session.execute(
                select(IndexCursor.name, IndexCursor.position).where(IndexCursor.name.in_([name, PRUNED]))
            ).all()
        )
    return name not in rows or rows[name] < rows.get(PRUNED, 0)


def pending(engine: Engine, after: int) -> list[IndexOutbox]:
    """The outbox entries above ``after``, in order."""
    with session_factory(engine)() as session:
        return list(session.scalars(select(IndexOutbox).where(IndexOutbox.id > after).order_by(IndexOutbox.id)))


def reserve(engine: Engine, name: str) -> None:
    """Before a rebuild: mark the index as not built (position -1), which also stops any deletion meanwhile."""
    _upsert(engine, name, -1, replace=True)


def advance(engine: Engine, name: str, to: int) -> None:
    """Record that the index ``name`` holds every outbox entry up to ``to``; delete what every index holds."""
    _upsert(engine, name, to, replace=False)


def _upsert(engine: Engine, name: str, to: int, *, replace: bool) -> None:
    for attempt in range(2):
        try:
            with write_session(engine) as session:
                row = session.get(IndexCursor, name, with_for_update=True)
                now = _now()
                if row is None:
                    session.add(IndexCursor(name=name, position=to, updated_at=now))
                elif replace or to > row.position or now - row.updated_at >= TOUCH_EVERY:
                    row.position = to if replace else max(row.position, to)
                    row.updated_at = now
                session.flush()
                _prune(session, now)
            return
        except IntegrityError:  # another process created the same cursor at the same moment
            if attempt:
                raise


def _prune(session, now: dt.datetime) -> None:  # type: ignore[no-untyped-def]
    held = session.scalar(
        select(func.min(IndexCursor.position)).where(
            IndexCursor.name != PRUNED, IndexCursor.updated_at >= now - IDLE_CURSOR
        )
    )
    if held is None:
        return
    marker = session.get(IndexCursor, PRUNED, with_for_update=True)
    if marker is not None and marker.position >= held:
        return
    session.execute(delete(IndexOutbox).where(IndexOutbox.id <= held))
    if marker is None:
        session.add(IndexCursor(name=PRUNED, position=held, updated_at=now))
    else:
        marker.position = held
        marker.updated_at = now


@dataclass(frozen=True)
class Lag:
    """How far an index is behind the outbox: entries not applied and the age of the oldest."""

    built: bool
    entries: int
    oldest_seconds: float

    def as_dict(self) -> dict:
        return {"built": self.built, "pending": self.entries, "oldest_pending_seconds": round(self.oldest_seconds, 1)}


def lag(engine: Engine, name: str) -> Lag:
    """This index's lag behind the outbox (``/readyz``)."""
    at = position(engine, name)
    with session_factory(engine)() as session:
        n, oldest = session.execute(
            select(func.count(), func.min(IndexOutbox.created_at)).where(IndexOutbox.id > (at or 0))
        ).one()
    age = max(0.0, (_now() - oldest).total_seconds()) if oldest is not None else 0.0
    return Lag(built=at is not None and at >= 0, entries=int(n), oldest_seconds=age)


class Follower:
    """Runs ``catch_up`` every ``interval`` seconds in a daemon thread until :meth:`stop`.

    ``catch_up`` is the node's "bring my index up to date" (``app.search.services.sync_index``);
    an error is logged (once per kind until it clears) and the next round tries again.
    """

    def __init__(self, catch_up: Callable[[], object], *, interval: float, logger: logging.Logger | None = None):
        self.catch_up = catch_up
        self.interval = interval
        self.log = logger or logging.getLogger(__name__)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_error: str | None = None

    def start(self) -> Follower:
        self._thread = threading.Thread(target=self._run, name="index-follower", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.round()

    def round(self) -> None:
        """One catch-up; errors are logged, never raised (the next round retries)."""
        try:
            self.catch_up()
        except Exception as err:  # a follower must outlive a database or index hiccup
            message = f"{type(err).__name__}: {err}"
            if message != self._last_error:
                self.log.warning("search index follower: %s (retrying every %gs)", message, self.interval)
            self._last_error = message
        else:
            if self._last_error is not None:
                self.log.warning("search index follower: caught up again")
            self._last_error = None
