"""Harmonization pages (SPEC §7): topic matrix, hard-rule scoreboard, one hard rule, compliance form.

Every number comes from ``app.harmonization.services``; every value cell cites its rule version
and article and links to it (``/rules/<version>#art-N``, non-ASCII percent-encoded). Charts are
server-generated SVG (no JavaScript).
"""

from __future__ import annotations

import datetime as dt
import math

from flask import Response, render_template, request
from flask_babel import gettext
from markupsafe import Markup
from sqlalchemy import select

from app.annual_report import MAX_REPORT_YEAR, MIN_REPORT_YEAR, report_context, report_file
from app.corpus.structure import article_anchor, article_number
from app.exceptions import RegistryError, ValidationError
from app.extensions import db
from app.harmonization import services as hs
from app.harmonization.charts import deficit_bars_svg, progress_chart_svg
from app.harmonization.matrix import filter_rows, heat_level
from app.harmonization.scoreboard import AMBER_MAX_DEFICIT, GREEN_MAX_DEFICIT
from app.registry import repository
from app.registry.models import Parameter, ParameterValue
from app.web import bp
from app.web.i18n import lang, translated_text
from app.web.pages.home import as_of_arg

DEFAULT_TOPIC = "environment"
MATRIX_VIEWS = ("table", "heat")
_YES, _NO = ("1", "on", "true", "yes"), ("", "0", "off", "false", "no")
FACT_ROWS = 6  # blank fact rows on the compliance form


# ---------------------------------------------------------------- shared with exports.py


def matrix_args(s) -> tuple[str, list[str] | None, dt.date]:  # type: ignore[no-untyped-def]
    """``(topic, columns or None, as_of)`` from ``?topic=&jurisdiction=&as_of=`` (codes checked)."""
    as_of = as_of_arg()
    topic = request.args.get("topic") or None
    if topic is None:
        codes = [tp.code for tp in repository.topics(s)]
        topic = DEFAULT_TOPIC if DEFAULT_TOPIC in codes or not codes else codes[0]
    topic = repository.check_code(s, topic, "topic")
    cols = [
        repository.check_code(s, j.strip())
        for raw in request.args.getlist("jurisdiction")
        for j in raw.split(",")
        if j.strip()
    ]
    return topic, (cols or None), as_of  # type: ignore[return-value]


def _flag(name: str) -> bool:
    raw = (request.args.get(name) or "").strip().lower()
    if raw in _YES:
        return True
    if raw in _NO:
        return False
    raise ValidationError(f"{name}={raw!r}: expected 1 or 0", fields={name: ["not a yes/no value"]})


def matrix_filters() -> dict:
    """The matrix's row filters from ``?differ=1&min_values=2&hard=1`` (``app.harmonization.matrix
    .filter_rows``); a value that is not a yes/no or a count from 0 to 99 is a 400 naming it."""
    raw = (request.args.get("min_values") or "0").strip()
    if not raw.isdigit() or int(raw) > 99:
        raise ValidationError(
            f"min_values={raw!r}: expected a whole number from 0 to 99", fields={"min_values": ["not a count"]}
        )
    return {"differing": _flag("differ"), "min_values": int(raw), "hard_rules": _flag("hard")}


def matrix_doc(s) -> dict:  # type: ignore[no-untyped-def]
    """The /matrix document of the request's topic, columns, date and row filters (page and downloads)."""
    topic, cols, as_of = matrix_args(s)
    return filter_rows(hs.topic_matrix(s, topic, cols, as_of), **matrix_filters())


def matrix_query(topic: str, cols: list[str] | None, as_of: dt.date) -> dict:
    """The query string of the matrix as shown (topic, columns, date, filters, view) for its links."""
    query: dict = {"topic": topic, "as_of": as_of.isoformat()}
    if cols:
        query["jurisdiction"] = cols
    for name in ("differ", "min_values", "hard", "view"):
        value = (request.args.get(name) or "").strip()
        if value and value not in _NO:
            query[name] = value
    return query


def cell_class(cell: dict | None, row: dict, official: bool = True) -> str:
    """The cell's colour: its hard-rule ``alignment`` where a hard rule targets the row; otherwise
    ``missing`` (no value though the official text of the topic is held), ``unknown`` (no value and
    no official text held: 未收录, SPEC §8.3), ``aligned`` (holds the strictest value) or
    ``divergent`` (less strict)."""
    if cell is None or cell.get("value") is None:
        if cell is not None and cell.get("alignment"):
            return f"cell-{cell['alignment']}"
        return "cell-missing" if official else "cell-unknown"
    if cell.get("alignment"):
        return f"cell-{cell['alignment']}"
    return "cell-aligned" if cell.get("status") == "strictest" else "cell-divergent"


@bp.app_template_global("art_link")
def art_link(version: str | None, article: str | None) -> str:
    """``/rules/<version>#art-N`` with the version percent-encoded."""
    from app.web.i18n import url_quote

    if not version:
        return ""
    number = article_number(article)
    return f"/rules/{url_quote(version)}" + (f"#{article_anchor(number)}" if number else "")


# ---------------------------------------------------------------- matrix


@bp.route("/matrix")
def matrix():  # type: ignore[no-untyped-def]
    s = db()
    topic, cols, as_of = matrix_args(s)
    filters = matrix_filters()
    view = request.args.get("view") or "table"
    if view not in MATRIX_VIEWS:
        raise ValidationError(f"view={view!r}: expected table or heat", fields={"view": ["unknown view"]})
    doc = filter_rows(hs.topic_matrix(s, topic, cols, as_of), **filters)
    hard = {h["id"]: h for h in hs.progress(s, as_of)["items"]}
    query = matrix_query(topic, cols, as_of)
    return render_template(
        "harmonization/matrix.html",
        doc=doc,
        topic=topic,
        cols=cols or [],
        as_of=as_of,
        query=query,
        topics=repository.topics(s),
        jurisdictions=repository.jurisdictions(s),
        cell_class=cell_class,
        hard=hard,
        filters=filters,
        view=view,
        heat_level=heat_level,
        data_query={k: v for k, v in query.items() if k != "view"},
    )


# ---------------------------------------------------------------- scoreboard and hard rules


def _svg(markup: str) -> Markup:
    return Markup(markup)  # generated by app.harmonization.charts, which escapes every text


@bp.route("/scoreboard")
def scoreboard():  # type: ignore[no-untyped-def]
    s = db()
    as_of = as_of_arg()
    board = hs.score(s, as_of)
    hard = hs.progress(s, as_of)
    series = hs.progress_chart_series(s, as_of)
    names = {"all": gettext("All hard rules"), **{h["id"]: translated_text(h, "title") for h in hard["items"]}}
    chart = progress_chart_svg(series, until=as_of, names=names, locale=lang())
    bars = deficit_bars_svg(board, locale=lang())
    return render_template(
        "harmonization/scoreboard.html",
        board=board,
        hard=hard,
        as_of=as_of,
        chart=_svg(chart),
        bars=_svg(bars),
        green=GREEN_MAX_DEFICIT,
        amber=AMBER_MAX_DEFICIT,
        codes=sorted({j for h in hard["items"] for j in h["jurisdictions"]}),
    )


@bp.route("/hard-rules/<hard_rule_id>.svg")
def hard_rule_svg(hard_rule_id: str):  # type: ignore[no-untyped-def]
    s = db()
    as_of = as_of_arg()
    detail = hs.hard_rule(s, hard_rule_id, as_of)
    title = translated_text(detail, "title")
    svg = progress_chart_svg(
        hs.hard_rule_series(s, hard_rule_id, as_of),
        until=as_of,
        title=title,
        names={hard_rule_id: title},
        locale=lang(),
    )
    resp = Response(svg, mimetype="image/svg+xml")
    resp.headers["Content-Disposition"] = f'attachment; filename="{hard_rule_id}.svg"'
    return resp


@bp.route("/hard-rules/<hard_rule_id>")
def hard_rule(hard_rule_id: str):  # type: ignore[no-untyped-def]
    s = db()
    as_of = as_of_arg()
    detail = hs.hard_rule(s, hard_rule_id, as_of)
    title = translated_text(detail, "title")
    svg = progress_chart_svg(
        hs.hard_rule_series(s, hard_rule_id, as_of),
        until=as_of,
        title=title,
        names={hard_rule_id: title},
        locale=lang(),
    )
    param = s.get(Parameter, detail["parameter"])
    return render_template("harmonization/hard_rule.html", hr=detail, as_of=as_of, chart=_svg(svg), param=param)


# ---------------------------------------------------------------- compliance form


def _parse_fact(raw: str) -> float | bool:
    text = raw.strip()
    if text.lower() in ("true", "yes", "是", "有"):
        return True
    if text.lower() in ("false", "no", "否", "无"):
        return False
    value = float(text.replace(",", "").replace("，", ""))
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _form_state(s) -> dict:  # type: ignore[no-untyped-def]
    """The form's choices: only parameters addressed to enterprises (SPEC §8.4)."""
    params = list(
        s.scalars(select(Parameter).where(Parameter.addressee == "enterprise").order_by(Parameter.topic, Parameter.key))
    )
    provinces = [j for j in repository.jurisdictions(s)]
    scopes = sorted(
        {x for x in s.scalars(select(ParameterValue.scope).where(ParameterValue.scope.is_not(None)).distinct()) if x}
    )
    return {"params": params, "all_jurisdictions": provinces, "scopes": scopes}


@bp.route("/compliance", methods=["GET", "POST"])
def compliance():  # type: ignore[no-untyped-def]
    s = db()
    state = _form_state(s)
    form = {"jurisdictions": ["CN-SH"], "facts": [], "expand_to": "", "as_of": ""}
    if request.method == "GET":
        return render_template(
            "harmonization/compliance.html", form=form, errors={}, result=None, rows=FACT_ROWS, **state
        )
    errors: dict[str, list[str]] = {}
    js = [j for j in request.form.getlist("jurisdictions") if j.strip()]
    keys, values, scopes_in, units_in = (
        request.form.getlist(n) for n in ("fact_key", "fact_value", "fact_scope", "fact_unit")
    )
    facts: dict[str, float | bool | dict] = {}
    scopes: dict[str, str] = {}
    rows_in = []
    for i, key in enumerate(keys):
        value = values[i] if i < len(values) else ""
        scope = scopes_in[i] if i < len(scopes_in) else ""
        unit = (units_in[i] if i < len(units_in) else "").strip()
        key = key.strip()
        rows_in.append({"key": key, "value": value, "scope": scope, "unit": unit})
        if not key and not value.strip():
            continue
        if not key:
            errors.setdefault(f"fact_{i}", []).append(gettext("choose a parameter for this value"))
            continue
        try:
            parsed = _parse_fact(value)
            facts[key] = {"value": parsed, "unit": unit} if unit and not isinstance(parsed, bool) else parsed
        except ValueError:
            errors.setdefault(f"fact_{i}", []).append(gettext("a fact is a number, or yes/no"))
            continue
        if scope.strip():
            scopes[key] = scope.strip()
    form = {
        "jurisdictions": js,
        "facts": rows_in,
        "expand_to": request.form.get("expand_to", ""),
        "as_of": request.form.get("as_of", ""),
    }
    if not js:
        errors.setdefault("jurisdictions", []).append(gettext("choose at least one jurisdiction"))
    if not facts and not errors.get("facts"):
        errors.setdefault("facts", []).append(gettext("enter at least one fact"))
    result = None
    if not errors:
        data: dict = {"jurisdictions": js, "facts": facts}
        if scopes:
            data["scopes"] = scopes
        if form["as_of"].strip():
            data["as_of"] = form["as_of"].strip()
        if form["expand_to"].strip():
            data["expand_to"] = form["expand_to"].strip()
        try:
            result = hs.run_check(s, hs.parse_check_request(data))
        except RegistryError as err:
            if not err.fields:
                errors.setdefault("form", []).append(err.message)
            for name, msgs in (err.fields or {}).items():
                errors.setdefault(str(name), []).extend(msgs if isinstance(msgs, list) else [str(msgs)])
    status = 400 if errors else 200
    labels = {p.key: p for p in s.scalars(select(Parameter))}
    return render_template(
        "harmonization/compliance.html",
        form=form,
        errors=errors,
        result=result,
        rows=max(FACT_ROWS, len(form["facts"])),
        labels=labels,
        **state,
    ), status


__all__ = ["cell_class", "matrix_args", "matrix_doc", "matrix_filters"]


# ---------------------------------------------------------------- annual report (年度体检)


def _report_year(s, raw: str | None) -> tuple[int, list[int]]:  # type: ignore[no-untyped-def]
    """``?year=`` (default: last year, or this year when nothing older is stored) and the years
    offered; a year that is not a whole number from 1949 to 2100 is a 400 naming it."""
    years = hs.report_years(s)
    if raw is None or raw.strip() == "":
        return (years[1] if len(years) > 1 else years[0]), years
    text = raw.strip()
    if not text.isdigit() or not MIN_REPORT_YEAR <= int(text) <= MAX_REPORT_YEAR:
        raise ValidationError(
            f"year={text!r}: expected a year from {MIN_REPORT_YEAR} to {MAX_REPORT_YEAR}",
            fields={"year": ["not a year"]},
        )
    return int(text), years


@bp.route("/report")
def report():  # type: ignore[no-untyped-def]
    s = db()
    year, years = _report_year(s, request.args.get("year"))
    return render_template(
        "harmonization/report.html",
        years=years if year in years else sorted({*years, year}, reverse=True),
        **report_context(s, year),
    )


@bp.route("/report/<int:year>.html")
def report_document(year: int):  # type: ignore[no-untyped-def]
    """The same report as the one self-contained HTML file ``registry report`` writes."""
    resp = Response(report_file(db(), year), mimetype="text/html")
    resp.headers["Content-Disposition"] = f'attachment; filename="annual-report-{year}.html"'
    return resp
