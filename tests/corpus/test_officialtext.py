"""Reading official texts for ``registry import`` (app/corpus/officialtext.py): table tests."""

from __future__ import annotations

import datetime as dt
import doctest

import pytest

from app.corpus import officialtext
from app.corpus.officialtext import (
    OfficialTextError,
    make_slug,
    read_official_text,
)
from app.corpus.structure import parse_body
from app.exceptions import ValidationError

PLAIN = """示例市大气污染防治条例

2011年11月17日 示例市第十三届人民代表大会常务委员会第三十一次会议通过

2015年7月23日 示例市第十四届人民代表大会常务委员会第二十二次会议修正

第一章　总则

第一条 为了防治大气污染，制定本条例。

第二条　本条例适用于本市行政区域。

有下列情形之一的，依法处罚：

（一）超标排放的；

（二）未取得许可的。

第二章 监督管理

第一节 一般规定

第三条 市生态环境部门负责监督管理。

第三条之一 区人民政府负责本区。

第二节 特别规定

第四条 本条例自2016年1月1日起施行。
"""

EXPECTED_BODY = """# 示例市大气污染防治条例

2011年11月17日 示例市第十三届人民代表大会常务委员会第三十一次会议通过

2015年7月23日 示例市第十四届人民代表大会常务委员会第二十二次会议修正

# 第一章　总则

## 第一条

为了防治大气污染，制定本条例。

## 第二条

本条例适用于本市行政区域。

有下列情形之一的，依法处罚：

（一）超标排放的；

（二）未取得许可的。

# 第二章 监督管理

# 第一节 一般规定

## 第三条

市生态环境部门负责监督管理。

## 第三条之一

区人民政府负责本区。

# 第二节 特别规定

## 第四条

本条例自2016年1月1日起施行。
"""


def write(tmp_path, name: str, data: bytes | str):
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_plain_text_becomes_the_corpus_body(tmp_path):
    ot = read_official_text(write(tmp_path, "a.txt", PLAIN))
    assert ot.title == "示例市大气污染防治条例"
    assert ot.header_lines == [
        "2011年11月17日 示例市第十三届人民代表大会常务委员会第三十一次会议通过",
        "2015年7月23日 示例市第十四届人民代表大会常务委员会第二十二次会议修正",
    ]
    assert ot.body_markdown == EXPECTED_BODY
    assert ot.article_count == 5
    assert [(d.date, d.event) for d in ot.dates] == [
        (dt.date(2011, 11, 17), "通过"),
        (dt.date(2015, 7, 23), "修正"),
    ]
    assert ot.encoding == "utf-8"
    assert ot.source_format == "txt"
    assert ot.warnings == []


def test_the_body_parses_back_to_the_structure(tmp_path):
    ot = read_official_text(write(tmp_path, "a.txt", PLAIN))
    body, problems = parse_body(ot.body_markdown)
    assert problems == []
    assert body == ot.body
    assert body.title == "示例市大气污染防治条例"
    assert [(a.number, a.label, a.heading, a.chapter) for a in body.articles] == [
        ("1", "第一条", "", "ch-1"),
        ("2", "第二条", "", "ch-1"),
        ("3", "第三条", "", "ch-3"),
        ("3-1", "第三条之一", "", "ch-3"),
        ("4", "第四条", "", "ch-4"),
    ]
    assert [(c.level, c.path) for c in body.chapters] == [
        ("zhang", ("第一章　总则",)),
        ("zhang", ("第二章 监督管理",)),
        ("jie", ("第二章 监督管理", "第一节 一般规定")),
        ("jie", ("第二章 监督管理", "第二节 特别规定")),
    ]
    art2 = body.article("2")
    assert [(p.number, len(p.items)) for p in art2.paragraphs] == [(1, 0), (2, 2)]
    assert body.preamble.startswith("2011年11月17日")


LAWTEXTS_STYLE_MD = """# 示例条例

2020年5月29日 示例市人民代表大会常务委员会通过

<!-- INFO END -->

## 第一章 总则

第一条 甲。

第十条之一 乙。

### 第一节 一般规定

第十一条 丙。
"""

NO_BLANK_LINES = (
    "示例条例\n2020年5月29日通过\n第一章 总则\n第一条 甲。\n乙款。\n（一）项一；\n（二）项二。\n第二条 丙。\n"
)

CASES = [
    # (name, file name, bytes or text, expected labels, expected title, expected chapters)
    ("txt", "a.txt", PLAIN, ["第一条", "第二条", "第三条", "第三条之一", "第四条"], "示例市大气污染防治条例", 4),
    (
        "md with # and the INFO END marker",
        "a.md",
        LAWTEXTS_STYLE_MD,
        ["第一条", "第十条之一", "第十一条"],
        "示例条例",
        2,
    ),
    ("lines without blank lines", "a.txt", NO_BLANK_LINES, ["第一条", "第二条"], "示例条例", 1),
    ("GB18030", "a.txt", PLAIN.encode("gb18030"), ["第一条", "第二条", "第三条", "第三条之一", "第四条"], None, 4),
    (
        "UTF-8 BOM",
        "a.txt",
        b"\xef\xbb\xbf" + PLAIN.encode(),
        ["第一条", "第二条", "第三条", "第三条之一", "第四条"],
        None,
        4,
    ),
    (
        "CRLF",
        "a.txt",
        PLAIN.replace("\n", "\r\n").encode(),
        ["第一条", "第二条", "第三条", "第三条之一", "第四条"],
        None,
        4,
    ),
    (
        "GB18030 + CRLF",
        "a.md",
        LAWTEXTS_STYLE_MD.replace("\n", "\r\n").encode("gb18030"),
        ["第一条", "第十条之一", "第十一条"],
        None,
        2,
    ),
    ("no title: starts with an article", "a.txt", "第一条 甲。\n\n第二条 乙。\n", ["第一条", "第二条"], "", 0),
    ("label alone on its line", "a.txt", "条例\n\n第一条\n\n甲。\n\n第二条\n\n乙。\n", ["第一条", "第二条"], "条例", 0),
    (
        "label then text without a space",
        "a.txt",
        "条例\n\n第一条为了甲。\n\n第二条乙。\n",
        ["第一条", "第二条"],
        "条例",
        0,
    ),
    (
        "a quoting paragraph is not an article",
        "a.txt",
        "条例\n\n第一条 甲。\n\n第二条 乙。\n\n第一条规定的事项，依照执行。\n\n第三条 丙。\n",
        ["第一条", "第二条", "第三条"],
        "条例",
        0,
    ),
    (
        "full-width space after label",
        "a.txt",
        "条例\n\n第一条\u3000甲。\n\n第一百零一条\u3000乙。\n",
        ["第一条", "第一百零一条"],
        "条例",
        0,
    ),
    (
        "parts",
        "a.txt",
        "法\n\n第一编 总则\n\n第一章 基本规定\n\n第一条 甲。\n\n第二编 物权\n\n第二条 乙。\n",
        ["第一条", "第二条"],
        "法",
        3,
    ),
]


@pytest.mark.parametrize(("name", "fname", "data", "labels", "title", "chapters"), CASES, ids=[c[0] for c in CASES])
def test_read_official_text(tmp_path, name, fname, data, labels, title, chapters):
    ot = read_official_text(write(tmp_path, fname, data))
    assert [a.label for a in ot.body.articles] == labels
    assert ot.article_count == len(labels)
    assert len(ot.body.chapters) == chapters
    if title is not None:
        assert ot.title == title
    assert "\r" not in ot.body_markdown
    assert "INFO END" not in ot.body_markdown
    assert ot.body_markdown.endswith("\n")


def test_encoding_is_reported(tmp_path):
    assert read_official_text(write(tmp_path, "a.txt", PLAIN.encode("gb18030"))).encoding == "gb18030"
    assert read_official_text(write(tmp_path, "b.txt", b"\xef\xbb\xbf" + PLAIN.encode())).encoding == "utf-8"


def test_lines_without_blank_lines_keep_paragraphs_and_items(tmp_path):
    ot = read_official_text(write(tmp_path, "a.txt", NO_BLANK_LINES))
    art = ot.body.article("1")
    assert [(p.text, [i.text for i in p.items]) for p in art.paragraphs] == [
        ("甲。", []),
        ("乙款。", ["（一）项一；", "（二）项二。"]),
    ]
    assert ot.header_lines == ["2020年5月29日通过"]


def test_html(tmp_path):
    html = """<html><head><title>ignored</title><style>p{}</style></head><body>
    <h1>示例条例</h1>
    <p>2020年5月29日 示例市人民代表大会常务委员会<b>通过</b></p>
    <div><h2>第一章&nbsp;总则</h2></div>
    <p><strong>第一条</strong>&nbsp;为了甲，<span>制定本条例</span>。</p>
    <p>第二条 乙：<br>（一）项一；<br>（二）项二。</p>
    <script>var x = "第三条 不是条文";</script>
    <ul><li>第三条 丙。</li></ul>
    </body></html>"""
    ot = read_official_text(write(tmp_path, "a.html", html))
    assert ot.title == "示例条例"
    assert ot.source_format == "html"
    assert [a.label for a in ot.body.articles] == ["第一条", "第二条", "第三条"]
    assert ot.body.article("1").text == "为了甲，制定本条例。"
    assert [i.text for i in ot.body.article("2").paragraphs[0].items] == ["（一）项一；", "（二）项二。"]
    assert [c.heading for c in ot.body.chapters] == ["第一章 总则"]
    assert ot.dates[0].date == dt.date(2020, 5, 29)


def test_docx(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_heading("示例条例", level=1)
    document.add_paragraph("2020年5月29日 示例市人民代表大会常务委员会通过")
    document.add_paragraph("第一章　总则")
    document.add_paragraph("第一条　为了甲，制定本条例。")
    document.add_paragraph("第二条　乙：")
    document.add_paragraph("（一）项一；")
    document.add_paragraph("（二）项二。")
    document.add_paragraph("第二条之一　丙。")
    path = tmp_path / "a.docx"
    document.save(str(path))
    ot = read_official_text(path)
    assert ot.title == "示例条例"
    assert ot.source_format == "docx"
    assert [a.number for a in ot.body.articles] == ["1", "2", "2-1"]
    assert len(ot.body.article("2").paragraphs[0].items) == 2
    assert ot.header_lines == ["2020年5月29日 示例市人民代表大会常务委员会通过"]


REFUSALS = [
    ("empty", "a.txt", b"", "empty"),
    ("blank", "a.txt", b"\n \n\t\n", "empty"),
    ("binary", "a.txt", bytes(range(256)) * 8, "binary"),
    ("binary without NUL", "a.txt", bytes(range(1, 32)) * 50 + "第一条 甲".encode(), "does not look like text"),
    ("UTF-16", "a.txt", PLAIN.encode("utf-16"), "UTF-16"),
    ("not GB18030 either", "a.txt", b"\x81\x30\xff\xff" * 10, "neither UTF-8 nor GB18030"),
    ("no articles", "a.txt", "关于某事的通知\n\n请各单位执行。\n\n特此通知。\n", "no articles found"),
    ("decision numbered from 二", "a.txt", "关于某事的决定\n\n二、甲。\n\n三、乙。\n", "no articles found"),
    ("title only", "a.md", "# 条例\n", "no articles found"),
    ("bad docx", "a.docx", b"PK\x03\x04 not really", "not a readable .docx"),
    ("empty docx", "a.docx", b"", "empty"),
    ("unsupported type", "a.pdf", b"%PDF-1.4", "unsupported file type"),
    ("html without articles", "a.html", "<p>通知</p><p>请执行。</p>", "no articles found"),
]


@pytest.mark.parametrize(("name", "fname", "data", "message"), REFUSALS, ids=[c[0] for c in REFUSALS])
def test_refused(tmp_path, name, fname, data, message):
    with pytest.raises(OfficialTextError) as info:
        read_official_text(write(tmp_path, fname, data))
    assert message in str(info.value)
    assert isinstance(info.value, ValidationError)
    assert isinstance(info.value, ValueError)


def test_no_articles_message_is_exact(tmp_path):
    with pytest.raises(OfficialTextError, match=r"^no articles found$"):
        read_official_text(write(tmp_path, "a.txt", "通知\n\n请执行。\n"))


def test_unreadable_label_is_a_warning_not_an_article(tmp_path):
    ot = read_official_text(write(tmp_path, "a.txt", "条例\n\n第一条 甲。\n\n第二十－条 乙。\n\n第三条 丙。\n"))
    assert [a.number for a in ot.body.articles] == ["1", "3"]
    assert len(ot.warnings) == 1
    assert "第二十－条" in ot.warnings[0]
    assert [p.text for p in ot.body.article("1").paragraphs] == ["甲。", "第二十－条 乙。"]


def test_duplicate_article_numbers_are_warnings(tmp_path):
    ot = read_official_text(write(tmp_path, "a.txt", "条例\n\n第一条 甲。\n\n第一条 乙。\n"))
    assert ot.article_count == 2
    assert any("duplicate article number 1" in w for w in ot.warnings)


def test_markdown_in_paragraphs_is_neutralised(tmp_path):
    ot = read_official_text(write(tmp_path, "a.md", "# 条例\n\n第一条 甲。\n\n## 附件\n\n```\n\n第二条 乙。\n"))
    assert [a.number for a in ot.body.articles] == ["1", "2"]
    assert "## 附件" not in ot.body_markdown


def test_header_dates_in_chinese_numerals_and_brackets(tmp_path):
    text = "条例\n\n（二〇一一年十一月十七日通过　根据2015年7月23日《关于修改的决定》修正）\n\n第一条 甲。\n"
    ot = read_official_text(write(tmp_path, "a.txt", text))
    assert [(d.date, d.event) for d in ot.dates] == [
        (dt.date(2011, 11, 17), "通过"),
        (dt.date(2015, 7, 23), "修正"),
    ]


SLUG_CASES = [
    ("上海市数据条例", None, 2021, set(), "shang-hai-shi-shu-ju-tiao-li-2021"),
    ("上海市数据条例", "Shanghai Data Regulations", 2021, set(), "shanghai-data-regulations-2021"),
    ("x", "Shanghai Regulations (2021 Revision)!", None, set(), "shanghai-regulations-2021-revision"),
    ("x", "Data Regulations 2021", 2021, set(), "data-regulations-2021"),
    ("x", "Café Rules", 2020, set(), "cafe-rules-2020"),
    ("浙江省《节约能源法》实施办法", "", 2020, set(), "zhe-jiang-sheng-jie-yue-neng-yuan-fa-shi-shi-ban-fa-2020"),
    ("上海市数据条例", "数据条例", 2021, set(), "shang-hai-shi-shu-ju-tiao-li-2021"),
    ("a", "A b", 2021, {"a-b-2021"}, "a-b-2021-2"),
    ("a", "A b", 2021, {"a-b-2021", "a-b-2021-2"}, "a-b-2021-3"),
    ("——", None, 2021, set(), "2021"),
    ("——", None, None, set(), "rule"),
]


@pytest.mark.parametrize(("title", "title_en", "year", "taken", "slug"), SLUG_CASES)
def test_make_slug(title, title_en, year, taken, slug):
    assert make_slug(title, title_en, year, taken.__contains__) == slug


def test_long_slugs_are_cut_at_a_word_and_stay_unique():
    title = "上海市人民代表大会常务委员会关于进一步促进和保障城市运行一网统管建设的决定以及其他有关事项的若干规定"
    slug = make_slug(title, None, 2024, lambda s: False)
    assert len(slug) <= 80 and slug.endswith("-2024") and "--" not in slug
    taken = {slug}
    second = make_slug(title, None, 2024, taken.__contains__)
    assert len(second) <= 80 and second.endswith("-2024-2")
    words = "-".join(["word"] * 40)
    assert len(make_slug("x", words, 2024, lambda s: False)) <= 80
    huge = make_slug("x", "a" * 200, None, lambda s: False)
    assert huge == "a" * 80


def test_doctests():
    assert doctest.testmod(officialtext).failed == 0


# ---------------------------------------------------------------- SPEC §8.1: the two real formats

FLK_TEXT = """---
id: "abc"
title: "示例省示例条例"
office: "示例省人民代表大会常务委员会"
publish: "2020-07-02 00:00:00"
effective_date: "2020-09-01 00:00:00"
type: "地方性法规"
status: "有效"
url: "https://flk.npc.gov.cn/detail2.html?abc"
---

# 示例省示例条例

示例省

示例条例
（2006年4月21日示例省第十届人民代表大会

常务委员会第二十三次会议通过  2020年7月1日示例省第十三届人民代表大会常务委员会第十九次会议修订）
目    录

第一章  总    则

> 第二章  管理\\
> 第三章  附则
>

第一章  总    则

第一条
为了示例，制定本条例。

— 2 —

第二条  本条例适用于本省。\\
\u3000 \t
第二章  管理

第三条  **重点**用能单位应当报告。

第三章  附则

第四条  本条例自2020年9月1日起施行。
"""


def test_flk_format_front_matter_toc_and_leftovers(tmp_path):
    ot = read_official_text(write(tmp_path, "a.md", FLK_TEXT))
    assert ot.source_format == "flk" and ot.title == "示例省示例条例"
    meta = ot.meta
    assert (meta.office, meta.publish, meta.effective, meta.status, meta.type) == (
        "示例省人民代表大会常务委员会",
        dt.date(2020, 7, 2),
        dt.date(2020, 9, 1),
        "有效",
        "地方性法规",
    )
    # the title repeated over two lines is dropped; the broken adoption parenthesis is one header line
    assert len(ot.header_lines) == 1 and ot.header_lines[0].startswith("（2006年4月21日")
    assert [(d.event, d.date) for d in ot.dates] == [("通过", dt.date(2006, 4, 21)), ("修订", dt.date(2020, 7, 1))]
    # the 目录 is not read as chapters
    assert [c.heading for c in ot.body.chapters] == ["第一章  总    则", "第二章  管理", "第三章  附则"]
    assert [a.number for a in ot.body.articles] == ["1", "2", "3", "4"]
    assert ot.body.articles[0].text == "为了示例，制定本条例。"  # label alone on its line, joined
    assert ot.body.articles[1].text == "本条例适用于本省。"  # trailing backslash, footer, blank-ish lines gone
    assert ot.body.articles[2].text == "重点用能单位应当报告。"  # bold markers
    assert "目" not in ot.body_markdown.replace("项目", "") and "—" not in ot.body_markdown


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ('---\ntitle: "x"\n', "never closed"),
        ("---\ntitle: [x\n---\n", "malformed YAML on line"),
        ("---\n- a\n---\n", "must be a mapping"),
        ('---\ntitle: "x"\neffective_date: "2020-13-01"\n---\n', "effective_date: '2020-13-01' is not a real date"),
        ('---\ntitle: "x"\npublish: "soon"\n---\n', "publish: 'soon' is not a date"),
        ('---\ntitle: "x"\nstatus: "失效"\n---\n', "status: '失效' is not one of"),
        ('---\noffice: "x"\n---\n', "title: missing or empty"),
        ("---\ntitle: x\njurisdiction: CN-SH\ntopic: data\nkind: law\nprovenance: summary\n---\n", "corpus document"),
    ],
)
def test_malformed_flk_front_matter_is_refused_naming_the_problem(tmp_path, front, message):
    with pytest.raises(OfficialTextError, match=r"front matter|corpus document") as info:
        read_official_text(write(tmp_path, "a.md", front + "\n第一条 甲。\n"))
    assert message in str(info.value)


def test_a_decision_reads_its_numbered_paragraphs_in_sequence(tmp_path):
    text = "关于示例的决定\n\n为了示例，作如下决定：\n\n一、甲。\n\n（一）细目；\n\n二、乙。\n\n一、这一项编号错了，属于第二项。\n\n三、丙。\n"
    ot = read_official_text(write(tmp_path, "a.txt", text))
    assert ot.decision
    assert [(a.number, a.label) for a in ot.body.articles] == [("1", "一、"), ("2", "二、"), ("3", "三、")]
    assert ot.body.articles[1].text == "乙。\n\n一、这一项编号错了，属于第二项。"
    assert ot.body.articles[0].paragraphs[0].items[0].text == "（一）细目；"
    assert "## 一、\n\n甲。" in ot.body_markdown
    # a text with 第…条 is never read as a decision, whatever 一、 paragraphs it holds
    law = read_official_text(write(tmp_path, "b.txt", "条例\n\n第一条 甲：\n\n一、乙；\n\n二、丙。\n"))
    assert not law.decision and [a.number for a in law.body.articles] == ["1"]
