"""Text normalisation applied before any comparison (SPEC §5 "Diff and compare").

Two texts that differ only in formatting normalise to the same string, so their
diff has only ``equal`` ops.  The canonical form is the one Chinese legal texts
are usually printed in: full-width Chinese punctuation, no spaces between Han
characters, half-width digits and Latin letters, 零 for the numeral zero.

Steps, in order:

1. a few variant glyphs that NFKC would mangle (︰ becomes ``..``) are mapped first;
2. Unicode NFKC (full-width letters/digits to half-width, ideographic space to space…);
3. the variant-glyph table :data:`VARIANTS` (〇→零, ∶→：, 「」→“”, dashes, middle dots…);
4. half-width punctuation back to the full-width form (``,``→``，``, ``(``→``（``…), except
   a ``.``/``:``/``,`` between two digits (3.5, 10:30, 1,000 — the thousands comma is dropped);
5. whitespace: a run containing a line break becomes one ``\\n`` (paragraph breaks are kept:
   they separate 款), any other run is dropped when it touches a non-Latin character and
   becomes one space between two Latin/digit characters; leading/trailing whitespace is stripped.

Example::

    >>> normalize_text("第 十 条  罚款 5,000 元( 二〇二〇年 ) ︰ 见 mg / L")
    '第十条罚款5000元（二零二零年）：见mg/L'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["VARIANTS", "normalize_text"]

#: Glyphs NFKC would decompose into something unhelpful; mapped before NFKC.
_PRE_NFKC = str.maketrans({"︰": "：", "︓": "：", "︔": "；", "︐": "，", "︒": "。", "︑": "、"})

#: Common variant glyphs and their canonical form (applied after NFKC).
VARIANTS: dict[str, str] = {
    "〇": "零",  # 二〇二〇年 = 二零二零年
    "○": "零",  # U+25CB WHITE CIRCLE, often typed for 〇
    "∶": "：",
    "「": "“",
    "」": "”",
    "『": "‘",
    "』": "’",
    "〝": "“",
    "〞": "”",
    "″": "”",
    "―": "—",
    "–": "—",
    "‒": "—",
    "─": "—",
    "・": "·",
    "•": "·",
    "‧": "·",
    "【": "〔",
    "】": "〕",
    "〖": "〔",
    "〗": "〕",
    "～": "~",
    "兩": "两",
}
_VARIANT_TABLE = str.maketrans(VARIANTS)

#: Half-width punctuation (as NFKC leaves it) to the canonical full-width form.
_FULL = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "!": "！", "?": "？", "[": "〔", "]": "〕"}

# Fast paths (the result is the same as the full pipeline): translate only when a glyph of the
# table occurs; skip NFKC when the text is NFKC-normal once its common full-width punctuation
# (which NFKC maps one-to-one to ASCII) is replaced.
_PRE_NFKC_RE = re.compile("[︰︓︔︐︒︑]")
_VARIANT_RE = re.compile("[" + re.escape("".join(VARIANTS)) + "]")
_NFKC_SIMPLE = (
    ("，", ","),
    ("：", ":"),
    ("；", ";"),
    ("（", "("),
    ("）", ")"),
    ("！", "!"),
    ("？", "?"),
    ("\u3000", " "),
)
_DIGIT_SEP_RE = re.compile(r"(?<=\d)([.:,])(?=\d)")
_THOUSANDS_RE = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_PERIOD_RE = re.compile(r"(?<![0-9A-Za-z])\.|\.(?![0-9A-Za-z])")
_QUOTE_RE = re.compile(r'"')
_WS_NEWLINE_RE = re.compile(r"\s*\n\s*")
_WS_RE = re.compile(r"[^\S\n]+")
_LATIN = re.compile(r"[0-9A-Za-z]")


def _quotes(text: str) -> str:
    """ASCII double quotes alternate between “ and ” (open, close, open…)."""
    out, opening = [], True
    for part in _QUOTE_RE.split(text):
        out.append(part)
        out.append("“" if opening else "”")
        opening = not opening
    return "".join(out[:-1])


def _spaces(match: re.Match[str]) -> str:
    s, e = match.start(), match.end()
    text = match.string
    before = text[s - 1] if s > 0 else ""
    after = text[e] if e < len(text) else ""
    if before and after and _LATIN.match(before) and _LATIN.match(after):
        return " "
    return ""


def normalize_text(text: str) -> str:
    """Return the canonical form of ``text`` used by alignment and inline diffs."""
    if not text:
        return ""
    if _PRE_NFKC_RE.search(text):
        text = text.translate(_PRE_NFKC)
    simple = text
    for full, half in _NFKC_SIMPLE:
        if full in simple:
            simple = simple.replace(full, half)
    text = simple if unicodedata.is_normalized("NFKC", simple) else unicodedata.normalize("NFKC", text)
    if _VARIANT_RE.search(text):
        text = text.translate(_VARIANT_TABLE)
    text = text.replace("...", "…")  # NFKC turns the ellipsis into three periods
    text = _THOUSANDS_RE.sub("", text)
    # Protect separators inside numbers (3.5, 10:30) while converting the rest.
    text = _DIGIT_SEP_RE.sub(lambda m: {".": "\x00", ":": "\x01", ",": "\x02"}[m.group(1)], text)
    for half, full in _FULL.items():
        if half in text:
            text = text.replace(half, full)
    text = _PERIOD_RE.sub("。", text)
    text = text.replace("\x00", ".").replace("\x01", ":").replace("\x02", ",")
    if '"' in text:
        text = _quotes(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _WS_NEWLINE_RE.sub("\n", text)
    text = _WS_RE.sub(_spaces, text)
    return text.strip()
