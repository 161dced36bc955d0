"""Read commands: show, search, diff, compare, matrix, progress, scoreboard, check, stats, report (``innovations`` is in
``app/cli/innovations.py``).

Each prints what the matching API route returns when given ``--json``.
"""

from __future__ import annotations

import re
from pathlib import Path

import click
from flask import current_app

from app.annual_report import report_file  # the report's one template, as the site renders it
from app.cli import as_of_option, cli, emit_json, handle_errors, json_option
from app.corpus.dates import today
from app.corpus.frontmatter import decode, load_yaml
from app.diff import services as diff_services
from app.exceptions import ValidationError
from app.extensions import db, search_backend
from app.harmonization import services as hs
from app.labels import LOCALES
from app.registry.repository import check_code, show, stats
from app.search.services import run_search


def _on(as_of):  # type: ignore[no-untyped-def]
    return as_of or today()


@cli.command("show")
@click.argument("ident", metavar="ID")
@as_of_option
@json_option
@handle_errors
def show_command(ident: str, as_of, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    """One rule version with its articles and parameters."""
    doc = show(db(), ident, _on(as_of))
    if as_json:
        emit_json(doc)
        return
    click.echo(f"{doc['title']}  [{doc['version']}]  {doc['status']}")
    click.echo(
        f"{doc['jurisdiction']} · {doc['topic']} · {doc['kind']}"
        + (f" · {doc['doc_number']}" if doc["doc_number"] else "")
    )
    eff = doc["effective"] + ("" if doc["effective_known"] else " (effective date unknown; earliest known date)")
    click.echo(f"effective {eff}" + (f"; repealed {doc['repealed']}" if doc["repealed"] else ""))
    click.echo(f"source: {doc['source_url']}")
    for a in doc["articles"]:
        click.echo(f"\n{a['label']} {a['heading']}".rstrip())
        click.echo(a["text"])
    if doc["parameters"]:
        click.echo("\nparameters:")
        for p in doc["parameters"]:
            scope = f" [{p['scope']}]" if p["scope"] else ""
            click.echo(f"  {p['key']}{scope} = {p['value']} {p['unit'] or ''}  ({p['article']})")


@cli.command("search")
@click.argument("query")
@click.option("--jurisdiction", "-j", "jurisdictions", multiple=True)
@click.option("--topic", "-t")
@click.option("--kind", "-k")
@as_of_option
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance")
@click.option("--limit", type=click.IntRange(1, 200), default=20)
@json_option
@handle_errors
def search_command(query: str, jurisdictions, topic, kind, as_of, sort, limit, as_json):  # type: ignore[no-untyped-def]
    """Full-text search (a query starting with - follows --)."""
    result = run_search(
        db(),
        search_backend(),
        q=query,
        jurisdictions=list(jurisdictions),
        topic=topic,
        kind=kind,
        as_of=_on(as_of),
        sort=sort,
        page=1,
        per_page=limit,
    )
    if as_json:
        emit_json(result)
        return
    click.echo(f"{result['total']} hits")
    for h in result["hits"]:
        snippet = re.sub(r"</?mark>", "", h.get("snippet") or "")
        click.echo(f"- {h['title']}  [{h['id']}]  {h.get('article') or ''}")
        if snippet:
            click.echo(f"    {snippet}")


@cli.command("diff")
@click.argument("a")
@click.argument("b")
@as_of_option
@json_option
@handle_errors
def diff_command(a: str, b: str, as_of, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    """Compare two rules or versions."""
    out = diff_services.diff(db(), a, b, _on(as_of))
    if as_json:
        emit_json(out)
        return
    s = out["summary"]
    click.echo(f"{out['a']['version']}  →  {out['b']['version']}")
    click.echo(", ".join(f"{k} {v}" for k, v in s.items()))
    for pair in out["pairs"]:
        if pair["kind"] == "same":
            continue
        click.echo(
            f"\n{','.join(pair['a_articles'])} → {','.join(pair['b_articles'])}  ({pair['kind']}, "
            f"{pair['similarity']:.2f})"
        )
        for d in pair["differences"]:
            click.echo(f"  [{d['type']}] {d.get('a_text') or ''} → {d.get('b_text') or ''}")
    for aid in out["only_in_a"]:
        click.echo(f"only in A: {aid}")
    for bid in out["only_in_b"]:
        click.echo(f"only in B: {bid}")


@cli.command("compare")
@click.option("--baseline", required=True)
@click.argument("rules", nargs=-1, required=True)
@as_of_option
@json_option
@handle_errors
def compare_command(baseline: str, rules, as_of, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    """N-way: align every other rule's articles to the baseline's."""
    out = diff_services.compare(db(), baseline, list(rules), _on(as_of))
    if as_json:
        emit_json(out)
        return
    for rid, s in out["summary"].items():
        click.echo(f"{rid}: " + ", ".join(f"{k} {v}" for k, v in s.items()))


def _jurisdictions(codes) -> list[str] | None:  # type: ignore[no-untyped-def]

    return [check_code(db(), c) for c in codes] or None  # type: ignore[misc]


@cli.command("matrix")
@click.option("--topic", "-t", required=True)
@click.option("--jurisdiction", "-j", "jurisdictions", multiple=True)
@as_of_option
@json_option
@handle_errors
def matrix_command(topic: str, jurisdictions, as_of, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    """Quantitative provisions of a topic across jurisdictions."""
    check_code(db(), topic, "topic")
    out = hs.topic_matrix(db(), topic, _jurisdictions(jurisdictions), _on(as_of))
    if as_json:
        emit_json(out)
        return
    cols = out["jurisdictions"]
    click.echo("parameter\tscope\t" + "\t".join(cols) + "\tstatus")
    for r in out["rows"]:
        cells = []
        for j in cols:
            c = r["values"].get(j)
            cells.append(
                "—"
                if not c or c.get("value") is None
                else f"{c['value']}{'*' if c.get('status') == 'strictest' else ''}"
            )
        click.echo(f"{r['label_zh']}\t{r['scope'] or ''}\t" + "\t".join(cells) + f"\t{r['status']}")


@cli.command("progress")
@as_of_option
@json_option
@handle_errors
def progress_command(as_of, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    """The hard rules with their status."""
    out = hs.progress(db(), _on(as_of))
    if as_json:
        emit_json(out)
        return
    for h in out["items"]:
        st = ", ".join(f"{j}:{s['status']}" for j, s in h["status"].items())
        click.echo(f"{h['id']}  {h['aligned_share']:.0%}  {h['deadline_status']}  ({st})")


@cli.command("scoreboard")
@as_of_option
@json_option
@handle_errors
def scoreboard_command(as_of, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    """Per-jurisdiction alignment deficit."""
    out = hs.score(db(), _on(as_of))
    if as_json:
        emit_json(out)
        return
    for j, s in out["jurisdictions"].items():
        d = "—" if s["deficit"] is None else f"{s['deficit']:.0%}"
        click.echo(
            f"{j}\tdeficit {d}\t{s['aligned']}/{s['applicable']} aligned, {s['divergent']} divergent, "
            f"{s['missing']} missing, {s['unknown']} not recorded\t{s['rating']}"
        )


@cli.command("check")
@click.argument("profile", type=click.Path(exists=True, dir_okay=False))
@json_option
@handle_errors
def check_command(profile: str, as_json: bool) -> None:
    """Compliance check; PROFILE.yaml is shaped like the body of POST /compliance-check."""
    data, _lines = load_yaml(decode(Path(profile).read_bytes(), profile), profile)
    if not isinstance(data, dict):
        raise ValidationError(f"{profile}: the profile is a YAML mapping with jurisdictions and facts")
    out = hs.run_check(db(), hs.parse_check_request(data))
    if as_json:
        emit_json(out)
        return
    for r in out["results"]:
        ok = {True: "compliant", False: "NOT compliant", None: "no value recorded"}[r["compliant"]]
        if r["compliant"] is None and r.get("scopes_available"):
            held = ", ".join(s or "(no scope)" for s in r["scopes_available"])
            ok = f"not checked: values are held per scope ({held}); name one under scopes:"
        elif r["compliant"] is None:
            ok += " (official text held, states none)" if r.get("coverage") == "full_text" else " (not recorded)"
        req = "—" if r["required"] is None else r["required"]
        click.echo(
            f"{r['jurisdiction']}\t{r['parameter']}\tfact {r['fact']}\trequired {req}\t{ok}"
            + (f"\t({r['article'] or r['version'] + ', article not stated'})" if r.get("version") else "")
        )


@cli.command("stats")
@json_option
@handle_errors
def stats_command(as_json: bool) -> None:
    """Coverage: counts by jurisdiction × topic, kind, provenance; innovations; empty cells."""
    out = stats(db())
    if as_json:
        emit_json(out)
        return
    grid = out["by_jurisdiction_topic"]
    topics = sorted({t for row in grid.values() for t in row})
    click.echo("jurisdiction\t" + "\t".join(topics))
    for j, row in grid.items():
        click.echo(j + "\t" + "\t".join(str(row.get(t, 0)) for t in topics))
    click.echo("\nheld (rules / of which full_text / articles):")
    for j, row in out["coverage"].items():
        cells = [f"{t} {c['rules']}/{c['full_text']}/{c['articles']}" for t, c in row.items() if c["rules"]]
        if cells:
            click.echo(f"  {j}: " + ", ".join(cells))
    c = out["province_topic_cells"]
    click.echo(f"\nprovince × topic cells filled: {c['filled']} of {c['of']}")
    for e in out["empty_cells"]:
        click.echo(f"  empty: {e['jurisdiction']} × {e['topic']}")
    click.echo(f"by kind: {out['by_kind']}")
    click.echo(f"by provenance: {out['by_provenance']}")
    inn = out["innovations"]
    click.echo(
        f"innovations: {inn['catalogued']} of {inn['reported_total']} catalogued (reported {inn['reported_as_of']}); "
        f"promotion status known for {inn['promoted_known']} of {inn['reported_promoted']} reported promoted"
    )


@cli.command("report")
@click.option("--year", type=click.IntRange(1990, 2100), required=True)
@click.option("--lang", "language", type=click.Choice(LOCALES), default="zh", show_default=True)
@click.option("--out", "out_file", type=click.Path(dir_okay=False))
@handle_errors
def report_command(year: int, language: str, out_file: str | None) -> None:
    """The annual report (年度体检) as self-contained HTML, the file the site offers for download."""
    with current_app.test_request_context(f"/?lang={language}"):
        html = report_file(db(), year)
    if out_file:
        Path(out_file).write_text(html, encoding="utf-8")
        click.echo(f"wrote {out_file}", err=True)
    else:
        click.echo(html)
