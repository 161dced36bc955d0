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

__all__ = ["RuleSide", "SideArticle", "SideParameter"]


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
