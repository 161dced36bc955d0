"""The structure parser of rule bodies (SPEC §2 "Ids and structure"): table tests.

Each case is Markdown in, the structure out, written as plain tuples:
articles as ``(number, label, heading, chapter)``, chapters as ``(id, level, path)``,
paragraphs as ``(number, text, (item texts...))``.
"""

from __future__ import annotations

import doctest
import textwrap

import pytest

from app.corpus import structure
from app.corpus.documents import Body
from app.corpus.structure import article_anchor, match_article_label, paragraph_address, parse_body


def md(s: str) -> str:
    return textwrap.dedent(s).lstrip("\n")


def arts(body: Body) -> list[tuple]:
    return [(a.number, a.label, a.heading, a.chapter) for a in body.articles]


def chaps(body: Body) -> list[tuple]:
    return [(c.id, c.level, c.path) for c in body.chapters]


def paras(body: Body, number: str) -> list[tuple]:
    art = body.article(number)
    assert art is not None
    return [(p.number, p.text, tuple(i.text for i in p.items)) for p in art.paragraphs]


ARTICLE_CASES = [
    ("plain", "## 第一条 目的\n\n正文。\n", [("1", "第一条", "目的", None)]),
    ("no heading", "## 第二条\n\n正文。\n", [("2", "第二条", "", None)]),
    ("ten", "## 第十条 十\n", [("10", "第十条", "十", None)]),
    ("eleven", "## 第十一条 十一\n", [("11", "第十一条", "十一", None)]),
    ("one hundred one", "## 第一百零一条 附则\n", [("101", "第一百零一条", "附则", None)]),
    ("one hundred ten", "## 第一百一十条\n", [("110", "第一百一十条", "", None)]),
    ("999", "## 第九百九十九条 最后\n", [("999", "第九百九十九条", "最后", None)]),
    ("inserted", "## 第十条之一 排放限值\n", [("10-1", "第十条之一", "排放限值", None)]),
    ("inserted two", "## 第十条之二\n", [("10-2", "第十条之二", "", None)]),
    ("full-width space", "## 第三条\u3000定义\n", [("3", "第三条", "定义", None)]),
    ("no space", "## 第三条定义\n", [("3", "第三条", "定义", None)]),
    ("arabic in label", "## 第12条 定义\n", [("12", "第12条", "定义", None)]),
    ("Article N", "## Article 12 Purpose\n", [("12", "Article 12", "Purpose", None)]),
    ("Article N.", "## Article 7. Scope\n", [("7", "Article 7", "Scope", None)]),
    ("Article N-M", "## Article 10-1\n", [("10-1", "Article 10-1", "", None)]),
    ("# is not an article", "# 第一条 目的\n\n正文\n", []),
    ("### is not an article", "### 第一条 目的\n\n正文\n", []),
    ("## non-article heading", "## 说明\n\n正文\n", []),
    ("order kept", "## 第二条\n\n## 第一条\n", [("2", "第二条", "", None), ("1", "第一条", "", None)]),
    (
        "fenced code is not parsed",
        "## 第一条\n\n```\n## 第二条\n```\n",
        [("1", "第一条", "", None)],
    ),
]


@pytest.mark.parametrize(("name", "text", "expected"), ARTICLE_CASES, ids=[c[0] for c in ARTICLE_CASES])
def test_articles(name, text, expected):
    body, problems = parse_body(text)
    assert arts(body) == expected
    assert problems == []


GROUP_CASES = [
    (
        "chapters",
        """
        # 第一章 总则
        ## 第一条
        ## 第二条
        # 第二章 监督管理
        ## 第三条
        """,
        [("ch-1", "zhang", ("第一章 总则",)), ("ch-2", "zhang", ("第二章 监督管理",))],
        {"1": "ch-1", "2": "ch-1", "3": "ch-2"},
    ),
    (
        "sections reset by the next chapter",
        """
        # 第一章 总则
        ## 第一条
        # 第二章 管理
        # 第一节 一般规定
        ## 第二条
        # 第二节 特别规定
        ## 第三条
        # 第三章 附则
        ## 第四条
        """,
        [
            ("ch-1", "zhang", ("第一章 总则",)),
            ("ch-2", "zhang", ("第二章 管理",)),
            ("ch-3", "jie", ("第二章 管理", "第一节 一般规定")),
            ("ch-4", "jie", ("第二章 管理", "第二节 特别规定")),
            ("ch-5", "zhang", ("第三章 附则",)),
        ],
        {"1": "ch-1", "2": "ch-3", "3": "ch-4", "4": "ch-5"},
    ),
    (
        "parts reset chapters and sections",
        """
        # 第一编 总则
        # 第一章 一般规定
        # 第一节 定义
        ## 第一条
        # 第二编 分则
        ## 第二条
        # 第一章 物权
        ## 第三条
        """,
        [
            ("ch-1", "bian", ("第一编 总则",)),
            ("ch-2", "zhang", ("第一编 总则", "第一章 一般规定")),
            ("ch-3", "jie", ("第一编 总则", "第一章 一般规定", "第一节 定义")),
            ("ch-4", "bian", ("第二编 分则",)),
            ("ch-5", "zhang", ("第二编 分则", "第一章 物权")),
        ],
        {"1": "ch-3", "2": "ch-4", "3": "ch-5"},
    ),
    (
        "full-width space and no space in group headings",
        "# 第一章\u3000总则\n## 第一条\n# 第二章附则\n## 第二条\n",
        [("ch-1", "zhang", ("第一章\u3000总则",)), ("ch-2", "zhang", ("第二章附则",))],
        {"1": "ch-1", "2": "ch-2"},
    ),
    (
        "## 第一章 is not a group (only # headings group)",
        "## 第一章 总则\n## 第一条\n",
        [],
        {"1": None},
    ),
    ("no groups", "## 第一条\n", [], {"1": None}),
]


@pytest.mark.parametrize(("name", "text", "chapters", "article_chapters"), GROUP_CASES, ids=[c[0] for c in GROUP_CASES])
def test_groups(name, text, chapters, article_chapters):
    body, problems = parse_body(md(text))
    assert problems == []
    assert chaps(body) == chapters
    assert {a.number: a.chapter for a in body.articles} == article_chapters


TITLE_PREAMBLE_CASES = [
    ("title", "# 示例条例\n\n## 第一条\n", "示例条例", ""),
    ("title after blank lines", "\n\n# 示例条例\n## 第一条\n", "示例条例", ""),
    ("no title", "## 第一条\n", None, ""),
    ("a chapter is not a title", "# 第一章 总则\n## 第一条\n", None, ""),
    ("title then chapter", "# 条例\n# 第一章 总则\n## 第一条\n", "条例", ""),
    (
        "preamble",
        "# 条例\n\n（2011年11月17日通过）\n\n说明文字。\n\n# 第一章 总则\n\n## 第一条\n",
        "条例",
        "（2011年11月17日通过）\n\n说明文字。",
    ),
    ("preamble without title", "前言。\n\n## 第一条\n", None, "前言。"),
    ("text first, so # is not the title", "前言。\n\n# 条例\n\n## 第一条\n", None, "前言。\n\n# 条例"),
    ("only a preamble", "# 通知\n\n各有关单位：\n\n请遵照执行。\n", "通知", "各有关单位：\n\n请遵照执行。"),
    ("empty", "", None, ""),
]


@pytest.mark.parametrize(
    ("name", "text", "title", "preamble"), TITLE_PREAMBLE_CASES, ids=[c[0] for c in TITLE_PREAMBLE_CASES]
)
def test_title_and_preamble(name, text, title, preamble):
    body, problems = parse_body(text)
    assert (body.title, body.preamble) == (title, preamble)
    assert problems == []


PARAGRAPH_CASES = [
    ("one paragraph", "## 第一条\n\n甲。\n", [(1, "甲。", ())]),
    ("two paragraphs", "## 第一条\n\n甲。\n\n乙。\n", [(1, "甲。", ()), (2, "乙。", ())]),
    ("many blank lines", "## 第一条\n\n\n甲。\n\n\n\n乙。\n\n\n", [(1, "甲。", ()), (2, "乙。", ())]),
    ("a block of two lines is one paragraph", "## 第一条\n甲，\n续。\n", [(1, "甲，\n续。", ())]),
    (
        "items",
        "## 第一条\n\n有下列情形之一的：\n\n（一）甲；\n\n（二）乙。\n\n前款规定。\n",
        [(1, "有下列情形之一的：", ("（一）甲；", "（二）乙。")), (2, "前款规定。", ())],
    ),
    (
        "items numbered within their paragraph",
        "## 第一条\n\n甲：\n\n（一）a；\n\n（二）b。\n\n乙：\n\n（一）c。\n",
        [(1, "甲：", ("（一）a；", "（二）b。")), (2, "乙：", ("（一）c。",))],
    ),
    ("half-width parentheses", "## 第一条\n\n甲：\n\n(一)a；\n\n(二)b。\n", [(1, "甲：", ("(一)a；", "(二)b。"))]),
    (
        "items on lines of one block",
        "## 第一条\n甲：\n（一）a；\n（二）b。\n",
        [(1, "甲：", ("（一）a；", "（二）b。"))],
    ),
    ("an item first becomes a paragraph", "## 第一条\n\n（一）a。\n", [(1, "（一）a。", ())]),
    ("(1) with arabic", "## 第一条\n\n甲：\n\n（1）a。\n", [(1, "甲：", ("（1）a。",))]),
    ("### heading is not a paragraph", "## 第一条\n\n### 小标题\n\n甲。\n", [(1, "甲。", ())]),
    ("no text", "## 第一条\n", []),
]


@pytest.mark.parametrize(("name", "text", "expected"), PARAGRAPH_CASES, ids=[c[0] for c in PARAGRAPH_CASES])
def test_paragraphs_and_items(name, text, expected):
    body, problems = parse_body(text)
    assert problems == []
    assert paras(body, "1") == expected


def test_article_text_is_the_body_as_written():
    text = "## 第一条 目的\n\n甲。\n\n\n### 小标题\n\n（一）a；  \n\n乙。   \n\n\n## 第二条\n丙。\n"
    body, _ = parse_body(text)
    assert body.articles[0].text == "甲。\n\n### 小标题\n\n（一）a；\n\n乙。"
    assert body.articles[1].text == "丙。"


def test_deeper_headings_stay_inside_the_article():
    body, _ = parse_body("## 第一条\n\n### 第一项 说明\n\n甲。\n\n#### 细则\n\n乙。\n\n## 第二条\n")
    assert [a.number for a in body.articles] == ["1", "2"]
    assert "### 第一项 说明" in body.articles[0].text
    assert "#### 细则" in body.articles[0].text


def test_line_numbers_with_offset():
    text = "# 条例\n\n## 第一条\n\n甲。\n\n## 第十条之一\n"
    body, _ = parse_body(text)
    assert [a.line for a in body.articles] == [3, 7]
    body, _ = parse_body(text, line_offset=10)
    assert [a.line for a in body.articles] == [13, 17]


def test_crlf_is_read_like_lf():
    body, _ = parse_body("## 第一条\r\n\r\n甲。\r\n\r\n乙。\r\n")
    assert paras(body, "1") == [(1, "甲。", ()), (2, "乙。", ())]


def test_duplicate_article_numbers_are_problems():
    body, problems = parse_body("## 第一条\n\n## 第二条\n\n## 第一条\n\n## Article 2\n", file="a.md", line_offset=5)
    assert [a.number for a in body.articles] == ["1", "2", "1", "2"]
    assert [(p.file, p.line, p.field) for p in problems] == [("a.md", 10, "body"), ("a.md", 12, "body")]
    assert "duplicate article number 1" in problems[0].reason
    assert "line 6" in problems[0].reason
    assert body.article("1").line == 6


@pytest.mark.parametrize("heading", ["## 第X条 目的", "## 第十十条", "## 第十百条", "## 第壹条"])
def test_unreadable_article_numeral_is_a_problem(heading):
    body, problems = parse_body(f"## 第一条\n\n{heading}\n\n甲。\n", file="b.md")
    assert len(problems) == 1
    assert (problems[0].file, problems[0].line, problems[0].field) == ("b.md", 3, "body")
    assert "article number" in problems[0].reason
    # the heading is not an article: it stays in the text of the article before it
    assert [a.number for a in body.articles] == ["1"]


def test_text_after_a_group_heading_between_articles_belongs_to_no_article():
    body, _ = parse_body("## 第一条\n\n甲。\n\n# 第二章 附则\n\n说明。\n\n## 第二条\n\n乙。\n")
    assert body.articles[0].text == "甲。"
    assert body.articles[1].text == "乙。"
    assert body.preamble == ""


def test_full_example_from_the_spec():
    text = md(
        """
        # 示例省城镇污水处理厂污染物排放标准

        # 第一章 总则

        ## 第一条 目的
        为了……

        ## 第四条 排放限值
        化学需氧量不得超过30mg/L。

        ## 第四条之一
        （一）甲；
        """
    )
    body, problems = parse_body(text)
    assert problems == []
    assert body.title == "示例省城镇污水处理厂污染物排放标准"
    assert arts(body) == [
        ("1", "第一条", "目的", "ch-1"),
        ("4", "第四条", "排放限值", "ch-1"),
        ("4-1", "第四条之一", "", "ch-1"),
    ]
    assert article_anchor(body.article("4-1").number) == "art-4-1"


def test_addresses():
    assert article_anchor("10") == "art-10"
    assert article_anchor("10-1") == "art-10-1"
    assert paragraph_address("12", 2) == "art-12-p2"
    assert paragraph_address("12", 2, 3) == "art-12-p2-i3"
    assert paragraph_address("10-1", 1, 1) == "art-10-1-p1-i1"


def test_match_article_label():
    assert match_article_label("第十条之一 排放") == ("10-1", "第十条之一", " 排放")
    assert match_article_label("第十条规定") == ("10", "第十条", "规定")
    assert match_article_label("第一章") is None
    with pytest.raises(ValueError):
        match_article_label("第X条")


def test_doctests():
    assert doctest.testmod(structure).failed == 0


def test_decision_headings_are_articles_only_without_any_article_heading():
    body, problems = parse_body("# 决定\n\n前言：\n\n## 一、\n\n甲。\n\n## 二、统一规划\n\n乙。\n\n## 十二、\n\n丙。\n")
    assert problems == []
    assert [(a.number, a.label, a.heading) for a in body.articles] == [
        ("1", "一、", ""),
        ("2", "二、", "统一规划"),
        ("12", "十二、", ""),
    ]
    assert body.article("2").text == "乙。" and body.preamble == "前言："
    mixed, _ = parse_body("# 条例\n\n## 第一条 目的\n\n甲。\n\n## 一、说明\n\n乙。\n")
    assert [a.number for a in mixed.articles] == ["1"]
    assert "## 一、说明" in mixed.articles[0].text  # a ## 一、 heading inside an article of a law stays its text
