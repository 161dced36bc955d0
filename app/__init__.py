"""Cross-province rule harmonization registry for the Yangtze River Delta.

``create_app`` reads like a table of contents: configuration (``app.config``:
defaults, then the environment, then a test mapping; a bad value raises
``ConfigError`` naming the variable), database (connected, never migrated —
``registry db upgrade``, ``serve`` and ``load`` migrate), error mapping, API,
pages, command line.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

from app import config as config_module


def _secret_key(instance: Path) -> str:
    """A SECRET_KEY generated once and kept in instance/, for when none is configured (SPEC §3)."""
    path = instance / "secret_key"
    if path.is_file():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key)
    return key


def create_app(test_config: dict | None = None) -> Flask:
    # static_folder=None: every asset is served by the web blueprint (app/web/static)
    app = Flask(__name__, instance_path=str(config_module.INSTANCE), instance_relative_config=True, static_folder=None)
    app.config.update(config_module.defaults())
    app.config.update(config_module.from_environment())
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(Path(app.instance_path))

    from app.jsonprovider import SafeJSONProvider

    app.json = SafeJSONProvider(app)

    from app import extensions

    extensions.init_app(app)

    from app import errors

    errors.init_app(app)

    from app.api import register_api

    register_api(app)

    from app.web import register_web

    register_web(app)

    from app import ratelimit

    ratelimit.init_app(app)  # after the routes: it throttles sign-in and the API's writes

    from app.cli import cli as registry_cli

    for name, command in registry_cli.commands.items():  # `flask --app wsgi <command>` = `registry <command>`
        app.cli.add_command(command, name)
    return app
