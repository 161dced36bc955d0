"""Innovations as table rows: CSV and XLSX files for ``registry innovations import``, and web form fields.

A row's columns are named after the innovation front-matter fields (SPEC §2), plus ``slug``
(``id`` is accepted for it, as the innovations download writes it) and ``summary`` (the body).
Each row becomes the corpus document it stands for, so the registry validates it exactly like
an innovation file. Pure: no database, no Flask; ``related_rules`` are checked by the caller,
which knows the rule ids.

Every problem names its row and column: ``innovations.csv:row 3: year: not a whole number``.

>>> slug, doc = row_to_document({"title": "示例", "category": "项目管理", "source_url": "https://e.org/x"}, "f:row 2")
>>> slug is None and doc.startswith("---\\ntitle: 示例\\n")
True
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from marshmallow import ValidationError as MarshmallowError

from app.corpus import schemas, writer
from app.corpus.documents import INNOVATION_FIELDS, InnovationDocument
from app.corpus.slugs import SLUG_ERROR, is_slug
from app.exceptions import CorpusError, Problem, problem

#: Columns a table may have: ``slug``, the front-matter fields in SPEC order, ``summary``.
COLUMNS: tuple[str, ...] = ("slug", *INNOVATION_FIELDS, "summary")
#: Other names accepted for a column (the innovations CSV/XLSX download calls the slug ``id``).
ALIASES = {"id": "slug"}
REQUIRED_COLUMNS = ("title", "category", "source_url")
MAX_TABLE_BYTES = 20_000_000
MAX_ROWS = 5_000

_TRUE = {"true", "yes", "y", "1", "是", "对"}
_FALSE = {"false", "no", "n", "0", "否"}
_LIST_SEPARATORS = re.compile(r"[\s,;，；、]+")
_FORMULA_GUARD = re.compile(r"^'(?=[=+\-@\t\r])")  # the download's guard against formula injection


@dataclass(frozen=True)
class TableRow:
    """One valid data row: where it is (``FILE:row N``), its slug if given, its cells as text (only the
    table's columns) and the document they make."""

    where: str
    slug: str | None
    title: str
    cells: dict[str, str]
    document: str


def document_cells(doc: InnovationDocument) -> dict[str, str]:
    """The cells of every column for an innovation (for a row merged over a stored one, or a web form).

    >>> document_cells(InnovationDocument("s", "", "T", "C", "https://e.org", "", related_rules=["a", "b"]))["related_rules"]
    'a; b'
    """
    out = {"slug": doc.slug}
    for name in (*INNOVATION_FIELDS, "summary"):
        value = getattr(doc, name)
        out[name] = "; ".join(value) if name == "related_rules" else _text(value)
    return out


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return _FORMULA_GUARD.sub("", str(value).replace("\r\n", "\n").replace("\r", "\n").strip())


def _convert(column: str, raw: str, problems: list[Problem], where: str) -> object:
    """Cell text → the front-matter value it stands for (None when empty)."""
    if raw == "":
        return [] if column == "related_rules" else None
    if column == "year":
        if not re.fullmatch(r"\d{4}", raw):
            problems.append(
                problem(where, "%(value)r is not a year (write it as 4 digits, e.g. 2021)", None, column, value=raw)
            )
            return None
        return int(raw)
    if column in ("promoted_nationally", "verified"):
        low = raw.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        problems.append(
            problem(where, "%(value)r is not true or false (leave it empty when unknown)", None, column, value=raw)
        )
        return None
    if column == "related_rules":
        return [r for r in _LIST_SEPARATORS.split(raw) if r]
    return raw


def row_to_document(cells: Mapping[str, object], where: str) -> tuple[str | None, str]:
    """``(slug or None, document text)`` for one row of named cells; CorpusError lists every problem.

    Cells may be text (CSV, web forms) or spreadsheet values (numbers, dates, booleans).
    """
    problems: list[Problem] = []
    texts = {ALIASES.get(k, k): _text(v) for k, v in cells.items() if k is not None}
    for name in texts:
        if name not in COLUMNS:
            problems.append(
                problem(where, "unknown column (columns: %(columns)s)", None, name, columns=", ".join(COLUMNS))
            )
    meta = {
        name: _convert(name, texts.get(name, ""), problems, where)
        for name in INNOVATION_FIELDS
        if name in texts or name in REQUIRED_COLUMNS
    }
    meta = {k: v for k, v in meta.items() if v not in (None, []) or k in REQUIRED_COLUMNS}
    for k in REQUIRED_COLUMNS:
        if meta.get(k) is None:
            meta[k] = ""  # "must not be empty" from the schema, named by its column
    slug = texts.get("slug") or None
    if slug is not None and not is_slug(slug):
        problems.append(problem(where, SLUG_ERROR, None, "slug"))
    try:
        d = schemas.InnovationSchema().load(meta)
    except MarshmallowError as err:
        for path, msg in schemas.flatten_errors(err.messages):
            problems.append(problem(where, msg, None, str(path[0]) if path else None))
        d = None
    if problems:
        raise CorpusError(sorted(set(problems), key=lambda p: COLUMNS.index(p.field) if p.field in COLUMNS else 99))
    assert d is not None
    doc = InnovationDocument(
        slug=slug or "",
        path="",
        title=d["title"],
        title_en=d["title_en"],
        category=d["category"],
        source_url=d["source_url"],
        summary=texts.get("summary", ""),
        year=d["year"],
        batch=d["batch"],
        number=d["number"],
        promoted_nationally=d["promoted_nationally"],
        promotion_notice=d["promotion_notice"],
        promotion_date=d["promotion_date"],
        related_rules=list(d["related_rules"] or []),
        verified=bool(d["verified"]),
    )
    return slug, writer.render_innovation(doc)


def _rows_of_csv(data: bytes, name: str) -> list[list[object]]:
    try:
        text = data.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a BOM; accept it here
    except UnicodeDecodeError as err:
        raise CorpusError(
            problem(name, "not UTF-8 (byte %(byte)s); save the table as “CSV UTF-8” and try again", byte=err.start)
        ) from None
    return [list(r) for r in csv.reader(io.StringIO(text, newline=""))]


def _rows_of_xlsx(path: Path, name: str) -> list[list[object]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises zipfile, KeyError, InvalidFileException… on a bad file
        raise CorpusError(problem(name, "not a readable XLSX workbook (%(error)s)", error=type(err).__name__)) from None
    try:
        ws = wb.worksheets[0]
        return [list(r) for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


def read_innovation_table(path: Path) -> list[TableRow]:
    """Read a CSV (UTF-8) or XLSX file of innovations: its first sheet, header in the first row.

    Raises CorpusError listing every problem of every row (``FILE:row N: column: reason``);
    blank rows are skipped. Nothing is returned unless the whole table is valid.
    """
    path = Path(path)
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise CorpusError(problem(name, "an innovations table is a .csv or .xlsx file"))
    if not path.is_file():
        raise CorpusError(problem(name, "no such file"))
    size = path.stat().st_size
    if size > MAX_TABLE_BYTES:
        raise CorpusError(problem(name, "file is %(size)s bytes; the limit is 20 MB (split the table)", size=size))
    rows = _rows_of_csv(path.read_bytes(), name) if suffix == ".csv" else _rows_of_xlsx(path, name)
    if not rows or all(_text(c) == "" for c in rows[0]):
        raise CorpusError(problem(f"{name}:row 1", "no header row (the first row names the columns)"))
    header = [ALIASES.get(_text(c), _text(c)) for c in rows[0]]
    problems: list[Problem] = []
    for i, col in enumerate(header):
        if col and col not in COLUMNS:
            problems.append(
                problem(f"{name}:row 1", "unknown column (columns: %(columns)s)", None, col, columns=", ".join(COLUMNS))
            )
        elif col and header.index(col) != i:
            problems.append(problem(f"{name}:row 1", "column appears twice", None, col))
    for col in REQUIRED_COLUMNS:
        if col not in header:
            problems.append(problem(f"{name}:row 1", "required column is missing", None, col))
    if problems:
        raise CorpusError(problems)
    if len(rows) - 1 > MAX_ROWS:
        raise CorpusError(
            problem(name, "%(rows)s rows; the limit is %(limit)s (split the table)", rows=len(rows) - 1, limit=MAX_ROWS)
        )
    out: list[TableRow] = []
    slugs: dict[str, int] = {}
    for n, row in enumerate(rows[1:], start=2):
        if all(_text(c) == "" for c in row):
            continue
        where = f"{name}:row {n}"
        if len(row) > len(header) and any(_text(c) != "" for c in row[len(header) :]):
            problems.append(problem(where, "more cells than the header has columns"))
            continue
        cells = {col: _text(row[i]) if i < len(row) else "" for i, col in enumerate(header) if col}
        given = cells.get("slug")
        if given and given in slugs:
            problems.append(
                problem(where, "slug %(slug)r is also on row %(row)s", None, "slug", slug=given, row=slugs[given])
            )
            continue
        if given:
            slugs[given] = n
        try:
            slug, document = row_to_document(cells, where)
        except CorpusError as err:
            problems.extend(err.problems)
            continue
        out.append(TableRow(where, slug, cells.get("title", ""), cells, document))
    if problems:
        raise CorpusError(problems)
    if not out:
        raise CorpusError(problem(name, "no data rows (nothing to import)"))
    return out
