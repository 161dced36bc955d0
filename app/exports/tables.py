"""Result documents -> ``(header, rows)`` tables, one row per cell, with citation columns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from app.corpus.documents import INNOVATION_FIELDS

Table = tuple[list[str], list[list[object]]]

MATRIX_HEADER = [
    "key",
    "scope",
    "label_zh",
    "label_en",
    "unit",
    "stricter",
    "row_status",
    "jurisdiction",
    "value",
    "cell_status",
    "alignment",
    "conflict",
    "rule_id",
    "version",
    "article",
    "as_of",
]
SCOREBOARD_HEADER = [
    "jurisdiction",
    "applicable",
    "aligned",
    "divergent",
    "missing",
    "unknown",
    "deficit",
    "deficit_year_before",
    "change",
    "rating",
    "as_of",
]
HARD_RULES_HEADER = [
    "hard_rule",
    "title",
    "parameter",
    "scope",
    "target",
    "deadline",
    "deadline_status",
    "aligned_share",
    "jurisdiction",
    "status",
    "value",
    "rule_id",
    "version",
    "article",
    "as_of",
]
INNOVATIONS_HEADER = ["id", *INNOVATION_FIELDS]


def matrix_table(doc: Mapping) -> Table:
    """One row per (row, jurisdiction) of a /matrix document; a missing cell has empty value and
    citation columns and ``cell_status`` ``missing``."""
    rows: list[list[object]] = []
    for r in doc.get("rows", []):
        for j in doc.get("jurisdictions", []):
            cell = r["values"].get(j)
            rows.append(
                [
                    r["key"],
                    r["scope"],
                    r["label_zh"],
                    r["label_en"],
                    r["unit"],
                    r["stricter"],
                    r["status"],
                    j,
                    cell["value"] if cell else None,
                    cell["status"] if cell else "missing",
                    cell.get("alignment") if cell else None,
                    cell.get("conflict", False) if cell else False,
                    cell["rule_id"] if cell else None,
                    cell["version"] if cell else None,
                    cell["article"] if cell else None,
                    doc.get("as_of"),
                ]
            )
    return list(MATRIX_HEADER), rows


def scoreboard_table(doc: Mapping) -> Table:
    rows = [
        [
            j,
            v["applicable"],
            v["aligned"],
            v.get("divergent"),
            v.get("missing"),
            v.get("unknown"),
            v["deficit"],
            v["deficit_year_before"],
            v["change"],
            v["rating"],
            doc.get("as_of"),
        ]
        for j, v in doc.get("jurisdictions", {}).items()
    ]
    return list(SCOREBOARD_HEADER), rows


def hard_rules_table(doc: Mapping) -> Table:
    """One row per (hard rule, listed jurisdiction) of a /hard-rules document, with citations."""
    rows: list[list[object]] = []
    for item in doc.get("items", []):
        for j, cell in item["status"].items():
            rows.append(
                [
                    item["id"],
                    item["title"],
                    item["parameter"],
                    item["scope"],
                    item["target"],
                    item["deadline"],
                    item["deadline_status"],
                    item["aligned_share"],
                    j,
                    cell["status"],
                    cell["value"],
                    cell["rule_id"],
                    cell["version"],
                    cell["article"],
                    doc.get("as_of"),
                ]
            )
    return list(HARD_RULES_HEADER), rows


def innovations_table(doc: Mapping | Sequence) -> Table:
    """Rows of a /innovations document (or its ``items`` list); ``related_rules`` (rule ids, the
    citations) joined with ``; ``."""
    items = doc.get("items", []) if isinstance(doc, Mapping) else doc
    rows = []
    for it in items:
        rows.append(["; ".join(it.get(k) or []) if k == "related_rules" else it.get(k) for k in INNOVATIONS_HEADER])
    return list(INNOVATIONS_HEADER), rows
