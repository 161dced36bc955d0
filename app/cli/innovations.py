"""``registry innovations``: list the demonstration-zone innovations, and ``import`` a CSV/XLSX table of them.

``registry innovations [--category C] [--promoted] [--json]`` lists (SPEC §3); ``registry innovations
import FILE.csv|FILE.xlsx [--json]`` adds and corrects many at once (SPEC §8.5), all or nothing, every
problem reported as ``FILE:row N: column: reason``.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from app.cli import cli, emit_json, handle_errors, json_option
from app.cli.corpus import bring_index_up_to_date
from app.corpus.innovation_table import read_innovation_table
from app.extensions import db, engine
from app.registry.db import write_session
from app.registry.innovations import import_innovations
from app.registry.repository import list_innovations

IMPORT_ACTOR = "registry innovations import"


@cli.group("innovations", invoke_without_command=True)
@click.option("--category")
@click.option("--promoted", is_flag=True, help="Only those promoted nationally")
@json_option
@click.pass_context
@with_appcontext
@handle_errors
def innovations_group(ctx: click.Context, category: str | None, promoted: bool, as_json: bool) -> None:
    """The demonstration-zone innovations (all matching, no paging); `import` adds or corrects many."""
    if ctx.invoked_subcommand is not None:
        return

    out = list_innovations(db(), category=category, promoted=True if promoted else None)
    if as_json:
        emit_json(out)
        return
    rep = out["reported"]
    if rep:
        click.echo(
            f"{out['total']} catalogued; {rep['total']} reported as of {rep['as_of']} "
            f"({rep['promoted_nationally']} promoted nationally)"
        )
    for i in out["items"]:
        flag = {True: "promoted", False: "not promoted", None: "promotion unknown"}[i["promoted_nationally"]]
        click.echo(f"- {i['title']}  [{i['category']}, {i['year'] or 'year unknown'}, {flag}]")


@innovations_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@json_option
@handle_errors
def import_command(file: str, as_json: bool) -> None:
    """Add or correct innovations from a CSV (UTF-8) or XLSX table, all or nothing.

    Columns are named after the front-matter fields (title, title_en, category, year, batch, number,
    promoted_nationally, promotion_notice, promotion_date, related_rules, source_url, verified),
    plus slug (or id) and summary. related_rules lists rule ids separated by ";" or ",".
    """
    rows = read_innovation_table(Path(file))
    with write_session(engine()) as s:
        report = import_innovations(s, rows, IMPORT_ACTOR, Path(file).name)
    bring_index_up_to_date(quiet=True)
    if as_json:
        emit_json(report.as_dict())
        return
    click.echo(
        f"innovations: {len(report.added)} added, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged (from {Path(file).name})"
    )
    for slug in report.added:
        click.echo(f"added {slug}")
    for slug in report.updated:
        click.echo(f"updated {slug}")
