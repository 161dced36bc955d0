"""The plain dataclasses the registry hands to the search index, and their keys and hashes.

One :class:`ArticleDoc` per article of every rule version, plus one per rule
version with ``article_id=None`` that carries only the title (its searchable
text is ``title``, ``title_en`` and ``doc_number``). One :class:`InnovationDoc`
per innovation. Keys and hashes let the caller compare the index with the
database (``registry index --check``) without reading the index's internals.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields

from app.corpus import validity

# Bump when the stored layout or the analyzer changes: every content hash then
# changes too, so ``registry index --check`` reports the whole index as stale.
INDEX_FORMAT = 2


@dataclass(frozen=True)
class ArticleDoc:
    """One article of one rule version (or, with ``article_id=None``, the version's title doc).

    ``valid_to`` is exclusive: the next version's start or the repeal date. The
    version is in force on D iff ``valid_from <= D`` and (``valid_to is None`` or
    ``D < valid_to``). ``year`` is the year of the version's start date (the
    ``year`` facet). ``jurisdiction`` is the upper-case code (``CN-SH``).
    """

    rule_id: str
    version: str
    article_id: str | None
    article_label: str
    text: str
    title: str
    title_en: str
    doc_number: str
    jurisdiction: str
    topic: str
    kind: str
    year: int
    valid_from: dt.date
    valid_to: dt.date | None = None
    binds: list[str] = field(default_factory=list)

    def in_force_on(self, day: dt.date) -> bool:
        return validity.in_force_between(self.valid_from, self.valid_to, day)


@dataclass(frozen=True)
class InnovationDoc:
    """One innovation (an institutional-innovation case); it has no versions and no as_of."""

    slug: str
    title: str
    title_en: str
    category: str
    year: int
    promoted: bool
    text: str


def doc_key(doc: ArticleDoc | InnovationDoc) -> str:
    """The index's key for a document, as :meth:`SearchIndex.fingerprints` reports it.

    >>> doc_key(InnovationDoc("ywtb", "一网通办", "", "gov", 2020, True, ""))
    'innovation:ywtb'

    An article doc gives ``<rule_id>@<version>:<article_id>`` and a title doc
    ``<rule_id>@<version>:title``.
    """
    if isinstance(doc, InnovationDoc):
        return f"innovation:{doc.slug}"
    return f"{doc.rule_id}@{doc.version}:{doc.article_id or 'title'}"


def _jsonable(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def content_hash(doc: ArticleDoc | InnovationDoc) -> str:
    """A stable hash of everything the index holds for ``doc`` (and of the index format)."""
    # the fields are flat (strings, numbers, dates, a list of strings): no need for asdict's deep copy
    fields = {f.name: _jsonable(getattr(doc, f.name)) for f in dataclass_fields(doc)}
    payload = json.dumps([INDEX_FORMAT, type(doc).__name__, fields], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]
