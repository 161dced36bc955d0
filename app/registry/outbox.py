"""The search-index outbox: every write records, in its own transaction, what the index must redo.

The registry never imports search (docs/decisions.md "Registry use cases"); whoever maintains the
index reads and clears ``IndexOutbox`` after the write commits.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.registry import audit
from app.registry.models import IndexOutbox

Kind = Literal["rule", "innovation"]


def enqueue(session: Session, kind: Kind, target: str) -> None:
    """Record that the rule (by rule id) or innovation (by slug) ``target`` must be re-indexed."""
    session.add(IndexOutbox(kind=kind, target=target, created_at=audit.utcnow()))


#: PostgreSQL advisory lock key that serialises index syncs (writers use ``audit.lock``'s key).
SYNC_LOCK_KEY = 7322


def hold_sync_lock(session: Session) -> None:
    """Hold, until ``session``'s transaction ends, the lock that lets one index sync run at a time.

    PostgreSQL: a transaction-level advisory lock of its own, so writers are not held up.
    SQLite: the write session's ``BEGIN IMMEDIATE`` already is that lock (one writer at a time).
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SYNC_LOCK_KEY})
