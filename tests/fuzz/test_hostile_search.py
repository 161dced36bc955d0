"""Hostile search (tests/fuzz/hostile_queries.py) through the API and `registry search`: every request is
answered (200) or refused with a reason (400, or 414 for a query string over the limit), never a 500 or
a traceback; refusals name the limit the code enforces; private fields are never searchable.

How long each takes is measured by bench/hostile_search.py (docs/benchmarks.md), not asserted here.
"""

from __future__ import annotations

import json

import pytest

from app.search.query import MAX_DEPTH, MAX_QUERY_CHARS, MAX_TERMS
from app.web.security import MAX_QUERY_STRING_BYTES
from tests.fuzz.hostile_queries import HOSTILE, NORMAL

#: what the registry must answer for some of them (the rest: 200 or 400, never anything else)
EXPECTED = {
    "star": (400, "leading wildcard"),
    "leading-star": (400, "leading wildcard"),
    "hundred-questions": (400, "leading wildcard"),
    "star-inside": (400, "end of a word"),
    "or-1000-terms": (400, "not valid"),
    "or-33-terms": (400, f"more than {MAX_TERMS} terms"),
    "and-40-terms": (400, f"more than {MAX_TERMS} terms"),
    "nest-10000": (400, "not valid"),
    "nest-9": (400, f"deeper than {MAX_DEPTH}"),
    "nest-8": (200, None),
    "not-chain": (400, f"deeper than {MAX_DEPTH}"),
    "100kb-chinese": (414, f"longer than {MAX_QUERY_STRING_BYTES} bytes"),
    "100kb-ascii-words": (414, f"longer than {MAX_QUERY_STRING_BYTES} bytes"),
    "257-chars": (400, f"longer than {MAX_QUERY_CHARS} characters"),
    "256-chars": (200, None),
    "private-text": (400, "not a searchable field"),
    "private-rule-id": (400, "not a searchable field"),
    "status-draft": (400, "not a searchable field"),
    "private-owner": (400, "not a searchable field"),
    "per-page-huge": (400, "not valid"),
    "jurisdiction-1000": (400, "not valid"),
    "sql": (200, None),
    "nul-inside": (200, None),
}


def test_at_least_50_hostile_queries():
    assert len(HOSTILE) >= 50
    assert len({name for name, _ in HOSTILE}) == len(HOSTILE)
    assert set(EXPECTED) <= {name for name, _ in HOSTILE}


@pytest.mark.parametrize(("name", "params"), HOSTILE, ids=[n for n, _ in HOSTILE])
def test_api_answers_or_refuses_with_a_reason(fuzz_client, name, params):
    r = fuzz_client.get("/api/v1/search", query_string=params)
    text = r.get_data(as_text=True)
    assert "Traceback" not in text and r.mimetype == "application/json"
    body = json.loads(text)
    if r.status_code == 200:
        assert isinstance(body["hits"], list) and body["total"] >= 0
        for hit in body["hits"]:
            assert not {"text", "owner", "key", "content_hash"} & set(hit), hit
    else:
        assert r.status_code in (400, 414), (name, r.status_code, text[:300])
        assert set(body) == {"error"} and body["error"]["code"] and body["error"]["message"]
        assert body["error"]["code"] != "query_timeout", (name, body)  # refused by the rules, not by the clock
    if name in EXPECTED:
        status, fragment = EXPECTED[name]
        assert r.status_code == status, (name, text[:300])
        if fragment:
            assert fragment in body["error"]["message"], (name, body)


def test_page_search_answers_or_refuses(fuzz_client):
    for name, params in HOSTILE:
        r = fuzz_client.get("/search", query_string=params)
        assert r.status_code in (200, 400, 414), (name, r.status_code)
        assert "Traceback" not in r.get_data(as_text=True)


@pytest.fixture(scope="module")
def cli_app(fuzz_client):
    return fuzz_client.application


def test_cli_search_answers_or_refuses_with_a_reason(cli_app):
    from app.cli import cli

    runner = cli_app.test_cli_runner()
    problems = []
    for name, params in HOSTILE:
        q = params.get("q", "")
        if "\x00" in q:
            continue  # a command line cannot carry a NUL byte; the API cases cover it
        result = runner.invoke(cli, ["search", "--json", "--", q])
        out = result.output + (result.stderr or "")
        if "Traceback" in out or (result.exception and not isinstance(result.exception, SystemExit)):
            problems.append((name, "crash", out[-300:]))
        elif result.exit_code == 0:
            data = json.loads(result.stdout)
            if not isinstance(data.get("hits"), list):
                problems.append((name, "no hits list"))
        elif result.exit_code != 1 or "error" not in result.stderr.lower():
            problems.append((name, result.exit_code, out[-300:]))
    assert problems == []


def test_normal_queries_still_answer(fuzz_client):
    for params in NORMAL:
        r = fuzz_client.get("/api/v1/search", query_string=params)
        assert r.status_code == 200, (params, r.get_data(as_text=True)[:200])


def test_query_string_limit_is_answered_before_decoding(fuzz_client):
    r = fuzz_client.get("/api/v1/search?q=" + "%E6%B1%A1" * (MAX_QUERY_STRING_BYTES // 9 + 1))
    assert r.status_code == 414 and r.get_json()["error"]["code"] == "uri_too_long"
    assert "Content-Security-Policy" in r.headers
    page = fuzz_client.get("/search?q=" + "x" * (MAX_QUERY_STRING_BYTES + 1))
    assert page.status_code == 414 and page.mimetype == "text/html"
    # the longest q the API takes (2,000 Chinese characters, 18 KB encoded) still reaches the query parser
    ok = fuzz_client.get("/api/v1/search", query_string={"q": "污" * 2000})
    assert ok.status_code == 400 and "longer than" in ok.get_json()["error"]["message"]
