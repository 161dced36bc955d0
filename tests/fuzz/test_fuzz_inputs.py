"""Fuzz subsets (bounded, seeded by Hypothesis): random input never crashes a parser or yields a 500.

Each test states the only outcomes allowed: a result, or the registry's own error type.
"""

from __future__ import annotations

import datetime as dt
import os
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.exceptions import CorpusError, QueryError, RegistryError

#: examples per fuzz test: 300 in `make test` (a few seconds each); raise it for a longer sweep.
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)
LEGAL = st.sampled_from(list("第条章节编之一二三四五六七八九十百零（）()：:、。，；#-*\"' \n\t　OR NOT AND"))
TEXT = st.text(st.one_of(CJK, LEGAL, st.characters(codec="utf-8")), max_size=300)


@FUZZ
@given(st.binary(max_size=2000))
def test_front_matter_reader_only_raises_corpus_errors(data):
    from app.corpus.frontmatter import split_document

    try:
        split_document(data, "fuzz.md")
    except CorpusError as err:
        assert err.problems and all(p.file == "fuzz.md" for p in err.problems)


@FUZZ
@given(st.text(st.one_of(st.characters(codec="utf-8"), st.sampled_from(list(":-[]{}&*!|>'\"#\n "))), max_size=400))
def test_rule_document_validation_only_raises_corpus_errors(fm):
    from app.corpus.loader import References, parse_rule_document

    refs = References({}, {}, {})
    try:
        parse_rule_document(
            ("---\n" + fm + "\n---\n## 第一条\n\n正文。\n").encode("utf-8", "surrogatepass"), "x.md", refs
        )
    except CorpusError:
        pass
    except UnicodeEncodeError:
        pass


@FUZZ
@given(TEXT)
def test_structure_parser_never_crashes(body):
    from app.corpus.structure import parse_body

    parsed, problems = parse_body(body, file="fuzz.md")
    numbers = [a.number for a in parsed.articles]
    assert len(numbers) - len(set(numbers)) <= len(problems)


@FUZZ
@given(TEXT)
def test_query_parser_returns_or_refuses(q):
    from app.search.query import parse_query

    try:
        parse_query(q)
    except QueryError as err:
        assert err.message


@FUZZ
@given(
    st.text(st.one_of(CJK, st.characters(codec="utf-8")), max_size=200),
    st.text(st.one_of(CJK, st.characters(codec="utf-8")), max_size=200),
)
def test_inline_ops_rebuild_both_texts(a, b):
    from app.diff.inline import inline_ops

    ops = inline_ops(a, b)
    assert "".join(o.a_text for o in ops) == a
    assert "".join(o.b_text for o in ops) == b


PARAM_VALUES = st.one_of(
    TEXT,
    st.dates(dt.date(1900, 1, 1), dt.date(2200, 1, 1)).map(str),
    st.integers(-5, 10**6).map(str),
    st.sampled_from(["CN-SH", "cn-js", "environment", "", "<x>"]),
)


@FUZZ
@given(
    st.sampled_from(
        [
            "/api/v1/search",
            "/api/v1/rules",
            "/api/v1/matrix",
            "/api/v1/diff",
            "/api/v1/compare",
            "/api/v1/hard-rules",
            "/api/v1/scoreboard",
            "/api/v1/innovations",
            "/search",
            "/rules",
        ]
    ),
    st.dictionaries(
        st.sampled_from(
            [
                "q",
                "as_of",
                "jurisdiction",
                "topic",
                "kind",
                "page",
                "per_page",
                "sort",
                "a",
                "b",
                "baseline",
                "rules",
                "category",
                "year",
                "promoted",
            ]
        ),
        PARAM_VALUES,
        max_size=5,
    ),
)
def test_get_routes_never_answer_500(fuzz_client, path, params):
    r = fuzz_client.get(path, query_string=params)
    assert r.status_code < 500, (path, params, r.get_data(as_text=True)[:300])
    if path.startswith("/api/") and r.status_code >= 400:
        body = r.get_json()
        assert set(body) == {"error"} and body["error"]["code"]
        assert "<" not in r.get_data(as_text=True)


@FUZZ
@given(st.text(alphabet=string.ascii_lowercase + "-/@0123456789" + "中文", max_size=60))
def test_rule_paths_never_answer_500(fuzz_client, ident):
    for prefix in ("/api/v1/rules/", "/rules/"):
        r = fuzz_client.get(prefix + ident)
        assert r.status_code < 500, (prefix + ident, r.status_code)


@FUZZ
@given(
    st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXT),
        lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
        max_leaves=12,
    )
)
def test_compliance_check_never_answers_500(fuzz_client, body):
    r = fuzz_client.post("/api/v1/compliance-check", json=body)
    assert r.status_code in (200, 400), r.get_data(as_text=True)[:300]


def test_registry_errors_are_the_only_domain_errors():
    assert issubclass(QueryError, RegistryError) and issubclass(CorpusError, RegistryError)
