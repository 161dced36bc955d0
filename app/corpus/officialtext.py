"""The reading half of ``registry import`` (SPEC §3): an official text as published -> a corpus body.

An official text is not a corpus document: it has a title line, header lines on
adoption and amendments, chapter lines (第X编/章/节, with or without leading
``#``), articles as paragraphs that start with 第X条 or 第X条之X, their further
paragraphs (款) and items (项, （一）…).  :func:`read_official_text` reads one
(.txt, .md, .docx or .html; UTF-8 or GB18030) and writes the corpus-format body::

    上海市示例条例                          # 上海市示例条例
    2011年11月17日 … 通过           ->
    第一章　总则                             2011年11月17日 … 通过
    第一条 为了……
    有下列情形之一的：                       # 第一章　总则
    （一）……
                                             ## 第一条

                                             为了……

                                             有下列情形之一的：

                                             （一）……

Which paragraphs start an article: one that starts with 第<numeral>条 or
第<numeral>条之<numeral> followed by white space (half- or full-width) or by
nothing; or followed directly by text when its number is the next one expected
(so a paragraph that quotes "第三条规定的……" inside 第十条 stays a paragraph).
In the 1,911 public official texts measured (docs/benchmarks.md) every article label is followed by
a space.  Paragraphs that look like a label but whose numeral cannot be read
(a typo such as 第三十－条) stay paragraphs of the article before and are
reported in ``OfficialText.warnings``.

:func:`make_slug` derives the rule slug from ``--title-en`` or the pinyin of the title.

The two real public collections (SPEC §8.1) are read too:

- the flk format: YAML front matter (``title``, ``office``, ``publish``,
  ``effective_date``, ``type``, ``status``, ``url``, …) before the text; it is
  returned as :class:`FlkMeta` in ``OfficialText.meta`` (a malformed one is
  refused naming the field);
- the LawRefBook format: ``# title``, header lines, ``<!-- INFO END -->``.

Conversion leftovers are cleaned before the structure is read: a leading
``> `` (quote marker), a trailing ``\\`` (hard break), whitespace-only lines,
page footers (``— 24 —``, ``─ 6 ─``), an article label alone on its line (joined
to its text), the title repeated under the title heading (also when broken
over several lines), an adoption parenthesis broken over paragraphs, and a 目录
(table of contents), whose chapter lines are skipped and never read as chapters.

A decision or resolution (决定, 决议) without any 第…条 paragraph is read by its
numbered paragraphs 一、二、… (in sequence from 一): each is an article written
``## 一、`` (number "1", label ``一、``).

``OfficialText.sha256`` is the sha256 of the UTF-8 corpus-format body
(``body_markdown``): the "body after normalisation" that a manifest's
``sha256`` names (SPEC §8.2).

Pure: stdlib, python-docx, beautifulsoup4, pypinyin (lazily imported).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.corpus.dates import parse_date
from app.corpus.documents import Body
from app.corpus.numerals import NUMERAL_CHARS, label_numbers, parse_chinese_numeral
from app.corpus.safefiles import FileRefused, read_bounded
from app.corpus.slugs import SLUG_MAX
from app.corpus.structure import match_chapter, match_decision_label, parse_body
from app.exceptions import ValidationError

__all__ = [
    "FLK_STATUSES",
    "SUFFIXES",
    "FlkMeta",
    "HeaderDate",
    "OfficialText",
    "OfficialTextError",
    "clean_leftovers",
    "decode_text",
    "make_slug",
    "parse_official_text",
    "read_official_text",
    "split_flk_front_matter",
    "split_paragraphs",
]

#: File types ``registry import`` reads.
SUFFIXES = (".txt", ".md", ".docx", ".html", ".htm")

MAX_BYTES = 20 * 1024 * 1024
#: A .docx is a zip: the parts it holds may together unpack to at most this much (a zip bomb is refused unread).
MAX_DOCX_UNPACKED = 64 * 1024 * 1024
#: ...and no part may unpack to more than this many times its packed size (real Word XML packs ~10x).
MAX_DOCX_RATIO = 200
#: Elements nested deeper than this in an .html file are refused before the tree is built.
MAX_HTML_DEPTH = 256


class OfficialTextError(ValidationError, ValueError):
    """The file cannot be read as an official text (encoding, format, or no articles)."""

    code = "bad_official_text"

    def __init__(self, message: str):
        super().__init__(message)


@dataclass(frozen=True)
class HeaderDate:
    """A date found in a header line, with the event the line names (informational only)."""

    date: dt.date
    event: str  # 通过 | 批准 | 修正 | 修订 | 公布 | 施行 | "" when none is named
    line: str


#: The ``status`` values of the flk format: in force, amended (a later version exists), repealed, not yet in force.
FLK_STATUSES = ("有效", "已修改", "已废止", "尚未生效")


@dataclass(frozen=True)
class FlkMeta:
    """The YAML front matter of a text in the flk format (flk.npc.gov.cn as synced by whthomas/china-laws)."""

    title: str
    office: str | None = None
    publish: dt.date | None = None
    effective: dt.date | None = None  # flk's effective_date
    type: str | None = None  # 地方性法规 …
    status: str | None = None  # one of FLK_STATUSES
    url: str | None = None


@dataclass(frozen=True)
class OfficialText:
    title: str  # "" when the text starts with a chapter or an article
    header_lines: list[str]
    body_markdown: str  # the corpus-format body (SPEC §2), LF line ends, ends with "\n"
    article_count: int
    body: Body  # body_markdown parsed back with parse_body
    dates: list[HeaderDate] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    encoding: str = "utf-8"
    source_format: str = "txt"  # txt | md | docx | html | flk
    meta: FlkMeta | None = None  # the flk front matter, when the file has one
    decision: bool = False  # articles are the numbered paragraphs 一、二、… of a decision

    @property
    def sha256(self) -> str:
        """sha256 of the UTF-8 corpus-format body: what a manifest's ``sha256`` must equal."""
        return hashlib.sha256(self.body_markdown.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- bytes -> text

_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f", "\v"}


def _looks_binary(text: str, encoding: str) -> bool:
    """Control characters (or, after a GB18030 decode, private-use/unassigned ones) where text has none.

    A valid UTF-8 text may hold a few private-use characters (one of the lawtexts does);
    a GB18030 decode of binary data yields many.
    """
    if not text:
        return False
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS)
    if encoding == "utf-8":
        return controls > len(text) // 200
    odd = sum(1 for ch in text if unicodedata.category(ch) in ("Co", "Cn", "Cs"))
    return controls > 0 or odd > len(text) // 200


def decode_text(data: bytes) -> tuple[str, str]:
    """``(text, encoding)``: UTF-8 (a BOM is dropped) or else GB18030; anything else is refused.

    Line ends are normalised to LF.
    """
    if not data.strip():
        raise OfficialTextError("the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        raise OfficialTextError(
            "the file is binary or UTF-16; save the official text as UTF-8 or GB18030 text, .docx or .html"
        )
    encoding = "utf-8"
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
            encoding = "gb18030"
        except UnicodeDecodeError:
            raise OfficialTextError(
                "the file is neither UTF-8 nor GB18030 text; convert it to UTF-8 (or give a .docx or .html)"
            ) from None
    if _looks_binary(text, encoding):
        raise OfficialTextError(
            f"the file does not look like text (control characters after decoding as {encoding}); "
            "give the official text as .txt, .md, .docx or .html"
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, encoding


def _check_zip(data: bytes) -> None:
    """Refuse a .docx whose parts would unpack beyond the limits, before anything is unpacked."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise OfficialTextError(f"not a readable .docx file ({exc.__class__.__name__})") from None
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > max(info.compress_size, 1) * MAX_DOCX_RATIO and info.file_size > 1024 * 1024:
            raise OfficialTextError(
                f"not a readable .docx file: part {info.filename!r} unpacks {info.file_size} bytes from "
                f"{info.compress_size} (over {MAX_DOCX_RATIO} times; a zip bomb?)"
            )
    if total > MAX_DOCX_UNPACKED:
        raise OfficialTextError(
            f"not a readable .docx file: its parts unpack to {total} bytes, over the limit of "
            f"{MAX_DOCX_UNPACKED // (1024 * 1024)} MB"
        )


def _docx_paragraphs(data: bytes) -> list[str]:
    import zipfile

    import docx  # python-docx

    _check_zip(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:  # and python-docx's own errors:
        raise OfficialTextError(f"not a readable .docx file ({exc.__class__.__name__})") from None
    except Exception as exc:  # PackageNotFoundError, lxml's XMLSyntaxError
        raise OfficialTextError(f"not a readable .docx file ({exc.__class__.__name__})") from None
    lines: list[str] = []
    for para in document.paragraphs:
        # a paragraph may hold soft line breaks; each line is a paragraph of the official text
        lines.extend(para.text.replace("\r", "\n").split("\n"))
        lines.append("")
    return lines


_BLOCK_TAGS = (
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "tr",
    "table",
    "section",
    "article",
    "blockquote",
    "pre",
    "header",
    "footer",
)


_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)[^>]*?(/?)>")
_VOID_TAGS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
        "p",
        "li",
        "tr",
        "td",
        "th",
        "option",
    ]
)


def _html_depth(text: str, stop: int = MAX_HTML_DEPTH) -> int:
    """The deepest nesting of non-void elements (read without building a tree); stops counting past ``stop``."""
    depth = deepest = 0
    for m in _TAG_RE.finditer(text):
        closing, name, self_closing = m.group(1), m.group(2).lower(), m.group(3)
        if name in _VOID_TAGS or self_closing:
            continue
        if closing:
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
            if deepest > stop:
                break
    return deepest


def _html_paragraphs(text: str) -> list[str]:
    from bs4 import BeautifulSoup

    if _html_depth(text) > MAX_HTML_DEPTH:
        raise OfficialTextError(
            f"the HTML nests elements more than {MAX_HTML_DEPTH} deep; save the page's text as .txt instead"
        )
    soup = BeautifulSoup(text, "html.parser")
    # <head> (its <title> usually carries the site's name), scripts and styles are not the text
    for tag in soup(["head", "script", "style", "noscript", "template"]):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.append("\n")
    out = soup.get_text()
    return out.split("\n")


# ------------------------------------------------------------ text -> structure

_SPACE = " \t\u3000\xa0"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_ARTICLE_START_RE = re.compile(
    rf"^第(?P<main>[{NUMERAL_CHARS}]+)条(?:之(?P<sub>[{NUMERAL_CHARS}]+))?(?P<after>[{_SPACE}]|$)?"
)
# a label whose numeral is not one (第三十－条); reported, never an article
_ARTICLE_LOOKALIKE_RE = re.compile(rf"^第[^{_SPACE}条第，。]{{1,8}}条[{_SPACE}]")
_ITEM_OR_STRUCTURE_RE = re.compile(
    rf"^(#|第[{NUMERAL_CHARS}]+[条章节编]|[（(][{NUMERAL_CHARS}]+[）)]|[{NUMERAL_CHARS}]+、|目[{_SPACE}]*录$)"
)
# an article label alone on its line (its text follows on the next line)
_LABEL_ALONE_RE = re.compile(rf"^第[{NUMERAL_CHARS}]+条(?:之[{NUMERAL_CHARS}]+)?$")
_TOC_RE = re.compile(rf"^目[{_SPACE}]*录$")
# page footers of converted PDFs/Word files: — 24 —, ─ 6 ─, - 3 -
_FOOTER_RE = re.compile(r"^[—─－\-–]{1,3}[ \t\u3000]*\d{1,4}[ \t\u3000]*[—─－\-–]{1,3}$")
_QUOTE_RE = re.compile(r"^[ \t]*(?:>[ \t]?)+")
_COMMENT_RE = re.compile(r"^<!--.*-->$")
_DATE_RE = re.compile(
    r"(?P<y>\d{4}|[〇零○一二三四五六七八九]{4})\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,2})\s*月"
    r"\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日"
)
_EVENTS = ("通过", "批准", "修正", "修订", "公布", "施行")


def _clean(line: str) -> str:
    return line.strip(_SPACE + _INVISIBLE + "\n\r\f\v")


def clean_leftovers(lines: list[str]) -> list[str]:
    r"""Drop conversion leftovers line by line (SPEC §8.1).

    A leading ``> `` quote marker (nested too), a trailing ``\`` hard break and
    Markdown bold markers (``**``) are removed; page footers such as ``— 24 —``
    and whitespace-only lines become blank lines.

    >>> clean_leftovers(["> 第五章 机动车船\\", ">", "— 24 —", "  ", "第一条 文字"])
    ['第五章 机动车船', '', '', '', '第一条 文字']
    """
    out: list[str] = []
    for line in lines:
        line = _QUOTE_RE.sub("", line, count=1) if line.lstrip(" \t").startswith(">") else line
        stripped = line.rstrip(_SPACE)
        if stripped.endswith("\\"):
            line = stripped[:-1]
        if not _clean(line) or _FOOTER_RE.match(_clean(line)):
            line = ""
        if "**" in line:
            line = line.replace("**", "")  # Markdown bold around a number (**四、**) is conversion markup
        out.append(line)
    return out


def split_paragraphs(lines: list[str]) -> list[str]:
    """Paragraphs of a text given as lines: blank-line separated blocks.

    A block whose later lines start with a structure marker (第X条, 第X章, （一）, ``#``)
    is a text without blank lines between paragraphs: each of its lines is a
    paragraph.  Other multi-line blocks (hard-wrapped paragraphs) are one paragraph,
    their lines joined without separator.
    """
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        cleaned = _clean(line.replace("\xa0", " "))  # &nbsp; in HTML and Word is a plain space
        if cleaned:
            current.append(cleaned)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    paragraphs: list[str] = []
    for block in blocks:
        # 第一条 alone on its line, its text on the next: one paragraph "第一条 …"
        k = 0
        while k < len(block) - 1:
            if _LABEL_ALONE_RE.match(block[k]) and not _ITEM_OR_STRUCTURE_RE.match(block[k + 1]):
                block[k : k + 2] = [f"{block[k]} {block[k + 1]}"]
            k += 1
        if len(block) > 1 and any(_ITEM_OR_STRUCTURE_RE.match(line) for line in block[1:]):
            paragraphs.extend(block)
        elif len(block) > 1 and all(line.isascii() for line in block):
            paragraphs.append(" ".join(block))
        else:
            paragraphs.append("".join(block))
    return paragraphs


def _article_start(paragraph: str, expected: tuple[int, int | None] | None) -> tuple[str, str, str] | None:
    """``(number, label, rest)`` when ``paragraph`` starts an article, else None."""
    m = _ARTICLE_START_RE.match(paragraph)
    if m is None:
        return None
    numbers = label_numbers(m.group("main"), m.group("sub"))
    if numbers is None:
        return None
    main, sub = numbers
    if m.group("after") is None:
        # text follows the label directly: an article only when it is the next one expected
        if expected is None:
            if (main, sub) != (1, None):
                return None
        else:
            prev_main, prev_sub = expected
            nexts = {(prev_main + 1, None), (prev_main, (prev_sub or 0) + 1)}
            if (main, sub) not in nexts:
                return None
    label = m.group(0).rstrip(_SPACE)
    number = f"{main}-{sub}" if sub is not None else str(main)
    return number, label, paragraph[len(label) :].lstrip(_SPACE)


def _chapter_line(paragraph: str) -> str | None:
    """The heading when ``paragraph`` is a 第X编/章/节 line (with or without leading #), else None."""
    hashes = len(paragraph) - len(paragraph.lstrip("#"))
    text = paragraph[hashes:].strip(_SPACE) if hashes else paragraph
    found = match_chapter(text)
    if found is None:
        return None
    if not hashes and (len(text) > 40 or text[-1] in "。；，：;,:"):
        return None  # a sentence that happens to start with 第X章 (quoting), not a heading
    return found[1]


def _escape(paragraph: str) -> str:
    """Keep a paragraph from being read as Markdown structure in the corpus body."""
    if paragraph.startswith("#"):
        stripped = paragraph.lstrip("#").strip(_SPACE)
        return stripped or paragraph.replace("#", "＃")
    if paragraph.startswith(("```", "~~~")):
        return "\\" + paragraph
    return paragraph


def _header_dates(lines: list[str]) -> list[HeaderDate]:
    found: list[HeaderDate] = []
    for line in lines:
        matches = list(_DATE_RE.finditer(line))
        for k, m in enumerate(matches):
            try:
                date = dt.date(
                    parse_chinese_numeral(m.group("y")),
                    parse_chinese_numeral(m.group("m")),
                    parse_chinese_numeral(m.group("d")),
                )
            except ValueError:
                continue
            end = matches[k + 1].start() if k + 1 < len(matches) else len(line)
            segment = line[m.end() : end]
            hits = [(segment.rfind(ev), ev) for ev in _EVENTS if ev in segment]
            event = max(hits)[1] if hits else ""
            found.append(HeaderDate(date=date, event=event, line=line))
    return found


def _squash(text: str) -> str:
    return re.sub(rf"[{_SPACE}]+", "", text)


def _drop_repeated_title(title: str, paragraphs: list[str]) -> list[str]:
    """Remove the title repeated under the title heading (whole, or broken over several paragraphs).

    When the title runs into the adoption line ("安徽省节约能源条例（2006年…通过）"), only the title is cut.
    """
    want = _squash(title)
    if not want:
        return paragraphs
    got = ""
    for k, paragraph in enumerate(paragraphs[:6]):
        part = _squash(paragraph.lstrip("#"))
        if (got + part) == want:
            return paragraphs[k + 1 :]
        if want.startswith(got + part):
            got += part
            continue
        if (got + part).startswith(want):
            rest = paragraph.lstrip("#").strip(_SPACE)
            # the paragraph ends the title (spaces aside) and goes on: keep what follows it
            need, n = len(want) - len(got), 0
            for i, ch in enumerate(rest):
                if ch not in _SPACE:
                    n += 1
                if n == need:
                    return [rest[i + 1 :].lstrip(_SPACE), *paragraphs[k + 1 :]]
        break
    return paragraphs


def _join_open_parenthesis(paragraphs: list[str]) -> list[str]:
    """Join a header paragraph whose （ is closed only in a following paragraph (an adoption line broken in two)."""

    def body_starts(p: str) -> bool:
        p = p.lstrip("#").lstrip(_SPACE)
        return _article_start(p, None) is not None or _chapter_line(p) is not None or p.startswith("一、")

    out: list[str] = []
    k = 0
    while k < len(paragraphs):
        paragraph = paragraphs[k]
        if body_starts(paragraph):
            out.extend(paragraphs[k:])
            break
        j = k
        while paragraph.count("（") > paragraph.count("）") and j + 1 < len(paragraphs) and j - k < 3:
            nxt = paragraphs[j + 1]
            if body_starts(nxt) or len(nxt) > 200:
                break
            paragraph += nxt
            j += 1
        out.append(paragraph)
        k = j + 1
    return out


def _decision_start(paragraph: str, expected: int) -> tuple[str, str, str] | None:
    """``(number, label, rest)`` when ``paragraph`` is the decision's next numbered paragraph (一、 after none)."""
    found = match_decision_label(paragraph)
    if found is None or int(found[0]) != expected + 1:
        return None
    return found


def _structure(paragraphs: list[str], decision: bool) -> tuple[list[str], list[str], list[str], int]:
    """``(markdown blocks, header lines, warnings, article count)`` of the paragraphs after the title."""
    header_lines: list[str] = []
    out: list[str] = []  # Markdown blocks of the body after the title
    warnings: list[str] = []
    expected: tuple[int, int | None] | None = None
    decision_expected = 0
    count = 0
    in_articles = False
    pending_chapter: int | None = None  # index in ``out`` of a bare 第X章 heading awaiting its name
    toc: list[str] | None = None  # chapter lines of a 目录 being skipped

    for paragraph in paragraphs:
        chapter = _chapter_line(paragraph)
        if toc is not None:
            # inside a 目录: its lines are skipped until the body starts again (its first chapter
            # repeated, or an article, or a sentence)
            if chapter is not None and (not toc or _squash(chapter) != toc[0]):
                toc.append(_squash(chapter))
                continue
            if (
                chapter is None
                and len(paragraph) <= 30
                and not re.search(r"[。；，：]", paragraph)
                and _article_start(paragraph, expected) is None
            ):
                continue  # an unnumbered TOC line such as 附　　则
            toc = None
        if _TOC_RE.match(paragraph) and not in_articles:
            toc = []
            continue
        if chapter is not None:
            out.append(f"# {chapter}")
            pending_chapter = len(out) - 1 if match_chapter(chapter) and _bare(chapter) else None
            in_articles = True
            continue
        if decision:
            start = _decision_start(paragraph.lstrip("#").lstrip(_SPACE), decision_expected)
            if start is not None:
                number, label, rest = start
                decision_expected = int(number)
                count += 1
                rest = rest.strip(_SPACE)
                if paragraph.startswith("#") and rest:
                    out.append(f"## {label}{rest}")  # a heading in the source (## 一、加强…): stays the heading
                else:
                    out.append(f"## {label}")
                    if rest:
                        out.append(_escape(rest))
                in_articles = True
                pending_chapter = None
                continue
        else:
            start = _article_start(paragraph.lstrip("#").lstrip(_SPACE), expected)
            if start is not None:
                number, label, rest = start
                main, _, sub = number.partition("-")
                expected = (int(main), int(sub) if sub else None)
                count += 1
                out.append(f"## {label}")
                if rest:
                    out.append(_escape(rest))
                in_articles = True
                pending_chapter = None
                continue
        if pending_chapter is not None and len(paragraph) <= 20 and not re.search(r"[。；，：]", paragraph):
            # "第二章" then "监督管理" on its own line: one heading
            out[pending_chapter] += f" {paragraph}"
            pending_chapter = None
            continue
        pending_chapter = None
        if not decision and _ARTICLE_LOOKALIKE_RE.match(paragraph):
            warnings.append(
                f"{paragraph[:12]}…: looks like an article label but its number cannot be read; "
                "kept as a paragraph of the article before"
            )
        if not in_articles:
            header_lines.append(paragraph)
        out.append(_escape(paragraph))
    return out, header_lines, warnings, count


def parse_official_text(
    lines: list[str], *, encoding: str = "utf-8", source_format: str = "txt", meta: FlkMeta | None = None
) -> OfficialText:
    """Build an :class:`OfficialText` from the lines of a decoded official text."""
    paragraphs = [p for p in split_paragraphs(clean_leftovers(lines)) if not _COMMENT_RE.match(p)]
    if not paragraphs:
        raise OfficialTextError("the file is empty")

    title = ""
    first = paragraphs[0]
    if _chapter_line(first) is None and _article_start(first.lstrip("#").strip(_SPACE), None) is None:
        title = first.lstrip("#").strip(_SPACE)
        paragraphs = paragraphs[1:]
    if meta is not None and meta.title:
        if title and _squash(title) != _squash(meta.title):
            paragraphs = [title, *paragraphs]  # not the title heading after all: keep it as text
        title = meta.title.strip(_SPACE)
    if title:
        paragraphs = _drop_repeated_title(title, paragraphs)
    paragraphs = _join_open_parenthesis([p for p in paragraphs if p])

    decision = False
    out, header_lines, warnings, count = _structure(paragraphs, decision=False)
    if count == 0:
        out, header_lines, warnings, count = _structure(paragraphs, decision=True)
        decision = count > 0
    if count == 0:
        raise OfficialTextError("no articles found")

    blocks = ([f"# {title}"] if title else []) + out
    body_markdown = "\n\n".join(blocks) + "\n"
    body, problems = parse_body(body_markdown)
    if len(body.articles) != count:  # pragma: no cover - a bug in this module, not in the file
        raise OfficialTextError(f"internal error: {count} articles read but {len(body.articles)} written")
    warnings.extend(p.reason for p in problems)
    return OfficialText(
        title=title,
        header_lines=header_lines,
        body_markdown=body_markdown,
        article_count=count,
        body=body,
        dates=_header_dates(header_lines),
        warnings=warnings,
        encoding=encoding,
        source_format=source_format,
        meta=meta,
        decision=decision,
    )


def _bare(chapter: str) -> bool:
    return re.fullmatch(rf"第[{NUMERAL_CHARS}]+[编章节]", chapter) is not None


_FLK_MIDNIGHT_RE = re.compile(r"[ T]00:00(?::00)?\Z")  # flk writes dates as 'YYYY-MM-DD 00:00:00'
_CORPUS_KEYS = {"jurisdiction", "topic", "provenance", "kind"}


def _flk_date(value: object, name: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()
    text = value if isinstance(value, dt.date) else _FLK_MIDNIGHT_RE.sub("", str(value).strip())
    try:
        return parse_date(text)
    except ValueError as exc:
        raise OfficialTextError(f"front matter: {name}: {exc}") from None


def split_flk_front_matter(text: str) -> tuple[FlkMeta | None, list[str]]:
    """``(meta, lines of the text after it)``; ``meta`` is None when the text has no YAML front matter.

    Raises :class:`OfficialTextError` naming the line or field on a malformed front matter
    (unclosed, invalid YAML, not a mapping, no title, a bad date or status).
    """
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, lines
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise OfficialTextError("front matter: the opening --- on line 1 is never closed by a --- line") from None
    import yaml

    try:
        data = yaml.load("\n".join(lines[1:end]), Loader=yaml.BaseLoader)  # every value a string; no tags, no objects
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" on line {mark.line + 2}" if mark is not None else ""
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise OfficialTextError(f"front matter: malformed YAML{where}: {reason}") from None
    if not isinstance(data, dict):
        raise OfficialTextError("front matter: must be a mapping of fields (title: …, office: …)")
    if set(data) >= _CORPUS_KEYS:
        raise OfficialTextError(
            "this is a corpus document (front matter with jurisdiction, topic, kind, provenance), not an official "
            "text; put it in the corpus and run registry load"
        )
    for name in ("title", "office", "type", "status", "url", "publish", "effective_date"):
        if name in data and not isinstance(data[name], str):
            raise OfficialTextError(f"front matter: {name}: must be text")
    title = (data.get("title") or "").strip()
    if not title:
        raise OfficialTextError("front matter: title: missing or empty")
    status = (data.get("status") or "").strip() or None
    if status is not None and status not in FLK_STATUSES:
        raise OfficialTextError(f"front matter: status: {status!r} is not one of {', '.join(FLK_STATUSES)}")
    url = (data.get("url") or "").strip() or None
    if url is not None and not re.match(r"^https?://\S+$", url):
        raise OfficialTextError(f"front matter: url: {url!r} is not an http(s) address")
    meta = FlkMeta(
        title=title,
        office=(data.get("office") or "").strip() or None,
        publish=_flk_date(data.get("publish"), "publish"),
        effective=_flk_date(data.get("effective_date"), "effective_date"),
        type=(data.get("type") or "").strip() or None,
        status=status,
        url=url,
    )
    return meta, lines[end + 1 :]


def read_official_text(path: Path) -> OfficialText:
    """Read an official text (.txt, .md, .docx, .html) and turn it into a corpus body.

    Raises :class:`OfficialTextError` on an unsupported type, an unreadable
    encoding, binary content, an empty file, or a text without articles
    ("no articles found").
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise OfficialTextError(
            f"unsupported file type {suffix or '(none)'!r}; give the official text as .txt, .md, .docx or .html"
        )
    try:
        # a regular file only (never a FIFO, device or symbolic link), its size checked before reading
        data = read_bounded(path, MAX_BYTES)
    except FileRefused as exc:
        reason = exc.reason
        if "over the limit" in reason:
            reason = f"the file is over {MAX_BYTES // (1024 * 1024)} MB"
        raise OfficialTextError(f"cannot read {path.name}: {reason}") from None
    if suffix == ".docx":
        if not data:
            raise OfficialTextError("the file is empty")
        return parse_official_text(_docx_paragraphs(data), encoding="utf-8", source_format="docx")
    text, encoding = decode_text(data)
    if suffix in (".html", ".htm"):
        return parse_official_text(_html_paragraphs(text), encoding=encoding, source_format="html")
    meta, lines = split_flk_front_matter(text)
    fmt = "flk" if meta is not None else suffix[1:]
    return parse_official_text(lines, encoding=encoding, source_format=fmt, meta=meta)


# ------------------------------------------------------------------ slugs


def _ascii_words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.findall(r"[a-z0-9]+", folded.lower())


def _fit(words: list[str], tail: str) -> str:
    """Join ``words`` with "-" and append ``tail``, dropping whole words so the result fits 80 chars."""
    budget = SLUG_MAX - len(tail)
    kept: list[str] = []
    length = 0
    for word in words:
        extra = len(word) + (1 if kept else 0)
        if length + extra > budget:
            break
        kept.append(word)
        length += extra
    if not kept and words:  # one huge word: cut it
        kept = [words[0][: max(1, budget)]]
    base = "-".join(kept)
    if not base:
        return tail.lstrip("-") or "rule"
    return base + tail


def make_slug(title: str, title_en: str | None, year: int | None, exists: Callable[[str], bool]) -> str:
    """A slug for an imported rule (``app.corpus.slugs``), unique by ``exists``.

    From ``title_en`` (lower-case ASCII words joined by "-") or else the pinyin of
    ``title`` (no tones), plus ``-<year>``; ``-2``, ``-3``… while ``exists(slug)``.

    >>> make_slug("上海市数据条例", None, 2021, lambda s: False)
    'shang-hai-shi-shu-ju-tiao-li-2021'
    >>> taken = {"shanghai-data-regulations-2021"}
    >>> make_slug("上海市数据条例", "Shanghai Data Regulations", 2021, taken.__contains__)
    'shanghai-data-regulations-2021-2'
    """
    words = _ascii_words(title_en) if title_en else []
    if not words:
        from pypinyin import Style, lazy_pinyin

        words = _ascii_words(" ".join(lazy_pinyin(title or "", style=Style.NORMAL, errors="default")))
    if year is not None and words and words[-1] == str(year):
        words = words[:-1]
    tail = f"-{year}" if year is not None else ""
    slug = _fit(words, tail)
    n = 1
    candidate = slug
    while exists(candidate):
        n += 1
        candidate = _fit(words, f"{tail}-{n}")
    return candidate
