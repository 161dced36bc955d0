"""Suggested counterparts of a rule: the rules of other jurisdictions on the same topic that an
official would most likely compare it with, best match first.

Pure: candidates are plain :class:`RuleCard` records (the service reads them from the database).
A candidate qualifies when it has the rule's topic and another jurisdiction. Its score is

* ``TITLE_WEIGHT`` × the Dice coefficient of the two titles' character bigrams, after the names of
  places and the generic words every title shares (条例, 办法, 规定, 省, 市 …) are taken out, so
  《上海市数据条例》 and 《浙江省数字经济促进条例》 are judged on 数据 / 数字经济促进;
* ``PARAMETER_WEIGHT`` × the Jaccard overlap of the quantitative provisions (parameter keys) the two
  rules state — rules that set the same limits are the ones whose values differ;
* ``KIND_WEIGHT`` when both are the same kind of instrument (two local regulations, two standards).

Ties are broken by jurisdiction code, then rule id, so the order is stable.

>>> a = RuleCard("cn-sh/data/x", "CN-SH", "data", "上海市数据条例", "local_regulation")
>>> b = RuleCard("cn-js/data/y", "CN-JS", "data", "江苏省数据条例", "local_regulation")
>>> c = RuleCard("cn-zj/data/z", "CN-ZJ", "data", "浙江省公共数据管理办法", "government_rule")
>>> [m.rule.id for m in suggest_counterparts(a, [c, b])]
['cn-js/data/y', 'cn-zj/data/z']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

TITLE_WEIGHT = 0.6
PARAMETER_WEIGHT = 0.3
KIND_WEIGHT = 0.1
DEFAULT_LIMIT = 8

#: Words that say where or what kind of instrument a title is, not what it is about.
_PLACE_OR_FORM = re.compile(
    r"中华人民共和国|上海市|上海|江苏省|江苏|浙江省|浙江|安徽省|安徽|长三角|长江三角洲|生态绿色一体化发展示范区|示范区|"
    r"青浦区|吴江区|嘉善县|"
    r"实施|暂行|试行|若干|关于|条例|办法|规定|细则|意见|通知|决定|标准|规范|"
    r"《|》|（[^）]*）|\([^)]*\)|\s"
)


@dataclass(frozen=True)
class RuleCard:
    """What counterpart matching needs to know of a rule (its shown version)."""

    id: str
    jurisdiction: str
    topic: str
    title: str
    kind: str = ""
    parameters: frozenset[str] = field(default_factory=frozenset)
    version: str = ""
    title_en: str | None = None  # shown on English pages; not used for matching


@dataclass(frozen=True)
class Counterpart:
    """A suggested rule with its score (0..1) and what it shares with the rule."""

    rule: RuleCard
    score: float
    title_similarity: float
    shared_parameters: tuple[str, ...]
    same_kind: bool


def title_core(title: str) -> str:
    """The title without places, forms of instrument and brackets.

    >>> title_core("上海市城镇污水处理厂污染物排放标准（试行）")
    '城镇污水处理厂污染物排放'
    """
    return _PLACE_OR_FORM.sub("", title)


def _bigrams(text: str) -> set[str]:
    if len(text) == 1:
        return {text}
    return {text[i : i + 2] for i in range(len(text) - 1)}


def title_similarity(a: str, b: str) -> float:
    """Dice coefficient (0..1) of the character bigrams of the two titles' cores.

    >>> title_similarity("上海市数据条例", "江苏省数据条例")
    1.0
    >>> title_similarity("上海市数据条例", "安徽省大气污染防治条例")
    0.0
    """
    x, y = _bigrams(title_core(a)), _bigrams(title_core(b))
    if not x or not y:
        return 0.0
    return 2 * len(x & y) / (len(x) + len(y))


def suggest_counterparts(
    rule: RuleCard, candidates: Iterable[RuleCard], limit: int = DEFAULT_LIMIT
) -> list[Counterpart]:
    """Rules of other jurisdictions on ``rule``'s topic, best match first, at most ``limit``."""
    if limit < 1:
        return []
    out: list[Counterpart] = []
    seen: set[str] = set()
    for cand in candidates:
        if cand.id in seen or cand.topic != rule.topic or cand.jurisdiction == rule.jurisdiction:
            continue
        seen.add(cand.id)
        sim = title_similarity(rule.title, cand.title)
        shared = rule.parameters & cand.parameters
        union = rule.parameters | cand.parameters
        overlap = len(shared) / len(union) if union else 0.0
        same_kind = bool(rule.kind) and rule.kind == cand.kind
        score = TITLE_WEIGHT * sim + PARAMETER_WEIGHT * overlap + (KIND_WEIGHT if same_kind else 0.0)
        out.append(Counterpart(cand, round(score, 6), round(sim, 6), tuple(sorted(shared)), same_kind))
    out.sort(key=lambda c: (-c.score, c.rule.jurisdiction, c.rule.id))
    return out[:limit]
