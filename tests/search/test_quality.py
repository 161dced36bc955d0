"""Search quality over the fixture corpus: (query, filters) -> ids that must and must not be hits (SPEC §5)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.search import SearchRequest
from tests.search.conftest import AH_GOV, AS_OF, JS_DATA, SH_AIR, SH_DATA, WATER, YWTB, ZJ_AIR, ZJ_FIN

D = dt.date


@pytest.fixture
def searcher(shared_searcher):
    return shared_searcher


# (query, request options, ids that must be found, ids that must not be found)
CASES = [
    # exact substring, inside longer words, and not in another order
    ("污染物排放", {}, [SH_AIR], [ZJ_AIR]),
    ("排放污染物", {}, [SH_AIR], [ZJ_AIR]),
    ("大气污染物", {}, [SH_AIR, ZJ_AIR], [JS_DATA]),
    ("能耗", {}, [JS_DATA], [SH_AIR, ZJ_AIR]),
    # words in any order, all in one article
    ("单位 排放", {}, [SH_AIR, ZJ_AIR], [JS_DATA]),
    ("排放 单位", {}, [SH_AIR, ZJ_AIR], [JS_DATA]),
    ("report monthly", {}, [ZJ_AIR], [SH_AIR]),
    ("罚款 化学需氧量", {}, [], [SH_AIR]),  # both in SH_AIR, but in different articles
    ("上海市 罚款", {}, [], [SH_AIR]),  # 上海市 only in the title
    ("罚款 AND 违反", {}, [SH_AIR], [AH_GOV]),
    # phrases
    ('"report PM2.5"', {}, [ZJ_AIR], []),
    ('"pm2.5 report"', {}, [], [ZJ_AIR]),
    ("“数据出境安全评估”", {}, [JS_DATA], [SH_DATA]),
    # OR, NOT, -word, brackets
    ("罚款 OR 存款", {}, [SH_AIR, ZJ_FIN], [ZJ_AIR]),
    ("化学需氧量 -５０", {}, [SH_AIR], [ZJ_AIR]),
    ("化学需氧量 NOT 30", {}, [ZJ_AIR], [SH_AIR]),
    ("(罚款 OR 存款) 违反", {}, [SH_AIR], [ZJ_FIN]),
    ("数据 -jurisdiction:CN-SH", {}, [JS_DATA, AH_GOV], [SH_DATA]),
    # field:value, public fields only, values whole and case-insensitive
    ("排放 jurisdiction:cn-zj", {}, [ZJ_AIR], [SH_AIR, WATER]),
    ("jurisdiction:CN-SH", {}, [SH_AIR, SH_DATA], [ZJ_AIR, JS_DATA, YWTB]),
    ("topic:DATA", {}, [JS_DATA, AH_GOV, SH_DATA], [SH_AIR, YWTB]),
    ("kind:rule", {}, [AH_GOV], [JS_DATA]),
    ("year:2023", {}, [JS_DATA], [SH_AIR, AH_GOV]),
    ("doc_number:皖政令第290号", {}, [AH_GOV], [JS_DATA]),
    ("doc_number:皖政令", {}, [], [AH_GOV]),
    ("jurisdiction:yrd-dz 排放", {}, [WATER], [SH_AIR]),
    # as_of: before and after the amendment of SH_AIR (2022-01-01), before enactment, after repeal
    ("30毫克/升", {"as_of": D(2020, 1, 1)}, [], [SH_AIR]),
    ("50毫克/升", {"as_of": D(2020, 1, 1)}, [SH_AIR, ZJ_AIR], []),
    ("50毫克/升", {"as_of": AS_OF}, [ZJ_AIR], [SH_AIR]),
    ("30毫克/升", {"as_of": AS_OF}, [SH_AIR], []),
    ("长三角区域", {"as_of": D(2021, 12, 31)}, [], [SH_AIR]),
    ("长三角区域", {"as_of": D(2022, 1, 1)}, [SH_AIR], []),
    ("数据处理者", {"as_of": D(2023, 2, 28)}, [], [JS_DATA]),
    ("政务数据共享", {"as_of": D(2025, 1, 1)}, [], [AH_GOV]),
    ("政务数据共享", {"as_of": D(2024, 12, 31)}, [AH_GOV], []),
    # one character
    ("罚", {}, [SH_AIR], [ZJ_AIR]),
    ("省", {}, [ZJ_AIR, JS_DATA, AH_GOV, ZJ_FIN], [SH_DATA, SH_AIR]),
    ("5", {}, [ZJ_AIR, JS_DATA], [SH_DATA]),
    ("罚*", {}, [SH_AIR], []),
    # full-width / half-width, traditional / simplified, mixed Chinese and numbers, Latin case
    ("５０毫克／升", {}, [ZJ_AIR], [SH_AIR]),
    ("50毫克/升", {}, [ZJ_AIR], [SH_AIR]),
    ("超过30毫克", {}, [SH_AIR], [ZJ_AIR]),
    ("數據交易", {}, [SH_DATA], [JS_DATA]),
    ("数据交易", {}, [SH_DATA], [JS_DATA]),
    ("個人信息", {}, [JS_DATA, SH_DATA], [AH_GOV]),
    ("（以下简称发改部门）", {}, [SH_DATA], []),
    ("pm2.5", {}, [ZJ_AIR], []),
    ("ＰＭ２.５", {}, [ZJ_AIR], []),
    ("ENTERPRISES", {}, [ZJ_AIR], []),
    # title, title_en and doc number are searched with the articles
    ("大气污染防治条例", {}, [SH_AIR, ZJ_AIR], [JS_DATA]),
    ("municipal data", {}, [SH_DATA], [SH_AIR]),
    ("皖政令第290号", {}, [AH_GOV], []),
    # innovations
    ("一网通办", {}, [YWTB], [WATER]),
    ("跨界水体", {}, [WATER], [YWTB]),
    ("排放标准", {}, [WATER], [SH_AIR, ZJ_AIR]),
    ("政务数据", {}, [YWTB, AH_GOV], []),
    # request filters
    ("排放", {"jurisdictions": ["CN-ZJ"]}, [ZJ_AIR], [SH_AIR, WATER]),
    ("排放", {"jurisdictions": ["cn-sh", "CN-ZJ"]}, [SH_AIR, ZJ_AIR], [WATER]),
    ("排放", {"jurisdictions": ["YRD-DZ"]}, [WATER], [SH_AIR]),
    ("数据", {"topic": "data"}, [JS_DATA, AH_GOV, SH_DATA], [YWTB]),
    ("数据", {"kind": "rule"}, [AH_GOV], [JS_DATA, YWTB]),
    ("", {"jurisdictions": ["CN-ZJ"], "topic": "finance"}, [ZJ_FIN], [ZJ_AIR]),
]


@pytest.mark.parametrize(
    ("q", "options", "found", "not_found"), CASES, ids=[f"{i}:{c[0]}" for i, c in enumerate(CASES)]
)
def test_quality(searcher, q, options, found, not_found):
    options = {"as_of": AS_OF, "per_page": 100} | options
    result = searcher.search(SearchRequest(q=q, **options))
    ids = {h["id"] for h in result.hits}
    assert set(found) <= ids, f"missing {set(found) - ids}"
    assert not (set(not_found) & ids), f"unexpected {set(not_found) & ids}"
    assert result.total == len(result.hits)


def test_quality_table_is_large_enough():
    assert len(CASES) >= 40
