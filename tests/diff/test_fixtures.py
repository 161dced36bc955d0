"""The hand-written cases in fixtures/*.yaml: each diff must equal its ``expected`` document exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.diff import diff_rules

CASES = sorted(p.stem for p in (Path(__file__).parent / "fixtures").glob("*.yaml"))

STRUCTURAL = {
    # case: the summary counts that define it
    "same": {"unchanged": 7},
    "formatting_only": {"unchanged": 7},
    "formatting_variant_glyphs": {"unchanged": 2},
    "changed": {"changed": 1, "unchanged": 6},
    "added_renumbered": {"added": 1, "renumbered": 3, "unchanged": 7},
    "removed": {"removed": 1, "renumbered": 4, "unchanged": 6},
    "inserted_article_zhiyi": {"added": 1, "unchanged": 7},
    "moved": {"moved": 1, "renumbered": 2, "unchanged": 7},
    "split": {"split": 1, "renumbered": 2, "unchanged": 6},
    "merged": {"merged": 1, "renumbered": 2, "unchanged": 6},
    "cross_province": {"changed": 6, "added": 2, "removed": 1, "renumbered": 2, "moved": 1},
}
TYPE_TABLES = {
    "type_number": ["number"] * 5,
    "type_modality": ["modality"] * 4,
    "type_deadline": ["deadline"] * 4,
    "type_penalty": ["penalty"] * 4,
    "type_scope": ["scope"] * 3,
    "type_definition": ["definition"] * 3,
    "type_wording": ["wording"] * 3,
    "type_order": ["definition", "penalty", "modality"],
}


def test_every_fixture_is_covered_by_a_table_here():
    assert set(CASES) == set(STRUCTURAL) | set(TYPE_TABLES) | {"parameters"}


@pytest.mark.parametrize("name", CASES)
def test_fixture_diff_equals_expected_document(load_case, name):
    a, b, expected = load_case(name)
    assert diff_rules(a, b) == expected


@pytest.mark.parametrize("name", CASES)
def test_fixture_diff_is_json_and_has_the_spec_keys(load_case, name):
    a, b, _ = load_case(name)
    d = json.loads(json.dumps(diff_rules(a, b)))
    assert list(d) == ["a", "b", "summary", "pairs", "only_in_a", "only_in_b", "parameters"]
    assert set(d["summary"]) == {"added", "removed", "renumbered", "moved", "split", "merged", "changed", "unchanged"}
    for p in d["pairs"]:
        assert set(p) == {"a_articles", "b_articles", "kind", "similarity", "ops", "differences"}
        assert p["kind"] in {"same", "changed", "split", "merged"}
        assert 0.0 <= p["similarity"] <= 1.0


@pytest.mark.parametrize("name", sorted(STRUCTURAL))
def test_structural_case_summary(load_case, name):
    a, b, _ = load_case(name)
    summary = diff_rules(a, b)["summary"]
    assert {k: v for k, v in summary.items() if v} == STRUCTURAL[name]


@pytest.mark.parametrize("name", sorted(TYPE_TABLES))
def test_type_table_one_type_per_article(load_case, name):
    a, b, _ = load_case(name)
    pairs = diff_rules(a, b)["pairs"]
    assert [{d["type"] for d in p["differences"]} for p in pairs] == [{t} for t in TYPE_TABLES[name]]


@pytest.mark.parametrize("name", ["formatting_only", "formatting_variant_glyphs", "same"])
def test_formatting_only_pairs_are_same_with_only_equal_ops(load_case, name):
    a, b, _ = load_case(name)
    for p in diff_rules(a, b)["pairs"]:
        assert p["kind"] == "same"
        assert p["differences"] == []
        assert {o["op"] for o in p["ops"]} == {"equal"}
        assert p["similarity"] == 1.0


def test_deadline_values_fifteen_to_ten_working_days(load_case):
    a, b, _ = load_case("type_deadline")
    first = diff_rules(a, b)["pairs"][0]["differences"]
    assert first == [
        {
            "type": "deadline",
            "a_text": "十五个工作日",
            "b_text": "十个工作日",
            "a_value": 15,
            "b_value": 10,
            "unit": "个工作日",
        }
    ]


def test_number_values_and_units(load_case):
    a, b, _ = load_case("type_number")
    got = [
        (d["a_text"], d["b_text"], d.get("a_value"), d.get("b_value"), d.get("unit"))
        for p in diff_rules(a, b)["pairs"]
        for d in p["differences"]
    ]
    assert got == [
        ("50mg/L", "30mg/L", 50, 30, "mg/L"),
        ("3.5", "2.5", 3.5, 2.5, None),
        ("百分之三", "百分之四", 3, 4, "%"),
        ("二十人", "三十人", 20, 30, "人"),
        ("10%", "15%", 10, 15, "%"),
    ]


def test_every_article_appears_exactly_once_in_every_fixture(load_case):
    for name in CASES:
        a, b, _ = load_case(name)
        d = diff_rules(a, b)
        seen_a = [i for p in d["pairs"] for i in p["a_articles"]] + d["only_in_a"]
        seen_b = [i for p in d["pairs"] for i in p["b_articles"]] + d["only_in_b"]
        assert sorted(seen_a) == sorted(x.id for x in a.articles), name
        assert sorted(seen_b) == sorted(x.id for x in b.articles), name


def test_cross_province_counterparts_pair_by_subject(load_case):
    """Independently drafted articles: the pairing a reader would make, and nothing more."""
    a, b, _ = load_case("cross_province")
    d = diff_rules(a, b)
    got = [
        ([x.split("#art-")[1] for x in p["a_articles"]], [x.split("#art-")[1] for x in p["b_articles"]])
        for p in d["pairs"]
    ]
    assert got == [(["1"], ["1"]), (["2"], ["3"]), (["3"], ["2"]), (["4"], ["4"]), (["6"], ["6"]), (["7"], ["8"])]
    assert [x.split("#art-")[1] for x in d["only_in_a"]] == ["5"]  # 收费 (fees): no counterpart
    assert [x.split("#art-")[1] for x in d["only_in_b"]] == ["5", "7"]  # incentives; mixed-transport fine
    # Most of these pairs are below the fuzz.ratio threshold: the bigram pass found them.
    assert sum(p["similarity"] < 0.5 for p in d["pairs"]) == 3


def test_amended_version_keeps_ratio_alignment():
    """An amended article and an unrelated one sharing boilerplate: the amended one wins."""
    from app.diff import RuleSide, SideArticle

    def side(rid, texts):
        arts = [SideArticle(f"{rid}#art-{k + 1}", str(k + 1), f"第{k + 1}条", t) for k, t in enumerate(texts)]
        return RuleSide(rid, rid + "@v", rid, arts, [])

    a = side("x/a", ["单位未按照规定公开排放信息的，由生态环境部门责令改正，处二万元以上十万元以下罚款。"])
    b = side(
        "x/b",
        [
            "单位拒不执行停产决定的，由生态环境部门责令改正，处二万元以上十万元以下罚款。",
            "单位未按照规定如实公开排放信息的，由生态环境部门责令限期改正，处二万元以上二十万元以下罚款。",
        ],
    )
    d = diff_rules(a, b)
    assert [(p["a_articles"], p["b_articles"]) for p in d["pairs"]] == [(["x/a#art-1"], ["x/b#art-2"])]
