"""Use cases of the innovation register (SPEC §8.5): add, correct, delete and bulk-import innovations.

The demonstration zone's staff record the innovations the public record lacks, audited like rules:
every write is validated exactly like an ``innovations/<slug>.md`` corpus file
(``corpus.loader.parse_innovation_document``: same schema, ``related_rules`` must be rule ids
in the registry), appends one audit row per innovation changed and records its search-index update
in the outbox, all in the caller's session: the caller owns the transaction
(``with write_session(engine) as s: add_innovation(s, user, document)``), so a refusal leaves
nothing written. Who may write is ``accounts.permissions.can_write_innovations``. ``revision`` starts at 1 and
is bumped on each correction; a correction or deletion names the revision it read
(``If-Match``), and a stale one is a conflict. No Flask.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Container, Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.permissions import check_can_write_innovations
from app.corpus import writer
from app.corpus.documents import InnovationDocument
from app.corpus.innovation_table import COLUMNS, TableRow, document_cells, row_to_document
from app.corpus.loader import parse_innovation_document
from app.corpus.officialtext import make_slug
from app.corpus.slugs import SLUG_ERROR, SLUG_RE
from app.exceptions import Conflict, CorpusError, NotFound, Problem, ValidationError, problem
from app.registry import audit, outbox
from app.registry.mapping import fill_innovation, innovation_document
from app.registry.models import Innovation, Rule, User

TARGET_PREFIX = "innovation:"  # audit targets, as ``registry load`` writes them


class _RuleIds:
    """``related_rules`` checks against the rules in the database, one lookup per id named."""

    def __init__(self, session: Session):
        self._session = session

    def __contains__(self, rule_id: object) -> bool:
        return isinstance(rule_id, str) and self._session.get(Rule, rule_id) is not None


def _parse(session: Session, document: object, rel: str, slug: str) -> InnovationDocument:
    if not isinstance(document, str) or not document.strip():
        raise CorpusError(problem(rel, "document is empty: send the innovation file text", None, "document"))
    return parse_innovation_document(document.encode("utf-8"), rel, slug, _RuleIds(session))


def parse_if_match(if_match: str | None) -> str | None:
    """The revision an ``If-Match`` header names: ``3``, ``"3"`` and ``W/"3"`` all name 3; blank is None."""
    if if_match is None:
        return None
    value = if_match.strip()
    if value.startswith("W/"):
        value = value[2:]
    return value.strip('"').strip() or None


def _check_if_match(row: Innovation, if_match: str | None) -> None:
    sent = parse_if_match(if_match)
    if sent is None:
        raise Conflict(
            f"If-Match: <revision> is required to change innovation {row.slug} (its current revision is "
            f"{row.revision}); read it first so a concurrent change is never overwritten",
            code="if_match_required",
        )
    if sent != str(row.revision):
        raise Conflict.of(
            "stale If-Match %(sent)r: innovation %(slug)s is at revision %(revision)s",
            sent=sent,
            slug=row.slug,
            revision=row.revision,
        )


def _get(session: Session, slug: str) -> Innovation:
    row = session.get(Innovation, slug) if SLUG_RE.match(slug or "") else None
    if row is None:
        raise NotFound(f"no innovation with id {slug!r}")
    return row


def render(row: Innovation) -> str:
    """The stored innovation as the text of its corpus file."""
    return writer.render_innovation(innovation_document(row))


def _derive_slug(session: Session, doc: InnovationDocument, taken: Container[str] = ()) -> str:
    return make_slug(doc.title, doc.title_en, None, lambda s: s in taken or session.get(Innovation, s) is not None)


def _insert(session: Session, actor: str, doc: InnovationDocument, detail: dict | None = None) -> Innovation:
    row = Innovation(slug=doc.slug, revision=1)
    after = fill_innovation(row, doc)
    session.add(row)
    audit.append(
        session,
        actor=actor,
        action="innovation_added",
        target=TARGET_PREFIX + doc.slug,
        after=after,
        detail={"revision": 1, **(detail or {})},
    )
    outbox.enqueue(session, "innovation", doc.slug)
    return row


def _correct(
    session: Session, actor: str, row: Innovation, doc: InnovationDocument, detail: dict | None = None
) -> bool:
    """Apply a validated document to a stored innovation; False (nothing written) when it is unchanged."""
    new_hash = writer.content_hash(writer.render_innovation(doc))
    if new_hash == row.content_hash:
        return False
    before = row.content_hash
    fill_innovation(row, doc)
    row.revision += 1
    audit.append(
        session,
        actor=actor,
        action="innovation_corrected",
        target=TARGET_PREFIX + row.slug,
        before=before,
        after=new_hash,
        detail={"revision": row.revision, **(detail or {})},
    )
    outbox.enqueue(session, "innovation", row.slug)
    return True


def add_innovation(session: Session, user: User, document: str, slug: str | None = None) -> Innovation:
    """POST /innovations: a new innovation; ``slug`` given, or derived from title_en or the title's pinyin."""
    check_can_write_innovations(user)
    if slug is not None and not SLUG_RE.match(slug):
        raise ValidationError(f"slug {SLUG_ERROR}", fields={"slug": [SLUG_ERROR]})
    audit.lock(session)
    doc = _parse(session, document, f"innovations/{slug}.md" if slug else "document", slug or "")
    if slug is None:
        doc.slug = _derive_slug(session, doc)
    elif session.get(Innovation, slug) is not None:
        raise Conflict(f"innovation {slug} exists; correct it with PUT and If-Match: <revision>")
    doc.path = f"innovations/{doc.slug}.md"
    row = _insert(session, user.name, doc)
    session.flush()
    return row


def update_innovation(session: Session, user: User, slug: str, document: str, if_match: str | None) -> Innovation:
    """PUT /innovations/<id>: correct an innovation at the revision named by ``If-Match``.

    A document equal to the stored one changes nothing (no audit row, same revision).
    """
    check_can_write_innovations(user)
    audit.lock(session)
    row = _get(session, slug)
    doc = _parse(session, document, f"innovations/{slug}.md", slug)
    _check_if_match(row, if_match)
    _correct(session, user.name, row, doc)
    session.flush()
    return row


def delete_innovation(session: Session, user: User, slug: str, if_match: str | None) -> str:
    """DELETE /innovations/<id>: remove it; the audit row keeps its hash and its whole document.

    Returns the content hash of what was deleted.
    """
    check_can_write_innovations(user)
    audit.lock(session)
    row = _get(session, slug)
    _check_if_match(row, if_match)
    before = row.content_hash
    audit.append(
        session,
        actor=user.name,
        action="innovation_deleted",
        target=TARGET_PREFIX + slug,
        before=before,
        detail={"revision": row.revision, "document": render(row)},
    )
    session.delete(row)
    outbox.enqueue(session, "innovation", slug)
    session.flush()
    return before


@dataclass
class ImportReport:
    """What ``registry innovations import`` did, by innovation id."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged}


def import_innovations(session: Session, rows: Iterable[TableRow], actor: str, source: str) -> ImportReport:
    """Add or update many innovations from table rows, all or nothing (SPEC §8.5).

    A row with a ``slug`` adds that innovation or corrects it (revision bump, audited); a row
    without one corrects the innovation of exactly the same title if there is one, else adds a
    new one with a slug derived like POST's. When correcting, a column the table does not have
    keeps the stored value (an empty cell of a column it has clears the field). Every problem of
    every row is reported with its row and column in one ``CorpusError``, raised after all rows
    were read; the caller's rollback then leaves nothing written.
    """
    report = ImportReport()
    problems: list[Problem] = []
    audit.lock(session)
    assigned: set[str] = set()
    for r in rows:
        try:
            doc = _parse(session, r.document, r.where, r.slug or "")
        except CorpusError as err:
            problems.extend(
                dataclasses.replace(p, file=r.where, line=None, field=p.field or "document") for p in err.problems
            )
            continue
        row = session.get(Innovation, r.slug) if r.slug else _by_title(session, doc.title)
        if row is not None and row.slug in assigned:
            problems.append(problem(r.where, "updates innovation %(slug)s a second time", None, "slug", slug=row.slug))
            continue
        if row is None:
            doc.slug = r.slug or _derive_slug(session, doc, assigned)
            doc.path = f"innovations/{doc.slug}.md"
            _insert(session, actor, doc, {"source": source})
            report.added.append(doc.slug)
        else:
            if set(COLUMNS) - set(r.cells):  # columns the table lacks keep their stored values
                merged = {**document_cells(innovation_document(row)), **r.cells}
                try:
                    doc = _parse(session, row_to_document(merged, r.where)[1], r.where, row.slug)
                except CorpusError as err:
                    problems.extend(
                        dataclasses.replace(p, file=r.where, line=None, field=p.field or "document")
                        for p in err.problems
                    )
                    continue
            doc.slug, doc.path = row.slug, f"innovations/{row.slug}.md"
            changed = _correct(session, actor, row, doc, {"source": source})
            (report.updated if changed else report.unchanged).append(row.slug)
        assigned.add(doc.slug)
        session.flush()
    if problems:
        raise CorpusError(problems)
    return report


def _by_title(session: Session, title: str) -> Innovation | None:
    found = list(session.scalars(select(Innovation).where(Innovation.title == title).limit(2)))
    return found[0] if len(found) == 1 else None


__all__ = [
    "ImportReport",
    "add_innovation",
    "delete_innovation",
    "import_innovations",
    "parse_if_match",
    "render",
    "update_innovation",
]
