"""The one module using Whoosh's private API: pinned to the Whoosh version it was read against."""

from __future__ import annotations

from app.search.analyzer import bigrams, normalize
from app.search.whoosh_internals import WRITTEN_AGAINST, posting_ids, whoosh_version


def test_installed_whoosh_is_the_version_the_internals_were_written_against():
    assert whoosh_version() == WRITTEN_AGAINST


def test_posting_ids_match_the_public_postings_and_keep_deleted_docs(built):
    ix = built._index()
    try:
        with ix.reader() as reader:
            (segreader, _base), *_ = list(reader.leaf_readers())
            gram = sorted(bigrams(normalize("排放")))[0]
            public = sorted(segreader.postings("bi", gram).all_ids())
            assert public and posting_ids(segreader, "bi", gram) == public
            assert posting_ids(segreader, "bi", "不存在的词") == []
    finally:
        ix.close()
