"""Deterministic CSV and XLSX bytes from ``(header, rows)`` tables."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Mapping, Sequence

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from app.exports.tables import Table, hard_rules_table, innovations_table, matrix_table, scoreboard_table
from app.exports.wide import matrix_wide_table

#: Document timestamp written into every XLSX (openpyxl would write "now"), and the zip entry date.
FIXED_TIMESTAMP = dt.datetime(2000, 1, 1)
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")
#: Characters a spreadsheet would treat as the start of a formula (CSV/formula injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """Export form of a value: booleans as true/false, None as empty; text that a spreadsheet
    would run as a formula is prefixed with ``'``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(table: Table) -> bytes:
    header, rows = table
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_text(_cell(v)) for v in row])
    return buf.getvalue().encode("utf-8-sig")


def _csv_text(v: object) -> object:
    """Floats in their shortest round-trip form; whole numbers without ``.0`` (30.0 -> "30")."""
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 1e16 else repr(v)
    return v


def to_xlsx(sheets: Mapping[str, Table], autofilter: bool = False) -> bytes:
    """One worksheet per ``{title: (header, rows)}`` (titles cut to Excel's 31 characters);
    ``autofilter`` puts filter buttons on the header row of each sheet."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, (header, rows) in sheets.items():
        ws = wb.create_sheet(title[:31])
        ws.append(header)
        for row in rows:
            ws.append([_cell(v) for v in row])
        ws.freeze_panes = "A2"
        if autofilter and header:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
        for i, name in enumerate(header, start=1):
            ws.column_dimensions[get_column_letter(i)].width = max(10, min(50, len(name) + 4))
    wb.properties.creator = "yrd-rule-registry"
    wb.properties.created = FIXED_TIMESTAMP
    buf = io.BytesIO()
    wb.save(buf)
    return _normalise_zip(buf.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed entry dates and fixed core-property timestamps, so the same
    workbook gives the same bytes."""
    stamp = FIXED_TIMESTAMP.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _CORE_DATES.sub(lambda m: m.group(1) + stamp + m.group(3), content)
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, content)
    return out.getvalue()


def matrix_csv(doc: Mapping) -> bytes:
    return to_csv(matrix_table(doc))


def matrix_xlsx(doc: Mapping) -> bytes:
    return to_xlsx({f"matrix {doc.get('topic', '')}".strip(): matrix_table(doc)})


def matrix_wide_csv(doc: Mapping, titles: Mapping[str, str] | None = None, locale: str = "zh") -> bytes:
    """The matrix in the wide layout (``app.exports.wide``) as CSV."""
    return to_csv(matrix_wide_table(doc, titles, locale))


def matrix_wide_xlsx(doc: Mapping, titles: Mapping[str, str] | None = None, locale: str = "zh") -> bytes:
    """The matrix in the wide layout as XLSX, with filter buttons on the header row."""
    return to_xlsx({f"matrix {doc.get('topic', '')}".strip(): matrix_wide_table(doc, titles, locale)}, autofilter=True)


def scoreboard_csv(doc: Mapping) -> bytes:
    return to_csv(scoreboard_table(doc))


def scoreboard_xlsx(doc: Mapping, hard_rules: Mapping | None = None) -> bytes:
    """The scoreboard sheet, plus a "hard rules" sheet (per hard rule and jurisdiction, with
    citations) when the /hard-rules document is given."""
    sheets: dict[str, Table] = {"scoreboard": scoreboard_table(doc)}
    if hard_rules is not None:
        sheets["hard rules"] = hard_rules_table(hard_rules)
    return to_xlsx(sheets)


def hard_rules_csv(doc: Mapping) -> bytes:
    return to_csv(hard_rules_table(doc))


def innovations_csv(doc: Mapping | Sequence) -> bytes:
    return to_csv(innovations_table(doc))


def innovations_xlsx(doc: Mapping | Sequence) -> bytes:
    return to_xlsx({"innovations": innovations_table(doc)})
