"""Downloads (SPEC §7): CSV and XLSX of the matrix, the scoreboard and the innovations.

Same query arguments as the pages; the bytes come from ``app.exports`` (citations as columns);
served as attachments with a file name naming the topic and date.
"""

from __future__ import annotations

from flask import Response

from app import exports
from app.extensions import db
from app.harmonization import services as hs
from app.web import bp
from app.web.pages.harmonization import matrix_args
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
    s = db()
    topic, cols, as_of = matrix_args(s)
    return hs.topic_matrix(s, topic, cols, as_of)


@bp.route("/matrix.csv")
def matrix_csv():  # type: ignore[no-untyped-def]
    doc = _matrix_doc()
    return _download(exports.matrix_csv(doc), CSV, f"matrix-{doc['topic']}-{doc['as_of']}.csv")


@bp.route("/matrix.xlsx")
def matrix_xlsx():  # type: ignore[no-untyped-def]
    doc = _matrix_doc()
    return _download(exports.matrix_xlsx(doc), XLSX, f"matrix-{doc['topic']}-{doc['as_of']}.xlsx")


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
