"""The compare pages (SPEC §7): two rules side by side, or N-way against a baseline.

``GET /compare?a=&b=&as_of=`` — two columns with aligned articles facing each other, inline
``<ins>``/``<del>`` highlights, a change list with counts per difference type and jump links;
``GET /compare?baseline=X&rules=Y&rules=Z`` (or ``rules=Y,Z``) — one row per baseline article and
one column per other rule, cells coloured by similarity and difference type. The diff itself is
``app.diff`` over ``app.diff.services.rule_side``; this module only arranges it for the page.

Unmatched articles are worded by what the two sides are (SPEC §8.3): 删除 / 新增 (removed / added)
only between versions of one rule; between different rules 仅见于 A / only in A; and an article with
no counterpart on a side that is a summary is marked 摘要未收录 / not in the summary, since a summary
holds only some of the official articles.
"""

from __future__ import annotations

from collections import Counter

from flask import jsonify, render_template, request
from flask_babel import gettext
from markupsafe import Markup, escape
from sqlalchemy import select

from app.corpus.structure import article_anchor, article_number
from app.diff import render_compare_rows, render_side_by_side
from app.diff.classify import TYPE_ORDER
from app.diff.picker import pick_rules
from app.diff.services import compare_sides, counterparts, diff_sides, rule_side
from app.exceptions import NotInForce, ValidationError
from app.extensions import db
from app.registry import repository
from app.registry.models import Parameter
from app.web import bp
from app.web.i18n import date as format_date
from app.web.i18n import label, lang, translated_text
from app.web.pages.home import as_of_arg

MAX_RULES = 8  # columns of the N-way grid
PICK_LIMIT = 20  # rules the picker offers for one query


def status_label(status: object) -> str:
    """Display name of a status code (``app.labels.STATUSES``), the code itself when unknown."""
    return label(status, "status")


@bp.app_template_global("labels_of")
def labels_of(ids: list[str], labels: dict[str, str]) -> str:
    """Article labels (第三条、第四条) for article ids; the anchor when a label is unknown."""
    return gettext(", ").join(labels.get(i, anchor(i)) for i in ids) or "—"


def unmatched_label(status: str, same_rule: bool, other_is_summary: bool) -> str:
    """How the page words a row whose article has no counterpart: ``removed`` (only in A) or
    ``added`` (only in B). ``other_is_summary``: the side without the article is a summary."""
    side, other = ("A", "B") if status == "removed" else ("B", "A")
    base = status_label(status) if same_rule else gettext("only in %(side)s", side=side)
    if not other_is_summary:
        return base
    return f"{base} · {other}: {gettext('not in the summary')}"


def row_labels(rows: list[dict], result: dict) -> dict[str, str]:
    """Set ``row["label"]`` (and ``row["outside_summary"]``) on the side-by-side rows; return the
    summary badges' labels for ``added`` / ``removed``."""
    same = bool(result.get("same_rule"))
    summary = {k: (result.get(k) or {}).get("provenance") == "summary" for k in ("a", "b")}
    for row in rows:
        if row["status"] in ("removed", "added"):
            other_is_summary = summary["b"] if row["status"] == "removed" else summary["a"]
            row["label"] = unmatched_label(row["status"], same, other_is_summary)
            row["outside_summary"] = other_is_summary
        else:
            row["label"] = status_label(row["status"])
            row["outside_summary"] = False
    return {k: unmatched_label(k, same, summary["b" if k == "removed" else "a"]) for k in ("removed", "added")}


def similarity_band(similarity: float | None) -> int:
    """0 (missing) .. 4 (identical) for colouring cells."""
    if similarity is None:
        return 0
    if similarity >= 0.999:
        return 4
    if similarity >= 0.8:
        return 3
    if similarity >= 0.6:
        return 2
    return 1


def anchor(article_id: str) -> str:
    """``cn-sh/x/y#art-3`` → ``art-3`` (the id itself when it names no article)."""
    number = article_number(article_id)
    return article_id if number is None else article_anchor(number)


def side_for_page(s, ident: str, as_of, listing: list[dict], notes: list[str]):  # type: ignore[no-untyped-def]
    """``rule_side`` for the page: a bare rule id with no version in force on ``as_of`` (a draft, a
    repealed rule) falls back to the version the rule list shows for it, with a note saying so;
    an explicit version id, or an unknown id, is answered as the API would (404)."""
    try:
        return rule_side(s, ident, as_of)
    except NotInForce:
        bare = ident.strip().strip("/")
        shown = next((r["version"] for r in listing if r["id"].lower() == bare.lower()), None)
        if shown is None or "@" in bare:
            raise
        ids = Markup('<span translate="no">%s</span>')
        notes.append(
            Markup(
                gettext(
                    "No version of %(rule)s is in force on %(date)s; showing version %(version)s",
                    rule=ids % bare,
                    date=escape(format_date(as_of)),
                    version=ids % shown,
                )
            )
        )
        return rule_side(s, shown, as_of)


def resolve_pick(text: str, listing: list[dict]) -> tuple[str | None, list[dict]]:
    """What a rule field of the compare forms names: ``(id, [])`` when the text is an id (it holds a
    ``/``), part of exactly one rule's title, or matches nothing (then the diff answers, as for any
    unknown id, with a 404); ``(None, candidates)`` when several rules match, for the page to offer
    as choices."""
    if "/" in text:
        return text, []
    found = pick_rules(listing, text, limit=PICK_LIMIT)
    if not found:
        return text, []
    if len(found) == 1:
        return found[0]["id"], []
    return None, found


@bp.route("/compare/rules.json")
def compare_pick():  # type: ignore[no-untyped-def]
    """The picker's suggestions: rules whose title or id contains ``?q=`` (at most 20), best first."""
    as_of = as_of_arg()
    listing = repository.list_rules(db(), as_of=as_of, per_page=100_000)["items"]
    found = pick_rules(listing, request.args.get("q") or "", limit=PICK_LIMIT)
    return jsonify(
        {
            "items": [
                {
                    "id": r["id"],
                    "version": r["version"],
                    # the title in the page's language where the registry has it (else the Chinese
                    # title, marked as such so the list can declare it as rule content)
                    "title": translated_text(r, "title"),
                    "title_lang": "en" if lang() == "en" and r.get("title_en") else "zh-CN",
                    "jurisdiction": r["jurisdiction"],
                    "jurisdiction_label": label(r["jurisdiction"], "jurisdiction"),
                    "topic_label": label(r["topic"], "topic"),
                }
                for r in found
            ]
        }
    )


@bp.app_template_global("suggested_counterparts")
def suggested_counterparts(ident: str, as_of) -> list:  # type: ignore[no-untyped-def]
    """The rule page's suggested counterparts (``app.diff.counterparts``), best match first."""
    return counterparts(db(), ident, as_of)


def _rules_arg() -> list[str]:
    out: list[str] = []
    for raw in request.args.getlist("rules"):
        out.extend(x.strip() for x in raw.split(",") if x.strip())
    return out


@bp.route("/compare")
def compare():  # type: ignore[no-untyped-def]
    s = db()
    as_of = as_of_arg()
    a, b = (request.args.get("a") or "").strip(), (request.args.get("b") or "").strip()
    baseline = (request.args.get("baseline") or "").strip()
    listing = repository.list_rules(s, as_of=as_of, per_page=1000)["items"]
    if baseline:
        picked, choices = resolve_pick(baseline, listing)
        if picked is None:
            return _form(as_of, listing, choices={"baseline": choices}, baseline=baseline, others=_rules_arg())
        others = [o for o in _rules_arg() if o.lower() != picked.lower()]
        return _nway(s, picked, others, as_of, listing)
    if "rules" in request.args:
        raise ValidationError(
            "choose a baseline for the N-way compare: &baseline=<rule or version>",
            fields={"baseline": ["required"]},
        )
    if not a and not b:
        return _form(as_of, listing)
    if not a or not b:
        raise ValidationError(
            "name two rules to compare: ?a=<rule or version>&b=<rule or version>",
            fields={"a" if not a else "b": ["required"]},
        )
    picks = {name: resolve_pick(text, listing) for name, text in (("a", a), ("b", b))}
    if any(p[0] is None for p in picks.values()):
        return _form(as_of, listing, choices={k: v[1] for k, v in picks.items() if v[0] is None}, a=a, b=b)
    a, b = picks["a"][0], picks["b"][0]
    notes: list[str] = []
    side_a = side_for_page(s, a, as_of, listing, notes)
    side_b = side_for_page(s, b, as_of, listing, notes)
    result = diff_sides(side_a, side_b)
    rows = render_side_by_side(result, side_a, side_b)
    for n, row in enumerate(rows, 1):
        row["n"] = n
    badge_labels = row_labels(rows, result)
    type_counts = Counter(d["type"] for p in result["pairs"] for d in p["differences"])
    types = [(k, type_counts[k]) for k in TYPE_ORDER if type_counts.get(k)]
    changes = [r for r in rows if r["status"] != "same" or r["moved"]]
    for i, r in enumerate(changes):  # the stepper: each change links to its neighbours
        r["change_index"] = i + 1
        r["prev_change"] = changes[i - 1]["n"] if i > 0 else None
        r["next_change"] = changes[i + 1]["n"] if i + 1 < len(changes) else None
    return render_template(
        "compare/two.html",
        as_of=as_of,
        result=result,
        rows=rows,
        changes=changes,
        types=types,
        side_a=side_a,
        side_b=side_b,
        a=a,
        b=b,
        notes=notes,
        badge_labels=badge_labels,
        labels_a={art.id: art.label for art in side_a.articles},
        labels_b={art.id: art.label for art in side_b.articles},
        param_labels={p.key: p for p in s.scalars(select(Parameter))},
        all_rules=listing,
        anchor=anchor,
    )


def _form(as_of, listing, choices=None, a="", b="", baseline="", others=()):  # type: ignore[no-untyped-def]
    """The compare form; ``choices`` offers, per field, the rules its text matched."""
    return render_template(
        "compare/form.html",
        as_of=as_of,
        all_rules=listing,
        a=a,
        b=b,
        baseline=baseline,
        others=list(others),
        choices=choices or {},
        by_topic=_by_topic(listing),
        max_rules=MAX_RULES,
    )


def _by_topic(listing: list[dict]) -> list[tuple[str, list[dict]]]:
    """The rules grouped by topic (for the N-way checkboxes), topics and rules in list order."""
    groups: dict[str, list[dict]] = {}
    for r in listing:
        groups.setdefault(r["topic"], []).append(r)
    return list(groups.items())


def _nway(s, baseline: str, others: list[str], as_of, listing):  # type: ignore[no-untyped-def]
    if not others:
        raise ValidationError(
            "name at least one rule to compare with the baseline: &rules=<id>", fields={"rules": ["required"]}
        )
    if len(others) > MAX_RULES:
        raise ValidationError(f"compare at most {MAX_RULES} rules with a baseline", fields={"rules": ["too many"]})
    notes: list[str] = []
    base_side = side_for_page(s, baseline, as_of, listing, notes)
    sides = [side_for_page(s, o, as_of, listing, notes) for o in others]
    result = compare_sides(base_side, sides)
    rows = render_compare_rows(result)
    base_arts = {art.id: art for art in base_side.articles}
    labels = {art.id: art.label for side in sides for art in side.articles}
    # Cells, ``summary`` and ``extra`` are keyed by the other rule's id.
    # render_compare_rows keys cells like compare_rules: by rule id, or by version id when two of
    # the rules share a rule id
    ids = [info["id"] for info in result["rules"]]
    keys = [info["version"] if ids.count(info["id"]) > 1 else info["id"] for info in result["rules"]]
    base_summary = result["baseline"].get("provenance") == "summary"
    cols = [
        {
            "key": key,
            "info": info,
            "summary": result["summary"].get(key, {}),
            # a baseline article with no counterpart: 删除 between versions of one rule, 仅见于基准
            # between different rules, 摘要未收录 when this rule is a summary
            "missing_label": (
                gettext("not in the summary")
                if info.get("provenance") == "summary"
                else status_label("removed")
                if info.get("same_rule")
                else gettext("only in %(side)s", side=gettext("Baseline"))
            ),
            # its articles with no counterpart in the baseline
            "extra_label": (
                f"{gettext('Baseline')}: {gettext('not in the summary')}"
                if base_summary
                else status_label("added")
                if info.get("same_rule")
                else gettext("only in %(side)s", side=info["title"])
            ),
        }
        for key, info in zip(keys, result["rules"], strict=True)
    ]
    for row in rows:
        art = base_arts.get(row["baseline_article"])
        row["label"] = art.label if art else anchor(row["baseline_article"])
        row["text"] = art.text if art else ""
        for k, cell in row["cells"].items():
            cell["band"] = similarity_band(cell["similarity"])
            raw = next((r for r in result["rows"] if r["baseline_article"] == row["baseline_article"]), None)
            diffs = (raw["cells"].get(k) or {}).get("differences", []) if raw else []
            kinds = [d["type"] for d in diffs]
            cell["types"] = sorted(set(kinds), key=lambda x: TYPE_ORDER.index(x) if x in TYPE_ORDER else 99)
            cell["labels"] = [labels.get(a, anchor(a)) for a in cell["articles"]]
    return render_template(
        "compare/nway.html",
        as_of=as_of,
        result=result,
        rows=rows,
        cols=cols,
        base=result["baseline"],
        baseline=baseline,
        others=others,
        notes=notes,
        all_rules=listing,
        by_topic=_by_topic(listing),
        max_rules=MAX_RULES,
        anchor=anchor,
        extra={k: [(a, labels.get(a, anchor(a))) for a in v] for k, v in result["extra"].items()},
    )
