"""Real pairs from ../shared/lawtexts (read at run time, never committed; skipped when absent)."""

from __future__ import annotations

import pytest

from app.diff import compare_rules, diff_rules

pytestmark = pytest.mark.lawtexts


@pytest.mark.parametrize("name", ["optimize-business-2020-2024", "air-pollution-sh-zj", "local-finance-sh-zj"])
def test_real_pair_every_article_once_and_types_known(real_pair, name):
    a, b = real_pair(name)
    d = diff_rules(a, b)
    seen_a = [x for p in d["pairs"] for x in p["a_articles"]] + d["only_in_a"]
    seen_b = [x for p in d["pairs"] for x in p["b_articles"]] + d["only_in_b"]
    assert sorted(seen_a) == sorted(x.id for x in a.articles)
    assert sorted(seen_b) == sorted(x.id for x in b.articles)
    types = {x["type"] for p in d["pairs"] for x in p["differences"]}
    assert types <= {"definition", "penalty", "deadline", "modality", "scope", "number", "wording"}


def test_amended_shanghai_business_regulation_aligns_most_articles(real_pair):
    a, b = real_pair("optimize-business-2020-2024")
    d = diff_rules(a, b)
    assert len(d["pairs"]) >= 70  # 80 articles in 2020; 4 were dropped or rewritten beyond recognition
    assert d["pairs"][0]["a_articles"][0].endswith("#art-1") and d["pairs"][0]["b_articles"][0].endswith("#art-1")
    assert d["summary"]["moved"] == 0


def test_compare_uses_the_same_alignment_as_diff(real_pair):
    a, b = real_pair("local-finance-sh-zj")
    c = compare_rules(a, [b])
    d = diff_rules(a, b)
    key = b.id
    assert c["summary"][key]["extra"] == len(d["only_in_b"])
    assert c["summary"][key]["missing"] == len(d["only_in_a"])
