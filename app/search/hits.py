"""One hit of a search result, built alike by every backend: score, best article, snippet, shape (SPEC §5).

A backend finds the matching units of the version it reads and computes nothing
else about the hit: :func:`score` ranks it, :func:`choose` picks the articles, the
best article and the unit the snippet comes from, and :func:`hit_dict` gives the
``hits`` entry. The Whoosh and PostgreSQL backends thus answer the same query with
the same hits.

>>> round(score(title_hit=True, articles=2, version_articles=4), 4)
4.5986
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.search import schema as S
from app.search.snippets import make_snippet

TEXT_UNITS = (S.UNIT_ARTICLE, S.UNIT_INNOVATION_TEXT)  # units counted as "articles" of a hit
TITLE_UNITS = (S.UNIT_TITLE, S.UNIT_INNOVATION_TITLE)
INNOVATION_UNITS = (S.UNIT_INNOVATION_TITLE, S.UNIT_INNOVATION_TEXT)


def score(*, title_hit: bool, articles: int, version_articles: int) -> float:
    """``TITLE_WEIGHT * title matched + ln(1 + matching articles) + matching / all articles``.

    ``version_articles`` counts the article units of the version read (0 is taken as 1). Hits
    are ranked by this value; ``hit_dict`` shows it rounded to four places.
    """
    return S.TITLE_WEIGHT * title_hit + math.log1p(articles) + min(1.0, articles / (version_articles or 1))


@dataclass(frozen=True)
class MatchedUnit:
    """A unit that matched: its type, place in the version, normalised text, article id, and the backend's handle."""

    unit: int
    seq: int
    norm: str
    article_id: str | None
    ref: Any = None


def density(norm: str, words: Sequence[str]) -> float:
    """How much of a unit the query words cover (the best article has the highest)."""
    return sum(norm.count(w) * len(w) for w in words) / (len(norm) + 50)


def choose(
    units: Sequence[MatchedUnit], words: Sequence[str]
) -> tuple[list[MatchedUnit], MatchedUnit | None, MatchedUnit]:
    """``(articles in document order, best article or None, unit to cut the snippet from)``."""
    arts = sorted((u for u in units if u.unit in TEXT_UNITS), key=lambda u: u.seq)
    titles = [u for u in units if u.unit in TITLE_UNITS]
    best = max(arts, key=lambda u: density(u.norm, words)) if arts and words else (arts or titles)[0]
    use_title = titles and words and (not arts or density(titles[0].norm, words) >= density(best.norm, words))
    return arts, (best if arts else None), (titles[0] if use_title else best)


def hit_dict(
    *,
    unit: int,
    owner_id: str,
    version: str | None,
    title: str,
    kind: str | None,
    jurisdiction: str,
    topic: str | None,
    original: str,
    snippet_norm: str,
    words: Sequence[str],
    articles: Sequence[MatchedUnit],
    best: MatchedUnit | None,
    score: float,
) -> dict:
    """The ``hits`` entry; ``original``/``snippet_norm`` are the snippet unit's text as written and normalised."""
    snippet = make_snippet(original, snippet_norm, list(words))
    if unit in INNOVATION_UNITS:
        return {
            "type": "innovation",
            "id": owner_id,
            "rule_id": None,
            "version": None,
            "title": title,
            "kind": None,
            "jurisdiction": S.INNOVATION_JURISDICTION,
            "topic": None,
            "article": None,
            "articles": [],
            "snippet": snippet,
            "score": round(score, 4),
        }
    return {
        "type": "rule",
        "id": owner_id,
        "rule_id": owner_id,
        "version": version,
        "title": title,
        "kind": kind,
        "jurisdiction": jurisdiction,
        "topic": topic,
        "article": best.article_id if best else None,
        "articles": [u.article_id for u in articles],
        "snippet": snippet,
        "score": round(score, 4),
    }
