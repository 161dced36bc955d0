"""The ``registry`` command: a Flask CLI group over the app factory (``flask --app wsgi`` works too).

User errors exit 1 with one line per problem on stderr and a summary line,
never a traceback; usage errors exit 2 (click). ``--json`` prints exactly one
JSON document on stdout. A bad setting in the environment (``app.config``)
exits 1 naming the variable.

Only ``registry db upgrade``, ``serve`` and ``load`` migrate the database
(:func:`applies_migrations`); every other command on a database that is not
at the newest schema exits 1 saying to run ``registry db upgrade``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import sys
from collections.abc import Callable, Iterator
from typing import Any

import click
from flask.cli import FlaskGroup

from app.config import ConfigError
from app.corpus.dates import parse_date
from app.exceptions import CorpusError, RegistryError
from app.extensions import engine, require_current_schema
from app.jsonprovider import json_default
from app.registry.db import upgrade


def _create_app():  # type: ignore[no-untyped-def]
    from app import create_app  # app/__init__.py imports this package: a cycle at module level

    try:
        return create_app()
    except ConfigError as err:
        raise click.ClickException(f"configuration: {err}") from None


class DateType(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: Any, ctx: Any) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return parse_date(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a real date (YYYY-MM-DD)", param, ctx)


DATE = DateType()


def emit_json(doc: Any) -> None:
    """One JSON document on stdout, Chinese as is (a terminal needs no HTML escaping)."""
    click.echo(json.dumps(doc, ensure_ascii=False, indent=2, default=json_default))


#: ``step(done, total)``: how far a long command has come (``progress_bar`` draws it).
Step = Callable[[int, int], None]


@contextlib.contextmanager
def progress_bar(label: str, as_json: bool = False) -> Iterator[Step]:
    """A progress bar on stderr for ``registry load``, ``index`` and ``import``: yields
    ``step(done, total)``, which the use case calls as it goes; the bar appears at the first step
    (so a command with nothing to do draws none). Quiet under ``--json`` unless stderr is a
    terminal (a script reading the JSON gets nothing else; a person watching still sees the bar).
    stdout is never written to."""
    show = not as_json or sys.stderr.isatty()
    bars: list[Any] = []

    def step(done: int, total: int) -> None:
        if not show or total <= 0:
            return
        if not bars:
            bars.append(click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True))
            bars[0].__enter__()
        bar = bars[0]
        bar.length = max(bar.length or 0, total)
        bar.update(max(0, done - bar.pos))

    try:
        yield step
    finally:
        if bars:
            bars[0].__exit__(None, None, None)


def handle_errors(fn: Callable) -> Callable:
    """Turn registry errors into exit 1 with one line per problem (SPEC §3)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            if not getattr(fn, "applies_migrations", False):
                require_current_schema()
            return fn(*args, **kwargs)
        except CorpusError as err:
            for p in err.problems:
                click.echo(str(p), err=True)
            click.echo(f"error: {err.message}", err=True)
            sys.exit(1)
        except RegistryError as err:
            click.echo(f"error: {err.message}", err=True)
            for name, msgs in (err.fields or {}).items():
                for m in msgs if isinstance(msgs, list) else [msgs]:
                    click.echo(f"  {name}: {m}", err=True)
            sys.exit(1)

    return wrapper


def applies_migrations(fn: Callable) -> Callable:
    """Bring the database to the newest schema before the command runs (placed under ``handle_errors``)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        before, after = upgrade(engine())
        if before != after:
            click.echo(f"database schema upgraded from {before or 'empty'} to revision {after}", err=True)
        return fn(*args, **kwargs)

    wrapper.applies_migrations = True  # type: ignore[attr-defined]
    return wrapper


def as_of_option(fn: Callable) -> Callable:
    return click.option("--as-of", "as_of", type=DATE, default=None, help="Date D (default: today in China)")(fn)


def json_option(fn: Callable) -> Callable:
    return click.option("--json", "as_json", is_flag=True, help="Print one JSON document")(fn)


cli = FlaskGroup(
    name="registry",
    create_app=_create_app,
    add_default_commands=False,
    add_version_option=False,
    help="YRD cross-province rule harmonization registry.",
)


def _register() -> None:
    from app.cli import corpus, db, innovations, query, serve, users  # noqa: F401 - registers commands on ``cli``


_register()


def main() -> None:
    cli.main(prog_name="registry")
