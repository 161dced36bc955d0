"""Every use of Whoosh's private API, in one place (docs/decisions.md, "Search behind an interface").

The searcher reads whole posting lists, deleted documents included, block by
block: Whoosh's public ``reader.postings()`` filters deleted documents one by
one and decodes each posting's weight, which is several times slower on the
large lists a common bigram has. That needs the codec's terms reader
(``SegmentReader._terms``) and the block API of ``W3LeafMatcher``
(``_read_ids``, ``_ids``, ``_next_block``), none of which Whoosh documents.

``WRITTEN_AGAINST`` is the Whoosh version this was read against;
``tests/search/test_whoosh_internals.py`` fails on any other version, so an
upgrade comes with a look at this module (and its fallback keeps working on
any matcher that is not a ``W3LeafMatcher``).
"""

from __future__ import annotations

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
