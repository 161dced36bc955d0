"""The search-index outbox: every write records, in its own transaction, what the index must redo.

The registry never imports search (docs/decisions.md "Registry use cases"); whoever maintains the
index follows ``IndexOutbox`` after the write commits, each index by its own cursor
(``app.search.follower``).
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy.orm import Session

from app.registry import audit
from app.registry.models import IndexOutbox

Kind = Literal["rule", "innovation"]


def enqueue(session: Session, kind: Kind, target: str) -> None:
    """Record that the rule (by rule id) or innovation (by slug) ``target`` must be re-indexed."""
    session.add(IndexOutbox(kind=kind, target=target, created_at=audit.utcnow()))
