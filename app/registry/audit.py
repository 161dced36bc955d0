"""The append-only audit log with a hash chain (SPEC §6).

Each row's ``row_hash`` is sha256 over the previous row's hash and the row's
own fields, so editing or deleting any row breaks ``verify`` from there on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.registry.models import AuditEntry

GENESIS = "0" * 64


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _digest(prev: str, e: AuditEntry) -> str:
    payload = json.dumps(
        [prev, e.at.isoformat(), e.actor, e.action, e.target, e.before_hash, e.after_hash, e.detail],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def lock(session: Session) -> None:
    """Serialise writers on PostgreSQL (SQLite writers already queue on BEGIN IMMEDIATE)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(7321)"))


def append(
    session: Session,
    *,
    actor: str,
    action: str,
    target: str,
    before: str | None = None,
    after: str | None = None,
    detail: dict | None = None,
    at: dt.datetime | None = None,
) -> AuditEntry:
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).first()
    prev = last.row_hash if last else GENESIS
    entry = AuditEntry(
        at=at or utcnow(),
        actor=actor,
        action=action,
        target=target,
        before_hash=before,
        after_hash=after,
        detail=detail,
        prev_hash=prev,
        row_hash="",
    )
    entry.row_hash = _digest(prev, entry)
    session.add(entry)
    session.flush()
    return entry


def verify(session: Session) -> tuple[int, list[str]]:
    """Check the whole chain; return (rows checked, problems)."""
    problems: list[str] = []
    prev = GENESIS
    n = 0
    for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
        n += 1
        if e.prev_hash != prev:
            problems.append(f"audit row {e.id}: prev_hash does not match row before it (a row was removed or changed)")
        if _digest(e.prev_hash, e) != e.row_hash:
            problems.append(f"audit row {e.id}: row_hash does not match its contents (the row was changed)")
        prev = e.row_hash
    return n, problems
