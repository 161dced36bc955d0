"""Feeds parse as Atom, SVG is well-formed and escapes input; the annual report's data."""

from __future__ import annotations

import datetime as dt
import re
from xml.etree import ElementTree as ET

from app.harmonization import HardRuleDef, ParameterDef, ValueRecord, alignment_changes
from app.harmonization.charts import deficit_bars_svg, progress_chart_svg
from app.harmonization.feeds import ChangeEvent, alignment_feed, changes_feed
from app.harmonization.report import report_data
from app.harmonization.scoreboard import scoreboard

A = "{http://www.w3.org/2005/Atom}"
D = dt.date
EVIL = '<script>alert("x")</script>&'
P = [ParameterDef("env.cod", "化学需氧量" + EVIL, "COD", "environment", "mg/L", "lower")]


def rec(value, issuer, start, end=None, rule="r"):
    rid = f"{issuer.lower()}/environment/{rule}"
    return ValueRecord("env.cod", None, value, issuer, [issuer], rid, f"{rid}@{start}", f"{rid}#art-4", start, end)


R = [
    rec(50, "CN", D(2002, 1, 1), rule="gb"),
    rec(30, "CN-JS", D(2020, 1, 1), D(2023, 3, 1), rule="js"),
    rec(60, "CN-JS", D(2023, 3, 1), rule="js"),
    rec(35, "CN-SH", D(2023, 6, 1), rule="sh"),
]
HR = [
    HardRuleDef(
        "hr-cod",
        "统一限值" + EVIL,
        "env.cod",
        None,
        40,
        ["CN-SH", "CN-JS", "CN-ZJ"],
        "YRD-DZ" + EVIL,
        "发布",
        D(2023, 12, 31),
        "https://e.org/?a=1&b=2",
    )
]
CHANGES = [
    ChangeEvent(
        "added",
        "cn-js/environment/js",
        "cn-js/environment/js@2023-03-01",
        "江苏标准" + EVIL,
        "CN-JS",
        "environment",
        D(2023, 3, 1),
        dt.datetime(2023, 3, 2, 8, 30),
    ),
    ChangeEvent(
        "repealed",
        "cn-sh/environment/old",
        "cn-sh/environment/old@2010-01-01",
        "旧标准",
        "CN-SH",
        "environment",
        D(2023, 5, 1),
    ),
    ChangeEvent("corrected", "cn-zj/data/x", "cn-zj/data/x@2021-01-01", "数据", "CN-ZJ", "data", D(2022, 5, 1)),
]


def check_atom(xml: str) -> ET.Element:
    root = ET.fromstring(xml.encode("utf-8"))
    assert root.tag == f"{A}feed"
    for tag in ("id", "title", "updated"):
        assert root.find(f"{A}{tag}") is not None and root.find(f"{A}{tag}").text
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", root.find(f"{A}updated").text)
    for entry in root.findall(f"{A}entry"):
        for tag in ("id", "title", "updated"):
            assert entry.find(f"{A}{tag}") is not None and entry.find(f"{A}{tag}").text
    assert root.find(f"{A}link[@rel='self']") is not None
    return root


def test_changes_feed_is_atom_newest_first_and_filtered():
    xml = changes_feed(CHANGES, base_url="https://r.example", self_url="https://r.example/feeds/changes.atom")
    root = check_atom(xml)
    entries = root.findall(f"{A}entry")
    assert len(entries) == 3
    assert [e.find(f"{A}updated").text for e in entries] == [
        "2023-04-30T16:00:00Z",
        "2023-03-02T08:30:00Z",
        "2022-04-30T16:00:00Z",
    ]
    assert root.find(f"{A}updated").text == "2023-04-30T16:00:00Z"
    assert EVIL in entries[1].find(f"{A}title").text  # escaped on the wire, intact once parsed
    assert "<script>" not in xml
    only_js = check_atom(changes_feed(CHANGES, base_url="https://r.example", self_url="s", jurisdiction="cn-js"))
    assert len(only_js.findall(f"{A}entry")) == 1
    only_data = check_atom(changes_feed(CHANGES, base_url="https://r.example", self_url="s", topic="data"))
    assert len(only_data.findall(f"{A}entry")) == 1


def test_feeds_are_deterministic_and_ids_stable():
    a = changes_feed(CHANGES, base_url="https://r.example", self_url="s")
    b = changes_feed(list(reversed(CHANGES)), base_url="https://r.example", self_url="s")
    assert a == b
    ids = {e.find(f"{A}id").text for e in ET.fromstring(a).findall(f"{A}entry")}
    assert len(ids) == 3 and all(i.startswith("urn:uuid:") for i in ids)


def test_empty_feed_is_still_valid_atom():
    root = check_atom(changes_feed([], base_url="https://r.example", self_url="s"))
    assert root.findall(f"{A}entry") == []
    check_atom(alignment_feed([], base_url="https://r.example", self_url="s"))


def test_alignment_feed_lists_breaks_and_restores():
    events = alignment_changes(HR, P, R, D(2024, 1, 1))
    root = check_atom(alignment_feed(events, base_url="https://r.example", self_url="s"))
    titles = [e.find(f"{A}title").text for e in root.findall(f"{A}entry")]
    assert titles[0].startswith("[恢复一致] 上海市 · ") and titles[1].startswith("[失去一致] 江苏省 · ")
    assert titles[2].startswith("[恢复一致] 江苏省 · ")
    summaries = [e.find(f"{A}summary").text for e in root.findall(f"{A}entry")]
    assert all(not re.search(r"[a-z]{3}", s.split("；")[0]) for s in summaries)  # statuses as words


def test_svg_charts_are_well_formed_and_escaped():
    svg = progress_chart_svg(
        {"hr" + EVIL: [(D(2020, 1, 1), 0.0), (D(2022, 1, 1), 2 / 3)], "empty": []}, until=D(2024, 1, 1), title=EVIL
    )
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "<script" not in svg
    assert root.find("{http://www.w3.org/2000/svg}title").text == EVIL
    bars = deficit_bars_svg(scoreboard(HR, P, R, D(2024, 1, 1), jurisdictions=["CN-AH"]))
    assert ET.fromstring(bars).tag.endswith("svg")
    assert ET.fromstring(progress_chart_svg({}, until=D(2024, 1, 1))).tag.endswith("svg")


def test_annual_report_data_for_a_year():
    """What the report says (the site renders it; tests/web/test_officials.py reads the page and the file)."""
    data = report_data(2023, hard_rules=HR, params=P, records=R, changes=CHANGES, jurisdictions=["CN-AH"])
    assert data["year_end"] == D(2023, 12, 31) and data["hard_rules"] == 1
    # year end status: SH aligned (35), JS divergent (60), ZJ not recorded; the deadline day counts as on track
    assert data["overdue"] == []
    cells = data["status"][0]["status"]
    assert cells["CN-SH"]["version"] == "cn-sh/environment/sh@2023-06-01" and cells["CN-SH"]["status"] == "aligned"
    assert cells["CN-JS"]["status"] == "divergent"
    assert [c.title for c in data["changes"]] == ["江苏标准" + EVIL, "旧标准"]  # by date; the 2022 change left out
    assert {e.kind for e in data["alignment_events"]} == {"restored", "broken"}
    later = report_data(2024, hard_rules=HR, params=P, records=R)
    assert [h["id"] for h in later["overdue"]] == ["hr-cod"]  # overdue after the deadline
    assert later["series"] and later["series"][-1][0] <= D(2024, 12, 31)


def test_chart_legends_name_series_and_jurisdictions_in_the_language_asked_for():
    series = {"all": [(D(2020, 1, 1), 0.5)], "dz-cod": [(D(2021, 1, 1), 1.0)]}
    names = {"all": "All hard rules", "dz-cod": "Common COD limit"}
    svg = progress_chart_svg(series, until=D(2024, 1, 1), names=names, locale="en")
    texts = [e.text for e in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]
    assert "All hard rules 50%" in texts and "Common COD limit 100%" in texts
    assert not any("dz-cod" in (t or "") for t in texts)  # titles, not slugs
    assert "Alignment progress" in texts
    assert "对齐进度" in progress_chart_svg(series, until=D(2024, 1, 1), locale="zh")
    board = scoreboard(HR, P, R, D(2024, 1, 1), jurisdictions=["CN-AH", "CN-SH"])
    en = deficit_bars_svg(board, locale="en")
    zh = deficit_bars_svg(board, locale="zh")
    assert ">Anhui<" in en and ">Shanghai<" in en and "CN-AH" not in en and "Alignment deficit" in en
    assert ">安徽<" in zh or ">安徽省<" in zh
    assert "CN-SH" not in zh and not re.search(r"[A-Za-z]{3}", "".join(ET.fromstring(zh).itertext()))
    assert not re.search(r"[\u4e00-\u9fff]", "".join(ET.fromstring(en).itertext()))
