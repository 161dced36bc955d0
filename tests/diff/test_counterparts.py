"""Suggested counterparts (app.diff.counterparts) and the rule picker's matching (app.diff.picker):
tables of cases on plain records, no database."""

from __future__ import annotations

import pytest

from app.diff.counterparts import RuleCard, suggest_counterparts, title_core, title_similarity
from app.diff.picker import fold, pick_rules

SH_DATA = RuleCard("cn-sh/data/regulation", "CN-SH", "data", "上海市数据条例", "local_regulation", frozenset())
JS_DATA = RuleCard("cn-js/data/regulation", "CN-JS", "data", "江苏省数据条例", "local_regulation")
ZJ_PUBLIC = RuleCard("cn-zj/data/public", "CN-ZJ", "data", "浙江省公共数据条例", "local_regulation")
AH_RULE = RuleCard("cn-ah/data/measures", "CN-AH", "data", "安徽省政务数据资源管理办法", "government_rule")
SH_OTHER = RuleCard("cn-sh/data/other", "CN-SH", "data", "上海市公共数据开放办法", "government_rule")
JS_ENV = RuleCard("cn-js/environment/air", "CN-JS", "environment", "江苏省大气污染防治条例", "local_regulation")

WWTP_KEYS = frozenset({"cod_limit", "ammonia_limit"})
SH_WWTP = RuleCard(
    "cn-sh/environment/wwtp", "CN-SH", "environment", "上海市污水综合排放标准", "local_standard", WWTP_KEYS
)
JS_WWTP = RuleCard(
    "cn-js/environment/wwtp", "CN-JS", "environment", "江苏省城镇污水处理厂污染物排放标准", "local_standard", WWTP_KEYS
)
ZJ_WWTP_NOKEYS = RuleCard("cn-zj/environment/wwtp", "CN-ZJ", "environment", "浙江省污水排放标准", "local_standard")
AH_AIR = RuleCard(
    "cn-ah/environment/air",
    "CN-AH",
    "environment",
    "安徽省大气污染防治条例",
    "local_regulation",
    frozenset({"cod_limit"}),
)


@pytest.mark.parametrize(
    "title, core",
    [
        ("上海市数据条例", "数据"),
        ("江苏省城镇污水处理厂污染物排放标准（试行）", "城镇污水处理厂污染物排放"),
        ("长三角生态绿色一体化发展示范区联合环评互认规定", "联合环评互认"),
        ("《浙江省公共数据条例》", "公共数据"),
        ("关于印发安徽省若干措施的通知", "印发措施的"),
    ],
)
def test_title_core_drops_places_and_forms(title, core):
    assert title_core(title) == core


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ("上海市数据条例", "江苏省数据条例", 1.0),  # the same subject in two provinces
        ("上海市数据条例", "安徽省大气污染防治条例", 0.0),
        ("上海市数据条例", "上海市", 0.0),  # nothing left to compare
        ("上海市公共数据条例", "浙江省公共数据条例", 1.0),
        ("数据", "数", 0.0),
    ],
)
def test_title_similarity(a, b, expected):
    assert title_similarity(a, b) == pytest.approx(expected)


@pytest.mark.parametrize(
    "rule, candidates, expected",
    [
        # same title core and kind first; the rule's own jurisdiction and other topics never
        (
            SH_DATA,
            [AH_RULE, SH_OTHER, JS_ENV, ZJ_PUBLIC, JS_DATA],
            ["cn-js/data/regulation", "cn-zj/data/public", "cn-ah/data/measures"],
        ),
        # shared quantitative provisions outrank a similar title without them
        (
            SH_WWTP,
            [ZJ_WWTP_NOKEYS, AH_AIR, JS_WWTP],
            ["cn-js/environment/wwtp", "cn-zj/environment/wwtp", "cn-ah/environment/air"],
        ),
        # nothing on the topic elsewhere
        (JS_ENV, [JS_DATA, SH_DATA], []),
        # a candidate listed twice counts once
        (SH_DATA, [JS_DATA, JS_DATA], ["cn-js/data/regulation"]),
    ],
)
def test_suggest_counterparts_order(rule, candidates, expected):
    assert [c.rule.id for c in suggest_counterparts(rule, candidates)] == expected


def test_suggest_counterparts_reports_what_is_shared_and_limits():
    found = suggest_counterparts(SH_WWTP, [JS_WWTP, ZJ_WWTP_NOKEYS, AH_AIR])
    top = found[0]
    assert top.shared_parameters == ("ammonia_limit", "cod_limit")
    assert top.same_kind is True
    assert 0 < top.score <= 1
    assert [c.score for c in found] == sorted((c.score for c in found), reverse=True)
    assert len(suggest_counterparts(SH_WWTP, [JS_WWTP, ZJ_WWTP_NOKEYS, AH_AIR], limit=1)) == 1
    assert suggest_counterparts(SH_WWTP, [JS_WWTP], limit=0) == []


def test_ties_are_broken_by_jurisdiction_then_id():
    a = RuleCard("cn-zj/data/a", "CN-ZJ", "data", "浙江省数据条例", "local_regulation")
    b = RuleCard("cn-ah/data/b", "CN-AH", "data", "安徽省数据条例", "local_regulation")
    assert [c.rule.id for c in suggest_counterparts(JS_DATA, [a, b])] == ["cn-ah/data/b", "cn-zj/data/a"]


ITEMS = [
    {
        "id": "cn-sh/data/regulation",
        "version": "cn-sh/data/regulation@2022-01-01",
        "title": "上海市数据条例",
        "title_en": "Shanghai Data Regulation",
    },
    {
        "id": "cn-js/data/public",
        "version": "cn-js/data/public@2021-01-01",
        "title": "江苏省公共数据管理办法",
        "title_en": None,
    },
    {
        "id": "cn-zj/data/digital",
        "version": "cn-zj/data/digital@2021-03-01",
        "title": "浙江省数字经济促进条例",
        "title_en": None,
    },
]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("数据", ["cn-sh/data/regulation", "cn-js/data/public"]),
        ("江苏 数据", ["cn-js/data/public"]),  # every term must occur
        ("data regulation", ["cn-sh/data/regulation"]),  # English title, any case
        ("ＳＨＡＮＧＨＡＩ", ["cn-sh/data/regulation"]),  # full-width letters fold
        ("cn-zj/data/digital", ["cn-zj/data/digital"]),  # an id
        ("条例", ["cn-sh/data/regulation", "cn-zj/data/digital"]),  # earlier occurrence first
        ("", []),
        ("   ", []),
        ("不存在的规则", []),
        ("<script>", []),
    ],
)
def test_pick_rules(query, expected):
    assert [i["id"] for i in pick_rules(ITEMS, query)] == expected


def test_pick_rules_exact_id_first_and_limit():
    items = [*ITEMS, {"id": "cn-sh/data/regulation-2", "version": "v", "title": "上海市数据条例实施办法"}]
    assert pick_rules(items, "cn-sh/data/regulation")[0]["id"] == "cn-sh/data/regulation"
    assert len(pick_rules(items, "数据", limit=2)) == 2
    assert pick_rules(items, "数据", limit=0) == []


def test_fold():
    assert fold(" ＳＨ 数据 ") == "sh 数据"
    assert fold(None) == ""
