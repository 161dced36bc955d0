"""Corpus commands: load, export, import, index (``serve`` is in app/cli/serve.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app

from app.cli import DATE, applies_migrations, cli, emit_json, handle_errors, json_option, progress_bar
from app.corpus.loader import read_corpus
from app.extensions import engine, search_backend
from app.registry.db import write_session
from app.registry.loading import export_corpus, load_corpus
from app.search import services as search_services


def corpus_dir(option: str | None) -> Path:
    """``--corpus``, else the REGISTRY_CORPUS setting (app.config)."""
    return Path(option or current_app.config["REGISTRY_CORPUS"])


def bring_index_up_to_date(quiet: bool = False) -> None:
    with progress_bar("indexing", as_json=quiet) as step:
        how, n = search_services.bring_index_up_to_date(engine(), search_backend(), progress=step)
    if how == "built":
        msg = f"search index built: {n} documents"
    else:
        msg = f"search index up to date ({n} rules/innovations updated)"
    if not quiet:
        click.echo(msg, err=True)


@cli.command("load")
@click.option("--corpus", "corpus_opt", type=click.Path(file_okay=False), help="Corpus folder (default rules_corpus/)")
@click.option("--prune", is_flag=True, help="Delete rules whose files are gone")
@click.option("--no-index", is_flag=True, help="Do not bring the search index up to date")
@json_option
@handle_errors
@applies_migrations
def load_command(corpus_opt: str | None, prune: bool, no_index: bool, as_json: bool) -> None:
    """Validate the corpus and load it into the database, all or nothing."""
    root = corpus_dir(corpus_opt)
    corpus = read_corpus(root)
    with progress_bar("loading", as_json) as step, write_session(engine()) as s:
        report = load_corpus(s, corpus, prune=prune, progress=step)
    if not no_index:
        bring_index_up_to_date(quiet=as_json)
    out = {
        "corpus": str(root),
        "rules": len({d.rule_id for d in corpus.rules}),
        "versions": len(corpus.rules),
        "innovations": len(corpus.innovations),
        "hard_rules": len(corpus.hard_rules),
        **report.as_dict(),
    }
    if as_json:
        emit_json(out)
        return
    click.echo(
        f"loaded {out['rules']} rules ({out['versions']} versions), {out['innovations']} innovations, "
        f"{out['hard_rules']} hard rules from {root}"
    )
    click.echo(
        f"versions: {len(report.added)} added, {len(report.corrected)} corrected, {report.unchanged} unchanged"
        + (f", {len(report.pruned)} pruned" if report.pruned else "")
    )
    for vid in report.missing:
        if vid not in report.pruned:
            click.echo(f"kept (file gone; use --prune to delete): {vid}", err=True)


@cli.command("export")
@click.argument("directory", type=click.Path(file_okay=False))
@handle_errors
def export_command(directory: str) -> None:
    """Write the database out as a corpus (deterministic)."""
    from app.extensions import db

    files = export_corpus(db(), Path(directory))
    click.echo(f"wrote {len(files)} files to {directory}")


@cli.command("index")
@click.option("--rebuild", is_flag=True, help="Rebuild the whole index from the database")
@click.option("--check", is_flag=True, help="Compare index and database, report drift and repair it")
@json_option
@handle_errors
def index_command(rebuild: bool, check: bool, as_json: bool) -> None:
    """Bring the search index up to date with the database."""
    if rebuild:
        with progress_bar("indexing", as_json) as step:
            n = search_services.rebuild_index(engine(), search_backend(), progress=step)
        out = {"rebuilt": True, "documents": n}
        emit_json(out) if as_json else click.echo(f"search index rebuilt: {n} documents")
        return
    if check:
        bring_index_up_to_date(quiet=True)
        drift = search_services.check_index(engine(), search_backend(), repair=True)
        if as_json:
            emit_json({"drift": drift.as_dict(), "repaired": drift.total > 0})
            return
        if drift.total == 0:
            click.echo("no drift: the index matches the database")
        else:
            for name in ("missing", "stale", "extra"):
                for k in getattr(drift, name):
                    click.echo(f"{name}: {k}")
            click.echo(f"{drift.total} documents drifted; repaired")
        return
    bring_index_up_to_date(quiet=as_json)
    if as_json:
        emit_json({"up_to_date": True})


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--manifest", type=click.Path(exists=True, dir_okay=False), help="YAML list or CSV: metadata per text")
@click.option("--jurisdiction", "-j")
@click.option("--topic", "-t")
@click.option("--kind", "-k")
@click.option("--title")
@click.option("--title-en")
@click.option("--slug")
@click.option("--effective", type=DATE)
@click.option("--repealed", type=DATE)
@click.option("--source-url")
@click.option("--rule", "rule_id", help="Attach the text to this rule (or version id rule@date)")
@click.option("--corpus", "corpus_opt", type=click.Path(file_okay=False))
@click.option("--no-index", is_flag=True, help="Do not bring the search index up to date")
@json_option
@handle_errors
def import_command(
    paths: tuple[str, ...],
    manifest: str | None,
    jurisdiction: str | None,
    topic: str | None,
    kind: str | None,
    title: str | None,
    title_en: str | None,
    slug: str | None,
    effective,
    repealed,
    source_url: str | None,
    rule_id: str | None,
    corpus_opt: str | None,
    no_index: bool,
    as_json: bool,
) -> None:
    """Turn official texts (files or folders) into corpus documents and load them (SPEC §3, §8.1, §8.2).

    One FILE without --manifest prints {id, version, path, articles} and exits 1 on a refusal;
    otherwise prints {imported, attached, unchanged, refused} and exits 1 when anything was refused.
    With --manifest, texts found in folders that no entry names are skipped.
    """
    from app.registry.imports import ImportOptions, collect_files, import_document, import_texts, read_manifest
    from app.registry.mapping import references

    root = corpus_dir(corpus_opt)
    files = collect_files(Path(p) for p in paths)
    single = len(paths) == 1 and Path(paths[0]).is_file() and manifest is None
    if len(files) > 1:
        for flag, value in (("--slug", slug), ("--title", title), ("--title-en", title_en), ("--rule", rule_id)):
            if value:
                raise click.UsageError(f"{flag} names one text; for several, give it per text in a --manifest")
    if single:
        result = import_document(
            engine(),
            Path(paths[0]),
            root,
            jurisdiction=jurisdiction,
            topic=topic,
            kind=kind,
            title=title,
            title_en=title_en,
            slug=slug,
            effective=effective,
            repealed=repealed,
            source_url=source_url,
            rule=rule_id,
        )
        if not no_index:
            bring_index_up_to_date(quiet=True)
        if as_json:
            emit_json(result)
        else:
            click.echo(result["version"] if result["status"] != "imported" else result["id"])
            if result["status"] != "imported":
                click.echo(f"{result['status']}: {result['version']}", err=True)
        return

    from app.extensions import db

    manifest_doc = read_manifest(Path(manifest), references(db())) if manifest else None
    options = ImportOptions(
        jurisdiction=jurisdiction,
        topic=topic,
        kind=kind,
        title=title,
        title_en=title_en,
        slug=slug,
        effective=effective,
        repealed=repealed,
        source_url=source_url,
        rule=rule_id,
    )
    with progress_bar("importing", as_json) as step:
        done = iter(range(1, len(files) + 1))
        step(0, len(files))
        report = import_texts(
            engine(), files, root, options, manifest_doc, progress=lambda _f: step(next(done), len(files))
        )
    if not no_index and (report.imported or report.attached):
        bring_index_up_to_date(quiet=as_json)
    if as_json:
        emit_json(report.as_dict())
    else:
        for item in report.imported:
            click.echo(f"imported {item['version']} ({item['articles']} articles) from {item['source']}")
        for item in report.attached:
            click.echo(
                f"attached {item['source']} to {item['version']} ({item['articles']} articles, "
                f"{item['parameters_verified']} parameters verified, sha256 {item['sha256']})"
            )
        for item in report.unchanged:
            click.echo(f"unchanged {item['version']} ({item['path']})")
        for item in report.refused:
            click.echo(f"refused {item['path']}: {item['reason']}", err=True)
        for entry in report.unmatched:
            named = entry.get("path") or entry.get("title")
            click.echo(f"{manifest}:{entry['line']}: no text found for {named}", err=True)
        click.echo(
            f"{len(report.imported)} imported, {len(report.attached)} attached, {len(report.unchanged)} unchanged, "
            f"{len(report.refused)} refused"
            + (f", {len(report.skipped)} skipped (not in the manifest)" if report.skipped else "")
        )
    if report.refused:
        sys.exit(1)
