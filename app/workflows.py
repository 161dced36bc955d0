"""Use cases that span the registry and the search index (every arrow points down).

The database is the source of truth: writes record their pending index update
in the outbox in the same transaction; ``sync_index`` applies them with one
writer, ``rebuild_index`` starts over, ``check_index`` compares and repairs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session, selectinload

from app.corpus.structure import article_id
from app.diff import (
    RuleSide,
    SideArticle,
    SideParameter,
    compare_rules,
    diff_rules,
    with_compare_sides,
    with_diff_sides,
)
from app.registry import temporal
from app.registry.db import session_factory, write_session
from app.registry.models import IndexOutbox, Innovation, Parameter, Rule, RuleVersion
from app.search.documents import ArticleDoc, InnovationDoc, content_hash, doc_key
from app.search.indexer import SearchIndex


def rule_docs(rule: Rule) -> list[ArticleDoc]:
    """Every version of a rule as search documents: one title doc plus one per article."""
    out: list[ArticleDoc] = []
    for v, start, end in temporal.validity(rule.versions):
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
            out.append(ArticleDoc(article_id=f"{rule.id}#art-{a.number}", article_label=a.label, text=text, **common))
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


def _load_rule(session: Session, rule_id: str) -> Rule | None:
    return session.scalars(
        select(Rule).where(Rule.id == rule_id).options(selectinload(Rule.versions).selectinload(RuleVersion.articles))
    ).first()


def sync_index(engine: Engine, index_path: Path, *, lock_timeout: float = 10.0) -> int:
    """Apply every pending outbox entry to the index; returns how many were applied.

    Waits at most ``lock_timeout`` seconds for the index's single writer lock (SearchIndexError after).
    """
    index = SearchIndex(index_path, lock_timeout=lock_timeout).open()
    Session_ = session_factory(engine)
    with Session_() as session:
        pending = list(session.scalars(select(IndexOutbox).order_by(IndexOutbox.id)))
        if not pending:
            return 0
        targets = {(p.kind, p.target) for p in pending}
        with index.batch() as batch:
            for kind, target in sorted(targets):
                if kind == "rule":
                    rule = _load_rule(session, target)
                    if rule is None or not rule.versions:
                        batch.delete_rule(target)
                    else:
                        batch.replace_rule(target, rule_docs(rule))
                else:
                    inn = session.get(Innovation, target)
                    if inn is None:
                        batch.delete_innovation(target)
                    else:
                        batch.replace_innovation(innovation_doc(inn))
        last = pending[-1].id
    with write_session(engine) as session:
        session.execute(delete(IndexOutbox).where(IndexOutbox.id <= last))
    return len(targets)


def all_docs(session: Session) -> tuple[list[ArticleDoc], list[InnovationDoc]]:
    rules = session.scalars(
        select(Rule).order_by(Rule.id).options(selectinload(Rule.versions).selectinload(RuleVersion.articles))
    )
    docs = [d for r in rules if r.versions for d in rule_docs(r)]
    inns = [innovation_doc(i) for i in session.scalars(select(Innovation).order_by(Innovation.slug))]
    return docs, inns


def rebuild_index(engine: Engine, index_path: Path) -> int:
    """Rebuild the whole index from the database; clears the outbox it covers."""
    with session_factory(engine)() as session:
        last = session.scalar(select(IndexOutbox.id).order_by(IndexOutbox.id.desc()).limit(1))
        docs, inns = all_docs(session)
    n = SearchIndex(index_path).rebuild(docs, inns)
    if last is not None:
        with write_session(engine) as session:
            session.execute(delete(IndexOutbox).where(IndexOutbox.id <= last))
    return n


@dataclass
class Drift:
    missing: list[str] = field(default_factory=list)  # in the database, not in the index
    stale: list[str] = field(default_factory=list)  # in both, content differs
    extra: list[str] = field(default_factory=list)  # in the index, not in the database

    @property
    def total(self) -> int:
        return len(self.missing) + len(self.stale) + len(self.extra)

    def as_dict(self) -> dict:
        return {"missing": self.missing, "stale": self.stale, "extra": self.extra, "total": self.total}


def check_index(engine: Engine, index_path: Path, *, repair: bool = True) -> Drift:
    """Compare the index with the database by key and content hash; repair any drift."""
    with session_factory(engine)() as session:
        docs, inns = all_docs(session)
    expected = {doc_key(d): content_hash(d) for d in [*docs, *inns]}
    index = SearchIndex(index_path)
    actual = index.open().fingerprints()
    drift = Drift(
        missing=sorted(k for k in expected if k not in actual),
        stale=sorted(k for k in expected if k in actual and actual[k] != expected[k]),
        extra=sorted(k for k in actual if k not in expected),
    )
    if drift.total and repair:
        rules = {
            k.split("@", 1)[0] for k in [*drift.missing, *drift.stale, *drift.extra] if not k.startswith("innovation:")
        }
        slugs = {
            k.split(":", 1)[1] for k in [*drift.missing, *drift.stale, *drift.extra] if k.startswith("innovation:")
        }
        with session_factory(engine)() as session, index.batch() as batch:
            for rid in sorted(rules):
                rule = _load_rule(session, rid)
                if rule is None or not rule.versions:
                    batch.delete_rule(rid)
                else:
                    batch.replace_rule(rid, rule_docs(rule))
            for slug in sorted(slugs):
                inn = session.get(Innovation, slug)
                if inn is None:
                    batch.delete_innovation(slug)
                else:
                    batch.replace_innovation(innovation_doc(inn))
    return drift


# ---------------------------------------------------------------- diff and compare over stored rules


def rule_side(session: Session, ident: str, as_of) -> RuleSide:  # type: ignore[no-untyped-def]
    """A stored rule version as the diff engine sees it (bare ids resolve on ``as_of``)."""
    from app.registry.repository import resolve_version

    rule, v = resolve_version(session, ident, as_of)
    units = {p.key: p.unit for p in session.scalars(select(Parameter))}
    return RuleSide(
        id=rule.id,
        version=v.id,
        title=v.title,
        articles=[
            SideArticle(
                id=f"{rule.id}#art-{a.number}",
                number=a.number,
                label=a.label,
                text=f"{a.heading}\n{a.text}" if a.heading else a.text,
            )
            for a in v.articles
        ],
        parameters=[
            SideParameter(
                key=p.key,
                scope=p.scope,
                value=p.value,
                unit=units.get(p.key),
                article_id=article_id(rule.id, p.article),
            )
            for p in v.parameter_values
        ],
        provenance=v.provenance,
        articles_total=v.articles_total,
    )


def diff_sides(a: RuleSide, b: RuleSide) -> dict:
    """``/diff`` of two sides, with whether they are versions of one rule and their provenance."""
    return with_diff_sides(diff_rules(a, b), a, b)


def compare_sides(baseline: RuleSide, others: list[RuleSide]) -> dict:
    """``/compare`` of sides, with each side's provenance and whether it is a version of the baseline's rule."""
    return with_compare_sides(compare_rules(baseline, others), baseline, others)


def diff(session: Session, a: str, b: str, as_of) -> dict:  # type: ignore[no-untyped-def]
    return diff_sides(rule_side(session, a, as_of), rule_side(session, b, as_of))


def compare(session: Session, baseline: str, others: list[str], as_of) -> dict:  # type: ignore[no-untyped-def]
    if not others:
        from app.exceptions import ValidationError

        raise ValidationError("name at least one rule to compare with the baseline", fields={"rules": ["required"]})
    return compare_sides(rule_side(session, baseline, as_of), [rule_side(session, o, as_of) for o in others])
