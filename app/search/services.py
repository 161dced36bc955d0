"""Search use cases: answer a search, and keep the index in step with the database.

Each takes its dependencies as arguments (a session or an engine, and a
:class:`app.search.interfaces.SearchBackend`) and reads no Flask globals, so
the API, the pages and the command line call them alike.

The database is the source of truth: writes record their pending index update
in the outbox in the same transaction; ``sync_index`` applies the entries this
index has not applied yet (its cursor, ``app.search.follower``) in one commit,
``rebuild_index`` starts over, ``check_index`` compares and repairs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, selectinload

from app.corpus import validity
from app.corpus.structure import article_id
from app.registry import repository
from app.registry.db import session_factory
from app.registry.models import Innovation, Rule, RuleVersion
from app.search import follower
from app.search.documents import ArticleDoc, InnovationDoc, content_hash, doc_key
from app.search.interfaces import IndexChanges, SearchBackend, SearchRequest

# ---------------------------------------------------------------- searching


def run_search(
    session: Session,
    backend: SearchBackend,
    *,
    q: str | None,
    jurisdictions: Iterable[str | None],
    topic: str | None,
    kind: str | None,
    as_of: dt.date,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = 20,
) -> dict:
    """The ``GET /search`` body (SPEC §4): codes checked against the registry, then one backend search."""
    codes = [repository.check_code(session, j) for j in jurisdictions if j]
    request = SearchRequest(
        q=q or "",
        jurisdictions=[c for c in codes if c],
        topic=repository.check_code(session, topic, "topic"),
        kind=kind,
        as_of=as_of,
        sort=sort,
        page=page,
        per_page=per_page,
    )
    return backend.search(request).to_dict()


# ---------------------------------------------------------------- documents from stored rows


def rule_docs(rule: Rule) -> list[ArticleDoc]:
    """Every version of a rule as search documents: one title doc plus one per article."""
    out: list[ArticleDoc] = []
    for v, start, end in validity.intervals(rule.versions):
        common = {
            "rule_id": rule.id,
            "version": v.id,
            "title": v.title,
            "title_en": v.title_en or "",
            "doc_number": v.doc_number or "",
            "jurisdiction": v.jurisdiction,
            "topic": v.topic,
            "kind": v.kind,
            "year": v.start.year,
            "valid_from": start,
            "valid_to": end,
            "binds": v.binds,
        }
        out.append(ArticleDoc(article_id=None, article_label="", text="", **common))
        for a in v.articles:
            text = f"{a.heading}\n{a.text}" if a.heading else a.text
            out.append(ArticleDoc(article_id=article_id(rule.id, a.number), article_label=a.label, text=text, **common))
    return out


def innovation_doc(i: Innovation) -> InnovationDoc:
    return InnovationDoc(
        slug=i.slug,
        title=i.title,
        title_en=i.title_en or "",
        category=i.category,
        year=i.year or 0,
        promoted=bool(i.promoted_nationally),
        text=i.summary,
    )


def all_docs(session: Session) -> tuple[list[ArticleDoc], list[InnovationDoc]]:
    """Every document the index should hold, from the database."""
    rules = session.scalars(
        select(Rule).order_by(Rule.id).options(selectinload(Rule.versions).selectinload(RuleVersion.articles))
    )
    docs = [d for r in rules if r.versions for d in rule_docs(r)]
    inns = [innovation_doc(i) for i in session.scalars(select(Innovation).order_by(Innovation.slug))]
    return docs, inns


def _load_rule(session: Session, rule_id: str) -> Rule | None:
    return session.scalars(
        select(Rule).where(Rule.id == rule_id).options(selectinload(Rule.versions).selectinload(RuleVersion.articles))
    ).first()


def _changes(session: Session, rule_ids: Iterable[str], slugs: Iterable[str]) -> IndexChanges:
    """The current state of these rules and innovations, as index changes (a gone one is removed)."""
    changes = IndexChanges()
    for rid in sorted(set(rule_ids)):
        rule = _load_rule(session, rid)
        if rule is None or not rule.versions:
            changes.remove_rule(rid)
        else:
            changes.index_rule(rid, rule_docs(rule))
    for slug in sorted(set(slugs)):
        inn = session.get(Innovation, slug)
        if inn is None:
            changes.remove_innovation(slug)
        else:
            changes.index_innovation(innovation_doc(inn))
    return changes


# ---------------------------------------------------------------- keeping the index up to date


def sync_index(engine: Engine, backend: SearchBackend) -> int:
    """Apply the outbox entries this index has not applied yet, in one commit; returns how many rules/innovations changed.

    Each index keeps its own cursor (``app.search.follower``), so several nodes with their
    own index follow one database. An index that was never built, lost its files, or fell
    behind what the outbox still keeps is rebuilt instead (the number of documents is returned).
    A backend that cannot write (e.g. its lock is held past its timeout) raises
    SearchIndexError and the cursor stays where it was, so the next sync retries.
    """
    name = follower.cursor_name(backend)
    with follower.node_lock(backend):
        if not backend.exists() or follower.must_rebuild(engine, name):
            return _rebuild(engine, backend, name)
        at = follower.position(engine, name) or 0
        if follower.latest_entry(engine) <= at:
            return 0
        entries = follower.pending(engine, at)
        if not entries:
            return 0
        with session_factory(engine)() as session:
            changes = _changes(
                session,
                (p.target for p in entries if p.kind == "rule"),
                (p.target for p in entries if p.kind != "rule"),
            )
        backend.apply(changes)
        follower.advance(engine, name, entries[-1].id)
        return len(changes)


def _rebuild(
    engine: Engine, backend: SearchBackend, name: str, progress: Callable[[int, int], None] | None = None
) -> int:
    follower.reserve(engine, name)  # no outbox entry is deleted while this index is being built
    upto = follower.latest_entry(engine)  # read before the documents: what they hold includes it
    with session_factory(engine)() as session:
        docs, inns = all_docs(session)
    if progress is None:
        n = backend.rebuild(docs, inns)
    else:
        total = len(docs) + len(inns)
        n = backend.rebuild(docs, inns, progress=lambda done: progress(done, total))
    follower.advance(engine, name, upto)
    return n


def rebuild_index(engine: Engine, backend: SearchBackend, progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild the whole index from the database and move its outbox cursor. Returns the number of documents.

    ``progress(done, total)`` is called as documents are indexed (``registry index --rebuild``'s bar).
    """
    name = follower.cursor_name(backend)
    with follower.node_lock(backend):
        return _rebuild(engine, backend, name, progress)


@dataclass
class Drift:
    """Documents by key (:func:`app.search.documents.doc_key`) where the index and the database differ."""

    missing: list[str] = field(default_factory=list)  # in the database, not in the index
    stale: list[str] = field(default_factory=list)  # in both, content differs
    extra: list[str] = field(default_factory=list)  # in the index, not in the database

    @property
    def total(self) -> int:
        return len(self.missing) + len(self.stale) + len(self.extra)

    def as_dict(self) -> dict:
        return {"missing": self.missing, "stale": self.stale, "extra": self.extra, "total": self.total}


def check_index(engine: Engine, backend: SearchBackend, *, repair: bool = True) -> Drift:
    """Compare the index with the database by key and content hash; repair any drift (one commit)."""
    with session_factory(engine)() as session:
        docs, inns = all_docs(session)
    expected = {doc_key(d): content_hash(d) for d in [*docs, *inns]}
    actual = backend.fingerprints()
    drift = Drift(
        missing=sorted(k for k in expected if k not in actual),
        stale=sorted(k for k in expected if k in actual and actual[k] != expected[k]),
        extra=sorted(k for k in actual if k not in expected),
    )
    if drift.total and repair:
        keys = [*drift.missing, *drift.stale, *drift.extra]
        with session_factory(engine)() as session:
            changes = _changes(
                session,
                (k.split("@", 1)[0] for k in keys if not k.startswith("innovation:")),
                (k.split(":", 1)[1] for k in keys if k.startswith("innovation:")),
            )
        with follower.node_lock(backend):
            backend.apply(changes)
    return drift


def bring_index_up_to_date(
    engine: Engine, backend: SearchBackend, progress: Callable[[int, int], None] | None = None
) -> tuple[str, int]:
    """Build the index when there is none, else apply the outbox: ``("built", documents)`` or
    ``("synced", n)``. ``progress`` follows a build (see ``rebuild_index``)."""
    if not backend.exists() or follower.must_rebuild(engine, follower.cursor_name(backend)):
        return "built", rebuild_index(engine, backend, progress)
    return "synced", sync_index(engine, backend)


def index_lag(engine: Engine, backend: SearchBackend) -> follower.Lag:
    """How far this node's index is behind the outbox (``/readyz``)."""
    return follower.lag(engine, follower.cursor_name(backend))
