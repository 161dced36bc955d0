"""Every setting of the registry, in one table: its name, default, type and meaning.

``create_app`` starts from :func:`defaults`, overlays :func:`from_environment`
(each variable that is set and not empty, parsed and checked here), then a
test mapping. Nothing else in the application reads the environment or
supplies a default of its own: code reads ``app.config[NAME]``.

A value that does not parse or is out of range stops start-up with a
:class:`ConfigError` that names the variable:

>>> from_environment({"SEARCH_TIME_LIMIT": "0.5", "DB_POOL_SIZE": "8"})
{'SEARCH_TIME_LIMIT': 0.5, 'DB_POOL_SIZE': 8}
>>> from_environment({"SEARCH_TIME_LIMIT": "abc"})
Traceback (most recent call last):
...
app.config.ConfigError: SEARCH_TIME_LIMIT='abc': not a number (seconds, e.g. 2.0)

The README's configuration table lists the same settings (a test keeps the two equal).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

PROJECT_ROOT = Path(__file__).resolve().parents[1]
INSTANCE = PROJECT_ROOT / "instance"


class ConfigError(ValueError):
    """A setting's value is not usable; the message starts with the variable's name."""


def _text(value: str) -> str:
    return value


def _seconds(*, minimum: float, allow_zero: bool = False) -> Callable[[str], float]:
    def parse(value: str) -> float:
        try:
            number = float(value)
        except ValueError:
            raise ValueError("not a number (seconds, e.g. 2.0)") from None
        if not math.isfinite(number):
            raise ValueError("not a finite number of seconds")
        if allow_zero and number == 0:
            return 0.0
        if number < minimum:
            floor = f"0 (none) or at least {minimum:g}" if allow_zero else f"at least {minimum:g}"
            raise ValueError(f"must be {floor} seconds")
        return number

    return parse


def _integer(*, minimum: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            number = int(value.strip())
        except ValueError:
            raise ValueError("not a whole number") from None
        if number < minimum:
            raise ValueError(f"must be at least {minimum}")
        return number

    return parse


def _boolean(value: str) -> bool:
    word = value.strip().lower()
    if word in ("1", "true", "yes", "on"):
        return True
    if word in ("0", "false", "no", "off"):
        return False
    raise ValueError("not a yes/no value (1/0, true/false, yes/no, on/off)")


def _base_url(value: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ValueError("not an http(s) URL without query or fragment (e.g. https://registry.example.org/)")
    return value.rstrip("/") + "/"


def _rate(value: str) -> str:
    """A rate such as ``20 per minute`` or ``5/second`` (Flask-Limiter's notation)."""
    from limits import parse_many

    try:
        parse_many(value)
    except ValueError:
        raise ValueError("not a rate (e.g. 20 per minute, 5/second)") from None
    return value


def _database_url(value: str) -> str:
    try:
        make_url(value)
    except ArgumentError:
        raise ValueError("not a SQLAlchemy database URL (e.g. postgresql+psycopg://user@host/db)") from None
    return value


@dataclass(frozen=True)
class Setting:
    """One configuration key: read from the environment variable of the same name."""

    name: str
    default: Any
    meaning: str
    parse: Callable[[str], Any] = _text
    #: how the README shows the default (when the value itself is a machine-specific path)
    shown_default: str | None = None


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "DATABASE_URL",
        f"sqlite:///{INSTANCE / 'registry.sqlite3'}",
        "any SQLAlchemy URL, e.g. `postgresql+psycopg://user@host/db` (SPEC §3)",
        _database_url,
        shown_default="SQLite `instance/registry.sqlite3`",
    ),
    Setting(
        "REGISTRY_CORPUS",
        str(PROJECT_ROOT / "rules_corpus"),
        "corpus folder read by `load` and `serve`, written by `import` (`--corpus` overrides)",
        shown_default="`rules_corpus/`",
    ),
    Setting(
        "REGISTRY_INDEX",
        str(PROJECT_ROOT / "search_index"),
        "folder of the Whoosh search index",
        shown_default="`search_index/`",
    ),
    Setting(
        "SEARCH_BACKEND",
        "whoosh",
        "search engine behind `app.search.interfaces.SearchBackend` (`app/search/backends.py`): `whoosh` (files under `REGISTRY_INDEX`) or `postgres` (tables in the PostgreSQL `DATABASE_URL`, shared by every node); an unknown name stops start-up",
    ),
    Setting(
        "SECRET_KEY",
        None,
        "signs session cookies and CSRF tokens",
        shown_default="generated once and kept in `instance/secret_key`",
    ),
    Setting(
        "SESSION_COOKIE_SECURE",
        False,
        "send the sign-in cookie over HTTPS only; set it to `1` wherever the site is served over HTTPS",
        _boolean,
        shown_default="`0`",
    ),
    Setting(
        "SESSION_IDLE_TIMEOUT",
        1800.0,
        "seconds a signed-in browser may stay unused before it must sign in again",
        _seconds(minimum=60),
    ),
    Setting(
        "SESSION_ABSOLUTE_TIMEOUT",
        43200.0,
        "seconds after sign-in when a session ends however much it is used",
        _seconds(minimum=60),
    ),
    Setting(
        "SIGNIN_RATE_LIMIT",
        "20 per minute",
        "failed sign-ins allowed per user name and per client address (more → 429 with Retry-After)",
        _rate,
    ),
    Setting(
        "WRITE_RATE_LIMIT",
        "120 per minute",
        "API writes allowed per account and per client address (more → 429 with Retry-After)",
        _rate,
    ),
    Setting(
        "RATELIMIT_STORAGE_URI",
        "memory://",
        "where those counts are kept: `memory://` counts in each worker process; a shared store such as "
        "`redis://host:6379` counts across workers",
    ),
    Setting(
        "SEARCH_TIME_LIMIT",
        2.0,
        "seconds one search may run before it is refused with `query_timeout` (SPEC §5)",
        _seconds(minimum=0.01),
    ),
    Setting(
        "SEARCH_LOCK_TIMEOUT",
        10.0,
        "seconds a write waits for the search index's single writer lock before it gives up",
        _seconds(minimum=0.01),
    ),
    Setting(
        "SQLITE_BUSY_TIMEOUT",
        15.0,
        "SQLite: seconds a connection waits for another writer's lock",
        _seconds(minimum=0.01),
    ),
    Setting(
        "DB_STATEMENT_TIMEOUT",
        0.0,
        "PostgreSQL: seconds one SQL statement may run (`statement_timeout`); 0 means no limit",
        _seconds(minimum=0.001, allow_zero=True),
    ),
    Setting(
        "DB_POOL_SIZE",
        5,
        "database connections kept open per process",
        _integer(minimum=1),
    ),
    Setting(
        "DB_MAX_OVERFLOW",
        10,
        "connections opened beyond the pool under load (closed when returned)",
        _integer(minimum=0),
    ),
    Setting(
        "DB_POOL_TIMEOUT",
        30.0,
        "seconds a request waits for a free connection before it fails",
        _seconds(minimum=0.01),
    ),
    Setting(
        "PUBLIC_BASE_URL",
        "http://127.0.0.1:5000/",
        "the registry's public address, used for absolute links in feeds (never taken from the request's Host header)",
        _base_url,
    ),
    Setting(
        "MAX_CONTENT_LENGTH",
        2 * 1024 * 1024,
        "largest request body in bytes (a corpus document is at most 1 MB); larger → 413",
        _integer(minimum=1024),
    ),
    Setting(
        "WEB_WORKERS",
        2,
        "`registry serve`: gunicorn worker processes (each with its own database pool and searcher)",
        _integer(minimum=1),
    ),
    Setting(
        "WEB_THREADS",
        4,
        "`registry serve`: threads per worker (requests served at once = workers × threads)",
        _integer(minimum=1),
    ),
    Setting(
        "WEB_TIMEOUT",
        60.0,
        "`registry serve`: seconds a request may run before gunicorn restarts its worker",
        _seconds(minimum=1),
    ),
    Setting(
        "WEB_GRACEFUL_TIMEOUT",
        30.0,
        "`registry serve`: seconds a worker may finish its requests on restart (HUP) or stop (TERM)",
        _seconds(minimum=1),
    ),
    Setting(
        "WEB_KEEPALIVE",
        75.0,
        "`registry serve`: seconds gunicorn keeps an idle connection open; longer than the proxy's upstream "
        "keep-alive (nginx: 60 s), or the proxy reuses connections the server has just closed (docs/deploy.md)",
        _seconds(minimum=1),
    ),
    Setting(
        "WEB_ACCESS_LOG",
        "-",
        "`registry serve`: where the access log goes (`-` is stderr, else a file path; reopened on USR1)",
    ),
    Setting(
        "INDEX_FOLLOW_INTERVAL",
        0.2,
        "seconds between two reads of the outbox by a node's index follower (`app/search/follower.py`)",
        _seconds(minimum=0.01),
    ),
    Setting(
        "READY_MAX_LAG",
        5.0,
        "`/readyz` answers 503 while an outbox entry older than this many seconds is not in this node's index",
        _seconds(minimum=0.1),
    ),
)

BY_NAME = {s.name: s for s in SETTINGS}

#: Flask and flask-smorest settings that are fixed by the product (SPEC §4), not by a deployment.
FIXED: dict[str, Any] = {
    "JSON_SORT_KEYS": False,
    "API_TITLE": "YRD rule harmonization registry",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    # the sign-in cookie: never readable by scripts, not sent on cross-site requests (Flask's default is None)
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
}


def defaults() -> dict:
    """Every setting at its default, plus the fixed Flask settings."""
    return {**{s.name: s.default for s in SETTINGS}, **FIXED}


def from_environment(environ: Mapping[str, str] | None = None) -> dict:
    """The settings given in the environment (set and not empty), parsed; :class:`ConfigError` when one is bad."""
    environ = os.environ if environ is None else environ
    values: dict = {}
    for setting in SETTINGS:
        raw = environ.get(setting.name)
        if raw is None or raw.strip() == "":
            continue
        try:
            values[setting.name] = setting.parse(raw.strip())
        except ValueError as err:
            raise ConfigError(f"{setting.name}={raw!r}: {err}") from None
    return values


def engine_options(config: Mapping[str, Any]) -> dict:
    """The database settings as keyword arguments of :func:`app.registry.db.make_engine`."""
    return {
        "pool_size": config["DB_POOL_SIZE"],
        "max_overflow": config["DB_MAX_OVERFLOW"],
        "pool_timeout": config["DB_POOL_TIMEOUT"],
        "statement_timeout": config["DB_STATEMENT_TIMEOUT"],
        "busy_timeout": config["SQLITE_BUSY_TIMEOUT"],
    }
