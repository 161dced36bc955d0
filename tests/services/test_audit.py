"""The audit log's hash chain at the service level: it verifies, and any tampering is found."""

from __future__ import annotations

from sqlalchemy import text

from app.registry import audit
from app.registry.models import AuditEntry


def test_chain_of_the_loaded_registry_verifies(session):
    n, problems = audit.verify(session)
    assert n == session.query(AuditEntry).count() > 0
    assert problems == []


def test_appended_rows_chain_to_the_last(session):
    last = session.query(AuditEntry).order_by(AuditEntry.id.desc()).first()
    e = audit.append(session, actor="tester", action="note", target="x")
    assert e.prev_hash == last.row_hash and len(e.row_hash) == 64
    assert audit.verify(session)[1] == []


def test_changed_row_is_detected(session):
    first = session.query(AuditEntry).order_by(AuditEntry.id).first()
    session.execute(text("UPDATE audit_log SET actor = 'someone-else' WHERE id = :id"), {"id": first.id})
    session.expire_all()
    assert audit.verify(session)[1] == [
        f"audit row {first.id}: row_hash does not match its contents (the row was changed)"
    ]


def test_removed_row_is_detected(session):
    ids = [e.id for e in session.query(AuditEntry).order_by(AuditEntry.id)]
    session.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": ids[1]})
    session.expire_all()
    assert audit.verify(session)[1] == [
        f"audit row {ids[2]}: prev_hash does not match row before it (a row was removed or changed)"
    ]
