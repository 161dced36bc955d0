"""Use cases that change the registry: load a corpus, export it, write rules and hard rules.

Every write is all-or-nothing, validated exactly like a corpus file, audited
in the same transaction, and records its pending search-index update in the
outbox (docs/decisions.md "Foundations: Index updates"). No Flask, no search imports.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from app.corpus import writer
from app.corpus.documents import (
    INNOVATION_FIELDS,
    RULE_FIELDS,
    Body,
    Corpus,
    HardRuleDocument,
    InnovationDocument,
    JurisdictionDef,
    ParameterDef,
    ParameterEntry,
    RuleDocument,
    TopicDef,
)
from app.corpus.documents import ReportedCount as ReportedCountDoc
from app.corpus.loader import References, canonical_value, parse_hard_rule, parse_rule_document
from app.corpus.quantities import stated_in
from app.corpus.schemas import SLUG_RE
from app.exceptions import Conflict, CorpusError, NotFound, PermissionDenied, Problem, ValidationError
from app.registry import audit, temporal
from app.registry.db import write_session
from app.registry.models import (
    Article,
    Chapter,
    HardRule,
    IndexOutbox,
    Innovation,
    Jurisdiction,
    Parameter,
    ParameterValue,
    ReportedCount,
    Rule,
    RuleVersion,
    Topic,
    User,
)

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


# ---------------------------------------------------------------- helpers


def _enqueue(session: Session, kind: str, target: str) -> None:
    session.add(IndexOutbox(kind=kind, target=target, created_at=audit.utcnow()))


def _fill_version(session: Session, v: RuleVersion, doc: RuleDocument, refs: References) -> None:
    """Copy a validated document into a version row (replacing articles and values)."""
    v.start = doc.start
    for name in RULE_FIELDS:
        if name not in ("applies_to", "parameters"):  # stored below, in their own shapes
            setattr(v, name, getattr(doc, name))
    v.applies_to = list(doc.applies_to) if doc.applies_to else None
    v.body = doc.body_text
    v.preamble = doc.body.preamble
    v.path = doc.path or None
    v.content_hash = writer.content_hash(writer.render_rule(doc))
    v.chapters = [
        Chapter(seq=i, chapter_id=c.id, heading=c.heading, level=c.level, path=list(c.path))
        for i, c in enumerate(doc.body.chapters)
    ]
    v.articles = [
        Article(
            seq=i,
            number=a.number,
            label=a.label,
            heading=a.heading,
            text=a.text,
            chapter_id=a.chapter,
            paragraphs=[
                {
                    "number": p.number,
                    "text": p.text,
                    "items": [{"number": it.number, "text": it.text} for it in p.items],
                }
                for p in a.paragraphs
            ],
        )
        for i, a in enumerate(doc.body.articles)
    ]
    values = []
    verified = verification(doc, refs)
    for i, p in enumerate(doc.parameters):
        pdef = refs.parameters[p.key]
        canon = canonical_value(p, pdef)
        values.append(
            ParameterValue(
                seq=i,
                key=p.key,
                scope=p.scope,
                num_value=None if isinstance(canon, bool) else canon,
                bool_value=canon if isinstance(canon, bool) else None,
                stated_value=writer.scalar(p.value),
                stated_unit=p.unit if p.unit not in (None, "") else None,
                article=p.article,
                verified_in_text=verified[i],
            )
        )
    v.parameter_values = values


def verification(doc: RuleDocument, refs: References) -> list[bool | None]:
    """Per parameter of a ``full_text`` document: is its value stated in its article's text? (SPEC §8.2)

    None for a summary (nothing official to check against) and for yes/no values (not a number).
    """
    out: list[bool | None] = []
    for p in doc.parameters:
        pdef = refs.parameters[p.key]
        article = doc.body.article(p.article) if p.article else None
        if doc.provenance != "full_text" or pdef.is_boolean or article is None:
            out.append(None)
            continue
        unit = p.unit if p.unit not in (None, "") else pdef.unit
        out.append(stated_in(article.text, float(p.value), unit))
    return out


def _parameter_def(p: Parameter) -> ParameterDef:
    return ParameterDef(p.key, p.label_zh, p.label_en, p.topic, p.unit, p.stricter, p.addressee)


def version_document(v: RuleVersion) -> RuleDocument:
    """Rebuild the document of a stored version (for export and content hashing)."""

    def _stated(s: str) -> float | bool:
        if s in ("true", "false"):
            return s == "true"
        f = float(s)
        return int(f) if f == int(f) and "." not in s and "e" not in s.lower() else f

    return RuleDocument(
        path=v.path or "",
        rule_id=v.rule_id,
        title=v.title,
        title_en=v.title_en,
        jurisdiction=v.jurisdiction,
        topic=v.topic,
        kind=v.kind,
        doc_number=v.doc_number,
        issuer=v.issuer,
        adopted=v.adopted,
        published=v.published,
        effective=v.effective,
        repealed=v.repealed,
        supersedes=v.supersedes,
        applies_to=list(v.applies_to) if v.applies_to else None,
        source_url=v.source_url,
        provenance=v.provenance,
        articles_total=v.articles_total,
        parameters=[
            ParameterEntry(p.key, _stated(p.stated_value), p.stated_unit, p.article, p.scope)
            for p in v.parameter_values
        ],
        body_text=v.body,
        body=Body(None, v.preamble, (), ()),
    )


def _innovation_doc(i: Innovation) -> InnovationDocument:
    return InnovationDocument(
        slug=i.slug,
        path=f"innovations/{i.slug}.md",
        title=i.title,
        title_en=i.title_en,
        category=i.category,
        source_url=i.source_url,
        summary=i.summary,
        year=i.year,
        batch=i.batch,
        number=i.number,
        promoted_nationally=i.promoted_nationally,
        promotion_notice=i.promotion_notice,
        promotion_date=i.promotion_date,
        related_rules=list(i.related_rules or []),
        verified=i.verified,
    )


def _hard_rule_doc(h: HardRule) -> HardRuleDocument:
    return HardRuleDocument(
        id=h.id,
        title=h.title,
        parameter=h.parameter,
        target=h.target,
        jurisdictions=list(h.jurisdictions),
        source_url=h.source_url,
        scope=h.scope,
        lead=h.lead,
        deliverable=h.deliverable,
        deadline=h.deadline,
    )


def _set_hard_rule(h: HardRule, doc: HardRuleDocument) -> None:
    h.title, h.parameter, h.scope = doc.title, doc.parameter, doc.scope
    h.target_bool = doc.target if isinstance(doc.target, bool) else None
    h.target_num = None if isinstance(doc.target, bool) else float(doc.target)
    h.jurisdictions, h.lead, h.deliverable = list(doc.jurisdictions), doc.lead, doc.deliverable
    h.deadline, h.source_url = doc.deadline, doc.source_url
    h.content_hash = writer.content_hash(writer.render_hard_rule(doc))


def references(session: Session) -> References:
    return References(
        {
            j.code: JurisdictionDef(j.code, j.name_zh, j.name_en, j.level, j.parent)
            for j in session.scalars(select(Jurisdiction))
        },
        {t.code: TopicDef(t.code, t.name_zh, t.name_en) for t in session.scalars(select(Topic))},
        {p.key: _parameter_def(p) for p in session.scalars(select(Parameter))},
    )


# ---------------------------------------------------------------- load


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


def load_corpus(engine: Engine, corpus: Corpus, *, prune: bool = False, actor: str = SYSTEM_ACTOR) -> LoadReport:
    """Make the database equal the (already validated) corpus, all or nothing (SPEC §2 "Loading")."""
    from app.corpus.loader import references_of

    refs = references_of(corpus)
    report = LoadReport()
    with write_session(engine) as session:
        audit.lock(session)
        _sync_references(session, corpus)
        seen: set[str] = set()
        for doc in corpus.rules:
            seen.add(doc.version_id)
            rule = session.get(Rule, doc.rule_id)
            if rule is None:
                rule = Rule(id=doc.rule_id, jurisdiction=doc.jurisdiction, topic=doc.topic)
                session.add(rule)
            v = session.get(RuleVersion, doc.version_id)
            new_hash = writer.content_hash(writer.render_rule(doc))
            if v is None:
                v = RuleVersion(id=doc.version_id, rule_id=doc.rule_id, created_at=audit.utcnow())
                _fill_version(session, v, doc, refs)
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
                _enqueue(session, "rule", doc.rule_id)
            elif v.content_hash != new_hash:
                before = v.content_hash
                was_repealed = v.repealed
                _fill_version(session, v, doc, refs)
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
                _enqueue(session, "rule", doc.rule_id)
            else:
                report.unchanged += 1
        session.flush()
        for v in session.scalars(select(RuleVersion).order_by(RuleVersion.id)):
            if v.id in seen:
                continue
            report.missing.append(v.id)
            if prune:
                audit.append(session, actor=actor, action="pruned", target=v.id, before=v.content_hash)
                _enqueue(session, "rule", v.rule_id)
                session.delete(v)
                report.pruned.append(v.id)
        session.flush()
        if prune:
            for rule in session.scalars(select(Rule)):
                if not rule.versions:
                    session.delete(rule)
        _load_innovations(session, corpus, prune, actor, report)
        _load_hard_rules(session, corpus, prune, actor, report)
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
    return report


def _load_innovations(session: Session, corpus: Corpus, prune: bool, actor: str, report: LoadReport) -> None:
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
        for name in (*INNOVATION_FIELDS, "summary"):
            setattr(row, name, getattr(doc, name))
        row.related_rules = list(doc.related_rules)
        row.content_hash = h
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
        _enqueue(session, "innovation", doc.slug)
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
                    detail={"revision": row.revision, "document": writer.render_innovation(_innovation_doc(row))},
                )
                session.delete(row)
                _enqueue(session, "innovation", row.slug)
    report.innovations = counts


def _load_hard_rules(session: Session, corpus: Corpus, prune: bool, actor: str, report: LoadReport) -> None:
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
        _set_hard_rule(row, doc)
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
    report.hard_rules = counts


# ---------------------------------------------------------------- export


def corpus_from_db(session: Session) -> Corpus:
    rules = []
    for v in session.scalars(select(RuleVersion).order_by(RuleVersion.rule_id, RuleVersion.start)):
        rules.append(version_document(v))
    return Corpus(
        jurisdictions=[
            JurisdictionDef(j.code, j.name_zh, j.name_en, j.level, j.parent)
            for j in session.scalars(select(Jurisdiction))
        ],
        topics=[TopicDef(t.code, t.name_zh, t.name_en) for t in session.scalars(select(Topic))],
        parameters=[_parameter_def(p) for p in session.scalars(select(Parameter))],
        rules=rules,
        innovations=[_innovation_doc(i) for i in session.scalars(select(Innovation).order_by(Innovation.slug))],
        reported_counts=[
            ReportedCountDoc(c.as_of, c.total, c.source_url, c.promoted_nationally, c.note)
            for c in session.scalars(select(ReportedCount).order_by(ReportedCount.as_of))
        ],
        hard_rules=[_hard_rule_doc(h) for h in session.scalars(select(HardRule).order_by(HardRule.id))],
    )


def export_corpus(session: Session, target: Path) -> list[str]:
    """Write the database out as a corpus (SPEC §2 "Export"); returns the files written."""
    return writer.write_corpus(corpus_from_db(session), Path(target))


# ---------------------------------------------------------------- writes through the API


def can_write(user: User, jurisdiction: str) -> bool:
    """The one rule for write permission (SPEC §6): admins everywhere, editors in their jurisdictions."""
    if user.disabled:
        return False
    if user.role == "admin":
        return True
    return user.role == "editor" and jurisdiction.upper() in {j.upper() for j in (user.jurisdictions or [])}


def _validate_new_document(session: Session, document: str, path: str, rule_id: str | None) -> RuleDocument:
    if not isinstance(document, str) or not document:
        raise CorpusError(Problem(path, "document is empty", None, "document"))
    return parse_rule_document(document.encode("utf-8"), path, references(session), rule_id=rule_id)


def add_rule(engine: Engine, user: User, document: str, slug: str | None = None) -> RuleVersion:
    """POST /rules: a new rule with its first version."""
    with write_session(engine) as session:
        audit.lock(session)
        doc = _validate_new_document(session, document, "document", None)
        if not can_write(user, doc.jurisdiction):
            raise PermissionDenied(f"user {user.name} may not write rules of {doc.jurisdiction}")
        if slug is None:
            from app.corpus.officialtext import make_slug

            slug = make_slug(doc.title, doc.title_en, doc.start.year, lambda s: False)
        if not SLUG_RE.match(slug):
            raise ValidationError("slug must match [a-z0-9-]{1,80}", fields={"slug": ["must match [a-z0-9-]{1,80}"]})
        doc.rule_id = f"{doc.jurisdiction.lower()}/{doc.topic}/{slug}"
        doc.path = f"rules/{doc.rule_id}.md"
        if session.get(Rule, doc.rule_id) is not None:
            raise Conflict(f"rule {doc.rule_id} exists; add a version to it instead")
        _check_links(session, doc)
        rule = Rule(id=doc.rule_id, jurisdiction=doc.jurisdiction, topic=doc.topic)
        session.add(rule)
        v = RuleVersion(id=doc.version_id, rule_id=doc.rule_id, created_at=audit.utcnow())
        _fill_version(session, v, doc, references(session))
        session.add(v)
        audit.append(session, actor=user.name, action="version_added", target=v.id, after=v.content_hash)
        _enqueue(session, "rule", doc.rule_id)
        return v


def _check_links(session: Session, doc: RuleDocument) -> None:
    if doc.supersedes and session.get(Rule, doc.supersedes) is None:
        raise CorpusError(
            Problem(doc.path, f"supersedes {doc.supersedes!r}, which is not a rule id", None, "supersedes")
        )


def _latest(session: Session, rule_id: str) -> tuple[Rule, RuleVersion]:
    rule = session.get(Rule, rule_id)
    if rule is None or not rule.versions:
        raise NotFound(f"no rule with id {rule_id!r}")
    return rule, rule.versions[-1]


def _check_if_match(current: RuleVersion, if_match: str | None) -> None:
    if not if_match:
        raise ValidationError("If-Match header with the current version id is required", code="precondition_required")
    if if_match.strip().strip('"') != current.id:
        raise Conflict(f"stale If-Match: the current version is {current.id}")


def add_version(engine: Engine, user: User, rule_id: str, document: str, if_match: str | None) -> RuleVersion:
    """POST /rules/<id>/versions: a new version; never overwrites a published one."""
    with write_session(engine) as session:
        audit.lock(session)
        rule, current = _latest(session, rule_id)
        if not can_write(user, rule.jurisdiction):
            raise PermissionDenied(f"user {user.name} may not write rules of {rule.jurisdiction}")
        doc = _validate_new_document(session, document, f"rules/{rule_id}@new.md", rule_id)
        if doc.jurisdiction != rule.jurisdiction or doc.topic != rule.topic:
            raise CorpusError(
                Problem(
                    doc.path,
                    f"a version must keep jurisdiction {rule.jurisdiction} and topic {rule.topic}",
                    None,
                    "jurisdiction",
                )
            )
        _check_if_match(current, if_match)
        if doc.start <= current.start:
            raise Conflict(
                f"a new version must take effect after the current one ({current.start.isoformat()}); "
                "published versions are never overwritten"
            )
        if current.repealed is not None:
            raise Conflict(f"rule {rule_id} was repealed on {current.repealed.isoformat()}; file a new rule instead")
        _check_links(session, doc)
        v = RuleVersion(id=doc.version_id, rule_id=rule_id, created_at=audit.utcnow())
        _fill_version(session, v, doc, references(session))
        v.path = f"rules/{rule_id}@{doc.start.isoformat()}.md"
        session.add(v)
        audit.append(session, actor=user.name, action="version_added", target=v.id, after=v.content_hash)
        _enqueue(session, "rule", rule_id)
        return v


def repeal_rule(engine: Engine, user: User, rule_id: str, repealed: dt.date, if_match: str | None) -> RuleVersion:
    """POST /rules/<id>/repeal: set the repeal date on the latest version."""
    with write_session(engine) as session:
        audit.lock(session)
        rule, current = _latest(session, rule_id)
        if not can_write(user, rule.jurisdiction):
            raise PermissionDenied(f"user {user.name} may not write rules of {rule.jurisdiction}")
        _check_if_match(current, if_match)
        if current.repealed is not None:
            raise Conflict(f"rule {rule_id} is already repealed (on {current.repealed.isoformat()})")
        if repealed < current.start:
            raise ValidationError(
                "repealed is before the current version took effect", fields={"repealed": ["too early"]}
            )
        before = current.content_hash
        doc = version_document(current)
        doc.repealed = repealed
        current.repealed = repealed
        current.content_hash = writer.content_hash(writer.render_rule(doc))
        audit.append(
            session,
            actor=user.name,
            action="repealed",
            target=current.id,
            before=before,
            after=current.content_hash,
            detail={"repealed": repealed.isoformat()},
        )
        _enqueue(session, "rule", rule_id)
        return current


def put_hard_rule(
    engine: Engine, user: User, hard_rule_id: str, data: dict, if_match: str | None
) -> tuple[HardRule, bool]:
    """PUT /hard-rules/<id>: create or replace a hard rule (admins only). Returns (row, created)."""
    if user.role != "admin" or user.disabled:
        raise PermissionDenied("only admins may write hard rules")
    with write_session(engine) as session:
        audit.lock(session)
        doc = parse_hard_rule(data, {}, f"hard_rules/{hard_rule_id}.yaml", references(session), hard_rule_id)
        row = session.get(HardRule, hard_rule_id)
        created = row is None
        before = None
        if row is not None:
            if not if_match:
                raise ValidationError(
                    "If-Match with the current revision is required to replace a hard rule",
                    code="precondition_required",
                )
            if if_match.strip().strip('"') != str(row.revision):
                raise Conflict(f"stale If-Match: the current revision is {row.revision}")
            before = row.content_hash
            row.revision += 1
        else:
            row = HardRule(id=hard_rule_id, revision=1)
        _set_hard_rule(row, doc)
        session.add(row)
        audit.append(
            session,
            actor=user.name,
            action="hard_rule_" + ("added" if created else "corrected"),
            target=f"hard-rule:{hard_rule_id}",
            before=before,
            after=row.content_hash,
        )
        return row, created


def in_force_version(rule: Rule, on: dt.date) -> RuleVersion | None:
    return temporal.in_force(rule.versions, on)


__all__ = [
    "LoadReport",
    "add_rule",
    "add_version",
    "can_write",
    "corpus_from_db",
    "export_corpus",
    "load_corpus",
    "put_hard_rule",
    "references",
    "repeal_rule",
    "version_document",
]


# ``registry import`` (official texts → corpus documents) lives in app/registry/imports.py.
