"""The diff's components: normalisation and tokens (app.diff.tokens), inline ops, alignment, N-way compare, HTML rendering."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.diff import RuleSide, SideArticle, compare_rules, diff_rules, normalize_text, render_ops, render_side_by_side
from app.diff.align import longest_increasing
from app.diff.inline import inline_ops
from app.diff.tokens import parse_number, tokenize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("第 十 条  罚款 5,000 元", "第十条罚款5000元"),
        ("二〇二〇年", "二零二零年"),
        ("（一）甲; (二)乙.", "（一）甲；（二）乙。"),
        ("ＰＭ２.５浓度︰35 μg/m3", "PM2.5浓度：35μg/m3"),
        ("见「附件」……", "见“附件”……"),
        ("第一款\n\n  第二款", "第一款\n第二款"),
        ("mg / L 与 kg", "mg/L与kg"),
    ],
)
def test_normalize_text_table(raw, expected):
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("处5万元罚款", ["处", "5万元", "罚款"]),
        ("十五个工作日内", ["十五个工作日", "内"]),
        ("第十条之一规定", ["第十条之一", "规定"]),
        ("不超过50mg/L", ["不", "超", "过", "50mg/L"]),
        ("本市应当", ["本市", "应当"]),
        ("2020年1月1日起", ["2020年1月1日", "起"]),
    ],
)
def test_tokenize_keeps_numbers_and_words_whole(text, units):
    assert tokenize(text) == units


@pytest.mark.parametrize(
    ("token", "parsed"),
    [("十五个工作日", (15, "个工作日")), ("5万元", (50000, "元")), ("百分之十", (10, "%")), ("3.5mg/L", (3.5, "mg/L")),
     ("2020年", None)],
)  # fmt: skip
def test_parse_number(token, parsed):
    assert parse_number(token) == parsed


@pytest.mark.parametrize(("a", "b"), [("限值为50", "限值为30"), ("限值为150", "限值为130"), ("处500元", "处300元")])
def test_numbers_are_replaced_whole_never_digit_by_digit(a, b):
    ops = inline_ops(a, b)
    changed = [o for o in ops if o.op != "equal"]
    assert len(changed) == 1 and changed[0].op == "replace"
    assert changed[0].a_text[-3:].lstrip("限值为处") in a and changed[0].a_text[0].isdigit()
    assert all(not o.a_text.isdigit() or o.op != "equal" for o in ops)


@given(
    st.text(alphabet="应当可以本市省十五个工作日50元。，罚款之内", max_size=40),
    st.text(alphabet="应当可以本市省十五个工作日30元。，罚款之内", max_size=40),
)
@settings(max_examples=150, deadline=None)
def test_inline_ops_cover_both_texts(a, b):
    ops = inline_ops(a, b)
    assert "".join(o.a_text for o in ops) == a
    assert "".join(o.b_text for o in ops) == b


SENTENCES = [
    "市人民政府应当建立健全公共数据管理制度，统筹推进数据共享。", "排污单位不得超过规定标准排放大气污染物。",
    "违反本条例规定的，由生态环境部门责令改正，处一万元以上十万元以下罚款。", "主管部门应当在十五个工作日内作出决定。",
    "本条例所称公共数据，是指国家机关在履行职责过程中收集的数据。", "鼓励社会资本参与充电基础设施建设和运营。",
    "地方金融组织应当按照规定报送经营信息和财务报告。", "本条例自2022年1月1日起施行。",
]  # fmt: skip


def _side(rid: str, texts: list[str]) -> RuleSide:
    return RuleSide(rid, rid + "@2024-01-01", rid,
                    [SideArticle(f"{rid}#art-{k + 1}", str(k + 1), f"第{k + 1}条", t) for k, t in enumerate(texts)])  # fmt: skip


@given(
    st.lists(st.sampled_from(range(len(SENTENCES))), max_size=8),
    st.lists(st.sampled_from(range(len(SENTENCES))), max_size=8),
)
@settings(max_examples=120, deadline=None)
def test_property_every_article_appears_exactly_once(ia, ib):
    a = _side("r/a", [SENTENCES[i] for i in ia])
    b = _side("r/b", [SENTENCES[i] + ("" if k % 2 else "并公布。") for k, i in enumerate(ib)])
    d = diff_rules(a, b)
    seen_a = [x for p in d["pairs"] for x in p["a_articles"]] + d["only_in_a"]
    seen_b = [x for p in d["pairs"] for x in p["b_articles"]] + d["only_in_b"]
    assert sorted(seen_a) == sorted(x.id for x in a.articles)
    assert sorted(seen_b) == sorted(x.id for x in b.articles)
    s = d["summary"]
    assert s["unchanged"] + s["changed"] + s["split"] + s["merged"] == len(d["pairs"])
    assert s["added"] == len(d["only_in_b"]) and s["removed"] == len(d["only_in_a"])


def test_longest_increasing():
    assert sorted(longest_increasing([0, 2, 1, 3])) in ([0, 1, 3], [0, 2, 3])
    assert longest_increasing([]) == set()


def test_compare_rows_cells_extra_and_summary():
    base = _side("cn-sh/x/base", SENTENCES[:4])
    o1 = _side("cn-zj/x/one", [SENTENCES[0], SENTENCES[1].replace("不得", "可以"), SENTENCES[5]])
    o2 = _side("cn-js/x/two", SENTENCES[:4])
    c = compare_rules(base, [o1, o2])
    assert list(c) == ["baseline", "rules", "rows", "extra", "summary"]
    assert [r["baseline_article"] for r in c["rows"]] == [a.id for a in base.articles]
    assert c["rows"][1]["cells"]["cn-zj/x/one"]["differences"][0]["type"] == "modality"
    assert c["rows"][2]["cells"]["cn-zj/x/one"] is None
    assert c["extra"] == {"cn-zj/x/one": ["cn-zj/x/one#art-3"], "cn-js/x/two": []}
    assert c["summary"]["cn-zj/x/one"] == {"aligned": 1, "differing": 1, "missing": 2, "extra": 1}
    assert c["summary"]["cn-js/x/two"] == {"aligned": 4, "differing": 0, "missing": 0, "extra": 0}
    pair = diff_rules(base, o1)
    assert c["rows"][1]["cells"]["cn-zj/x/one"]["differences"] == pair["pairs"][1]["differences"]


def test_html_is_escaped_and_marked():
    a = _side("r/a", ["<script>alert(1)</script>应当公布。"])
    b = _side("r/b", ["<script>alert(1)</script>可以公布。"])
    d = diff_rules(a, b)
    a_html, b_html = render_ops(d["pairs"][0]["ops"], d["pairs"][0]["differences"])
    assert "<script>" not in a_html and "&lt;script&gt;" in a_html
    assert '<mark class="diff diff-modality"><ins>可以</ins></mark>' in b_html
    assert a_html.__html__() == str(a_html)
    rows = render_side_by_side(d, a, b)
    assert rows[0]["status"] == "changed" and "<script>" not in rows[0]["b_html"]


def test_side_by_side_places_added_and_removed_rows():
    a = _side("r/a", SENTENCES[:3])
    b = _side("r/b", [SENTENCES[0], SENTENCES[6], SENTENCES[2]])
    rows = render_side_by_side(diff_rules(a, b), a, b)
    assert [r["status"] for r in rows] == ["same", "added", "removed", "same"]
    assert rows[1]["b_html"].startswith("<ins>")
