"""Load a validated corpus into the registry, and export the registry as a corpus (SPEC §2).

``load_corpus`` makes the database equal the corpus inside the caller's transaction (the caller
owns it: ``with write_session(engine) as s: load_corpus(s, corpus)``), auditing every change and
recording index updates in the outbox. ``export_corpus`` writes the database out as files that
load back to the same content hashes. No Flask, no search imports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.corpus import writer
from app.corpus.documents import Corpus
from app.corpus.documents import ReportedCount as ReportedCountDoc
from app.corpus.loader import references_of
from app.registry import audit, mapping, outbox
from app.registry.models import HardRule, Innovation, Jurisdiction, Parameter, ReportedCount, Rule, RuleVersion, Topic

SYSTEM_ACTOR = "registry load"


@dataclass
class LoadReport:
    added: list[str] = field(default_factory=list)  # version ids
    corrected: list[str] = field(default_factory=list)
    unchanged: int = 0
    missing: list[str] = field(default_factory=list)  # versions in the db whose files are gone
    pruned: list[str] = field(default_factory=list)
    innovations: dict[str, int] = field(default_factory=dict)
    hard_rules: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "versions_added": len(self.added),
            "versions_corrected": len(self.corrected),
            "versions_unchanged": self.unchanged,
            "versions_missing_from_corpus": self.missing,
            "versions_pruned": self.pruned,
            "innovation_changes": self.innovations,
            "hard_rule_changes": self.hard_rules,
        }


def load_corpus(
    session: Session,
    corpus: Corpus,
    *,
    prune: bool = False,
    actor: str = SYSTEM_ACTOR,
    progress: Callable[[int, int], None] | None = None,
) -> LoadReport:
    """Make the database equal the (already validated) corpus (SPEC §2 "Loading").

    All or nothing when the caller commits only on success (``write_session`` does).
    ``progress(done, total)`` is called after each rule version, then after the innovations and
    after the hard rules (``total`` = versions + 2).
    """
    total = len(corpus.rules) + 2
    step = progress or (lambda _done, _total: None)
    refs = references_of(corpus)
    report = LoadReport()
    audit.lock(session)
    _sync_references(session, corpus)
    seen: set[str] = set()
    for done, doc in enumerate(corpus.rules):
        step(done, total)
        seen.add(doc.version_id)
        rule = session.get(Rule, doc.rule_id)
        if rule is None:
            rule = Rule(id=doc.rule_id, jurisdiction=doc.jurisdiction, topic=doc.topic)
            session.add(rule)
        v = session.get(RuleVersion, doc.version_id)
        new_hash = writer.content_hash(writer.render_rule(doc))
        if v is None:
            v = RuleVersion(id=doc.version_id, rule_id=doc.rule_id, created_at=audit.utcnow())
            mapping.fill_version(v, doc, refs)
            session.add(v)
            audit.append(
                session,
                actor=actor,
                action="version_added",
                target=doc.version_id,
                after=new_hash,
                detail={"path": doc.path},
            )
            report.added.append(doc.version_id)
            outbox.enqueue(session, "rule", doc.rule_id)
        elif v.content_hash != new_hash:
            before = v.content_hash
            was_repealed = v.repealed
            mapping.fill_version(v, doc, refs)
            action = "repealed" if doc.repealed and not was_repealed else "corrected"
            audit.append(
                session,
                actor=actor,
                action=action,
                target=doc.version_id,
                before=before,
                after=new_hash,
                detail={"path": doc.path},
            )
            report.corrected.append(doc.version_id)
            outbox.enqueue(session, "rule", doc.rule_id)
        else:
            report.unchanged += 1
    session.flush()
    for v in session.scalars(select(RuleVersion).order_by(RuleVersion.id)):
        if v.id in seen:
            continue
        report.missing.append(v.id)
        if prune:
            audit.append(session, actor=actor, action="pruned", target=v.id, before=v.content_hash)
            outbox.enqueue(session, "rule", v.rule_id)
            session.delete(v)
            report.pruned.append(v.id)
    session.flush()
    if prune:
        for rule in session.scalars(select(Rule)):
            if not rule.versions:
                session.delete(rule)
    step(len(corpus.rules), total)
    report.innovations = _load_innovations(session, corpus, prune, actor)
    step(len(corpus.rules) + 1, total)
    report.hard_rules = _load_hard_rules(session, corpus, prune, actor)
    session.execute(delete(ReportedCount))
    for c in corpus.reported_counts:
        session.add(
            ReportedCount(
                as_of=c.as_of,
                total=c.total,
                promoted_nationally=c.promoted_nationally,
                source_url=c.source_url,
                note=c.note,
            )
        )
    session.flush()
    step(total, total)
    return report


def _sync_references(session: Session, corpus: Corpus) -> None:
    for j in corpus.jurisdictions:
        row = session.get(Jurisdiction, j.code) or Jurisdiction(code=j.code)
        row.name_zh, row.name_en, row.level, row.parent = j.name_zh, j.name_en, j.level, j.parent
        session.add(row)
    for t in corpus.topics:
        row = session.get(Topic, t.code) or Topic(code=t.code)
        row.name_zh, row.name_en = t.name_zh, t.name_en
        session.add(row)
    for p in corpus.parameters:
        row = session.get(Parameter, p.key) or Parameter(key=p.key)
        row.label_zh, row.label_en, row.topic, row.unit, row.stricter, row.addressee = (
            p.label_zh,
            p.label_en,
            p.topic,
            p.unit,
            p.stricter,
            p.addressee,
        )
        session.add(row)
    session.flush()


def _load_innovations(session: Session, corpus: Corpus, prune: bool, actor: str) -> dict[str, int]:
    counts = {"added": 0, "corrected": 0, "unchanged": 0, "missing": 0}
    seen = set()
    for doc in corpus.innovations:
        seen.add(doc.slug)
        h = writer.content_hash(writer.render_innovation(doc))
        row = session.get(Innovation, doc.slug)
        if row is not None and row.content_hash == h:
            counts["unchanged"] += 1
            continue
        before = row.content_hash if row else None
        row = row or Innovation(slug=doc.slug)
        mapping.fill_innovation(row, doc)
        row.revision = row.revision + 1 if before else 1
        session.add(row)
        audit.append(
            session,
            actor=actor,
            action="innovation_" + ("corrected" if before else "added"),
            target=f"innovation:{doc.slug}",
            before=before,
            after=h,
        )
        counts["corrected" if before else "added"] += 1
        outbox.enqueue(session, "innovation", doc.slug)
    for row in session.scalars(select(Innovation)):
        if row.slug not in seen:
            counts["missing"] += 1
            if prune:
                audit.append(
                    session,
                    actor=actor,
                    action="innovation_pruned",
                    target=f"innovation:{row.slug}",
                    before=row.content_hash,
                    detail={
                        "revision": row.revision,
                        "document": writer.render_innovation(mapping.innovation_document(row)),
                    },
                )
                session.delete(row)
                outbox.enqueue(session, "innovation", row.slug)
    return counts


def _load_hard_rules(session: Session, corpus: Corpus, prune: bool, actor: str) -> dict[str, int]:
    counts = {"added": 0, "corrected": 0, "unchanged": 0, "missing": 0}
    seen = set()
    for doc in corpus.hard_rules:
        seen.add(doc.id)
        row = session.get(HardRule, doc.id)
        h = writer.content_hash(writer.render_hard_rule(doc))
        if row is not None and row.content_hash == h:
            counts["unchanged"] += 1
            continue
        before = row.content_hash if row else None
        if row is None:
            row = HardRule(id=doc.id, revision=1)
        else:
            row.revision += 1
        mapping.fill_hard_rule(row, doc)
        session.add(row)
        audit.append(
            session,
            actor=actor,
            action="hard_rule_" + ("corrected" if before else "added"),
            target=f"hard-rule:{doc.id}",
            before=before,
            after=h,
        )
        counts["corrected" if before else "added"] += 1
    for row in session.scalars(select(HardRule)):
        if row.id not in seen:
            counts["missing"] += 1
            if prune:
                session.delete(row)
    return counts


def corpus_from_db(session: Session) -> Corpus:
    """The whole registry as a corpus (documents in a stable order)."""
    return Corpus(
        jurisdictions=[mapping.jurisdiction_def(j) for j in session.scalars(select(Jurisdiction))],
        topics=[mapping.topic_def(t) for t in session.scalars(select(Topic))],
        parameters=[mapping.parameter_def(p) for p in session.scalars(select(Parameter))],
        rules=[
            mapping.version_document(v)
            for v in session.scalars(select(RuleVersion).order_by(RuleVersion.rule_id, RuleVersion.start))
        ],
        innovations=[
            mapping.innovation_document(i) for i in session.scalars(select(Innovation).order_by(Innovation.slug))
        ],
        reported_counts=[
            ReportedCountDoc(c.as_of, c.total, c.source_url, c.promoted_nationally, c.note)
            for c in session.scalars(select(ReportedCount).order_by(ReportedCount.as_of))
        ],
        hard_rules=[mapping.hard_rule_document(h) for h in session.scalars(select(HardRule).order_by(HardRule.id))],
    )


def export_corpus(session: Session, target: Path) -> list[str]:
    """Write the database out as a corpus (SPEC §2 "Export"); returns the files written."""
    return writer.write_corpus(corpus_from_db(session), Path(target))
