"""Finding rules to compare by what people type: part of a title (Chinese or English) or of an id.

Pure: works on the rule list items of ``app.registry.repository.list_rules`` (``id``, ``version``,
``title``, ``title_en``, ``jurisdiction``). Text is compared after NFKC folding (full-width and
half-width forms find each other) and lower-casing; every space-separated term must occur in the
title, the English title or the id. Best first: an exact id, then titles that start with the
query, then the earliest occurrence, then the shorter title, then the id.

>>> items = [{"id": "cn-sh/data/x", "version": "cn-sh/data/x@2022-01-01", "title": "上海市数据条例"},
...          {"id": "cn-js/data/y", "version": "cn-js/data/y@2022-01-01", "title": "江苏省公共数据管理办法"}]
>>> [i["id"] for i in pick_rules(items, "数据")]
['cn-sh/data/x', 'cn-js/data/y']
>>> [i["id"] for i in pick_rules(items, "江苏 数据")]
['cn-js/data/y']
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping

MAX_QUERY = 100  # characters of a picker query that are read
DEFAULT_LIMIT = 20


def fold(text: str | None) -> str:
    """NFKC, lower case, no surrounding space: ``"ＳＨ 数据"`` → ``"sh 数据"``."""
    return unicodedata.normalize("NFKC", text or "").lower().strip()


def pick_rules(items: Iterable[Mapping], query: str, limit: int = DEFAULT_LIMIT) -> list[Mapping]:
    """The items matching every term of ``query``, best first, at most ``limit``; none for an
    empty query."""
    q = fold(query[:MAX_QUERY])
    terms = q.split()
    if not terms or limit < 1:
        return []
    ranked = []
    for item in items:
        title = fold(item.get("title"))
        haystacks = (title, fold(item.get("title_en")), fold(item.get("id")), fold(item.get("version")))
        if not all(any(t in h for h in haystacks) for t in terms):
            continue
        exact = q in (haystacks[2], haystacks[3])
        pos = title.find(terms[0])
        ranked.append((not exact, pos != 0, pos if pos >= 0 else 10_000, len(title), str(item.get("id")), item))
    ranked.sort(key=lambda r: r[:5])
    return [r[5] for r in ranked[:limit]]
