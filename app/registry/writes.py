"""The registry's writes through the API and the site: new rule, new version, repeal, hard rule.

Each use case takes the caller's session and changes nothing outside it; the caller owns the
transaction (``with write_session(engine) as s: add_rule(s, user, document)``), so a refusal
raised here leaves nothing written. Every document is validated exactly like a corpus file,
every change is audited and records its search-index update in the outbox. Permission is
checked before the document is looked at (``accounts.permissions``). No Flask, no search imports.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from app.accounts.permissions import check_can_bind, check_can_write, check_can_write_hard_rules
from app.corpus import writer
from app.corpus.documents import RuleDocument
from app.corpus.loader import parse_hard_rule, parse_rule_document
from app.corpus.officialtext import make_slug
from app.corpus.slugs import SLUG_ERROR, SLUG_RE
from app.exceptions import Conflict, CorpusError, NotFound, ValidationError, problem
from app.registry import audit, mapping, outbox
from app.registry.models import HardRule, Rule, RuleVersion, User


def add_rule(session: Session, user: User, document: str, slug: str | None = None) -> RuleVersion:
    """POST /rules: a new rule with its first version; the slug defaults to one made from the title."""
    audit.lock(session)
    doc = _parse_document(session, document, "document", None)
    check_can_bind(user, doc.jurisdiction, doc.applies_to)
    if slug is None:
        slug = make_slug(doc.title, doc.title_en, doc.start.year, lambda s: False)
    if not SLUG_RE.match(slug):
        raise ValidationError(f"slug {SLUG_ERROR}", fields={"slug": [SLUG_ERROR]})
    doc.rule_id = f"{doc.jurisdiction.lower()}/{doc.topic}/{slug}"
    doc.path = f"rules/{doc.rule_id}.md"
    if session.get(Rule, doc.rule_id) is not None:
        raise Conflict(f"rule {doc.rule_id} exists; add a version to it instead")
    _check_links(session, doc)
    session.add(Rule(id=doc.rule_id, jurisdiction=doc.jurisdiction, topic=doc.topic))
    v = RuleVersion(id=doc.version_id, rule_id=doc.rule_id, created_at=audit.utcnow())
    mapping.fill_version(v, doc, mapping.references(session))
    session.add(v)
    audit.append(session, actor=user.name, action="version_added", target=v.id, after=v.content_hash)
    outbox.enqueue(session, "rule", doc.rule_id)
    session.flush()
    return v


def add_version(session: Session, user: User, rule_id: str, document: str, if_match: str | None) -> RuleVersion:
    """POST /rules/<id>/versions: a new version taking effect after the current one; never overwrites one."""
    audit.lock(session)
    rule, current = _latest(session, rule_id)
    check_can_write(user, rule.jurisdiction)
    doc = _parse_document(session, document, f"rules/{rule_id}@new.md", rule_id)
    # the new version binds its applies_to; it also stops binding what the current one bound
    check_can_bind(user, rule.jurisdiction, [*(current.applies_to or []), *(doc.applies_to or [])])
    if doc.jurisdiction != rule.jurisdiction or doc.topic != rule.topic:
        raise CorpusError(
            problem(
                doc.path,
                "a version must keep jurisdiction %(jurisdiction)s and topic %(topic)s",
                None,
                "jurisdiction",
                jurisdiction=rule.jurisdiction,
                topic=rule.topic,
            )
        )
    _check_if_match(current, if_match)
    if doc.start <= current.start:
        raise Conflict.of(
            "a new version must take effect after the current one (%(date)s); published versions are never overwritten",
            date=current.start.isoformat(),
        )
    if current.repealed is not None:
        raise Conflict.of(
            "rule %(id)s was repealed on %(date)s; file a new rule instead",
            id=rule_id,
            date=current.repealed.isoformat(),
        )
    _check_links(session, doc)
    v = RuleVersion(id=doc.version_id, rule_id=rule_id, created_at=audit.utcnow())
    mapping.fill_version(v, doc, mapping.references(session))
    v.path = f"rules/{rule_id}@{doc.start.isoformat()}.md"
    session.add(v)
    audit.append(session, actor=user.name, action="version_added", target=v.id, after=v.content_hash)
    outbox.enqueue(session, "rule", rule_id)
    session.flush()
    return v


def repeal_rule(session: Session, user: User, rule_id: str, repealed: dt.date, if_match: str | None) -> RuleVersion:
    """POST /rules/<id>/repeal: set the repeal date on the latest version."""
    audit.lock(session)
    rule, current = _latest(session, rule_id)
    check_can_bind(user, rule.jurisdiction, current.applies_to)  # repealing unbinds them
    _check_if_match(current, if_match)
    if current.repealed is not None:
        raise Conflict.of(
            "rule %(id)s is already repealed (on %(date)s)", id=rule_id, date=current.repealed.isoformat()
        )
    if repealed < current.start:
        raise ValidationError.of(
            "repealed is before the current version took effect", fields={"repealed": ["too early"]}
        )
    before = current.content_hash
    doc = mapping.version_document(current)
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
    outbox.enqueue(session, "rule", rule_id)
    session.flush()
    return current


def put_hard_rule(
    session: Session, user: User, hard_rule_id: str, data: dict, if_match: str | None
) -> tuple[HardRule, bool]:
    """PUT /hard-rules/<id>: create or replace a hard rule (admins only). Returns (row, created)."""
    check_can_write_hard_rules(user)
    audit.lock(session)
    doc = parse_hard_rule(data, {}, f"hard_rules/{hard_rule_id}.yaml", mapping.references(session), hard_rule_id)
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
    mapping.fill_hard_rule(row, doc)
    session.add(row)
    audit.append(
        session,
        actor=user.name,
        action="hard_rule_" + ("added" if created else "corrected"),
        target=f"hard-rule:{hard_rule_id}",
        before=before,
        after=row.content_hash,
    )
    session.flush()
    return row, created


def _parse_document(session: Session, document: str, path: str, rule_id: str | None) -> RuleDocument:
    if not isinstance(document, str) or not document:
        raise CorpusError(problem(path, "document is empty", None, "document"))
    return parse_rule_document(document.encode("utf-8"), path, mapping.references(session), rule_id=rule_id)


def _check_links(session: Session, doc: RuleDocument) -> None:
    if doc.supersedes and session.get(Rule, doc.supersedes) is None:
        raise CorpusError(
            problem(doc.path, "supersedes %(id)r, which is not a rule id", None, "supersedes", id=doc.supersedes)
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
        raise Conflict.of("stale If-Match: the current version is %(id)s", id=current.id)
