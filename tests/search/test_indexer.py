"""SearchIndex: replace, delete, rebuild, fingerprints, locks, format, and what searchers see."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time

import pytest

from app.exceptions import SearchIndexError
from app.search import Searcher, SearchIndex, SearchRequest, content_hash, doc_key
from app.search.schema import FORMAT_FILE, INDEX_NAME
from tests.search.conftest import (
    AS_OF,
    SH_AIR,
    YWTB,
    ZJ_AIR,
    corpus_innovations,
    corpus_rules,
    rule_version,
    whoosh_only,
)

pytestmark = whoosh_only  # the Whoosh files themselves; test_backend.py runs the contract on every backend

D = dt.date


def ids(searcher, q, **options):
    options = {"as_of": AS_OF, "per_page": 100} | options
    return {h["id"] for h in searcher.search(SearchRequest(q=q, **options)).hits}


def expected_fingerprints(rules, innovations):
    docs = [d for docs in rules.values() for d in docs] + list(innovations)
    return {doc_key(d): content_hash(d) for d in docs}


def test_open_creates_an_empty_index(index_path):
    index = SearchIndex(index_path).open()
    assert index.exists()
    assert index.doc_count() == 0
    assert Searcher(index_path).search(SearchRequest(q="排放")).total == 0


def test_open_twice_keeps_the_documents(built):
    n = built.doc_count()
    assert SearchIndex(built.path).open().doc_count() == n > 0


def test_fingerprints_match_the_documents(built):
    assert built.fingerprints() == expected_fingerprints(corpus_rules(), corpus_innovations())


def test_content_hash_changes_with_any_field():
    doc = corpus_rules()[SH_AIR][1]
    assert content_hash(doc) == content_hash(dataclasses.replace(doc))
    assert content_hash(doc) != content_hash(dataclasses.replace(doc, text=doc.text + "。"))
    assert content_hash(doc) != content_hash(dataclasses.replace(doc, valid_to=D(2030, 1, 1)))


def test_replace_rule_drops_every_old_version(built, searcher):
    assert ids(searcher, "化学需氧量", as_of=D(2019, 1, 1)) == {SH_AIR, ZJ_AIR}
    new = rule_version(
        SH_AIR,
        "2024-01-01",
        title="上海市大气污染防治条例",
        jurisdiction="CN-SH",
        topic="environment",
        kind="regulation",
        valid_from=D(2024, 1, 1),
        articles=[("1", "挥发性有机物排放应当符合标准。")],
    )
    built.replace_rule(SH_AIR, new)
    assert ids(searcher, "化学需氧量", as_of=D(2019, 1, 1)) == {ZJ_AIR}
    assert ids(searcher, "挥发性有机物") == {SH_AIR}
    rules = corpus_rules() | {SH_AIR: new}
    assert built.fingerprints() == expected_fingerprints(rules, corpus_innovations())


def test_replace_rule_refuses_docs_of_another_rule(built):
    with pytest.raises(ValueError):
        built.replace_rule(SH_AIR, corpus_rules()[ZJ_AIR])


def test_delete_rule_and_innovation(built, searcher):
    built.delete_rule(SH_AIR)
    built.delete_innovation(YWTB)
    assert SH_AIR not in ids(searcher, "排放")
    assert ids(searcher, "一网通办") == set()
    keys = built.fingerprints()
    assert not [k for k in keys if k.startswith(SH_AIR + "@") or k == f"innovation:{YWTB}"]


def test_replace_innovation(built, searcher):
    (ywtb, _water) = corpus_innovations()
    built.replace_innovation(dataclasses.replace(ywtb, text="跨省通办全程网办。"))
    assert ids(searcher, "跨省通办") == {YWTB}
    assert ids(searcher, "扇门") == set()


def test_batch_commits_once_and_cancels_on_error(built, searcher):
    with pytest.raises(RuntimeError), built.batch() as batch:
        batch.delete_rule(SH_AIR)
        raise RuntimeError("boom")
    assert SH_AIR in ids(searcher, "排放")
    with built.batch() as batch:
        batch.delete_rule(SH_AIR)
        batch.delete_rule(ZJ_AIR)
    assert ids(searcher, "排放") & {SH_AIR, ZJ_AIR} == set()


def test_rebuild_replaces_everything(built, searcher):
    rules = corpus_rules()
    only = {ZJ_AIR: rules[ZJ_AIR]}
    n = built.rebuild(only[ZJ_AIR], [])
    assert n == len(rules[ZJ_AIR])
    assert ids(searcher, "排放") == {ZJ_AIR}
    assert built.fingerprints() == expected_fingerprints(only, [])


def test_write_is_visible_to_a_running_searcher_at_once(built, searcher):
    assert ids(searcher, "碳达峰") == set()
    built.replace_rule(
        SH_AIR,
        rule_version(
            SH_AIR,
            "2024-01-01",
            title="t",
            jurisdiction="CN-SH",
            topic="environment",
            kind="regulation",
            valid_from=D(2024, 1, 1),
            articles=[("1", "推进碳达峰。")],
        ),
    )
    assert ids(searcher, "碳达峰") == {SH_AIR}


def test_searcher_reloads_only_new_segments(built, searcher):
    ids(searcher, "排放")
    before = dict(searcher._cache)
    built.delete_innovation(YWTB)
    ids(searcher, "排放")
    assert set(before) <= set(searcher._cache)  # the old segment's columns were kept


def test_stale_lock_file_never_blocks(index_path):
    SearchIndex(index_path).open()
    (index_path / f"{INDEX_NAME}_WRITELOCK").write_text("left over by a killed process")
    index = SearchIndex(index_path, lock_timeout=0.5).open()
    index.replace_rule(ZJ_AIR, corpus_rules()[ZJ_AIR])
    assert index.doc_count() == len(corpus_rules()[ZJ_AIR])


def test_stale_lock_file_does_not_block_creation(tmp_path):
    path = tmp_path / "fresh"
    path.mkdir()
    (path / f"{INDEX_NAME}_WRITELOCK").write_text("")
    assert SearchIndex(path, lock_timeout=0.5).open().exists()


def test_two_writers_serialise(built):
    """A second writer waits for the first; past its timeout it raises SearchIndexError."""
    holding = threading.Event()
    release = threading.Event()

    def hold():
        with built.batch() as batch:
            batch.delete_rule("nothing")
            holding.set()
            release.wait(5)

    t = threading.Thread(target=hold)
    t.start()
    assert holding.wait(5)
    impatient = SearchIndex(built.path, lock_timeout=0.2).open()
    with pytest.raises(SearchIndexError):
        impatient.delete_rule(SH_AIR)
    patient = SearchIndex(built.path, lock_timeout=5).open()
    threading.Timer(0.3, release.set).start()
    started = time.monotonic()
    patient.delete_rule(SH_AIR)  # waits for the first writer, then commits
    assert time.monotonic() - started >= 0.2
    t.join(5)
    assert not [k for k in built.fingerprints() if k.startswith(SH_AIR + "@")]


def test_index_of_another_format_is_refused_then_rebuilt(built):
    (built.path / FORMAT_FILE).write_text("yrd-search/0\n")
    with pytest.raises(SearchIndexError) as info:
        SearchIndex(built.path).open()
    assert info.value.code == "search_index_outdated"
    with pytest.raises(SearchIndexError):
        Searcher(built.path).search(SearchRequest(q="排放"))
    index = SearchIndex(built.path)
    index.rebuild(corpus_rules()[ZJ_AIR], [])
    assert ids(Searcher(built.path), "排放") == {ZJ_AIR}


def test_missing_index_is_a_search_index_error(tmp_path):
    with pytest.raises(SearchIndexError):
        Searcher(tmp_path / "nothing").search(SearchRequest(q="排放"))


def test_rebuild_in_two_processes_finds_the_same(built, index_path, tmp_path):
    """With procs=2 a rule's units may land in two segments; hits must not change."""
    rules = corpus_rules()
    other = SearchIndex(tmp_path / "two", lock_timeout=2)
    other.rebuild([d for docs in rules.values() for d in docs], corpus_innovations(), procs=2)
    one, two = Searcher(index_path), Searcher(other.path)
    for q in ["排放", "数据", "省", "罚款 OR 存款", "", "jurisdiction:CN-SH"]:
        a = one.search(SearchRequest(q=q, as_of=AS_OF, per_page=100))
        b = two.search(SearchRequest(q=q, as_of=AS_OF, per_page=100))
        assert (a.total, a.facets) == (b.total, b.facets)
        assert sorted((h["id"], tuple(h["articles"])) for h in a.hits) == sorted(
            (h["id"], tuple(h["articles"])) for h in b.hits
        )
    assert other.fingerprints() == built.fingerprints()
