"""Every use of Whoosh's private API, in one place (docs/decisions.md, "Search behind an interface").

The searcher reads whole posting lists, deleted documents included, block by
block: Whoosh's public ``reader.postings()`` filters deleted documents one by
one and decodes each posting's weight, which is several times slower on the
large lists a common bigram has. That needs the codec's terms reader
(``SegmentReader._terms``) and the block API of ``W3LeafMatcher``
(``_read_ids``, ``_ids``, ``_next_block``), none of which Whoosh documents.

The rebuild writes the gram postings itself (:class:`GramSegmentWriter`): a full
rebuild through Whoosh's generic pool runs at a few hundred units a second.

``WRITTEN_AGAINST`` is the Whoosh version this was read against;
``tests/search/test_whoosh_internals.py`` fails on any other version, so an
upgrade comes with a look at this module (and its fallback keeps working on
any matcher that is not a ``W3LeafMatcher``).
"""

from __future__ import annotations

from array import array

import whoosh
from whoosh.codec.whoosh3 import W3LeafMatcher

#: Whoosh-Reloaded release whose internals this module uses (pyproject.toml pins it).
WRITTEN_AGAINST = (2, 7, 5)


def whoosh_version() -> tuple[int, ...]:
    """The installed Whoosh version, e.g. ``(2, 7, 5)``."""
    return tuple(whoosh.__version__)


def posting_ids(segreader, fieldname: str, term: str) -> list[int]:  # type: ignore[no-untyped-def]
    """Every docnum of ``term`` in one segment, deleted documents included, in docnum order."""
    terms = segreader._terms  # the codec's terms reader: postings without the deleted-docs filter
    tbytes = term.encode("utf-8")
    if (fieldname, tbytes) not in terms:
        return []
    m = terms.matcher(fieldname, tbytes, segreader.schema[fieldname].format)
    if not isinstance(m, W3LeafMatcher):
        return list(m.all_ids())
    ids: list[int] = []
    while m.is_active():
        m._read_ids()
        ids.extend(m._ids)
        m._next_block()
    return ids


class GramSegmentWriter:
    """Adds units to a new segment of a Whoosh ``SegmentWriter``, the gram fields' postings kept per term in memory.

    Whoosh's own path sends every posting of every document through its sorting pool
    (a tuple per posting, sorted at commit) and looks up each posting's field length
    while writing it; the gram fields (``uni``, ``bi``: existence only, no weights,
    positions or lengths that anything reads) make that ~300 postings a unit. Here a
    unit's grams are appended to per-term docnum lists (docnums only grow, so each
    list is already in order), and at commit the terms are written in byte order,
    each posting list a block of ``blocklimit`` docnums at a time, as
    ``W3PostingsWriter.add_posting`` would have cut them. The other fields (``key``,
    ``owner``, the stored payload) go through ``add_document`` as usual.

    Uses ``SegmentWriter._flush_segment``, ``.pool``, ``.perdocwriter``, ``.fieldwriter``
    and ``W3PostingsWriter``'s block buffer (``_ids``, ``_weights``, ``_values``,
    ``_write_block``): private, read against ``WRITTEN_AGAINST``.
    """

    def __init__(self, writer, gram_fields: tuple[str, ...]):  # type: ignore[no-untyped-def]
        self.writer = writer
        self.terms: dict[str, dict[str, array]] = {f: {} for f in gram_fields}
        writer._flush_segment = self._flush_segment

    def add(self, fields: dict) -> None:
        """Add one unit: ``fields`` as for ``add_document``, the gram fields as lists of distinct grams."""
        writer = self.writer
        docnum = writer.docnum
        writer.add_document(**{k: v for k, v in fields.items() if k not in self.terms})
        for name, terms in self.terms.items():
            get = terms.get
            for gram in fields[name]:
                ids = get(gram)
                if ids is None:
                    terms[gram] = array("I", (docnum,))
                else:
                    ids.append(docnum)

    def _flush_segment(self) -> None:
        w = self.writer
        w.perdocwriter.close()
        fw = w.fieldwriter
        schema = w.schema
        pooled = sorted(w.pool.fieldnames)
        for name in sorted([*self.terms, *pooled]):
            if name in self.terms:
                self._write_field(fw, name, schema[name])
            elif name == pooled[0]:  # the pool yields all its fields, in order, in one pass
                fw.add_postings(schema, None, w.pool.iter_postings())
        fw.close()
        self.terms = {}

    def _write_field(self, fw, name: str, fieldobj) -> None:  # type: ignore[no-untyped-def]
        terms = self.terms[name]
        if not terms:
            return
        fw.start_field(name, fieldobj)
        pw = fw._postwriter
        size = pw._blocklimit
        for term in sorted(terms):  # code point order is UTF-8 byte order
            ids = terms[term]
            fw.start_term(term.encode("utf-8"))
            for start in range(0, len(ids), size):
                if pw._ids:  # a full block, followed by more postings
                    pw._write_block()
                block = ids[start : start + size]
                pw._ids = block
                pw._weights = array("f", [1.0]) * len(block)
                pw._maxweight = 1.0
                pw._minlength, pw._maxlength = None, 0  # no lengths, as Whoosh writes an unscored field
            fw.finish_term()
        fw.finish_field()
