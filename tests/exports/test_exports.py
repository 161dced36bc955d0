"""CSV/XLSX exports: citations as columns, openpyxl opens them, output is deterministic."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl

from app.exports import (
    hard_rules_csv,
    innovations_csv,
    innovations_xlsx,
    matrix_csv,
    matrix_xlsx,
    scoreboard_csv,
    scoreboard_xlsx,
)
from app.harmonization import HardRuleDef, ParameterDef, ValueRecord, hard_rules_status, matrix, scoreboard

D = dt.date
P = [
    ParameterDef("env.cod", "化学需氧量", "COD", "environment", "mg/L", "lower"),
    ParameterDef("env.eia", "环评互认", "EIA", "environment", "", "true"),
]
R = [
    ValueRecord(
        "env.cod",
        None,
        50.0,
        "CN",
        ["CN"],
        "cn/environment/gb",
        "cn/environment/gb@2002-01-01",
        "cn/environment/gb#art-4",
        D(2002, 1, 1),
    ),
    ValueRecord(
        "env.cod",
        None,
        30.5,
        "CN-JS",
        ["CN-JS"],
        "cn-js/environment/js",
        "cn-js/environment/js@2020-01-01",
        "cn-js/environment/js#art-10-1",
        D(2020, 1, 1),
    ),
    ValueRecord(
        "env.eia",
        None,
        True,
        "CN-SH",
        ["CN-SH"],
        "cn-sh/environment/eia",
        "cn-sh/environment/eia@2021-01-01",
        "cn-sh/environment/eia#art-2",
        D(2021, 1, 1),
    ),
]
HR = [HardRuleDef("hr-cod", "统一限值", "env.cod", None, 40, ["CN-SH", "CN-JS"], "YRD-DZ", "x", D(2025, 1, 1), "u")]
ON = D(2024, 1, 1)
MATRIX = matrix("environment", P, R, HR, as_of=ON)
BOARD = scoreboard(HR, P, R, ON)
INNOV = {
    "total": 2,
    "items": [
        {
            "id": "kua-yu-xiang-mu",
            "title": "跨域项目审批",
            "title_en": None,
            "category": "项目管理",
            "year": 2020,
            "batch": 1,
            "number": None,
            "promoted_nationally": True,
            "promotion_notice": None,
            "related_rules": ["yrd-dz/environment/a", "cn-sh/data/b"],
            "source_url": "https://e.org/1",
            "verified": True,
        },
        {"id": "formula", "title": '=HYPERLINK("http://x")', "category": "规划管理", "source_url": "https://e.org/2"},
    ],
}


def read_csv(data: bytes) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_matrix_csv_has_one_row_per_cell_with_citations():
    rows = read_csv(matrix_csv(MATRIX))
    assert len(rows) == 2 * 4
    js = next(r for r in rows if r["key"] == "env.cod" and r["jurisdiction"] == "CN-JS")
    assert js["value"] == "30.5" and js["cell_status"] == "strictest" and js["alignment"] == "aligned"
    assert (js["rule_id"], js["version"], js["article"]) == (
        "cn-js/environment/js",
        "cn-js/environment/js@2020-01-01",
        "cn-js/environment/js#art-10-1",
    )
    ah = next(r for r in rows if r["key"] == "env.cod" and r["jurisdiction"] == "CN-AH")
    assert ah["value"] == "50" and ah["rule_id"] == "cn/environment/gb"
    missing = next(r for r in rows if r["key"] == "env.eia" and r["jurisdiction"] == "CN-JS")
    assert missing["cell_status"] == "missing" and missing["rule_id"] == ""
    eia = next(r for r in rows if r["key"] == "env.eia" and r["jurisdiction"] == "CN-SH")
    assert eia["value"] == "true"


def test_matrix_xlsx_opens_and_has_the_citations():
    data = matrix_xlsx(MATRIX)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.active
    header = [c.value for c in ws[1]]
    for col in ("rule_id", "version", "article"):
        assert col in header
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert len(values) == 8
    assert any("cn-js/environment/js#art-10-1" in row for row in values)
    assert any(30.5 in row for row in values)


def test_exports_are_byte_identical_across_calls():
    assert matrix_xlsx(MATRIX) == matrix_xlsx(MATRIX)
    assert scoreboard_xlsx(BOARD, hard_rules_status(HR, P, R, ON)) == scoreboard_xlsx(
        BOARD, hard_rules_status(HR, P, R, ON)
    )
    assert matrix_csv(MATRIX) == matrix_csv(MATRIX)
    assert innovations_xlsx(INNOV) == innovations_xlsx(INNOV)


def test_scoreboard_exports():
    rows = read_csv(scoreboard_csv(BOARD))
    assert [(r["jurisdiction"], r["deficit"], r["rating"]) for r in rows] == [
        ("CN-JS", "0", "green"),
        ("CN-SH", "1", "red"),
    ]
    # the four statuses (SPEC §8.3) are columns too
    assert [(r["divergent"], r["missing"], r["unknown"]) for r in rows] == [("0", "0", "0"), ("1", "0", "0")]
    wb = openpyxl.load_workbook(io.BytesIO(scoreboard_xlsx(BOARD, hard_rules_status(HR, P, R, ON))))
    assert wb.sheetnames == ["scoreboard", "hard rules"]
    hr_rows = [[c.value for c in row] for row in wb["hard rules"].iter_rows()]
    assert "article" in hr_rows[0]
    assert any("cn-js/environment/js#art-10-1" in row for row in hr_rows)
    hr_csv = read_csv(hard_rules_csv(hard_rules_status(HR, P, R, ON)))
    assert {r["jurisdiction"]: r["version"] for r in hr_csv} == {
        "CN-SH": "cn/environment/gb@2002-01-01",
        "CN-JS": "cn-js/environment/js@2020-01-01",
    }


def test_innovations_exports_and_formula_injection_is_neutralised():
    rows = read_csv(innovations_csv(INNOV))
    assert rows[0]["related_rules"] == "yrd-dz/environment/a; cn-sh/data/b"
    assert rows[0]["promoted_nationally"] == "true"
    assert rows[1]["title"].startswith("'=")
    wb = openpyxl.load_workbook(io.BytesIO(innovations_xlsx(INNOV)))
    assert wb.active["B3"].value.startswith("'=")
    assert wb.active["A2"].value == "kua-yu-xiang-mu"
