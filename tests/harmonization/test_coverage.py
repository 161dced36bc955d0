"""Hand-computed cases for official coverage and the four statuses (SPEC §8.3, §8.4)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.exceptions import ValidationError
from app.harmonization import compliance_check, hard_rule_detail, matrix, scoreboard
from app.harmonization.coverage import Coverage, HeldVersion, alignment, gap_status
from app.harmonization.scoreboard import rating
from app.harmonization.values import HardRuleDef, ParameterDef, ValueRecord

D = dt.date
COD = ParameterDef("cod", "化学需氧量", "COD", "environment", "mg/L", "lower")
GOAL = ParameterDef("goal", "优良比例目标", "good share", "environment", "%", "higher", "government")
PARAMS = [COD, GOAL]


def held(rule, topic, issuer, start, end=None, provenance="full_text", binds=None):
    return HeldVersion(rule, f"{rule}@{start}", topic, issuer, binds or [issuer], provenance, start, end)


def value(v, issuer, start, end=None, rule="r", verified=None, article="r#art-1"):
    return ValueRecord("cod", None, v, issuer, [issuer], rule, f"{rule}@{start}", article, start, end, verified)


HR = HardRuleDef("hr", "统一限值", "cod", None, 40, ["CN-SH", "CN-ZJ"], None, None, None, None)


def test_gap_status_and_alignment():
    assert (gap_status(True), gap_status(False)) == ("missing", "unknown")
    assert alignment(50, 40, "lower", False) == "divergent"  # a value decides, coverage does not matter
    assert alignment(None, 40, "lower", True) == "missing"


def test_coverage_is_by_topic_binding_and_date_and_counts_provenance():
    cov = Coverage(
        [
            held("cn/env/law", "environment", "CN", D(2015, 1, 1)),  # CN binds all
            held("yrd-dz/env/joint", "environment", "YRD-DZ", D(2020, 1, 1), binds=["CN-SH"], provenance="summary"),
            held("cn-zj/energy/x", "energy", "CN-ZJ", D(2020, 1, 1)),
            held("cn-ah/env/old", "environment", "CN-AH", D(2010, 1, 1), D(2012, 1, 1)),
            held("cn-ah/env/plain", "environment", "CN-AH", D(2010, 1, 1), provenance=None),
        ]
    )
    assert cov.official("CN-AH", "environment", D(2014, 1, 1)) is False  # the full_text one ended 2012
    assert cov.official("CN-AH", "environment", D(2011, 1, 1)) is True
    assert cov.official("CN-ZJ", "environment", D(2016, 1, 1)) is True  # through the CN law
    assert cov.official("CN-ZJ", "data", D(2021, 1, 1)) is False
    assert cov.held("CN-SH", "environment", D(2021, 1, 1)) == {"full_text": 1, "summary": 1, "unspecified": 0}
    assert cov.held("CN-AH", "environment", D(2014, 1, 1)) == {"full_text": 0, "summary": 0, "unspecified": 1}
    assert cov.changes("CN-AH", "environment") == [D(2010, 1, 1), D(2012, 1, 1), D(2015, 1, 1)]
    assert cov.spans("CN-ZJ", "energy") == [(D(2020, 1, 1), None)]


def test_matrix_alignment_unknown_then_missing_and_column_coverage():
    hr = HardRuleDef("hr", "统一限值", "cod", None, 40, ["CN-ZJ"], None, None, None, None)
    cov = [held("cn-zj/environment/t", "environment", "CN-ZJ", D(2022, 1, 1))]
    recs = [value(30, "CN-SH", D(2020, 1, 1))]
    for on, want in ((D(2021, 1, 1), "unknown"), (D(2022, 1, 1), "missing")):
        doc = matrix("environment", PARAMS, recs, [hr], as_of=on, coverage=cov, jurisdictions=["CN-SH", "CN-ZJ"])
        assert doc["rows"][0]["values"]["CN-ZJ"]["alignment"] == want
    assert doc["coverage"]["CN-ZJ"] == {"official": True, "held": {"full_text": 1, "summary": 0, "unspecified": 0}}
    assert doc["coverage"]["CN-SH"]["official"] is False


def test_timeline_gets_a_point_only_when_coverage_changes_a_status():
    recs = [value(30, "CN-SH", D(2020, 1, 1), rule="sh")]
    cov = [
        held(
            "cn-zj/environment/t", "environment", "CN-ZJ", D(2022, 1, 1), D(2024, 1, 1)
        ),  # gap: unknown->missing->unknown
        held("cn-sh/environment/t", "environment", "CN-SH", D(2021, 6, 1)),  # SH has a value: no status change
    ]
    detail = hard_rule_detail("hr", [HR], PARAMS, recs, D(2030, 1, 1), coverage=cov)
    assert [(p["date"], p["status"]["CN-SH"], p["status"]["CN-ZJ"]) for p in detail["timeline"]] == [
        ("2020-01-01", "aligned", "unknown"),
        ("2022-01-01", "aligned", "missing"),
        ("2024-01-01", "aligned", "unknown"),
    ]
    assert detail["status"]["CN-ZJ"]["held"] == {"full_text": 0, "summary": 0, "unspecified": 0}


def test_scoreboard_deficit_excludes_unknown_and_incomplete_rating():
    hrs = [
        HardRuleDef(f"hr{i}", "限值", "cod", scope, 40, ["CN-SH"], None, None, None, None)
        for i, scope in enumerate([None, "a", "b", "c"])
    ]
    recs = [value(50, "CN-SH", D(2020, 1, 1))]  # divergent on the unscoped one; no scoped values
    row = scoreboard(hrs, PARAMS, recs, D(2024, 1, 1))["jurisdictions"]["CN-SH"]
    assert (row["divergent"], row["missing"], row["unknown"], row["deficit"], row["rating"]) == (
        1,
        0,
        3,
        0.25,
        "incomplete",
    )
    cov = [held("cn-sh/environment/t", "environment", "CN-SH", D(2020, 1, 1))]
    row = scoreboard(hrs, PARAMS, recs, D(2024, 1, 1), coverage=cov)["jurisdictions"]["CN-SH"]
    assert (row["missing"], row["unknown"], row["deficit"], row["rating"]) == (3, 0, 1.0, "red")
    # exactly a quarter unknown is not incomplete; more is
    assert rating(0.0, 1, 4) == "green" and rating(0.0, 2, 4) == "incomplete" and rating(None, 0, 0) == "none"


def test_compliance_coverage_verified_and_government_refusal():
    recs = [value(30, "CN-SH", D(2020, 1, 1), rule="sh", verified=True, article="sh#art-4")]
    cov = [held("cn-zj/environment/t", "environment", "CN-ZJ", D(2020, 1, 1))]
    out = compliance_check(["CN-SH", "CN-ZJ", "CN-AH"], {"cod": 25}, PARAMS, recs, D(2024, 1, 1), coverage=cov)
    sh, zj, ah = out["results"]
    assert sh["verified_in_text"] is True and "coverage" not in sh and sh["unit"] == "mg/L"
    assert (zj["coverage"], ah["coverage"]) == ("full_text", "none")
    with pytest.raises(ValidationError) as err:
        compliance_check(["CN-SH"], {"cod": 25, "goal": 70}, PARAMS, recs, D(2024, 1, 1))
    assert "goal" in err.value.message and set(err.value.fields) == {"facts.goal"}
    with pytest.raises(ValidationError) as err:  # every bad key is named at once
        compliance_check(["CN-SH"], {"nope": 1, "goal": 70}, PARAMS, recs, D(2024, 1, 1))
    assert set(err.value.fields) == {"facts.nope", "facts.goal"}
    assert "nope" in err.value.message and "goal" in err.value.message


def test_deficit_chart_draws_missing_lighter_and_unknown_hatched():
    from app.harmonization.charts import deficit_bars_svg

    board = {
        "jurisdictions": {
            "CN-SH": {
                "applicable": 4,
                "divergent": 1,
                "missing": 1,
                "unknown": 2,
                "deficit": 0.5,
                "rating": "incomplete",
            }
        }
    }
    svg = deficit_bars_svg(board)
    assert 'class="missing"' in svg and 'class="unknown"' in svg and "url(#unknown-hatch)" in svg
    assert "未收录 50%" in svg and "不完整" in svg
    en = deficit_bars_svg(board, locale="en")
    assert "not recorded 50%" in en and "incomplete" in en and "未收录" not in en


def test_official_spans_merge_touching_and_overlapping_versions():
    cov = Coverage(
        [
            held("a", "environment", "CN-SH", D(2018, 1, 1), D(2020, 1, 1)),
            held("a2", "environment", "CN-SH", D(2020, 1, 1), D(2021, 1, 1)),  # touches: one span
            held("b", "environment", "CN-SH", D(2019, 6, 1), D(2019, 7, 1)),  # inside
            held("c", "environment", "CN-SH", D(2022, 1, 1)),
            held("d", "environment", "CN-SH", D(2023, 1, 1), D(2024, 1, 1)),  # inside an open span
            held("s", "environment", "CN-SH", D(2021, 1, 1), provenance="summary"),  # not official
        ]
    )
    assert cov.spans("CN-SH", "environment") == [(D(2018, 1, 1), D(2021, 1, 1)), (D(2022, 1, 1), None)]
    assert [cov.official("CN-SH", "environment", d) for d in (D(2017, 12, 31), D(2020, 12, 31), D(2021, 6, 1))] == [
        False,
        True,
        False,
    ]
    assert cov.official("CN-SH", "environment", D(2030, 1, 1)) is True
