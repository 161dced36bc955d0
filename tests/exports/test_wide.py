"""The matrix in the wide layout (app.exports.wide): one column per jurisdiction, headers in the
reader's language, value and citation in each cell; the XLSX opens in openpyxl with an autofilter."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io

import openpyxl
import pytest

from app.exports import matrix_wide_csv, matrix_wide_table, matrix_wide_xlsx
from app.exports.wide import article_text, number_text
from app.harmonization import HardRuleDef, ParameterDef, ValueRecord, matrix

D = dt.date
P = [
    ParameterDef("env.cod", "化学需氧量", "COD", "environment", "mg/L", "lower"),
    ParameterDef("env.eia", "环评互认", "EIA mutual recognition", "environment", "", "true"),
]


def rec(key, value, j, slug, art, scope=None):  # type: ignore[no-untyped-def]
    rule = f"{j.lower()}/environment/{slug}"
    return ValueRecord(key, scope, value, j, [j], rule, f"{rule}@2020-01-01", f"{rule}#{art}", D(2020, 1, 1))


R = [
    rec("env.cod", 30.0, "CN-SH", "sh", "art-3"),
    rec("env.cod", 40.5, "CN-JS", "js", "art-10-1"),
    rec("env.eia", True, "CN-SH", "sh", "art-2"),
]
HR = [HardRuleDef("hr-cod", "统一限值", "env.cod", None, 40, ["CN-SH", "CN-JS"], "YRD-DZ", "x", D(2025, 1, 1), "u")]
DOC = matrix("environment", P, R, HR, as_of=D(2024, 1, 1))
DOC["coverage"]["CN-ZJ"]["official"] = True  # Zhejiang's official text is held: an empty cell is "missing"
TITLES = {"cn-sh/environment/sh@2020-01-01": "上海市示例标准", "cn-js/environment/js@2020-01-01": "江苏省示例标准"}


def test_wide_table_in_chinese():
    header, rows = matrix_wide_table(DOC, TITLES, "zh")
    assert header == [
        "指标",
        "范围",
        "单位",
        "上海市",
        "江苏省",
        "浙江省",
        "安徽省",
        "行状态",
        "最严值",
        "极差",
        "硬规则",
    ]
    cod = next(r for r in rows if r[0] == "化学需氧量")
    assert cod[1:3] == ["", "mg/L"]
    assert cod[3] == "30（《上海市示例标准》第三条）"
    assert cod[4] == "40.5（《江苏省示例标准》第十条之一）"
    assert cod[5] == "缺失"  # official text held, no value
    assert cod[6] == "未收录"  # nothing held
    assert cod[7:] == ["不一致", "30（上海市）", "10.5", "hr-cod"]
    eia = next(r for r in rows if r[0] == "环评互认")
    assert eia[3] == "是（《上海市示例标准》第二条）"


def test_wide_table_in_english_and_without_titles():
    header, rows = matrix_wide_table(DOC, {}, "en")
    assert header[:7] == ["Parameter", "Scope", "Unit", "Shanghai", "Jiangsu", "Zhejiang", "Anhui"]
    assert header[7:] == ["Row status", "Strictest value", "Spread", "Hard rule"]
    cod = next(r for r in rows if r[0] == "COD")
    assert cod[3] == "30 (cn-sh/environment/sh@2020-01-01, Art. 3)"  # no title known: the version id
    assert cod[4] == "40.5 (cn-js/environment/js@2020-01-01, Art. 10-1)"
    assert cod[5:8] == ["missing", "not recorded", "divergent"]
    assert cod[8] == "30 (Shanghai)"


def test_wide_table_of_a_filtered_or_empty_document():
    empty = {**copy.deepcopy(DOC), "rows": []}
    header, rows = matrix_wide_table(empty, TITLES, "zh")
    assert rows == [] and len(header) == 11
    assert matrix_wide_table({}, None, "zh")[1] == []


def test_wide_csv_reads_back():
    data = matrix_wide_csv(DOC, TITLES, "zh")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0][3] == "上海市" and len(rows) == 3
    assert matrix_wide_csv(DOC, TITLES, "zh") == data  # deterministic


def test_wide_xlsx_headers_citations_and_autofilter():
    data = matrix_wide_xlsx(DOC, TITLES, "zh")
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [c.value for c in ws[1]] == [
        "指标",
        "范围",
        "单位",
        "上海市",
        "江苏省",
        "浙江省",
        "安徽省",
        "行状态",
        "最严值",
        "极差",
        "硬规则",
    ]
    assert ws.auto_filter.ref == "A1:K3"
    assert ws.freeze_panes == "A2"
    cells = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert cells[[r[0] for r in cells].index("化学需氧量")][:4] == [
        "化学需氧量",
        None,
        "mg/L",
        "30（《上海市示例标准》第三条）",
    ]
    assert matrix_wide_xlsx(DOC, TITLES, "zh") == data  # deterministic bytes


def test_wide_xlsx_neutralises_formulas_in_text():
    doc = copy.deepcopy(DOC)
    doc["rows"][0]["label_zh"] = '=HYPERLINK("http://x")'
    ws = openpyxl.load_workbook(io.BytesIO(matrix_wide_xlsx(doc, TITLES, "zh"))).active
    assert ws["A2"].value == '\'=HYPERLINK("http://x")'


@pytest.mark.parametrize(
    "article, zh, en",
    [
        ("cn-sh/x/y#art-3", "第三条", "Art. 3"),
        ("cn-sh/x/y#art-10-1", "第十条之一", "Art. 10-1"),
        (None, "条文未注明", "article not stated"),
        ("cn-sh/x/y#preamble", "preamble", "preamble"),
    ],
)
def test_article_text(article, zh, en):
    assert article_text(article, "zh") == zh
    assert article_text(article, "en") == en


@pytest.mark.parametrize("value, text", [(30.0, "30"), (0.025, "0.025"), (True, "是"), (None, ""), (7, "7")])
def test_number_text(value, text):
    assert number_text(value, "zh") == text
