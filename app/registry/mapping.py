"""Corpus documents ↔ registry rows, both ways, and the references a document is checked against.

One place for the shape of a stored version, innovation and hard rule: loading, the API writes,
``registry import`` and export all go through here. No Flask, no search imports.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.corpus import writer
from app.corpus.documents import (
    INNOVATION_FIELDS,
    RULE_FIELDS,
    Body,
    HardRuleDocument,
    InnovationDocument,
    JurisdictionDef,
    ParameterDef,
    ParameterEntry,
    RuleDocument,
    TopicDef,
)
from app.corpus.loader import References, canonical_value
from app.corpus.quantities import stated_in
from app.registry.models import (
    Article,
    Chapter,
    HardRule,
    Innovation,
    Jurisdiction,
    Parameter,
    ParameterValue,
    RuleVersion,
    Topic,
)


def references(session: Session) -> References:
    """The codes, topics and parameter definitions in the database (what a document is checked against)."""
    return References(
        {j.code: jurisdiction_def(j) for j in session.scalars(select(Jurisdiction))},
        {t.code: topic_def(t) for t in session.scalars(select(Topic))},
        {p.key: parameter_def(p) for p in session.scalars(select(Parameter))},
    )


def jurisdiction_def(j: Jurisdiction) -> JurisdictionDef:
    return JurisdictionDef(j.code, j.name_zh, j.name_en, j.level, j.parent)


def topic_def(t: Topic) -> TopicDef:
    return TopicDef(t.code, t.name_zh, t.name_en)


def parameter_def(p: Parameter) -> ParameterDef:
    return ParameterDef(p.key, p.label_zh, p.label_en, p.topic, p.unit, p.stricter, p.addressee)


# ---------------------------------------------------------------- rule versions


def fill_version(v: RuleVersion, doc: RuleDocument, refs: References) -> None:
    """Copy a validated document into a version row (replacing its chapters, articles and values)."""
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


def _stated(s: str) -> float | bool:
    """A stored ``stated_value`` as the document wrote it: ``true``/``false``, an integer or a decimal."""
    if s in ("true", "false"):
        return s == "true"
    f = float(s)
    return int(f) if f == int(f) and "." not in s and "e" not in s.lower() else f


def version_document(v: RuleVersion) -> RuleDocument:
    """Rebuild the document of a stored version (for export and content hashing)."""
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


# ---------------------------------------------------------------- innovations


def fill_innovation(row: Innovation, doc: InnovationDocument) -> str:
    """Copy a validated innovation document into its row; returns the new content hash."""
    for name in (*INNOVATION_FIELDS, "summary"):
        setattr(row, name, getattr(doc, name))
    row.related_rules = list(doc.related_rules)
    row.content_hash = writer.content_hash(writer.render_innovation(doc))
    return row.content_hash


def innovation_document(row: Innovation) -> InnovationDocument:
    """The stored innovation as a corpus document (for export, forms and the audit log)."""
    return InnovationDocument(
        slug=row.slug,
        path=f"innovations/{row.slug}.md",
        title=row.title,
        title_en=row.title_en,
        category=row.category,
        source_url=row.source_url,
        summary=row.summary,
        year=row.year,
        batch=row.batch,
        number=row.number,
        promoted_nationally=row.promoted_nationally,
        promotion_notice=row.promotion_notice,
        promotion_date=row.promotion_date,
        related_rules=list(row.related_rules or []),
        verified=row.verified,
    )


# ---------------------------------------------------------------- hard rules


def hard_rule_document(h: HardRule) -> HardRuleDocument:
    """The stored hard rule as a corpus document (for export)."""
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
        title_en=h.title_en,
        deliverable_en=h.deliverable_en,
    )


def fill_hard_rule(h: HardRule, doc: HardRuleDocument) -> None:
    """Copy a validated hard-rule document into its row (content hash included)."""
    h.title, h.parameter, h.scope = doc.title, doc.parameter, doc.scope
    h.target_bool = doc.target if isinstance(doc.target, bool) else None
    h.target_num = None if isinstance(doc.target, bool) else float(doc.target)
    h.jurisdictions, h.lead, h.deliverable = list(doc.jurisdictions), doc.lead, doc.deliverable
    h.deadline, h.source_url = doc.deadline, doc.source_url
    h.title_en, h.deliverable_en = doc.title_en, doc.deliverable_en
    h.content_hash = writer.content_hash(writer.render_hard_rule(doc))
