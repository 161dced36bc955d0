"""The SearchBackend contract on the backend under test (TEST_SEARCH_BACKEND): writes, fingerprints, time bound.

Under ``postgres`` every answer is also compared, whole, with the Whoosh backend's answer on the
same documents: the two backends must give the same hits, scores, snippets and facets.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading

import pytest
from sqlalchemy import text

from app.exceptions import QueryError, SearchIndexError
from app.search import SearchRequest, content_hash, doc_key
from app.search.interfaces import IndexChanges, SearchBackend
from app.search.postgres_backend import PostgresBackend
from app.search.whoosh_backend import WhooshBackend
from tests.search.conftest import (
    AS_OF,
    BACKEND,
    SH_AIR,
    WATER,
    YWTB,
    ZJ_AIR,
    corpus_innovations,
    corpus_rules,
    empty_backend,
    rule_version,
)
from tests.search.test_quality import CASES

D = dt.date
postgres_only = pytest.mark.skipif(BACKEND != "postgres", reason="PostgreSQL backend (TEST_SEARCH_BACKEND=postgres)")


def ids(backend, q, **options):
    request = SearchRequest(q=q, **({"as_of": AS_OF, "per_page": 100} | options))
    return {h["id"] for h in backend.search(request).hits}


def all_docs():
    return [d for docs in corpus_rules().values() for d in docs], corpus_innovations()


def test_backend_is_the_one_under_test(backend):
    assert isinstance(backend, SearchBackend)
    assert backend.name == BACKEND


def test_exists_only_after_a_build(backend):
    assert not backend.exists()
    assert backend.search(SearchRequest(q="排放")).total == 0  # an empty index answers, with nothing
    rules, inns = all_docs()
    assert backend.rebuild(rules, inns) == len(rules) + len(inns)
    assert backend.exists()


def test_fingerprints_are_the_documents_keys_and_hashes(built_backend):
    rules, inns = all_docs()
    assert built_backend.fingerprints() == {doc_key(d): content_hash(d) for d in [*rules, *inns]}


def test_apply_replaces_every_version_of_a_rule(built_backend):
    assert ids(built_backend, "化学需氧量", as_of=D(2019, 1, 1)) == {SH_AIR, ZJ_AIR}
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
    built_backend.apply(IndexChanges(rules={SH_AIR: new}))
    assert ids(built_backend, "化学需氧量", as_of=D(2019, 1, 1)) == {ZJ_AIR}
    assert ids(built_backend, "挥发性有机物") == {SH_AIR}
    assert {k for k in built_backend.fingerprints() if k.startswith(SH_AIR + "@")} == {doc_key(d) for d in new}


def test_apply_removes_rules_and_innovations_and_replaces_innovations(built_backend):
    ywtb = dataclasses.replace(corpus_innovations()[0], text="推动长三角跨省通办。")
    built_backend.apply(IndexChanges(rules={SH_AIR: []}, innovations={WATER: None, YWTB: ywtb}))
    assert SH_AIR not in ids(built_backend, "排放")
    assert ids(built_backend, "跨界水体") == set()
    assert ids(built_backend, "跨省通办") == {YWTB}
    assert ids(built_backend, "扇门") == set()
    keys = built_backend.fingerprints()
    assert not any(k.startswith(SH_AIR + "@") for k in keys) and f"innovation:{WATER}" not in keys
    assert keys[f"innovation:{YWTB}"] == content_hash(ywtb)


def test_apply_is_all_or_nothing(built_backend):
    before = built_backend.fingerprints()
    wrong = corpus_rules()[ZJ_AIR]  # docs of another rule under SH_AIR's id
    with pytest.raises(ValueError, match="got a doc of"):
        built_backend.apply(IndexChanges(rules={SH_AIR: [], ZJ_AIR: [], "cn-sh/x": wrong}))
    assert built_backend.fingerprints() == before
    assert SH_AIR in ids(built_backend, "排放")


def test_rebuild_replaces_everything(built_backend):
    zj = corpus_rules()[ZJ_AIR]
    assert built_backend.rebuild(zj, []) == len(zj)
    assert ids(built_backend, "排放") == {ZJ_AIR}
    assert set(built_backend.fingerprints()) == {doc_key(d) for d in zj}


def test_writes_are_seen_by_the_next_search(built_backend):
    assert ids(built_backend, "碳达峰") == set()
    doc = dataclasses.replace(corpus_rules()[ZJ_AIR][1], text="推进碳达峰。")
    built_backend.apply(IndexChanges(rules={ZJ_AIR: [corpus_rules()[ZJ_AIR][0], doc]}))
    assert ids(built_backend, "碳达峰") == {ZJ_AIR}


def test_quotes_and_backslashes_are_text(backend):
    docs = rule_version(
        "cn-sh/data/q",
        "2020-01-01",
        title="O'Neil 条例",
        jurisdiction="CN-SH",
        topic="data",
        kind="rule",
        valid_from=D(2020, 1, 1),
        articles=[("1", "路径 C:\\data\\x 与 'a' & b | !c 以及 ':' 符号。")],
    )
    backend.rebuild(docs, [])
    for q in ["o'neil", "\\data\\", "'a'", "& b", "| !c", "':'", "!", "'"]:
        assert ids(backend, q) == {"cn-sh/data/q"}, q
    for q in ["o''neil", "\\\\data", "'b'"]:
        assert ids(backend, q) == set(), q


def test_time_limit_is_a_backend_setting(tmp_path):
    with empty_backend(tmp_path, time_limit=-1) as b:
        b.rebuild(*all_docs())
        with pytest.raises(QueryError) as info:
            b.search(SearchRequest(q="排放"))
        assert info.value.code == "query_timeout"


def test_warm_reads_what_the_next_search_needs(backend, monkeypatch):
    """A worker warms its backend before serving and after each sync: the searches that follow read
    nothing more (with Whoosh: no segment's columns are loaded by a search)."""
    backend.warm()  # nothing built yet: nothing to read, no error
    rules, inns = all_docs()
    backend.rebuild(rules, inns)
    backend.warm()
    if BACKEND == "whoosh":
        from app.search import searcher as searcher_module

        def no_loading(*_args):
            raise AssertionError("a search loaded a segment")

        with monkeypatch.context() as m:
            m.setattr(searcher_module, "_Segment", no_loading)
            assert SH_AIR in ids(backend, "排放")
        changes = IndexChanges()
        changes.remove_rule(SH_AIR)
        backend.apply(changes)
        backend.warm()  # the follower's step after applying a sync
        with monkeypatch.context() as m:
            m.setattr(searcher_module, "_Segment", no_loading)
            assert SH_AIR not in ids(backend, "排放")
    else:
        assert SH_AIR in ids(backend, "排放")


@pytest.mark.skipif(BACKEND != "whoosh", reason="a Whoosh worker serialises its searches")
def test_time_bound_counts_the_query_not_the_wait_for_another_search(tmp_path):
    with empty_backend(tmp_path, time_limit=0.5) as b:
        b.rebuild(*all_docs())
        b.warm()
        searcher = b.searcher()
        held, release = threading.Event(), threading.Event()

        def hold() -> None:  # another search of this worker, taking longer than the bound
            with searcher._lock:
                held.set()
                release.wait(10)

        t = threading.Thread(target=hold)
        t.start()
        assert held.wait(10)
        threading.Timer(1.0, release.set).start()
        try:
            assert b.search(SearchRequest(q="排放", as_of=AS_OF)).total > 0  # waited 1 s, answered
        finally:
            release.set()
            t.join()


# -- the same answers as Whoosh ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def whoosh_reference(tmp_path_factory):
    b = WhooshBackend(tmp_path_factory.mktemp("reference") / "search_index")
    b.rebuild(*all_docs())
    yield b
    b.close()


REQUESTS = [
    *[{"q": q, **options} for q, options, _found, _not in CASES],
    {"q": "数据", "sort": "date"},
    {"q": "省 OR 市 OR 数据", "page": 2, "per_page": 2},
    {"q": "条例", "sort": "date", "per_page": 3},
    {"q": ""},
    {"q": "", "as_of": D(1990, 1, 1)},
    {"q": "排放 -罚款 (限值 OR 标准)"},
]


@postgres_only
@pytest.mark.parametrize("options", REQUESTS, ids=[f"{i}:{r['q']}" for i, r in enumerate(REQUESTS)])
def test_postgres_answers_as_whoosh_does(shared_searcher, whoosh_reference, options):
    request = SearchRequest(**({"as_of": AS_OF, "per_page": 100} | options))
    assert shared_searcher.search(request).to_dict() == whoosh_reference.search(request).to_dict()


@postgres_only
def test_postgres_article_counts_as_whoosh(shared_searcher, whoosh_reference):
    request = SearchRequest(q="排放", as_of=AS_OF)
    assert shared_searcher.search(request).article_counts() == whoosh_reference.search(request).article_counts()


# -- PostgreSQL only -------------------------------------------------------------------------------


@postgres_only
def test_statement_timeout_bounds_a_search_the_database_holds_up(built_backend):
    """A search blocked inside PostgreSQL (here by a table lock) is cancelled by statement_timeout."""
    b = PostgresBackend(built_backend.engine, time_limit=0.3)
    with built_backend.engine.connect() as blocker:
        blocker.execute(text("LOCK TABLE search_units IN ACCESS EXCLUSIVE MODE"))
        with pytest.raises(QueryError) as info:
            b.search(SearchRequest(q="排放"))
        blocker.rollback()
    assert info.value.code == "query_timeout"
    assert ids(b, "排放")  # the pool's connection is fine afterwards


@postgres_only
def test_a_second_writer_waits_then_gives_up(built_backend):
    b = PostgresBackend(built_backend.engine, lock_timeout=0.2)
    before = b.fingerprints()
    with built_backend.engine.connect() as holder:
        holder.execute(text("LOCK TABLE search_state IN EXCLUSIVE MODE"))
        assert b.search(SearchRequest(q="排放", as_of=AS_OF)).total  # searches do not wait for writers
        with pytest.raises(SearchIndexError, match="locked by another writer"):
            b.apply(IndexChanges(rules={SH_AIR: []}))
        with pytest.raises(SearchIndexError, match="locked by another writer"):
            b.rebuild([], [])
        holder.rollback()
    assert b.fingerprints() == before


@postgres_only
def test_searches_read_the_old_index_while_a_rebuild_runs(built_backend):
    """A rebuild is one transaction: until it commits, searches see the previous units."""
    started, release = threading.Event(), threading.Event()

    def slow_docs():
        yield from corpus_rules()[ZJ_AIR]
        started.set()
        release.wait(10)

    t = threading.Thread(target=built_backend.rebuild, args=(slow_docs(), []))
    t.start()
    try:
        assert started.wait(10)
        assert SH_AIR in ids(built_backend, "排放")
    finally:
        release.set()
        t.join()
    assert ids(built_backend, "排放") == {ZJ_AIR}


@postgres_only
def test_another_index_format_is_refused_until_rebuilt(built_backend):
    with built_backend.engine.begin() as conn:
        conn.execute(text("UPDATE search_state SET format = 'yrd-search/0'"))
    b = PostgresBackend(built_backend.engine)
    with pytest.raises(SearchIndexError) as info:
        b.search(SearchRequest(q="排放"))
    assert info.value.code == "search_index_outdated"
    b.rebuild(*all_docs())
    assert SH_AIR in ids(b, "排放")


def test_postgres_backend_refuses_another_database(tmp_path):
    with pytest.raises(ValueError, match="needs a PostgreSQL DATABASE_URL"):
        PostgresBackend.from_config({"DATABASE_URL": f"sqlite:///{tmp_path / 'r.sqlite3'}"})


@postgres_only
def test_an_unmigrated_database_names_the_fix(tmp_path):
    import os

    from sqlalchemy import create_engine

    engine = create_engine(os.environ["TEST_DATABASE_URL"] + "?options=-csearch_path%3Dno_such_schema")
    try:
        with pytest.raises(SearchIndexError, match="registry db upgrade"):
            PostgresBackend(engine).exists()
    finally:
        engine.dispose()


def test_rebuild_reports_progress_up_to_every_document(backend):
    rules, inns = all_docs()
    seen: list[int] = []
    n = backend.rebuild(rules, inns, progress=seen.append)
    assert seen and seen[-1] == n == len(rules) + len(inns)
    assert seen == sorted(seen)


@postgres_only
def test_writers_of_another_schema_do_not_wait(built_backend, tmp_path):
    with built_backend.engine.connect() as holder:
        holder.execute(text("LOCK TABLE search_state IN EXCLUSIVE MODE"))
        with empty_backend(tmp_path, lock_timeout=0.2) as other:
            rules, inns = all_docs()
            assert other.rebuild(rules, inns) == len(rules) + len(inns)
        holder.rollback()
