"""Hits, facets, snippets, paging, sorting and the time bound of Searcher.search (SPEC §4, §5)."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest

from app.exceptions import QueryError
from app.search import Searcher, SearchRequest
from tests.search.conftest import AS_OF, SH_AIR, SH_DATA, WATER, YWTB, ZJ_AIR


@pytest.fixture
def searcher(shared_searcher):
    return shared_searcher


HIT_KEYS = {
    "type",
    "id",
    "rule_id",
    "version",
    "title",
    "kind",
    "jurisdiction",
    "topic",
    "article",
    "articles",
    "snippet",
    "score",
}


def search(searcher, q="", **options):
    return searcher.search(SearchRequest(q=q, **({"as_of": AS_OF, "per_page": 100} | options)))


def test_rule_hit_groups_articles_of_the_version_in_force(searcher):
    result = search(searcher, "排放 jurisdiction:CN-SH")
    (hit,) = result.hits
    assert set(hit) == HIT_KEYS
    assert hit["type"] == "rule"
    assert hit["id"] == hit["rule_id"] == SH_AIR
    assert hit["version"] == "2022-01-01"
    assert hit["title"] == "上海市大气污染防治条例"
    assert (hit["kind"], hit["jurisdiction"], hit["topic"]) == ("regulation", "CN-SH", "environment")
    assert hit["articles"] == [f"{SH_AIR}#art-1", f"{SH_AIR}#art-2", f"{SH_AIR}#art-3"]
    assert hit["article"] == f"{SH_AIR}#art-1"  # 排放 twice there
    assert "<mark>排放</mark>" in hit["snippet"]


def test_old_version_is_read_before_the_amendment(searcher):
    (hit,) = search(searcher, "化学需氧量 jurisdiction:CN-SH", as_of=dt.date(2019, 1, 1)).hits
    assert hit["version"] == "2014-10-01"
    assert "５０" in hit["snippet"]


def test_title_only_match_has_no_article(searcher):
    (hit,) = search(searcher, "Air Pollution").hits
    assert hit["id"] == SH_AIR
    assert hit["article"] is None and hit["articles"] == []
    assert "Shanghai <mark>Air</mark> <mark>Pollution</mark> Prevention" in hit["snippet"]


def test_innovation_hit_shape(searcher):
    (hit,) = search(searcher, "跨界水体").hits
    assert set(hit) == HIT_KEYS
    assert hit == hit | {
        "type": "innovation",
        "id": WATER,
        "rule_id": None,
        "version": None,
        "kind": None,
        "jurisdiction": "YRD-DZ",
        "topic": None,
        "article": None,
        "articles": [],
    }
    assert hit["title"] == "跨界水体联保机制"


def test_innovations_ignore_as_of(searcher):
    assert {h["id"] for h in search(searcher, "一网通办", as_of=dt.date(1990, 1, 1)).hits} == {YWTB}


def test_total_and_facets_count_all_hits(searcher):
    result = search(searcher, "数据", per_page=1)
    assert len(result.hits) == 1
    assert result.total == 4  # JS_DATA, AH_GOV, SH_DATA and the innovation YWTB
    assert result.facets == {
        "jurisdiction": {"CN-AH": 1, "CN-JS": 1, "CN-SH": 1, "YRD-DZ": 1},
        "topic": {"data": 3},
        "kind": {"regulation": 2, "rule": 1},
        "year": {"2019": 1, "2020": 1, "2022": 1, "2023": 1},
    }
    assert result.to_dict().keys() == {"total", "hits", "facets"}


def test_facets_are_over_hits_not_articles(searcher):
    result = search(searcher, "排放")
    n_articles, article_facets = result.article_counts()
    assert result.facets["jurisdiction"]["CN-SH"] == 1
    assert article_facets["jurisdiction"]["CN-SH"] == 3
    assert n_articles > result.total - 1


def test_paging_walks_all_hits_once(searcher):
    full = search(searcher, "省 OR 市 OR 数据")
    pages = [search(searcher, "省 OR 市 OR 数据", page=p, per_page=2).hits for p in range(1, 10)]
    assert [h["id"] for page in pages for h in page] == [h["id"] for h in full.hits]


def test_sort_by_date_puts_latest_versions_first(searcher):
    hits = search(searcher, "条例", sort="date").hits
    dates = [h["version"] for h in hits if h["type"] == "rule"]
    assert dates == sorted(dates, reverse=True)


def test_relevance_ranks_title_matches_first(searcher):
    hits = search(searcher, "数据").hits
    assert hits[0]["id"] in {"cn-js/data/regs", SH_DATA, "cn-ah/data/gov"}
    assert hits[0]["score"] >= hits[-1]["score"]


def test_snippet_escapes_html_and_only_has_mark_tags(searcher):
    (hit,) = search(searcher, "数据安全 jurisdiction:CN-SH").hits
    snippet = hit["snippet"]
    assert "<script>" not in snippet
    assert "&lt;script&gt;" in snippet
    assert "&amp;" in snippet
    assert set(re.findall(r"<[^>]*>", snippet)) <= {"<mark>", "</mark>"}


@pytest.mark.parametrize("q", ["<script>", "script", "alert(1)", "数据", "&", ""])
def test_no_snippet_ever_holds_another_tag(searcher, q):
    for hit in search(searcher, q).hits:
        assert set(re.findall(r"<[^>]*>", hit["snippet"])) <= {"<mark>", "</mark>"}


def test_empty_query_lists_everything_in_force(searcher):
    assert search(searcher).total == 8


@pytest.mark.parametrize("options", [{"sort": "title"}, {"page": 0}, {"per_page": 0}, {"per_page": 100_000}])
def test_bad_paging_and_sort_are_refused(searcher, options):
    with pytest.raises(QueryError):
        search(searcher, "排放", **options)


@pytest.mark.parametrize("q", ["*排放", "x" * 1000, "(" * 20 + "排放" + ")" * 20, "text:排放"])
def test_refused_queries_raise_query_error(searcher, q):
    with pytest.raises(QueryError):
        search(searcher, q)


def test_every_search_is_bounded_in_time(searcher, monkeypatch):
    """The bound is enforced by the code: with a clock that jumps, the search stops with query_timeout."""
    clock = itertools.count(start=0.0, step=10.0)
    monkeypatch.setattr("app.search.searcher.time.monotonic", lambda: next(clock))
    with pytest.raises(QueryError) as info:
        search(searcher, "排放")
    assert info.value.code == "query_timeout"


def test_time_limit_is_a_searcher_setting(built):
    s = Searcher(built.path, time_limit=-1)
    try:
        with pytest.raises(QueryError):
            s.search(SearchRequest(q="排放"))
    finally:
        s.close()


def test_zhejiang_air_found_by_request_filter_and_field_alike(searcher):
    by_filter = search(searcher, "排放", jurisdictions=["CN-ZJ"])
    by_field = search(searcher, "排放 jurisdiction:CN-ZJ")
    assert [h["id"] for h in by_filter.hits] == [h["id"] for h in by_field.hits] == [ZJ_AIR]


def test_a_single_jurisdiction_string_is_one_code(searcher):
    assert {h["id"] for h in search(searcher, "排放", jurisdictions="CN-ZJ").hits} == {ZJ_AIR}
