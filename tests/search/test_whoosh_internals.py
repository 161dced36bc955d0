"""The one module using Whoosh's private API: pinned to the Whoosh version it was read against."""

from __future__ import annotations

import pytest

from app.search import SearchIndex
from app.search.analyzer import bigrams, normalize
from app.search.whoosh_internals import WRITTEN_AGAINST, posting_ids, whoosh_version
from tests.search.conftest import SH_AIR, corpus_innovations, corpus_rules, whoosh_only

pytestmark = whoosh_only


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


def _postings_by_key(index) -> dict:
    """{(field, term): sorted unit keys} over every segment, and every unit's stored payload by key."""
    out: dict = {}
    stored: dict = {}
    ix = index._index()
    try:
        with ix.reader() as reader:
            for segreader, _base in reader.leaf_readers():
                deleted = set(segreader.segment().deleted_docs()) if segreader.has_deletions() else set()
                live = [n for n in range(segreader.doc_count_all()) if n not in deleted]
                keys = {n: segreader.stored_fields(n)["doc"][1] for n in live}
                for n in live:
                    stored[keys[n]] = segreader.stored_fields(n)["doc"]
                for field in ("bi", "uni", "key", "owner"):
                    for term in segreader.lexicon(field):
                        text = term.decode("utf-8")
                        ids = posting_ids(segreader, field, text)
                        out.setdefault((field, text), []).extend(keys[i] for i in ids if i not in deleted)
    finally:
        ix.close()
    return {k: sorted(v) for k, v in out.items()}, stored


def test_the_rebuild_writer_writes_what_whooshs_own_writer_writes(tmp_path):
    """GramSegmentWriter (rebuild, one process) against Whoosh's generic path (procs=2): same terms, postings, payloads."""
    docs = [d for v in corpus_rules().values() for d in v]
    fast, generic = SearchIndex(tmp_path / "fast"), SearchIndex(tmp_path / "generic")
    assert fast.rebuild(docs, corpus_innovations()) == generic.rebuild(docs, corpus_innovations(), procs=2)
    fast_postings, fast_stored = _postings_by_key(fast)
    generic_postings, generic_stored = _postings_by_key(generic)
    assert len(fast_postings) > 500
    assert fast_postings == generic_postings
    assert fast_stored == generic_stored
    for field, term in [("bi", "排放"), ("uni", "罚"), ("bi", "pm")]:
        with fast._index().reader() as reader:
            assert reader.doc_frequency(field, term) == len(fast_postings[(field, term)]) > 0


def test_a_rebuilt_index_takes_later_writes_and_merges(tmp_path):
    """Incremental writes after a fast rebuild (Whoosh merges small segments) keep every posting."""
    rules = corpus_rules()
    index = SearchIndex(tmp_path / "ix")
    index.rebuild([d for v in rules.values() for d in v], corpus_innovations())
    for rule_id, docs in rules.items():  # one commit per rule: several segments, merged by Whoosh
        index.open().replace_rule(rule_id, docs)
    reference = SearchIndex(tmp_path / "ref")
    reference.rebuild([d for v in rules.values() for d in v], corpus_innovations(), procs=2)
    assert _postings_by_key(index)[0] == _postings_by_key(reference)[0]

    def failing():
        yield from rules[SH_AIR]
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):  # a rebuild that fails half-way leaves the index as it was
        index.rebuild(failing(), [])
    assert _postings_by_key(index)[0] == _postings_by_key(reference)[0]
