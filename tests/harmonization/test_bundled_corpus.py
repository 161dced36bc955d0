"""The bundled corpus (rules_corpus/) runs through every harmonization function, and the one-pass
and per-cell matrices agree on it."""

from __future__ import annotations

import datetime as dt
import pathlib

import pytest

from app.corpus.loader import read_corpus
from app.harmonization import compliance_check, hard_rules_status, matrix, scoreboard
from app.harmonization.hard_rules import hard_rule_detail
from app.harmonization.report import report_data
from app.harmonization.values import as_hard_rule_defs, as_parameter_defs
from tests.harmonization_reference import matrix_naive, records_from_documents

CORPUS = pathlib.Path(__file__).resolve().parents[2] / "rules_corpus"


@pytest.fixture(scope="module")
def bundled():
    if not (CORPUS / "parameters.yaml").exists():
        pytest.skip("no bundled corpus")
    corpus = read_corpus(CORPUS)
    params = as_parameter_defs(corpus.parameters)
    return params, records_from_documents(corpus.rules, params), as_hard_rule_defs(corpus.hard_rules)


@pytest.mark.parametrize("on", [dt.date(2020, 1, 1), dt.date(2024, 7, 1), dt.date(2026, 1, 1)])
def test_bundled_corpus_matrix_hard_rules_scoreboard(bundled, on):
    params, records, hard_rules = bundled
    assert records
    for topic in ("energy", "environment", "data", "finance"):
        doc = matrix(topic, params, records, hard_rules, as_of=on)
        assert doc == matrix_naive(topic, params, records, hard_rules, as_of=on)
        for row in doc["rows"]:
            for cell in row["values"].values():
                if cell and cell["value"] is not None:
                    # a summary may not state the article (SPEC §8.3): then the cell carries none
                    assert cell["article"] is None or cell["article"].startswith(cell["rule_id"] + "#art-")
                    assert cell["version"].startswith(cell["rule_id"] + "@")
    items = hard_rules_status(hard_rules, params, records, on)["items"]
    assert len(items) == len(hard_rules)
    for hr in hard_rules:
        hard_rule_detail(hr.id, hard_rules, params, records, on)
    board = scoreboard(hard_rules, params, records, on)
    assert all(0 <= v["deficit"] <= 1 for v in board["jurisdictions"].values() if v["deficit"] is not None)


def test_bundled_corpus_report_and_compliance(bundled):
    params, records, hard_rules = bundled
    data = report_data(2025, hard_rules=hard_rules, params=params, records=records)
    assert len(data["status"]) == len(hard_rules) == data["hard_rules"]
    key = next(p.key for p in params if p.stricter == "lower")
    out = compliance_check(
        ["CN-SH", "CN-JS", "CN-ZJ", "CN-AH"], {key: 1.0}, params, records, dt.date(2025, 1, 1), expand_to="YRD-DZ"
    )
    assert len(out["results"]) == 4


def test_compliance_example_cod_and_ammonia_in_shanghai_zhejiang_and_anhui(bundled):
    """COD 45 mg/L and NH3-N 5 mg/L, operating in Shanghai and Zhejiang, expanding to Anhui: every
    province gets classed limits with their source (national GB 18918 binds Anhui too)."""
    params, records, _hard_rules = bundled
    cod, nh3n = "env.water.cod.max_concentration", "env.water.nh3n.max_concentration"
    facts = {cod: 45.0, nh3n: 5.0}
    on = dt.date(2025, 6, 30)
    out = compliance_check(
        ["CN-SH", "CN-ZJ"], facts, params, records, on, expand_to="CN-AH", scopes={cod: "一级A标准", nh3n: "一级A标准"}
    )
    assert len(out["results"]) == 4
    for r in out["results"]:
        assert r["required"] is not None and r["rule_id"] == "cn/environment/gb18918-2002", r
        assert r["version"].startswith(r["rule_id"] + "@")
    assert {(r["parameter"], r["required"], r["compliant"]) for r in out["results"]} == {
        (cod, 50.0, True),
        (nh3n, 5.0, True),
    }
    for e in out["expansion"]:
        assert e["required"] is not None and e["rule_id"] == "cn/environment/gb18918-2002", e
    # the provinces' own standards state COD and NH3-N limits under their own classes
    own = {
        ("CN-SH", "一级标准"): (50.0, 1.5, "cn-sh/environment/db31-199-2018-integrated-wastewater-standard"),
        ("CN-ZJ", "现有城镇污水处理厂"): (40.0, 2.0, "cn-zj/environment/db33-2169-2018-urban-wwtp-standard"),
    }
    for (j, scope), (cod_limit, nh3n_limit, rule_id) in own.items():
        res = compliance_check([j], facts, params, records, on, scopes={cod: scope, nh3n: scope})["results"]
        got = {r["parameter"]: r for r in res}
        assert got[cod]["required"] == cod_limit and got[cod]["rule_id"] == rule_id
        assert got[nh3n]["required"] == nh3n_limit and got[nh3n]["rule_id"] == rule_id
    assert got[cod]["compliant"] is False  # 45 > 40 for an existing Zhejiang plant
