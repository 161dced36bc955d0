"""Typing of inline changes (SPEC §5): definition, penalty, deadline, modality, scope, number, wording.

How context is taken: each type has patterns that match a *phrase* of the full
normalised article text, on each side separately (a definition sentence, a fine
phrase ``处一万元以上十万元以下罚款``, a time limit ``十五个工作日内``, a modal verb, a
scope term ``本市``…).  A change has a type when one of the type's phrases overlaps
the change's span on either side: on the side where the change has text, the
phrase and the changed text share at least one character; on a side where the change
is a pure insertion point, the point lies strictly inside the phrase.  For the keyword
types (penalty, deadline, modality, scope) the phrases so found must also differ
between the sides (as texts): a rewritten sentence that keeps its 应当 on both sides is
not a modality change, while 应当→可以, 本市→本省, 五万元→十万元 in a fine are; a
definition applies whenever the change falls in the 所称…是指… sentence.  So the
context is exactly the phrase the change falls in — never the whole article, and
never a fixed window — and a change outside every phrase is ``wording``.  The
first type that applies wins, in :data:`TYPE_ORDER`.

``number`` applies when the number units in the changed texts differ between the
sides (``一`` alone or before a counting word — 一件, 一个 — is not a number).
Any difference whose changed texts hold exactly one parseable number each, in the
same unit, carries ``a_value``/``b_value`` (and ``unit`` when there is one),
whatever its type: ``十五个工作日`` → ``十个工作日`` is a ``deadline`` with values 15 → 10.

Example::

    >>> from app.diff.inline import group_changes, inline_ops
    >>> a, b = "处一万元以上五万元以下罚款", "处一万元以上十万元以下罚款"
    >>> [change] = group_changes(inline_ops(a, b))
    >>> classify_change(a, b, change)
    {'type': 'penalty', 'a_text': '五万元', 'b_text': '十万元', 'a_value': 50000, 'b_value': 100000, 'unit': '元'}
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from app.diff.inline import Change
from app.diff.tokens import NUMBER_RE, ZH_DIGIT_CHARS, ZH_NUMERAL_CHARS, parse_number, tokenize

__all__ = ["TYPE_ORDER", "Classifier", "classify_change"]

#: The order in which types are tried (SPEC §5: the first that applies).
TYPE_ORDER: tuple[str, ...] = ("definition", "penalty", "deadline", "modality", "scope", "number", "wording")

_C = r"[^，。；：\n]"  # inside one clause
_S = r"[^。\n]"  # inside one sentence
_NUM = rf"(?:\d+(?:\.\d+)?|[{ZH_NUMERAL_CHARS}]+)"

_PATTERNS: dict[str, list[re.Pattern[str]]] = {
    # 本条例所称X，是指……。  (the whole sentence, enumerations after ；included)
    "definition": [re.compile(rf"{_S}*所称{_S}*?指{_S}*。?")],
    "penalty": [
        re.compile(rf"(?:并处|处|罚款){_C}{{0,40}}?罚款"),
        re.compile(rf"处{_C}{{0,40}}?(?:元以上|元以下|倍以上|倍以下|元的罚款){_C}{{0,30}}"),
        re.compile(rf"(?:没收|吊销|暂扣){_C}{{0,20}}"),
        re.compile(
            r"罚款|罚金|违法所得|责令(?:停产停业|停业整顿|停止营业|关闭|停产整治|停止生产|停止建设|停止使用)"
            r"|降低资质等级|行政拘留|拘留|警告|通报批评|处分|信用惩戒"
        ),
    ],
    "deadline": [
        # The lookahead names the first characters _NUM can start with (same matches, ~1.5x faster).
        re.compile(
            rf"(?=[\d{ZH_NUMERAL_CHARS}]){_NUM}(?:个)?(?:工作日|自然日|日|天|小时|个月|月|年|周)(?:内|以内|之内|前|后|届满)?"
        ),
        re.compile(r"期限|时限|届满|逾期|之日起|有效期|限期|按期|及时|日内|工作日"),
    ],
    "modality": [re.compile(r"应当|可以|不得|禁止|严禁|必须|有权|无权|不应|应予|不予|无需|不必|须")],
    "scope": [
        re.compile(r"本(?:市|省|区|县|自治区|自治州)|全(?:市|省|国)|行政区域|适用(?:于)?|范围"),
        re.compile(rf"(?:省|市|区|县|乡镇|街道)(?:、(?:省|市|区|县))*(?:级)?(?:人民政府|{_C}{{0,10}}?(?:部门|机构))"),
        re.compile(r"(?:示范区|试验区|新片区|开发区|园区|区域|流域|地区|城区|境内|境外|省外|市外)(?:内|外|以外|以内)?"),
        re.compile(r"单位|个人|企业|法人|其他组织|公民|经营者|市场主体|金融机构|主体"),
    ],
}
# Dates are masked before deadline patterns run (2020年1月1日 is not a time limit).
_DATE_RE = re.compile(rf"(?:\d{{4}}|[{ZH_DIGIT_CHARS}]{{4}})年(?:{_NUM}月(?:{_NUM}日)?)?")


def _spans(text: str, kind: str) -> list[tuple[int, int]]:
    if kind == "definition" and "所称" not in text:
        return []  # the pattern needs 所称; without it the regex would still scan each sentence quadratically
    if kind == "deadline":
        text = _DATE_RE.sub(lambda m: "\x00" * len(m.group(0)), text)
    out: list[tuple[int, int]] = []
    for pat in _PATTERNS[kind]:
        out.extend((m.start(), m.end()) for m in pat.finditer(text) if m.end() > m.start())
    return out


def _overlapping(spans: Iterable[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    if start == end:  # an insertion point: strictly inside a phrase
        return [(s, e) for s, e in spans if s < start < e]
    return [(s, e) for s, e in spans if s < end and start < e]


# 一 followed by a counting word is an article ("一件事", "一个窗口"), not a quantity.
_COUNT_WORDS = set("个件次项类种家户名台层届条款章节")


@lru_cache(maxsize=4096)
def _numbers(text: str) -> tuple[str, ...]:
    out = []
    for t in tokenize(text):
        if not NUMBER_RE.fullmatch(t) or t == "第":
            continue
        if t[0] == "一" and (len(t) == 1 or (len(t) == 2 and t[1] in _COUNT_WORDS)):
            continue
        out.append(t)
    return tuple(out)


class Classifier:
    """Classifies the changes of one article pair; phrase spans are computed once per side."""

    def __init__(
        self,
        a_text: str,
        b_text: str,
        a_spans: dict[str, list[tuple[int, int]]] | None = None,
        b_spans: dict[str, list[tuple[int, int]]] | None = None,
    ):
        """``a_spans``/``b_spans``: optional per-text caches (kind -> spans) that outlive this
        classifier, so that compare finds the phrases of a baseline article once for all rules."""
        self.a_text = a_text
        self.b_text = b_text
        self._cache = {"a": a_spans if a_spans is not None else {}, "b": b_spans if b_spans is not None else {}}

    def _side_spans(self, side: str, kind: str) -> list[tuple[int, int]]:
        cache = self._cache[side]
        spans = cache.get(kind)
        if spans is None:
            spans = cache[kind] = _spans(self.a_text if side == "a" else self.b_text, kind)
        return spans

    def type_of(self, change: Change) -> str:
        a_nums = b_nums = None
        for kind in TYPE_ORDER:
            if kind == "wording":
                return kind
            if kind == "number":
                a_nums, b_nums = _numbers(change.a_text), _numbers(change.b_text)
                if sorted(a_nums) != sorted(b_nums):
                    return kind
                continue
            a_hit = _overlapping(self._side_spans("a", kind), change.a_start, change.a_end)
            b_hit = _overlapping(self._side_spans("b", kind), change.b_start, change.b_end)
            if kind == "definition":
                if a_hit or b_hit:
                    return kind
                continue
            # Keyword types apply only when the phrases they name were altered: a rewritten
            # sentence that keeps its 应当 on both sides is not a modality change.
            a_phr = sorted(self.a_text[s:e] for s, e in a_hit)
            b_phr = sorted(self.b_text[s:e] for s, e in b_hit)
            if a_phr != b_phr:
                return kind
        return "wording"  # pragma: no cover - the loop always returns

    def difference(self, change: Change) -> dict:
        """The SPEC §4 ``differences`` entry for one change."""
        out: dict = {"type": self.type_of(change), "a_text": change.a_text, "b_text": change.b_text}
        a_nums, b_nums = _numbers(change.a_text), _numbers(change.b_text)
        if len(a_nums) == 1 and len(b_nums) == 1:
            pa, pb = parse_number(a_nums[0]), parse_number(b_nums[0])
            if pa and pb and pa[1] == pb[1] and pa[0] != pb[0]:
                out["a_value"], out["b_value"] = pa[0], pb[0]
                if pa[1]:
                    out["unit"] = pa[1]
        return out


def classify_change(a_text: str, b_text: str, change: Change) -> dict:
    """The ``differences`` entry of ``change`` between normalised texts ``a_text`` and ``b_text``."""
    return Classifier(a_text, b_text).difference(change)
