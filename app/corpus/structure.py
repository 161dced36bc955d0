"""The structure parser of a rule body (SPEC §2 "Ids and structure"): 编/章/节/条/款/项.

Input is the Markdown after the front matter; output a :class:`Body` and the
problems found (returned, never raised, so a loader can report every file at once).

Worked example::

    # 示例条例                  -> Body.title
    本条例自公布之日起施行。     -> Body.preamble
    # 第一章 总则               -> Chapter ch-1, level zhang, path ("第一章 总则",)
    ## 第十条之一 排放限值       -> Article number "10-1", label "第十条之一", heading "排放限值"
    排放应当符合下列要求：       -> Paragraph 1 (款)
    （一）化学需氧量……          -> Item 1 of paragraph 1 (项)
    （二）氨氮……                -> Item 2 of paragraph 1
    超标的，依法处罚。           -> Paragraph 2

Rules, in the words of the spec: ``##`` headings that start with 第…条 or
``Article N`` are articles; ``#`` headings of 第X编/章/节 group them (a 编
resets 章 and 节, a 章 resets 节); a leading ``#`` heading that is not a group
is the title; text before the first article is the preamble; ``###`` and
deeper headings stay inside their article's text (they are not 款).  Text that
follows a group heading once articles have begun, before the next article,
belongs to no article.

Decisions and resolutions (决定, 决议) that number their paragraphs 一、二、… instead
of 第X条 (SPEC §8.1): in a body without any ``## 第…条`` / ``## Article N``
heading, ``##`` headings that start with ``一、`` are the articles — number "1",
label ``一、``, id ``#art-1``.
"""

from __future__ import annotations

import re

from app.corpus.documents import Article, Body, Chapter, Item, Paragraph
from app.corpus.numerals import NUMERAL_CHARS, parse_chinese_numeral, to_chinese_numeral
from app.exceptions import Problem, problem

__all__ = [
    "CHAPTER_RE",
    "ITEM_RE",
    "article_anchor",
    "article_id",
    "match_article_label",
    "match_chapter",
    "match_decision_label",
    "paragraph_address",
    "parse_article_id",
    "parse_body",
]

_HEADING_RE = re.compile(r"^(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")

#: 第X编 / 第X章 / 第X节 at the start of a heading or line.
CHAPTER_RE = re.compile(rf"^第(?P<num>[{NUMERAL_CHARS}]+)(?P<kind>[编章节])")
_LEVELS = {"编": "bian", "章": "zhang", "节": "jie"}

_ARTICLE_ZH_RE = re.compile(rf"^第(?P<main>[{NUMERAL_CHARS}]+)条(?:之(?P<sub>[{NUMERAL_CHARS}]+))?")
_ARTICLE_EN_RE = re.compile(r"^Article[ \t]+(?P<main>\d+)(?:-(?P<sub>\d+))?(?![\w])", re.IGNORECASE)
# Looks like an article label but the numeral is not one: 第X条, 第一二条.
_ARTICLE_LOOKALIKE_RE = re.compile(r"^第(?P<main>[^\s条第]{1,12})条")

#: An item (项) marker at the start of a block: （一） or (一), full- or half-width parentheses.
ITEM_RE = re.compile(rf"^[（(][{NUMERAL_CHARS}]+[）)]")

_FENCE_RE = re.compile(r"^\s{0,3}(```|~~~)")

#: A decision's numbered paragraph: 一、 (a Chinese numeral and the enumeration comma).
_DECISION_RE = re.compile(rf"^(?P<num>[{NUMERAL_CHARS}]+)、")
_ARTICLE_HEADING_RE = re.compile(rf"^##[ \t]+(第[{NUMERAL_CHARS}]+条|Article[ \t]+\d)", re.IGNORECASE | re.MULTILINE)


def match_decision_label(text: str) -> tuple[str, str, str] | None:
    """``(number, label, rest)`` when ``text`` starts with a decision's 一、-style number, else None.

    >>> match_decision_label("十二、本决定自公布之日起施行。")
    ('12', '十二、', '本决定自公布之日起施行。')
    >>> match_decision_label("第一条") is None
    True
    """
    m = _DECISION_RE.match(text)
    if m is None:
        return None
    try:
        n = parse_chinese_numeral(m.group("num"))
    except ValueError:
        return None
    if n < 1:
        return None
    return str(n), m.group(0), text[m.end() :]


def article_anchor(number: str) -> str:
    """The anchor of an article: ``article_anchor("10-1") == "art-10-1"``."""
    return f"art-{number}"


def article_id(rule_id: str, number: str | None) -> str | None:
    """The id of a rule's article (SPEC §2); None when the article is not stated (SPEC §8.3).

    >>> article_id("cn-sh/data/example", "10-1"), article_id("cn-sh/data/example", None)
    ('cn-sh/data/example#art-10-1', None)
    """
    return None if number is None else f"{rule_id}#{article_anchor(number)}"


_ANCHOR = r"art-(?P<main>[1-9][0-9]*)(?:-(?P<sub>[1-9][0-9]*))?\Z"
_ARTICLE_ID_RE = re.compile(r"^(?P<rule>[^#]+)#" + _ANCHOR)
_ANCHOR_RE = re.compile(r"^" + _ANCHOR)


def article_number(value: str | None) -> str | None:
    """The article number in an article id or its anchor (``"10-1"``); None for anything else.

    >>> article_number("cn-sh/data/example#art-10-1"), article_number("art-3"), article_number("x#art-0")
    ('10-1', '3', None)
    """
    m = _ANCHOR_RE.match((value or "").rpartition("#")[2])
    if m is None:
        return None
    return f"{int(m['main'])}-{int(m['sub'])}" if m["sub"] else str(int(m["main"]))


def chinese_article_label(number: str) -> str:
    """The Chinese heading label of an article number (the one place that writes it).

    >>> chinese_article_label("10-1"), chinese_article_label("3")
    ('第十条之一', '第三条')
    """
    main, _, sub = number.partition("-")
    return f"第{to_chinese_numeral(int(main))}条" + (f"之{to_chinese_numeral(int(sub))}" if sub else "")


def parse_article_id(value: str) -> tuple[str, str, tuple[int, int]] | None:
    """``(rule_id, number, (main, sub))`` of an article id, the inverse of :func:`article_id`; None otherwise.

    >>> parse_article_id("cn-sh/data/example#art-10-1")
    ('cn-sh/data/example', '10-1', (10, 1))
    >>> parse_article_id("cn-sh/data/example#art-x") is None
    True
    """
    m = _ARTICLE_ID_RE.match(value)
    if m is None:
        return None
    main, sub = int(m["main"]), int(m["sub"] or 0)
    return m["rule"], f"{main}-{sub}" if sub else str(main), (main, sub)


def paragraph_address(number: str, p: int, i: int | None = None) -> str:
    """The address of a paragraph or item.

    >>> paragraph_address("12", 2), paragraph_address("12", 2, 3)
    ('art-12-p2', 'art-12-p2-i3')
    """
    base = f"{article_anchor(number)}-p{p}"
    return base if i is None else f"{base}-i{i}"


def match_article_label(text: str) -> tuple[str, str, str] | None:
    """``(number, label, rest)`` when ``text`` starts with an article label, else None.

    >>> match_article_label("第十条之一 排放限值")
    ('10-1', '第十条之一', ' 排放限值')
    >>> match_article_label("Article 12 Purpose")
    ('12', 'Article 12', ' Purpose')
    >>> match_article_label("第三章 总则") is None
    True

    Raises ValueError when the text looks like 第…条 but the numeral cannot be read.
    """
    m = _ARTICLE_ZH_RE.match(text) or _ARTICLE_EN_RE.match(text)
    if m is None:
        if _ARTICLE_LOOKALIKE_RE.match(text):
            raise ValueError(f"cannot read the article number in {text.split()[0]!r}")
        return None
    try:
        main = parse_chinese_numeral(m.group("main"))
        sub = parse_chinese_numeral(m.group("sub")) if m.group("sub") else None
    except ValueError:
        raise ValueError(f"cannot read the article number in {m.group(0)!r}") from None
    if main < 1 or (sub is not None and sub < 1):
        raise ValueError(f"article number out of range in {m.group(0)!r}")
    number = f"{main}-{sub}" if sub is not None else str(main)
    return number, m.group(0), text[m.end() :]


def match_chapter(text: str) -> tuple[str, str] | None:
    """``(level, heading)`` when ``text`` is a 第X编/章/节 heading, else None.

    >>> match_chapter("第二章　监督管理")
    ('zhang', '第二章　监督管理')
    >>> match_chapter("第三条 规定") is None
    True
    """
    m = CHAPTER_RE.match(text)
    if m is None:
        return None
    try:
        parse_chinese_numeral(m.group("num"))
    except ValueError:
        return None
    return _LEVELS[m.group("kind")], text.strip()


def _blocks(lines: list[str]) -> list[str]:
    """Blank-line separated blocks of ``lines`` (each block's lines joined by "\\n", right-stripped)."""
    blocks: list[str] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line)
        elif current:
            blocks.append("\n".join(current).rstrip())
            current = []
    if current:
        blocks.append("\n".join(current).rstrip())
    return blocks


def _paragraphs(blocks: list[str]) -> tuple[Paragraph, ...]:
    """款 and 项 of an article's blocks.

    A block starting with an item marker is an item of the paragraph before it;
    inside one block, a line starting with an item marker starts a new item too.
    Blocks that hold only ``###`` headings are not paragraphs.
    """
    paras: list[tuple[str, list[str]]] = []  # (paragraph text, item texts)
    for block in blocks:
        lines = block.split("\n")
        while lines and _HEADING_RE.match(lines[0]):
            lines.pop(0)
        if not lines:
            continue
        segments: list[tuple[bool, list[str]]] = []  # (is_item, lines)
        for line in lines:
            if ITEM_RE.match(line.lstrip()) or not segments:
                segments.append((bool(ITEM_RE.match(line.lstrip())), [line]))
            else:
                segments[-1][1].append(line)
        for is_item, seg_lines in segments:
            text = "\n".join(seg_lines).strip()
            if is_item and paras:
                paras[-1][1].append(text)
            else:
                paras.append((text, []))
    return tuple(
        Paragraph(
            number=n,
            text=text,
            items=tuple(Item(number=k, text=t) for k, t in enumerate(items, start=1)),
        )
        for n, (text, items) in enumerate(paras, start=1)
    )


def parse_body(text: str, *, file: str = "", line_offset: int = 0) -> tuple[Body, list[Problem]]:
    """Parse a rule body into a :class:`Body`; problems are returned, not raised.

    ``line_offset`` is added to every line number (the number of lines of front
    matter before the body), so lines refer to the file.

    >>> body, problems = parse_body("# 标题\\n\\n## 第一条 目的\\n\\n为了……\\n")
    >>> body.title, body.articles[0].number, body.articles[0].heading, body.articles[0].line, problems
    ('标题', '1', '目的', 3, [])
    """
    problems: list[Problem] = []
    title: str | None = None
    seen_content = False  # anything but blank lines seen (decides whether a # heading is the title)
    preamble_lines: list[str] = []
    chapters: list[Chapter] = []
    stack: dict[str, str] = {}  # level -> heading of the open groups
    current_chapter: str | None = None

    articles: list[Article] = []
    first_line: dict[str, int] = {}
    # the open article: (number, label, heading, line, chapter, body lines)
    open_art: tuple[str, str, str, int, str | None] | None = None
    art_lines: list[str] = []
    in_fence = False

    def close_article() -> None:
        nonlocal open_art, art_lines
        if open_art is None:
            return
        number, label, heading, line, chapter = open_art
        blocks = _blocks(art_lines)
        articles.append(
            Article(
                number=number,
                label=label,
                heading=heading,
                text="\n\n".join(blocks).rstrip(),
                chapter=chapter,
                paragraphs=_paragraphs(blocks),
                line=line,
            )
        )
        open_art = None
        art_lines = []

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # a decision numbered 一、二、… has no 第…条 heading at all; then its ## 一、 headings are its articles
    decision = _ARTICLE_HEADING_RE.search(text) is None
    for idx, raw in enumerate(text.split("\n"), start=1):
        lineno = idx + line_offset
        if _FENCE_RE.match(raw):
            in_fence = not in_fence
        heading = None if in_fence else _HEADING_RE.match(raw)
        if heading is not None:
            level = len(heading.group(1))
            htext = (heading.group(2) or "").strip()
            if level == 1:
                group = match_chapter(htext)
                if group is not None:
                    close_article()
                    kind, gheading = group
                    if kind == "bian":
                        stack.clear()
                    elif kind == "zhang":
                        stack.pop("zhang", None)
                        stack.pop("jie", None)
                    else:
                        stack.pop("jie", None)
                    stack[kind] = gheading
                    path = tuple(stack[k] for k in ("bian", "zhang", "jie") if k in stack)
                    cid = f"ch-{len(chapters) + 1}"
                    chapters.append(Chapter(id=cid, heading=gheading, level=kind, path=path))
                    current_chapter = cid
                    seen_content = True
                    continue
                if title is None and not seen_content:
                    title = htext
                    seen_content = True
                    continue
            elif level == 2:
                try:
                    found = match_article_label(htext)
                except ValueError as exc:
                    problems.append(
                        problem(file, "%(error)s; write it like 第十条 or 第十条之一", lineno, "body", error=str(exc))
                    )
                    found = None
                if found is None and decision:
                    found = match_decision_label(htext)
                if found is not None:
                    close_article()
                    number, label, rest = found
                    if number in first_line:
                        problems.append(
                            problem(
                                file,
                                "duplicate article number %(number)s (%(label)s); first at line %(first)s",
                                lineno,
                                "body",
                                number=number,
                                label=label,
                                first=first_line[number],
                            )
                        )
                    else:
                        first_line[number] = lineno
                    open_art = (number, label, rest.strip(" \t\u3000.:："), lineno, current_chapter)
                    seen_content = True
                    continue
        if raw.strip():
            seen_content = True
        if open_art is not None:
            art_lines.append(raw)
        elif not articles:
            preamble_lines.append(raw)
        # else: text after a group heading, between articles: belongs to no article
    close_article()

    body = Body(
        title=title,
        preamble="\n\n".join(_blocks(preamble_lines)),
        chapters=tuple(chapters),
        articles=tuple(articles),
    )
    return body, problems
