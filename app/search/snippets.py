"""Snippets: a window of the original text around the first match, matches wrapped in ``<mark>``.

The output is HTML whose only tags are ``<mark>`` and ``</mark>``; everything
else is escaped. Matches are found in the normalised text and cut from the
original one (the two have the same length, see :func:`app.search.analyzer.normalize`):

>>> make_snippet("大气污染物排放限值<b>", "大气污染物排放限值<b>", ["污染物排放"], context=2)
'大气<mark>污染物排放</mark>限值&lt;b…'
"""

from __future__ import annotations

import re
from html import escape

from app.search.schema import SNIPPET_CONTEXT, SNIPPET_LEAD

ELLIPSIS = "…"


_SPACES = re.compile(r"\s+")


def _flat(text: str) -> str:
    return escape(_SPACES.sub(" ", text), quote=True)


def make_snippet(original: str, norm: str, words: list[str], *, context: int = SNIPPET_CONTEXT) -> str:
    """Window of ``original`` around the first occurrence of any of ``words`` (normalised).

    With no words (a filters-only query) or no occurrence, the lead of the text.
    """
    if len(norm) != len(original):  # cannot happen with normalize(); be safe rather than wrong
        norm = original
    first = -1
    for w in words:
        k = norm.find(w)
        if k >= 0 and (first < 0 or k < first):
            first = k
    if first < 0:
        lead = original[:SNIPPET_LEAD]
        return _flat(lead) + (ELLIPSIS if len(original) > SNIPPET_LEAD else "")
    start = max(0, first - context)
    end = min(len(norm), first + max(len(w) for w in words) + 2 * context)
    spans: list[tuple[int, int]] = []
    for w in words:
        k = norm.find(w, max(0, start - len(w) + 1))
        while 0 <= k < end:
            spans.append((max(k, start), min(k + len(w), end)))
            k = norm.find(w, k + 1)
    spans.sort()
    merged: list[list[int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    out = [ELLIPSIS] if start > 0 else []
    pos = start
    for a, b in merged:
        out.append(_flat(original[pos:a]))
        out.append("<mark>" + _flat(original[a:b]) + "</mark>")
        pos = b
    out.append(_flat(original[pos:end]))
    if end < len(norm):
        out.append(ELLIPSIS)
    return "".join(out)
