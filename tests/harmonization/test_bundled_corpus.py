"""The bundled corpus (rules_corpus/) runs through every harmonization function, and the one-pass
and per-cell matrices agree on it."""

from __future__ import annotations

import datetime as dt
import pathlib

import pytest

from app.corpus.loader import read_corpus
from app.harmonization import compliance_check, hard_rules_status, matrix, scoreboard
from app.harmonization.hard_rules import hard_rule_detail
from app.harmonization.matrix import matrix_naive
from app.harmonization.report import annual_report
from app.harmonization.values import hard_rule_defs, parameter_defs, records_from_documents

CORPUS = pathlib.Path(__file__).resolve().parents[2] / "rules_corpus"


@pytest.fixture(scope="module")
def bundled():
    if not (CORPUS / "parameters.yaml").exists():
        pytest.skip("no bundled corpus")
    corpus = read_corpus(CORPUS)
    params = parameter_defs(corpus.parameters)
    return params, records_from_documents(corpus.rules, params), hard_rule_defs(corpus.hard_rules)


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
                    # a summary may not state the article (SPEC §8.3): then there is no article link
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
    html = annual_report(2025, hard_rules=hard_rules, params=params, records=records)
    assert "<script" not in html
    key = next(p.key for p in params if p.stricter == "lower")
    out = compliance_check(
        ["CN-SH", "CN-JS", "CN-ZJ", "CN-AH"], {key: 1.0}, params, records, dt.date(2025, 1, 1), expand_to="YRD-DZ"
    )
    assert len(out["results"]) == 4
