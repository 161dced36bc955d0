"""Hand-computed cases for matrix, hard rules, scoreboard and compliance."""

from __future__ import annotations

import datetime as dt

import pytest

from app.exceptions import NotFound, ValidationError
from app.harmonization import (
    HardRuleDef,
    ParameterDef,
    ValueRecord,
    alignment_changes,
    compliance_check,
    hard_rule_detail,
    hard_rules_status,
    matrix,
    progress_series,
    scoreboard,
)
from app.harmonization.coverage import HeldVersion
from app.harmonization.scoreboard import rating, year_before

D = dt.date
COD = ParameterDef(
    "env.water.cod.max_concentration", "化学需氧量排放浓度限值", "COD limit", "environment", "mg/L", "lower"
)
EIA = ParameterDef("env.eia.mutual_recognition", "环评互认", "EIA recognition", "environment", "", "true")
CUT = ParameterDef("energy.intensity.reduction", "能耗强度下降目标", "intensity cut", "energy", "%", "higher")
DAYS = ParameterDef("data.export.review_days", "审查时限", "review days", "data", "个工作日", "equal")
PARAMS = [COD, EIA, CUT, DAYS]


def rec(key, value, issuer, start, end=None, binds=None, scope=None, rule="r", art=4):
    rule_id = f"{issuer.lower()}/t/{rule}"
    return ValueRecord(
        key,
        scope,
        value,
        issuer,
        binds or [issuer],
        rule_id,
        f"{rule_id}@{start.isoformat()}",
        f"{rule_id}#art-{art}",
        start,
        end,
    )


RECORDS = [
    rec(COD.key, 50, "CN", D(2002, 1, 1), rule="gb18918"),
    rec(COD.key, 30, "CN-JS", D(2020, 1, 1), D(2023, 1, 1), rule="js-wwtp"),
    rec(COD.key, 40, "CN-JS", D(2023, 1, 1), rule="js-wwtp"),
    rec(COD.key, 30, "CN-SH", D(2019, 7, 1), D(2024, 6, 1), rule="sh-wwtp"),  # repealed 2024-06-01
    rec(COD.key, 20, "YRD-DZ", D(2022, 1, 1), binds=["CN-SH", "CN-JS", "CN-ZJ"], scope="A级", rule="dz-joint"),
    rec(EIA.key, True, "CN-SH", D(2021, 1, 1), rule="sh-eia"),
    rec(EIA.key, False, "CN-ZJ", D(2021, 1, 1), rule="zj-eia"),
    rec(CUT.key, 13.5, "CN-SH", D(2021, 1, 1), rule="sh-14th"),
    rec(CUT.key, 14, "CN-JS", D(2021, 1, 1), rule="js-14th"),
    rec(DAYS.key, 10, "CN-SH", D(2022, 1, 1), rule="sh-data"),
    rec(DAYS.key, 15, "CN-SH", D(2023, 1, 1), rule="sh-data2"),
    rec(DAYS.key, 10, "CN-JS", D(2022, 1, 1), rule="js-data"),
]
HR = HardRuleDef(
    "dz-water-cod-common-limit",
    "示范区跨界水体化学需氧量统一限值",
    COD.key,
    None,
    40,
    ["CN-SH", "CN-JS", "CN-ZJ"],
    "YRD-DZ",
    "统一排放标准发布实施",
    D(2025, 12, 31),
    "https://e.org",
)
HR_EIA = HardRuleDef(
    "eia-mutual", "环评互认", EIA.key, None, True, ["CN-SH", "CN-ZJ"], "YRD", "互认", D(2022, 12, 31), "https://e.org"
)


def row(doc, key, scope=None):
    return next(r for r in doc["rows"] if r["key"] == key and r["scope"] == scope)


def test_matrix_cells_rows_and_citations():
    doc = matrix("environment", PARAMS, RECORDS, [HR, HR_EIA], as_of=D(2024, 1, 1))
    assert doc["topic"] == "environment" and doc["as_of"] == "2024-01-01"
    assert doc["jurisdictions"] == ["CN-SH", "CN-JS", "CN-ZJ", "CN-AH"]
    assert [(r["key"], r["scope"]) for r in doc["rows"]] == [(COD.key, None), (COD.key, "A级"), (EIA.key, None)]
    cod = row(doc, COD.key)
    sh = cod["values"]["CN-SH"]
    assert sh == {
        "value": 30,
        "status": "strictest",
        "rule_id": "cn-sh/t/sh-wwtp",
        "version": "cn-sh/t/sh-wwtp@2019-07-01",
        "article": "cn-sh/t/sh-wwtp#art-4",
        "alignment": "aligned",
    }
    assert cod["values"]["CN-JS"]["value"] == 40 and cod["values"]["CN-JS"]["status"] == "less_strict"
    assert cod["values"]["CN-ZJ"]["rule_id"] == "cn/t/gb18918"  # CN binds every jurisdiction
    assert cod["values"]["CN-ZJ"]["alignment"] == "divergent"
    assert "alignment" not in cod["values"]["CN-AH"]  # the hard rule does not list Anhui
    assert cod["status"] == "divergent"
    assert cod["strictest"] == {"jurisdictions": ["CN-SH"], "value": 30}
    assert cod["spread"] == 20.0
    assert cod["hard_rules"] == [HR.id]
    scoped = row(doc, COD.key, "A级")
    assert scoped["status"] == "partial"  # Anhui has no A级 value; the others agree
    assert scoped["values"]["CN-AH"] is None
    eia = row(doc, EIA.key)
    assert eia["spread"] is None
    assert eia["strictest"] == {"jurisdictions": ["CN-SH"], "value": True}
    assert eia["values"]["CN-JS"] is None  # HR_EIA does not list Jiangsu
    assert eia["values"]["CN-AH"] is None


def test_matrix_missing_cell_on_a_targeted_row_carries_alignment():
    # SPEC §8.3: with no value, "missing" needs the official text of the topic; without it "unknown"
    hr = HardRuleDef("eia-all", "环评互认", EIA.key, None, True, ["CN-JS"], None, None, None, None)
    official = [
        HeldVersion("cn-js/t/x", "cn-js/t/x@2020-01-01", "environment", "CN-JS", ["CN-JS"], "full_text", D(2020, 1, 1))
    ]
    for held, alignment in (([], "unknown"), (official, "missing")):
        doc = matrix("environment", PARAMS, RECORDS, [hr], as_of=D(2024, 1, 1), coverage=held)
        assert row(doc, EIA.key)["values"]["CN-JS"] == {
            "value": None,
            "status": "missing",
            "rule_id": None,
            "version": None,
            "article": None,
            "alignment": alignment,
        }


def test_matrix_repeal_takes_effect_on_its_date():
    before = row(matrix("environment", PARAMS, RECORDS, as_of=D(2024, 5, 31)), COD.key)
    after = row(matrix("environment", PARAMS, RECORDS, as_of=D(2024, 6, 1)), COD.key)
    assert before["values"]["CN-SH"]["value"] == 30
    assert after["values"]["CN-SH"]["value"] == 50


def test_matrix_aligned_row_and_higher_direction():
    doc = matrix("energy", PARAMS, RECORDS, jurisdictions=["cn-sh", "CN-JS"], as_of=D(2024, 1, 1))
    cut = row(doc, CUT.key)
    assert doc["jurisdictions"] == ["CN-SH", "CN-JS"]
    assert cut["strictest"] == {"jurisdictions": ["CN-JS"], "value": 14}
    assert cut["status"] == "divergent"
    assert cut["spread"] == 0.5
    same = [rec(CUT.key, 14, "CN-SH", D(2021, 1, 1)), rec(CUT.key, 14.0, "CN-JS", D(2021, 1, 1))]
    assert (
        row(matrix("energy", PARAMS, same, jurisdictions=["CN-SH", "CN-JS"], as_of=D(2024, 1, 1)), CUT.key)["status"]
        == "aligned"
    )


def test_matrix_equal_parameter_conflict_and_prevailing():
    doc = matrix("data", PARAMS, RECORDS, jurisdictions=["CN-SH", "CN-JS", "CN-ZJ"], as_of=D(2024, 1, 1))
    days = row(doc, DAYS.key)
    sh = days["values"]["CN-SH"]
    assert sh["conflict"] is True  # 10 and 15 both in force in Shanghai
    assert sh["rule_id"] == "cn-sh/t/sh-data2"  # tie-break: the most recent version
    assert days["status"] == "divergent"
    assert days["strictest"] == {"jurisdictions": ["CN-JS"], "value": 10}  # 10 vs 15: tie -> smallest


def test_matrix_parameter_without_values_still_has_a_row():
    doc = matrix("energy", PARAMS, [], as_of=D(2024, 1, 1))
    assert [(r["key"], r["scope"], r["status"]) for r in doc["rows"]] == [(CUT.key, None, "partial")]
    assert all(v is None for v in doc["rows"][0]["values"].values())


def test_hard_rules_status_and_deadline():
    doc = hard_rules_status([HR, HR_EIA], PARAMS, RECORDS, D(2024, 1, 1))
    cod, eia = doc["items"]
    assert cod["id"] == HR.id
    assert {j: c["status"] for j, c in cod["status"].items()} == {
        "CN-SH": "aligned",
        "CN-JS": "aligned",
        "CN-ZJ": "divergent",
    }
    assert cod["aligned_share"] == 2 / 3
    assert cod["deadline_status"] == "on_track"
    assert cod["status"]["CN-ZJ"]["article"] == "cn/t/gb18918#art-4"
    assert eia["deadline_status"] == "overdue"
    assert eia["status"]["CN-ZJ"] == {
        "status": "divergent",
        "value": False,
        "rule_id": "cn-zj/t/zj-eia",
        "version": "cn-zj/t/zj-eia@2021-01-01",
        "article": "cn-zj/t/zj-eia#art-4",
        "held": {"full_text": 0, "summary": 0, "unspecified": 0},  # additive (SPEC §8.3 wording)
    }
    met = hard_rules_status(
        [HR_EIA], PARAMS, [*RECORDS[:6], rec(EIA.key, True, "CN-ZJ", D(2021, 1, 1), rule="x")], D(2024, 1, 1)
    )["items"][0]
    assert met["deadline_status"] == "met" and met["aligned_share"] == 1.0


def test_hard_rule_without_scope_ignores_scoped_values():
    only_scoped = [rec(COD.key, 20, "YRD-DZ", D(2022, 1, 1), binds=["CN-SH"], scope="A级")]
    item = hard_rules_status([HR], PARAMS, only_scoped, D(2024, 1, 1))["items"][0]
    assert item["status"]["CN-SH"]["status"] == "unknown"  # no official text held (SPEC §8.3)
    assert item["status"]["CN-SH"]["value"] is None


def test_hard_rule_timeline():
    detail = hard_rule_detail(HR.id, [HR], PARAMS, RECORDS, D(2030, 1, 1))
    assert [
        (p["date"], p["status"]["CN-SH"], p["status"]["CN-JS"], p["aligned_share"]) for p in detail["timeline"]
    ] == [
        ("2002-01-01", "divergent", "divergent", 0.0),
        ("2019-07-01", "aligned", "divergent", 1 / 3),
        ("2020-01-01", "aligned", "aligned", 2 / 3),
        ("2023-01-01", "aligned", "aligned", 2 / 3),
        ("2024-06-01", "divergent", "aligned", 1 / 3),
    ]
    assert detail["deadline_status"] == "overdue"
    short = hard_rule_detail(HR.id, [HR], PARAMS, RECORDS, D(2020, 1, 1))
    assert short["timeline"][-1]["date"] == "2020-01-01"
    with pytest.raises(NotFound):
        hard_rule_detail("nope", [HR], PARAMS, RECORDS, D(2024, 1, 1))


def test_alignment_changes_and_progress_series():
    events = alignment_changes([HR], PARAMS, RECORDS, D(2030, 1, 1))
    assert [(e.date.isoformat(), e.jurisdiction, e.kind) for e in events] == [
        ("2024-06-01", "CN-SH", "broken"),
        ("2020-01-01", "CN-JS", "restored"),
        ("2019-07-01", "CN-SH", "restored"),
    ]
    assert events[0].rule_id == "cn/t/gb18918" and events[0].value == 50
    assert alignment_changes([HR], PARAMS, RECORDS, D(2030, 1, 1), since=D(2024, 1, 1))[0].kind == "broken"
    series = progress_series([HR], PARAMS, RECORDS, D(2025, 1, 1))
    assert series[0] == (D(2002, 1, 1), 0.0)
    assert series[-1] == (D(2025, 1, 1), 1 / 3)


def test_scoreboard():
    board = scoreboard([HR, HR_EIA], PARAMS, RECORDS, D(2024, 7, 1), jurisdictions=["CN-AH"])
    assert board["as_of"] == "2024-07-01" and board["year_before"] == "2023-07-01"
    sh, zj, ah = (board["jurisdictions"][j] for j in ("CN-SH", "CN-ZJ", "CN-AH"))
    assert sh == {
        "applicable": 2,
        "aligned": 1,
        "divergent": 1,
        "missing": 0,
        "unknown": 0,
        "deficit": 0.5,
        "deficit_year_before": 0.0,
        "change": 0.5,
        "rating": "amber",
    }
    assert zj["deficit"] == 1.0 and zj["rating"] == "red"
    assert board["jurisdictions"]["CN-JS"]["rating"] == "green"
    assert ah == {
        "applicable": 0,
        "aligned": 0,
        "divergent": 0,
        "missing": 0,
        "unknown": 0,
        "deficit": None,
        "deficit_year_before": None,
        "change": None,
        "rating": "none",
    }


def test_rating_thresholds_and_leap_day():
    assert [rating(x) for x in (0.0, 0.25, 0.26, 0.5, 0.51, None)] == [
        "green",
        "green",
        "amber",
        "amber",
        "red",
        "none",
    ]
    assert year_before(D(2024, 2, 29)) == D(2023, 2, 28)


def test_compliance_check_hand_computed():
    out = compliance_check(
        ["CN-SH", "cn-js", "CN-AH"], {COD.key: 45, EIA.key: False}, PARAMS, RECORDS, D(2024, 1, 1), expand_to="CN-ZJ"
    )
    by = {(r["jurisdiction"], r["parameter"]): r for r in out["results"]}
    assert len(out["results"]) == 6
    assert by["CN-SH", COD.key]["required"] == 30 and by["CN-SH", COD.key]["compliant"] is False
    assert by["CN-JS", COD.key]["required"] == 40 and by["CN-JS", COD.key]["compliant"] is False
    assert by["CN-AH", COD.key]["required"] == 50 and by["CN-AH", COD.key]["compliant"] is True
    assert by["CN-AH", COD.key]["article"] == "cn/t/gb18918#art-4"
    assert by["CN-SH", EIA.key]["required"] is True and by["CN-SH", EIA.key]["compliant"] is False
    assert by["CN-JS", EIA.key]["required"] is None and by["CN-JS", EIA.key]["compliant"] is None
    assert out["strictest"][COD.key] == {"value": 30, "jurisdictions": ["CN-SH"]}
    assert out["strictest"][EIA.key] == {"value": True, "jurisdictions": ["CN-SH"]}
    exp = {e["parameter"]: e for e in out["expansion"]}
    assert exp[COD.key]["now"] == 30 and exp[COD.key]["with_new"] == 30 and exp[COD.key]["change"] == "same"
    assert exp[EIA.key]["change"] == "same"


def test_compliance_expansion_new_and_stricter_and_units():
    out = compliance_check(
        ["CN-AH"],
        {COD.key: {"value": 0.035, "unit": "g/L"}, CUT.key: 13.8},
        PARAMS,
        RECORDS,
        D(2024, 1, 1),
        expand_to="CN-JS",
    )
    assert out["results"][0]["fact"] == 35.0 and out["results"][0]["compliant"] is True
    assert out["results"][1]["required"] is None
    exp = {e["parameter"]: e for e in out["expansion"]}
    assert exp[COD.key] == {
        "parameter": COD.key,
        "scope": None,
        "now": 50,
        "with_new": 40,
        "change": "stricter",
        "jurisdiction": "CN-JS",
        "required": 40,
        "unit": "mg/L",
        "rule_id": "cn-js/t/js-wwtp",
        "version": "cn-js/t/js-wwtp@2023-01-01",
        "article": "cn-js/t/js-wwtp#art-4",
    }
    assert exp[CUT.key]["now"] is None and exp[CUT.key]["with_new"] == 14 and exp[CUT.key]["change"] == "new"


def test_compliance_scopes_and_equal_conflict():
    out = compliance_check(["CN-ZJ"], {COD.key: 25}, PARAMS, RECORDS, D(2024, 1, 1), scopes={COD.key: "A级"})
    assert out["results"][0]["required"] == 20 and out["results"][0]["compliant"] is False
    assert out["results"][0]["scope"] == "A级"
    out = compliance_check(["CN-SH", "CN-JS"], {DAYS.key: 10}, PARAMS, RECORDS, D(2024, 1, 1))
    assert out["strictest"][DAYS.key] == {"value": None, "jurisdictions": []}


def test_compliance_without_scope_names_the_scopes_held():
    scoped = [
        rec(COD.key, 20, "YRD-DZ", D(2022, 1, 1), binds=["CN-SH"], scope="A级", rule="dz-joint"),
        rec(COD.key, 30, "CN-SH", D(2022, 1, 1), scope="B级", rule="sh-wwtp"),
        rec(COD.key, 60, "CN-SH", D(2010, 1, 1), D(2020, 1, 1), scope="C级", rule="sh-old"),  # not in force
    ]
    out = compliance_check(["CN-SH", "CN-AH"], {COD.key: 25}, PARAMS, scoped, D(2024, 1, 1))
    sh, ah = out["results"]
    assert sh["required"] is None and sh["compliant"] is None
    assert sh["scopes_available"] == ["A级", "B级"]
    assert ah["required"] is None and "scopes_available" not in ah
    out = compliance_check(["CN-SH"], {COD.key: 25}, PARAMS, scoped, D(2024, 1, 1), scopes={COD.key: "A级"})
    assert out["results"][0]["required"] == 20 and "scopes_available" not in out["results"][0]
    out = compliance_check(["CN-SH"], {COD.key: 25}, PARAMS, scoped, D(2024, 1, 1), scopes={COD.key: "D级"})
    assert out["results"][0]["scopes_available"] == ["A级", "B级"]


@pytest.mark.parametrize(
    ("facts", "jurisdictions"),
    [
        ({"no.such.key": 1}, ["CN-SH"]),
        ({COD.key: "45"}, ["CN-SH"]),
        ({COD.key: True}, ["CN-SH"]),
        ({EIA.key: 1}, ["CN-SH"]),
        ({COD.key: {"value": 45, "unit": "天"}}, ["CN-SH"]),
        ({}, ["CN-SH"]),
        ({COD.key: 45}, []),
    ],
)
def test_compliance_refuses_bad_input(facts, jurisdictions):
    with pytest.raises(ValidationError):
        compliance_check(jurisdictions, facts, PARAMS, RECORDS, D(2024, 1, 1))
