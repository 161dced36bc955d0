"""Downloads (SPEC §7): CSV and XLSX of the matrix, the scoreboard and the innovations.

Same query arguments as the pages; the bytes come from ``app.exports`` (citations as columns);
served as attachments with a file name naming the topic and date.
"""

from __future__ import annotations

from flask import Response, request

from app import exports
from app.exceptions import ValidationError
from app.extensions import db
from app.harmonization import services as hs
from app.web import bp
from app.web.i18n import lang
from app.web.pages.harmonization import matrix_doc
from app.web.pages.home import as_of_arg
from app.web.pages.innovations import innovations_doc

CSV = "text/csv"  # Flask adds "; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    resp = Response(data, mimetype=mimetype)
    resp.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    resp.headers["Cache-Control"] = "no-store"
    return resp


def _matrix_doc() -> dict:
    return matrix_doc(db())


def _layout() -> str:
    """``?layout=``: ``long`` (default; one row per cell, citations as columns) or ``wide`` (one
    column per jurisdiction, localised headers, citations in the cells)."""
    layout = request.args.get("layout") or "long"
    if layout not in ("long", "wide"):
        raise ValidationError(f"layout={layout!r}: expected long or wide", fields={"layout": ["unknown layout"]})
    return layout


def _titles(doc: dict) -> dict[str, str]:
    versions = [c["version"] for r in doc["rows"] for c in r["values"].values() if c and c.get("version")]
    return hs.version_titles(db(), versions)


@bp.route("/matrix.csv")
def matrix_csv():  # type: ignore[no-untyped-def]
    layout = _layout()
    doc = _matrix_doc()
    name = f"matrix-{doc['topic']}-{doc['as_of']}"
    if layout == "wide":
        return _download(exports.matrix_wide_csv(doc, _titles(doc), lang()), CSV, f"{name}-wide.csv")
    return _download(exports.matrix_csv(doc), CSV, f"{name}.csv")


@bp.route("/matrix.xlsx")
def matrix_xlsx():  # type: ignore[no-untyped-def]
    layout = _layout()
    doc = _matrix_doc()
    name = f"matrix-{doc['topic']}-{doc['as_of']}"
    if layout == "wide":
        return _download(exports.matrix_wide_xlsx(doc, _titles(doc), lang()), XLSX, f"{name}-wide.xlsx")
    return _download(exports.matrix_xlsx(doc), XLSX, f"{name}.xlsx")


@bp.route("/scoreboard.csv")
def scoreboard_csv():  # type: ignore[no-untyped-def]
    as_of = as_of_arg()
    doc = hs.score(db(), as_of)
    return _download(exports.scoreboard_csv(doc), CSV, f"scoreboard-{as_of.isoformat()}.csv")


@bp.route("/scoreboard.xlsx")
def scoreboard_xlsx():  # type: ignore[no-untyped-def]
    as_of = as_of_arg()
    s = db()
    data = exports.scoreboard_xlsx(hs.score(s, as_of), hs.progress(s, as_of))
    return _download(data, XLSX, f"scoreboard-{as_of.isoformat()}.xlsx")


@bp.route("/innovations.csv")
def innovations_csv():  # type: ignore[no-untyped-def]
    doc, _ = innovations_doc(db())
    return _download(exports.innovations_csv(doc), CSV, "innovations.csv")


@bp.route("/innovations.xlsx")
def innovations_xlsx():  # type: ignore[no-untyped-def]
    doc, _ = innovations_doc(db())
    return _download(exports.innovations_xlsx(doc), XLSX, "innovations.xlsx")
