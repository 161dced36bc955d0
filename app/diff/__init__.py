"""Diff and compare of rule versions (SPEC §4 ``/diff`` and ``/compare``, §5 "Diff and compare").

Pure Python (stdlib + rapidfuzz + diff-match-patch); never imports Flask, and only
``services`` (the use cases over stored rules) imports SQLAlchemy.  Callers build :class:`RuleSide` values and get JSON-ready dicts:

* :func:`diff_rules` — two rule versions, articles aligned by content;
* :func:`compare_rules` — N-way, every other rule aligned to a baseline;
* :func:`render_side_by_side`, :func:`render_ops`, :func:`render_compare_rows` — escaped HTML
  fragments (``<ins>``, ``<del>``, ``<mark class="diff diff-<type>">``) for the pages.

Modules: ``normalize`` (canonical text), ``tokens`` (diff units, numerals),
``align`` (article alignment), ``inline`` (word-level ops), ``classify`` (difference
types), ``engine`` (the documents), ``highlight`` (HTML).
"""

from app.diff.engine import compare_rules, diff_parameters, diff_rules
from app.diff.highlight import SafeHTML, render_compare_rows, render_ops, render_side_by_side
from app.diff.normalize import normalize_text
from app.diff.sides import RuleSide, SideArticle, SideParameter, with_compare_sides, with_diff_sides

__all__ = [
    "RuleSide",
    "SafeHTML",
    "SideArticle",
    "SideParameter",
    "compare_rules",
    "diff_parameters",
    "diff_rules",
    "normalize_text",
    "render_compare_rows",
    "render_ops",
    "render_side_by_side",
    "with_compare_sides",
    "with_diff_sides",
]
