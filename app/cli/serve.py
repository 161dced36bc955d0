"""``registry serve``: the registry under gunicorn (``--dev``: Werkzeug's development server).

Before serving, the database is migrated, an empty one is loaded from the corpus,
and this node's search index is brought up to date and compared with the database
(any drift, e.g. after a crash between a commit and the index update, is repaired).
Then gunicorn runs ``WEB_WORKERS`` worker processes of ``WEB_THREADS`` threads each
(``app.config``); every worker builds its own app (database pool, searcher) and runs
the index follower (``app.search.follower``), so writes made through any node reach
this node's index. Signals are gunicorn's: HUP replaces the workers gracefully,
TERM stops after the requests in flight, USR1 reopens the logs (docs/deploy.md).
"""

from __future__ import annotations

import click
from flask import Flask, current_app

from app.cli import applies_migrations, cli, handle_errors
from app.corpus.loader import read_corpus
from app.extensions import engine, search_backend
from app.registry.db import is_empty, write_session
from app.registry.loading import load_corpus
from app.search import services as search_services
from app.search.follower import Follower

ACCESS_LOG_FORMAT = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'


def start_follower(app: Flask) -> Follower:
    """Keep this process's view of the node's index following the outbox (one daemon thread)."""
    eng = app.extensions["registry_engine"]
    backend = app.extensions["search_backend"]

    def follow() -> int:
        applied = search_services.sync_index(eng, backend)
        backend.warm()  # new segments are read here, not by the next search
        return applied

    return Follower(follow, interval=app.config["INDEX_FOLLOW_INTERVAL"], logger=app.logger).start()


def gunicorn_options(config: dict, host: str, port: int) -> dict:
    """gunicorn's settings from the registry's (``WEB_*``)."""
    return {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": config["WEB_WORKERS"],
        "threads": config["WEB_THREADS"],
        "worker_class": "gthread",
        "timeout": max(1, round(config["WEB_TIMEOUT"])),  # gunicorn counts whole seconds
        "graceful_timeout": max(1, round(config["WEB_GRACEFUL_TIMEOUT"])),
        "keepalive": max(1, round(config["WEB_KEEPALIVE"])),
        "accesslog": config["WEB_ACCESS_LOG"],
        "access_log_format": ACCESS_LOG_FORMAT,
        "errorlog": "-",
        "proc_name": "registry",
        "control_socket_disable": True,  # several servers may run on one machine
        "preload_app": False,  # each worker builds its own app: no database connection crosses a fork
    }


def _server_class():  # type: ignore[no-untyped-def]
    from gunicorn.app.base import BaseApplication

    class RegistryServer(BaseApplication):
        """gunicorn with the registry's settings; each worker loads its own app."""

        def __init__(self, options: dict):
            self.options = options
            super().__init__()

        def load_config(self) -> None:
            for key, value in self.options.items():
                self.cfg.set(key, value)

        def load(self):  # type: ignore[no-untyped-def]
            from app import create_app

            app = create_app()
            try:  # read the index before the first request rather than during it
                app.extensions["search_backend"].warm()
            except Exception as err:  # only a head start: the first search reads it; /readyz reports a bad index
                app.logger.warning("search index not loaded at start (%s: %s)", type(err).__name__, err)
            start_follower(app)
            return app

    return RegistryServer


def prepare(quiet: bool = False) -> None:
    """Load an empty database from the corpus, bring the index up to date and repair any drift."""
    if is_empty(engine()):
        root = current_app.config["REGISTRY_CORPUS"]
        click.echo(f"empty database: loading {root}", err=True)
        with write_session(engine()) as s:
            load_corpus(s, read_corpus(root))
    try:
        how, n = search_services.bring_index_up_to_date(engine(), search_backend())
        drift = search_services.check_index(engine(), search_backend(), repair=True)
    except Exception as err:  # an index left unreadable (e.g. the machine died mid-commit): start over
        click.echo(f"search index unusable ({type(err).__name__}: {err}); rebuilding it from the database", err=True)
        how, n = "built", search_services.rebuild_index(engine(), search_backend())
        drift = search_services.check_index(engine(), search_backend(), repair=True)
    if not quiet:
        click.echo(
            f"search index {'built' if how == 'built' else 'up to date'} ({n}); "
            + (
                f"repaired {drift.total} documents that differed from the database"
                if drift.total
                else "matches the database"
            ),
            err=True,
        )


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, type=int, show_default=True)
@click.option("--dev", is_flag=True, help="Werkzeug's development server (one process) instead of gunicorn")
@handle_errors
@applies_migrations
def serve_command(host: str, port: int, dev: bool) -> None:
    """Serve the web app and API; the database is migrated, and an empty one loaded from the corpus, first."""
    prepare()
    app = current_app._get_current_object()
    if dev:
        from werkzeug.serving import run_simple

        click.echo(f"development server on http://{host}:{port}/ (not for production)", err=True)
        follower = start_follower(app)
        try:
            run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)
        finally:
            follower.stop()
        return
    options = gunicorn_options(app.config, host, port)
    click.echo(
        f"serving on http://{host}:{port}/ with gunicorn: {options['workers']} workers × {options['threads']} threads",
        err=True,
    )
    engine().dispose()  # the workers open their own connections
    _server_class()(options).run()
