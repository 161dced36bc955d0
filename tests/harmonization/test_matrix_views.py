"""Views of a matrix document for officials (app.harmonization.matrix): row filters and heat-map bands."""

from __future__ import annotations

import pytest

from app.harmonization.matrix import filter_rows, heat_level, values_count


def cell(value, status="less_strict"):  # type: ignore[no-untyped-def]
    return {"value": value, "status": status, "rule_id": "r", "version": "r@2020-01-01", "article": "r#art-1"}


ROWS = {
    # values differ in three columns, a hard rule targets it
    "cod": {
        "status": "divergent",
        "values": {"A": cell(30, "strictest"), "B": cell(40), "C": cell(50)},
        "hard_rules": ["h1"],
    },
    # one value only (partial), a hard rule targets it: the other cells are "missing" placeholders
    "nh3": {
        "status": "partial",
        "values": {"A": cell(5, "strictest"), "B": cell(None, "missing"), "C": None},
        "hard_rules": ["h2"],
    },
    # all equal in every column
    "tp": {
        "status": "aligned",
        "values": {"A": cell(1, "strictest"), "B": cell(1, "strictest"), "C": cell(1, "strictest")},
        "hard_rules": [],
    },
    # equal where present, two columns
    "tn": {
        "status": "partial",
        "values": {"A": cell(15, "strictest"), "B": cell(15, "strictest"), "C": None},
        "hard_rules": [],
    },
    # no value anywhere
    "ss": {"status": "partial", "values": {"A": None, "B": None, "C": None}, "hard_rules": []},
    # two values that differ, no hard rule
    "ph": {
        "status": "divergent",
        "values": {"A": cell(True, "strictest"), "B": cell(False), "C": None},
        "hard_rules": [],
    },
}
DOC = {
    "topic": "environment",
    "as_of": "2024-01-01",
    "jurisdictions": ["A", "B", "C"],
    "rows": [{"key": k, **v} for k, v in ROWS.items()],
}


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({}, ["cod", "nh3", "tp", "tn", "ss", "ph"]),
        ({"differing": True}, ["cod", "ph"]),
        ({"min_values": 2}, ["cod", "tp", "tn", "ph"]),
        ({"min_values": 3}, ["cod", "tp"]),
        ({"min_values": 4}, []),
        ({"hard_rules": True}, ["cod", "nh3"]),
        ({"differing": True, "hard_rules": True}, ["cod"]),
        ({"min_values": 2, "hard_rules": True}, ["cod"]),
        ({"differing": True, "min_values": 2, "hard_rules": True}, ["cod"]),
        ({"min_values": 0}, ["cod", "nh3", "tp", "tn", "ss", "ph"]),
    ],
)
def test_filter_rows(filters, expected):
    out = filter_rows(DOC, **filters)
    assert [r["key"] for r in out["rows"]] == expected
    assert out["rows_total"] == 6
    assert out["jurisdictions"] == DOC["jurisdictions"] and out["topic"] == "environment"
    assert len(DOC["rows"]) == 6  # the document given is not changed


def test_filter_rows_refuses_a_negative_count():
    with pytest.raises(ValueError, match="min_values"):
        filter_rows(DOC, min_values=-1)


def test_values_count_skips_missing_placeholders():
    assert [values_count(r) for r in DOC["rows"]] == [3, 1, 3, 2, 0, 2]


@pytest.mark.parametrize(
    "value, status, strictest, level",
    [
        (None, "missing", 30.0, 0),
        (30.0, "strictest", 30.0, 1),
        (37.5, "less_strict", 30.0, 2),  # 25 % away: still near
        (38.0, "less_strict", 30.0, 3),
        (60.0, "less_strict", 30.0, 3),  # 100 % away
        (61.0, "less_strict", 30.0, 4),
        (20.0, "less_strict", 25.0, 2),  # "higher is stricter": distance either way
        (5.0, "less_strict", 0.0, 4),  # the strictest is zero
        (False, "less_strict", True, 4),  # yes/no
        (True, "strictest", True, 1),
    ],
)
def test_heat_level(value, status, strictest, level):
    row = {"strictest": {"value": strictest, "jurisdictions": ["A"]}}
    assert heat_level({"value": value, "status": status}, row) == level


def test_heat_level_of_an_empty_cell():
    assert heat_level(None, {"strictest": {"value": 1.0}}) == 0
