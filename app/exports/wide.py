"""The matrix in the WIDE layout people paste into reports: one row per parameter (and scope), one
column per jurisdiction, headers in the reader's language, and in each cell the value with its
citation — 30（《示例市污水排放标准》第三条） / 30 (示例市污水排放标准, Art. 3).

Pure: from a /matrix document (optionally filtered) to a ``(header, rows)`` table; words come from
the message catalogues through ``app.labels`` (no Flask), so the same download reads the same
whether made by a page or a script. ``titles`` maps version ids to rule titles; without it a
citation names the version id.
"""

from __future__ import annotations

from collections.abc import Mapping

from app.corpus.structure import article_number, chinese_article_label
from app.exports.tables import Table
from app.labels import N_, translations, word

#: Column headers (msgids, translated per locale); jurisdiction columns sit between unit and status.
WIDE_LEAD = (N_("Parameter"), N_("Scope"), N_("Unit"))
WIDE_TAIL = (N_("Row status"), N_("Strictest value"), N_("Spread"), N_("Hard rule"))


def _gettext(locale: str, msgid: str) -> str:
    return translations(locale).gettext(msgid)


def number_text(value: object, locale: str = "zh") -> str:
    """30.0 → ``30``, 0.025 → ``0.025``, True → 是 / yes; None → ``""``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _gettext(locale, "yes" if value else "no")
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value)


def article_text(article: str | None, locale: str = "zh") -> str:
    """``cn-sh/x/y#art-10-1`` → 第十条之一 / Art. 10-1; None → 条文未注明 / article not stated."""
    if not article:
        return _gettext(locale, "article not stated")
    number = article_number(article)
    if number is None:
        return article.rpartition("#")[2]
    if locale == "zh":
        return chinese_article_label(number)
    return _gettext(locale, "Art. %(number)s") % {"number": number}


def citation_text(cell: Mapping, titles: Mapping[str, str], locale: str = "zh") -> str:
    """The source of a cell as a reader cites it: 《title》第三条 / title, Art. 3."""
    version = cell.get("version") or ""
    title = titles.get(version)
    art = article_text(cell.get("article"), locale)
    if locale == "zh":
        return f"《{title}》{art}" if title else f"{version} {art}"
    return f"{title}, {art}" if title else f"{version}, {art}"


def cell_text(cell: Mapping | None, official: bool, titles: Mapping[str, str], locale: str = "zh") -> str:
    """A cell of the wide table: value and citation; an empty cell says missing (the official text
    is held and states no value) or not recorded (no official text held, SPEC §8.3)."""
    if cell is None or cell.get("value") is None:
        return word("status", "missing" if official else "unknown", locale)
    cite = citation_text(cell, titles, locale)
    value = number_text(cell["value"], locale)
    return f"{value}（{cite}）" if locale == "zh" else f"{value} ({cite})"


def matrix_wide_table(doc: Mapping, titles: Mapping[str, str] | None = None, locale: str = "zh") -> Table:
    """The wide table of a /matrix document: header row in ``locale``, one row per matrix row."""
    titles = titles or {}
    cols = list(doc.get("jurisdictions", []))
    coverage = doc.get("coverage") or {}
    header = [
        *(_gettext(locale, m) for m in WIDE_LEAD),
        *(word("jurisdiction", j, locale) for j in cols),
        *(_gettext(locale, m) for m in WIDE_TAIL),
    ]
    rows: list[list[object]] = []
    for r in doc.get("rows", []):
        label = (r.get("label_en") or r.get("label_zh")) if locale == "en" else r.get("label_zh")
        strictest = r.get("strictest") or {}
        best = ""
        if strictest.get("value") is not None:
            names = [word("jurisdiction", j, locale) for j in strictest.get("jurisdictions", [])]
            value = number_text(strictest["value"], locale)
            best = f"{value}（{'、'.join(names)}）" if locale == "zh" else f"{value} ({', '.join(names)})"
        rows.append(
            [
                label or r["key"],
                r.get("scope") or "",
                word("unit", r.get("unit"), locale) if r.get("unit") else "",
                *(
                    cell_text(r["values"].get(j), (coverage.get(j) or {}).get("official", True), titles, locale)
                    for j in cols
                ),
                word("status", r["status"], locale),
                best,
                number_text(r.get("spread"), locale),
                "; ".join(r.get("hard_rules") or []),
            ]
        )
    return header, rows
