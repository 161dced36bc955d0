"""The officials' tools on the fixture corpus: menu, rule picker (JSON suggestions and the no-script
title step), suggested counterparts on the rule page, the change stepper, N-way by checkboxes."""

from __future__ import annotations

import re

import pytest

from tests.web.crawl import problems

SH = "cn-sh/environment/sample-wwtp"
SH_2020 = f"{SH}@2020-01-01"
SH_2023 = f"{SH}@2023-03-01"
JS = "cn-js/environment/sample-wwtp-js"
DZ = "yrd-dz/environment/sample-joint-standard"
DATA = "cn-sh/data/sample-data-rule"


def html(resp) -> str:
    return resp.get_data(as_text=True)


def test_menu_offers_compare(client):
    page = html(client.get("/"))
    assert re.search(r'<a href="/compare" id="nav-compare">比对</a>', page)
    assert 'id="nav-compare">Compare<' in html(client.get("/?lang=en"))


# ---------------------------------------------------------------- picker


def test_picker_suggests_rules_by_title(client):
    doc = client.get("/compare/rules.json?q=污水").get_json()
    assert [i["id"] for i in doc["items"]] == [SH, JS]  # 示例市污水… before 示例省城镇污水…
    first = doc["items"][0]
    assert first["version"] == SH_2023 and first["title"] == "示例市污水排放标准"
    assert first["jurisdiction"] == "CN-SH" and first["jurisdiction_label"] == "上海市"
    assert first["title_lang"] == "zh-CN"
    en = client.get("/compare/rules.json?q=wastewater&lang=en").get_json()["items"]
    assert [i["id"] for i in en] == [SH] and en[0]["jurisdiction_label"] == "Shanghai"
    # on an English page the English title where the registry has one, declared as English
    assert (en[0]["title"], en[0]["title_lang"]) == ("Sample municipal wastewater standard", "en")
    en_zh = client.get("/compare/rules.json?q=污水&lang=en").get_json()["items"]
    no_en = next(i for i in en_zh if i["id"] == JS)  # no English title: the Chinese one, declared as Chinese
    assert (no_en["title"], no_en["title_lang"]) == ("示例省城镇污水处理厂污染物排放标准", "zh-CN")
    # a version read on an earlier date
    old = client.get("/compare/rules.json?q=污水&as_of=2021-01-01").get_json()["items"]
    assert old[0]["version"] == SH_2020


@pytest.mark.parametrize("query", ["", "q=", "q=%20%20", "q=没有这样的规则", "q=%3Cscript%3E"])
def test_picker_finds_nothing_for_empty_or_unknown_text(client, query):
    resp = client.get(f"/compare/rules.json?{query}")
    assert resp.status_code == 200
    assert resp.get_json() == {"items": []}


def test_picker_refuses_a_bad_date(client):
    resp = client.get("/compare/rules.json?q=污水&as_of=2020-02-30")
    assert resp.status_code == 400


def test_compare_form_is_a_picker_without_script(client):
    page = html(client.get("/compare"))
    # fields that take a title fragment, a datalist naming every rule, the script as a file
    assert re.search(r'<input id="pick-a" name="a" list="rule-ids"', page)
    assert re.search(r'<input id="pick-b" name="b" list="rule-ids"', page)
    assert f'<option value="{JS}" lang="zh-CN">江苏省 · 示例省城镇污水处理厂污染物排放标准</option>' in page
    assert "/static/picker.js" in page and "<script>" not in page
    # N-way by checkboxes, one per rule, no multi-select
    assert "multiple" not in page
    assert sorted(re.findall(r'<input type="checkbox" name="rules" value="([^"]+)"', page)) == sorted(
        [SH, JS, DZ, DATA]
    )


def test_a_title_fragment_matching_one_rule_is_compared(client):
    resp = client.get("/compare?a=示例市污水&b=城镇污水处理厂")
    assert resp.status_code == 200
    page = html(resp)
    assert 'id="pane-a"' in page
    assert f'value="{SH}"' in page and f'value="{JS}"' in page  # the fields now hold the ids


def test_a_title_fragment_matching_several_rules_offers_a_choice(client):
    resp = client.get("/compare?a=污水&b=" + JS)
    assert resp.status_code == 200
    page = html(resp)
    assert 'id="choices-a"' in page and 'id="pane-a"' not in page
    assert re.findall(r'<input type="radio" name="a" value="([^"]+)"', page) == [SH, JS]
    assert f'value="{JS}"' in page  # b kept
    # and for the N-way baseline
    page = html(client.get(f"/compare?baseline=污水&rules={DZ}"))
    assert 'id="choices-baseline"' in page
    assert re.findall(r'<input type="checkbox" name="rules" value="([^"]+)" checked', page) == [DZ]


@pytest.mark.parametrize(
    "query, status",
    [
        ("a=没有这样的规则&b=" + JS, 404),  # matches nothing: answered as an unknown id
        (f"rules={JS}&rules={DZ}", 400),  # checkboxes ticked, no baseline
        (f"baseline={SH}&rules={SH}", 400),  # the baseline alone
        ("baseline=" + SH + "".join(f"&rules=r/x/{i}" for i in range(9)), 400),  # more than 8
    ],
)
def test_picker_bad_input(client, query, status):
    resp = client.get(f"/compare?{query}")
    assert resp.status_code == status
    assert resp.mimetype == "text/html"
    assert "<script>" not in html(resp)


# ---------------------------------------------------------------- N-way by checkboxes


def test_nway_from_ticked_checkboxes(client):
    resp = client.get(f"/compare?baseline={SH}&rules={JS}&rules={DZ}")
    assert resp.status_code == 200
    page = html(resp)
    ticked = re.findall(r'<input type="checkbox" name="rules" value="([^"]+)" checked', page)
    assert ticked == [JS, DZ]
    assert 'id="pick-baseline" name="baseline"' in page and f'value="{SH}"' in page


# ---------------------------------------------------------------- stepper


def test_compare_steps_through_every_change_in_order(client):
    page = html(client.get(f"/compare?a={SH_2020}&b={SH_2023}"))
    pane_a = page.split('id="pane-a"')[1].split('id="pane-b"')[0]
    changed = re.findall(r'data-row="(\d+)" data-change="(\d+)"', pane_a)
    assert changed, "the two versions differ"
    rows = [int(r) for r, _ in changed]
    assert [int(c) for _, c in changed] == list(range(1, len(rows) + 1))
    # the change list and the stepper agree
    listed = re.findall(r'<li class="st-[^"]+"><a href="#row-(\d+)"[^>]*>', page)
    assert [int(x) for x in listed] == rows
    assert f'id="change-next" href="#row-{rows[0]}"' in page
    assert f'id="change-prev" href="#row-{rows[-1]}"' in page
    # each changed row links to its neighbours: a chain through every change
    for i, row in enumerate(rows):
        block = pane_a.split(f'id="row-{row}"')[1].split("cmp-text")[0]
        prev_link = re.search(r'href="#row-(\d+)" aria-label="上一处差异"', block)
        next_link = re.search(r'href="#row-(\d+)" aria-label="下一处差异"', block)
        assert (int(prev_link.group(1)) if prev_link else None) == (rows[i - 1] if i else None)
        assert (int(next_link.group(1)) if next_link else None) == (rows[i + 1] if i + 1 < len(rows) else None)


def test_identical_sides_have_no_stepper(client):
    page = html(client.get(f"/compare?a={SH_2023}&b={SH_2023}"))
    assert 'id="cmp-stepper"' not in page and "data-change=" not in page


# ---------------------------------------------------------------- counterparts


def test_rule_page_suggests_counterparts(client):
    page = html(client.get(f"/rules/{SH}"))
    section = page.split('id="counterparts"')[1].split("</section>")[0]
    suggested = re.findall(r'<li data-rule="([^"]+)">', section)
    assert suggested == [JS, DZ]  # same topic, other jurisdictions; the other wastewater standard first
    assert DATA not in section  # another topic
    assert f"/compare?a={SH_2023}&amp;b={JS}&amp;as_of=" in section
    assert 'id="counterparts-nway"' in section


def test_a_rule_alone_on_its_topic_has_no_counterparts(client):
    page = html(client.get(f"/rules/{DATA}?as_of=2024-01-01"))
    section = page.split('id="counterparts"')[1].split("</section>")[0]
    assert "<li" not in section and "登记簿未收录其他地区在该领域的规则" in section


# ---------------------------------------------------------------- matrix

COD = "env.water.cod.max_concentration"
EIA = "env.eia.mutual_recognition"


def matrix_keys(page: str) -> list[str]:
    table = page.split('id="matrix"')[1].split("</table>")[0]
    return re.findall(r'<tr class="row-[a-z]+" data-key="([^"]+)"', table)


@pytest.mark.parametrize(
    "query, keys",
    [
        ("", [EIA, COD]),
        ("&differ=1", [COD]),  # values differ: 30 and 40
        ("&min_values=2", [EIA, COD]),
        ("&min_values=3", [EIA]),  # the joint standard binds three provinces
        ("&hard=1", [COD]),
        ("&differ=1&hard=1&min_values=2", [COD]),
        ("&differ=on&hard=true", [COD]),
        ("&differ=0&hard=", [EIA, COD]),
    ],
)
def test_matrix_filters(client, query, keys):
    page = html(client.get(f"/matrix?topic=environment{query}"))
    assert matrix_keys(page) == keys
    assert f"显示 {len(keys)} 行，共 2 行" in page
    assert ("显示全部行" in page) == (len(keys) != 2)
    # the filters stay ticked, and the downloads carry them
    if "differ=1" in query:
        assert 'name="differ" value="1" checked' in page
        assert re.search(r'href="/matrix\.csv\?layout=wide&amp;[^"]*differ=1', page)


def test_matrix_filters_apply_to_the_downloads(client):
    rows = list(csv_rows(client.get("/matrix.csv?topic=environment&differ=1")))
    assert {r["key"] for r in rows} == {COD}
    wide = client.get("/matrix.csv?topic=environment&layout=wide&hard=1").get_data(as_text=True)
    assert len(wide.strip().splitlines()) == 2


def csv_rows(resp):  # type: ignore[no-untyped-def]
    import csv
    import io

    assert resp.status_code == 200
    return csv.DictReader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff")))


@pytest.mark.parametrize(
    "query, field",
    [
        ("differ=2", "differ"),
        ("hard=maybe", "hard"),
        ("min_values=-1", "min_values"),
        ("min_values=two", "min_values"),
        ("min_values=100", "min_values"),
        ("view=pie", "view"),
    ],
)
def test_matrix_bad_filters_are_refused_by_name(client, query, field):
    resp = client.get(f"/matrix?topic=environment&{query}")
    assert resp.status_code == 400
    assert field in html(resp)
    api_like = client.get(f"/matrix.csv?topic=environment&{query}") if field != "view" else None
    assert api_like is None or api_like.status_code == 400


def test_matrix_cells_cite_province_and_article_shortly(client):
    page = html(client.get("/matrix?topic=environment"))
    row = page.split(f'data-key="{COD}"')[1].split("</tr>")[0]
    sh = row.split('data-jurisdiction="CN-SH"')[1].split("</td>")[0]
    assert re.search(
        r'<a class="cite-short" href="/rules/cn-sh/environment/sample-wwtp@2023-03-01#art-3">上海市 第三条</a>',
        sh,
    )
    en = html(client.get("/matrix?topic=environment&lang=en"))
    assert ">Jiangsu Art. 4</a>" in en


def test_matrix_heat_map(client):
    page = html(client.get("/matrix?topic=environment&view=heat"))
    assert 'class="matrix list heat"' in page
    row = page.split(f'data-key="{COD}"')[1].split("</tr>")[0]
    levels = dict(re.findall(r'data-jurisdiction="([A-Z-]+)" data-heat="(\d)"', row))
    assert levels == {"CN-SH": "1", "CN-JS": "3", "CN-ZJ": "0", "CN-AH": "0"}  # 30 strictest, 40 is 33 % laxer
    assert 'href="/rules/cn-js/environment/sample-wwtp-js@2021-06-30#art-4"' in row
    assert 'name="view" value="heat" checked' in page
    # filters work in the heat map too, and the downloads do not carry the view
    page = html(client.get("/matrix?topic=environment&view=heat&differ=1"))
    assert matrix_keys(page) == [COD]
    assert "view=heat" not in page.split('class="downloads"')[1].split("</p>")[0]


def test_matrix_wide_downloads(client):
    import io

    import openpyxl

    resp = client.get("/matrix.xlsx?topic=environment&layout=wide")
    assert resp.status_code == 200
    assert 'filename="matrix-environment-' in resp.headers["Content-Disposition"]
    ws = openpyxl.load_workbook(io.BytesIO(resp.data)).active
    header = [c.value for c in ws[1]]
    assert header[:7] == ["指标", "范围", "单位", "上海市", "江苏省", "浙江省", "安徽省"]
    assert ws.auto_filter.ref == f"A1:K{ws.max_row}"
    cod = next(row for row in ws.iter_rows(min_row=2, values_only=True) if row[1] == "A级")
    assert cod[3] == "30（《示例市污水排放标准》第三条）"
    assert cod[4] == "40（《示例省城镇污水处理厂污染物排放标准》第四条）"
    en = client.get("/matrix.csv?topic=environment&layout=wide&lang=en").get_data(as_text=True)
    assert en.lstrip("\ufeff").startswith("Parameter,Scope,Unit,Shanghai,Jiangsu,Zhejiang,Anhui,")
    assert client.get("/matrix.csv?topic=environment&layout=tall").status_code == 400


# ---------------------------------------------------------------- annual report (年度体检)

HR = "dz-cod-common-limit"


def test_menu_offers_the_annual_report(client):
    page = html(client.get("/"))
    assert '<a href="/report" id="nav-report">年度体检</a>' in page
    assert 'id="nav-report">Annual report<' in html(client.get("/?lang=en"))


def test_report_page_for_a_year(client):
    resp = client.get("/report?year=2023&lang=zh")
    assert resp.status_code == 200
    page = html(resp)
    assert "<h1>长三角规则协同年度体检 2023</h1>" in page
    assert '<option value="2023" selected>2023</option>' in page
    assert (
        "状态截至 2023年12月31日，对比 2022年12月31日。硬规则 1 项，逾期 0 项。年内规则变更 1 条，一致性变化 1 次。"
        in page
    )
    # the deficit table, the same numbers as the scoreboard on 31 December
    board = client.get("/api/v1/scoreboard?as_of=2023-12-31").get_json()["jurisdictions"]
    for code, row in board.items():
        assert f'<tr data-jurisdiction="{code}" data-rating="{row["rating"]}">' in page
    # hard rules at year end, each cell citing the article
    hr_row = page.split(f'data-hard-rule="{HR}"')[1].split("</tr>")[0]
    assert f"/hard-rules/{HR}?as_of=2023-12-31" in page
    assert 'href="/rules/cn-sh/environment/sample-wwtp@2023-03-01#art-3">30</a>' in hr_row
    # alignment restored in Shanghai when the 2023 version took effect; and that version in the changes
    changes = page.split('id="report-alignment-changes"')[1].split("</section>")[0]
    assert "2023年3月1日" in changes and "恢复一致" in changes and "上海市" in changes
    rule_changes = page.split('id="report-rule-changes"')[1].split("</section>")[0]
    assert "新增版本" in rule_changes and "/rules/cn-sh/environment/sample-wwtp@2023-03-01" in rule_changes
    # a print button from a file, no inline script, a print layout, and the one-file download
    assert "/static/print.js" in page and "<script>" not in page
    assert 'class="filters no-print"' in page and "/static/officials.css" in page
    assert 'href="/report/2023.html" download' in page


def test_report_page_in_english_and_for_a_quiet_year(client):
    page = html(client.get("/report?year=2021&lang=en"))
    assert "<h1>Annual harmonization report 2021</h1>" in page
    assert "No hard rule was overdue at year end." in page
    page = html(client.get("/report?year=2030&lang=en"))  # past the deadline of 2025-12-31: overdue
    overdue = page.split('id="report-overdue"')[1].split("</section>")[0]
    assert "Sample: common chemical oxygen demand limit of the Demonstration Zone" in overdue
    assert "Zhejiang (not recorded)" in overdue


def test_report_page_defaults_to_last_year(client):
    import datetime as dt

    page = html(client.get("/report"))
    last = dt.date.today().year - 1
    assert f'<option value="{last}" selected>' in page


@pytest.mark.parametrize("language", ["zh", "en"])
def test_report_document_is_the_cli_report_in_the_page_language(client, runner, cli, tmp_path, language):
    resp = client.get(f"/report/2023.html?lang={language}")
    assert resp.status_code == 200
    assert resp.headers["Content-Disposition"] == 'attachment; filename="annual-report-2023.html"'
    out = tmp_path / "r.html"
    args = ["report", "--year", "2023", "--lang", language, "--out", str(out)]
    assert runner.invoke(cli, args).exit_code == 0
    doc = resp.get_data(as_text=True)
    assert doc == out.read_text(encoding="utf-8")
    # one file: the page's sections in one language, styles inline, no scripts, links or outside assets
    assert doc.startswith("<!DOCTYPE html>") and "<style>" in doc and ".report-doc" in doc
    assert not re.search(r"<script|<link|<a |\bsrc=|url\((?!#)", doc)
    page = html(client.get(f"/report?year=2023&lang={language}"))
    for section in ("report-deficit", "report-hard-rules", "report-overdue", "report-alignment-changes"):
        assert f'id="{section}"' in doc
        heading = re.search(f'id="{section}">\\s*<h2>([^<]+)</h2>', page)[1]
        assert f"<h2>{heading}</h2>" in doc
    assert problems(doc, language) == []  # no code, no other-language interface text (titles included)
    if language == "en":
        assert '<html lang="en">' in doc and "Annual harmonization report 2023" in doc
    else:
        assert '<html lang="zh-CN">' in doc and "长三角规则协同年度体检 2023" in doc


def test_report_cli_refuses_an_unknown_language(runner, cli):
    result = runner.invoke(cli, ["report", "--year", "2023", "--lang", "fr"])
    assert result.exit_code == 2 and "fr" in result.output


@pytest.mark.parametrize("query", ["year=abc", "year=-1", "year=1800", "year=20233", "year=2023.5"])
def test_report_page_refuses_a_bad_year(client, query):
    resp = client.get(f"/report?{query}")
    assert resp.status_code == 400
    assert "year" in html(resp) and resp.mimetype == "text/html"


def test_report_document_refuses_a_year_out_of_range(client):
    assert client.get("/report/1800.html").status_code == 400
    assert client.get("/report/abc.html").status_code == 404


def test_counterparts_in_english_use_the_english_title_when_there_is_one(client):
    page = html(client.get(f"/rules/{JS}?lang=en"))
    section = page.split('id="counterparts"')[1].split("</section>")[0]
    assert "Shanghai · Sample municipal wastewater standard" in section
    assert '<span lang="zh-CN">示例示范区联合环评互认规定</span>' in section  # no English title: marked as Chinese
