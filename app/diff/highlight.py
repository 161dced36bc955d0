"""Escaped HTML fragments for the compare pages.

Every user-derived string (article text, ids, labels) is escaped with
``html.escape``; the only tags produced are ``<ins>``, ``<del>``, ``<br>`` and
``<mark class="diff diff-<type>">`` (``<type>`` is one of the fixed difference types).
Fragments are :class:`SafeHTML` — a ``str`` with ``__html__``, so Jinja/markupsafe
insert them as they are, without double escaping.

Example::

    >>> from app.diff.classify import classify_change
    >>> from app.diff.inline import group_changes, inline_ops
    >>> a, b = "排放浓度不得超过50mg/L", "排放浓度不得超过30mg/L"
    >>> ops = inline_ops(a, b)
    >>> differences = [classify_change(a, b, c) for c in group_changes(ops)]
    >>> a_html, b_html = render_ops([{"op": o.op, "a_text": o.a_text, "b_text": o.b_text} for o in ops], differences)
    >>> str(b_html)
    '排放浓度不得超过<mark class="diff diff-number"><ins>30mg/L</ins></mark>'
"""

from __future__ import annotations

from html import escape

from app.corpus.structure import article_number, chinese_article_label, parse_article_id
from app.diff.align import longest_increasing
from app.diff.classify import TYPE_ORDER
from app.diff.normalize import normalize_text
from app.diff.sides import RuleSide

__all__ = ["SafeHTML", "render_compare_rows", "render_difference", "render_ops", "render_side_by_side"]


class SafeHTML(str):
    """A string of HTML that is already escaped (implements the ``__html__`` protocol)."""

    __slots__ = ()

    def __html__(self) -> str:
        return str(self)


def _esc(text: str) -> str:
    return escape(text, quote=True).replace("\n", "<br>")


def _type_class(kind: str) -> str:
    return kind if kind in TYPE_ORDER else "wording"


def render_ops(ops: list[dict], differences: list[dict] | None = None) -> tuple[SafeHTML, SafeHTML]:
    """Two HTML fragments (A side, B side) for one pair's ``ops``.

    Deleted text is ``<del>`` on the A side, inserted text ``<ins>`` on the B side; each
    maximal run of non-equal ops (= one difference, same index) is wrapped in
    ``<mark class="diff diff-<type>">`` when ``differences`` is given.
    """
    a_out: list[str] = []
    b_out: list[str] = []
    run_a: list[str] = []
    run_b: list[str] = []
    n_run = 0

    def close() -> None:
        nonlocal n_run
        if not (run_a or run_b):
            return
        kind = None
        if differences is not None and n_run < len(differences):
            kind = _type_class(str(differences[n_run].get("type", "wording")))
        n_run += 1
        for out, run in ((a_out, run_a), (b_out, run_b)):
            if run:
                body = "".join(run)
                out.append(f'<mark class="diff diff-{kind}">{body}</mark>' if kind else body)
        run_a.clear()
        run_b.clear()

    for op in ops:
        if op["op"] == "equal":
            close()
            a_out.append(_esc(op["a_text"]))
            b_out.append(_esc(op["b_text"]))
            continue
        if op["a_text"]:
            run_a.append(f"<del>{_esc(op['a_text'])}</del>")
        if op["b_text"]:
            run_b.append(f"<ins>{_esc(op['b_text'])}</ins>")
    close()
    return SafeHTML("".join(a_out)), SafeHTML("".join(b_out))


def render_difference(diff: dict) -> SafeHTML:
    """One difference as ``<mark class="diff diff-penalty"><del>五万元</del>→<ins>十万元</ins></mark>``."""
    kind = _type_class(str(diff.get("type", "wording")))
    parts = []
    if diff.get("a_text"):
        parts.append(f"<del>{_esc(diff['a_text'])}</del>")
    if diff.get("b_text"):
        parts.append(f"<ins>{_esc(diff['b_text'])}</ins>")
    return SafeHTML(f'<mark class="diff diff-{kind}">{"→".join(parts)}</mark>')


def _order_key(article_id: str) -> tuple[int, int]:
    parsed = parse_article_id(article_id)
    return parsed[2] if parsed else (1 << 30, 0)


def render_side_by_side(diff: dict, a: RuleSide | None = None, b: RuleSide | None = None) -> list[dict]:
    """Rows for a two-column compare page, in reading order.

    Each row: ``{status, a_articles, b_articles, a_labels, b_labels, similarity,
    types, moved, a_html, b_html}`` where ``status`` is ``same``, ``changed``,
    ``split``, ``merged``, ``removed`` (only in A) or ``added`` (only in B) and
    ``moved`` marks a pair out of order (as counted in ``summary.moved``).  Rows
    follow A's order; an added article comes right after the row holding the B
    article before it.  Pass the sides ``a``/``b`` to get the labels and the text of
    added/removed articles (and exact B order); without them, order is read from the
    article numbers in the ids and added/removed rows have empty HTML.
    """
    a_pos = {art.id: k for k, art in enumerate(a.articles)} if a else {}
    b_pos = {art.id: k for k, art in enumerate(b.articles)} if b else {}
    a_art = {art.id: art for art in a.articles} if a else {}
    b_art = {art.id: art for art in b.articles} if b else {}

    def bkey(article_id: str) -> tuple[int, int]:
        return (b_pos[article_id], 0) if article_id in b_pos else _order_key(article_id)

    def akey(article_id: str) -> tuple[int, int]:
        return (a_pos[article_id], 0) if article_id in a_pos else _order_key(article_id)

    def labels(ids: list[str], arts: dict) -> list[str]:
        return [escape(arts[i].label if i in arts else _label_of(i)) for i in ids]

    def whole(ids: list[str], arts: dict, tag: str) -> SafeHTML:
        texts = [normalize_text(arts[i].text) for i in ids if i in arts]
        return SafeHTML("<br>".join(f"<{tag}>{_esc(t)}</{tag}>" for t in texts))

    pairs = sorted(diff["pairs"], key=lambda p: akey(p["a_articles"][0]))
    keep = longest_increasing([bkey(p["b_articles"][0]) for p in pairs]) if pairs else set()
    rows: list[tuple[tuple, dict]] = []
    for n, p in enumerate(pairs):
        a_html, b_html = render_ops(p["ops"], p["differences"])
        row = {
            "status": p["kind"],
            "a_articles": list(p["a_articles"]),
            "b_articles": list(p["b_articles"]),
            "a_labels": labels(p["a_articles"], a_art),
            "b_labels": labels(p["b_articles"], b_art),
            "similarity": p["similarity"],
            "types": sorted({d["type"] for d in p["differences"]}, key=TYPE_ORDER.index),
            "moved": n not in keep,
            "a_html": a_html,
            "b_html": b_html,
        }
        rows.append(((akey(p["a_articles"][0]), 0), row))
    for article_id in diff["only_in_a"]:
        row = {
            "status": "removed", "a_articles": [article_id], "b_articles": [], "a_labels": labels([article_id], a_art),
            "b_labels": [], "similarity": None, "types": [], "moved": False,
            "a_html": whole([article_id], a_art, "del"), "b_html": SafeHTML(""),
        }  # fmt: skip
        rows.append(((akey(article_id), 0), row))
    rows.sort(key=lambda r: r[0])
    ordered = [r for _, r in rows]
    # Insert each added article after the last row whose B side precedes it.
    for article_id in sorted(diff["only_in_b"], key=bkey):
        row = {
            "status": "added", "a_articles": [], "b_articles": [article_id], "a_labels": [],
            "b_labels": labels([article_id], b_art), "similarity": None, "types": [], "moved": False,
            "a_html": SafeHTML(""), "b_html": whole([article_id], b_art, "ins"),
        }  # fmt: skip
        at = 0
        for k, r in enumerate(ordered):
            if r["b_articles"] and not r["moved"] and bkey(r["b_articles"][0]) < bkey(article_id):
                at = k + 1
        ordered.insert(at, row)
    return ordered


def render_compare_rows(compare: dict) -> list[dict]:
    """Rows for the N-way compare page: per baseline article, per rule, a status and HTML.

    Each row: ``{baseline_article, cells: {rule_key: {status, articles, similarity,
    html}}}``; ``status`` is ``aligned``, ``differing`` or ``missing``; ``html`` lists
    the cell's differences (:func:`render_difference`) separated by ``<br>``.
    """
    out = []
    for row in compare["rows"]:
        cells = {}
        for key, cell in row["cells"].items():
            if cell is None:
                cells[key] = {"status": "missing", "articles": [], "similarity": None, "html": SafeHTML("")}
                continue
            diffs = cell["differences"]
            cells[key] = {
                "status": "differing" if diffs else "aligned",
                "articles": list(cell["articles"]),
                "similarity": cell["similarity"],
                "html": SafeHTML("<br>".join(render_difference(d) for d in diffs)),
            }
        out.append({"baseline_article": row["baseline_article"], "cells": cells})
    return out


def _label_of(article_id: str) -> str:
    """The label of an article the side does not hold (第十条之一 from its id), else its anchor as written."""
    number = article_number(article_id)
    return chinese_article_label(number) if number else article_id.rpartition("#")[2]
