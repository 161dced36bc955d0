"""The officials' tools on the fixture corpus: menu, rule picker (JSON suggestions and the no-script
title step), suggested counterparts on the rule page, the change stepper, N-way by checkboxes."""

from __future__ import annotations

import re

import pytest

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
    en = client.get("/compare/rules.json?q=wastewater&lang=en").get_json()["items"]
    assert [i["id"] for i in en] == [SH] and en[0]["jurisdiction_label"] == "Shanghai"
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
    assert f'<option value="{JS}">江苏省 · 示例省城镇污水处理厂污染物排放标准</option>' in page
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
    listed = re.findall(r'<li class="st-[^"]+"><a href="#row-(\d+)">', page)
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
