"""Input dataclasses of the diff engine: one rule version as the engine sees it.

The registry (or a test) builds these from whatever it stores; the engine never
reads a database.  Example::

    RuleSide(
        id="cn-sh/data/x", version="cn-sh/data/x@2024-01-01", title="示例条例",
        articles=[SideArticle(id="cn-sh/data/x#art-10-1", number="10-1", label="第十条之一", text="……")],
        parameters=[SideParameter(key="env.water.cod.max_concentration", scope=None, value=30.0,
                                  unit="mg/L", article_id="cn-sh/data/x#art-4")],
    )
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["RuleSide", "SideArticle", "SideParameter", "with_compare_sides", "with_diff_sides"]


@dataclass(frozen=True)
class SideArticle:
    """One 条: ``id`` is the article id (``<rule id>#art-N``), ``number`` ``"10"``/``"10-1"``,
    ``label`` the heading as written (``第十条之一``), ``text`` the body as written."""

    id: str
    number: str
    label: str
    text: str


@dataclass(frozen=True)
class SideParameter:
    """One quantitative provision (canonical value and unit) and the article id that states it."""

    key: str
    scope: str | None
    value: float | bool
    unit: str | None
    article_id: str | None


@dataclass(frozen=True)
class RuleSide:
    """One rule version: rule ``id``, ``version`` id, ``title``, its articles in order, its parameters."""

    id: str
    version: str
    title: str
    articles: list[SideArticle] = field(default_factory=list)
    parameters: list[SideParameter] = field(default_factory=list)
    provenance: str | None = None  # full_text | summary | None (not stated)
    articles_total: int | None = None  # article count of the official text, when stated (SPEC §8.3)


def side_meta(side: RuleSide) -> dict:
    """The additive fields of a side's head: its provenance and, for a summary, ``articles_total``."""
    return {"provenance": side.provenance, "articles_total": side.articles_total}


def with_diff_sides(doc: dict, a: RuleSide, b: RuleSide) -> dict:
    """Add to a ``/diff`` document (SPEC §8.3, additive): ``same_rule`` (the two sides are versions
    of one rule, so unmatched articles read as 删除 / 新增; otherwise as 仅见于 <A> / only in <A>) and
    each side's ``provenance`` / ``articles_total`` (an unmatched article facing a summary side may
    simply be outside the summary)."""
    doc["a"] = {**doc["a"], **side_meta(a)}
    doc["b"] = {**doc["b"], **side_meta(b)}
    doc["same_rule"] = a.id == b.id
    return doc


def with_compare_sides(doc: dict, baseline: RuleSide, others: list[RuleSide]) -> dict:
    """The same for a ``/compare`` document: the baseline's and each rule's ``provenance`` and
    ``articles_total``, and per rule ``same_rule`` (a version of the baseline's rule)."""
    doc["baseline"] = {**doc["baseline"], **side_meta(baseline)}
    doc["rules"] = [
        {**head, **side_meta(o), "same_rule": o.id == baseline.id} for head, o in zip(doc["rules"], others, strict=True)
    ]
    return doc
