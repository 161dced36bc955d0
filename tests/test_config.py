"""app.config: every setting parsed from the environment, bad values refused naming the variable,
and the README's configuration table equal to the settings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.config import BY_NAME, SETTINGS, ConfigError, defaults, engine_options, from_environment

README = Path(__file__).resolve().parents[1] / "README.md"


def test_nothing_set_means_every_default():
    assert from_environment({}) == {}
    d = defaults()
    assert {s.name for s in SETTINGS} <= d.keys()
    assert d["SEARCH_TIME_LIMIT"] == 2.0 and d["SEARCH_LOCK_TIMEOUT"] == 10.0
    assert d["MAX_CONTENT_LENGTH"] == 2 * 1024 * 1024
    assert d["DATABASE_URL"].startswith("sqlite:///") and d["DATABASE_URL"].endswith("instance/registry.sqlite3")


def test_values_are_parsed_to_their_types():
    env = {
        "DATABASE_URL": "postgresql+psycopg://u@db.example/registry",
        "REGISTRY_CORPUS": "/srv/corpus",
        "REGISTRY_INDEX": "/srv/index",
        "SECRET_KEY": "s3cret",
        "SEARCH_TIME_LIMIT": "0.5",
        "SEARCH_LOCK_TIMEOUT": " 3 ",
        "SQLITE_BUSY_TIMEOUT": "20",
        "DB_STATEMENT_TIMEOUT": "0",
        "DB_POOL_SIZE": "8",
        "DB_MAX_OVERFLOW": "0",
        "DB_POOL_TIMEOUT": "5",
        "MAX_CONTENT_LENGTH": "1048576",
        "UNRELATED": "ignored",
    }
    assert from_environment(env) == {
        "DATABASE_URL": "postgresql+psycopg://u@db.example/registry",
        "REGISTRY_CORPUS": "/srv/corpus",
        "REGISTRY_INDEX": "/srv/index",
        "SECRET_KEY": "s3cret",
        "SEARCH_TIME_LIMIT": 0.5,
        "SEARCH_LOCK_TIMEOUT": 3.0,
        "SQLITE_BUSY_TIMEOUT": 20.0,
        "DB_STATEMENT_TIMEOUT": 0.0,
        "DB_POOL_SIZE": 8,
        "DB_MAX_OVERFLOW": 0,
        "DB_POOL_TIMEOUT": 5.0,
        "MAX_CONTENT_LENGTH": 1048576,
    }


def test_empty_values_count_as_unset():
    assert from_environment({"SECRET_KEY": "", "SEARCH_TIME_LIMIT": "  "}) == {}


@pytest.mark.parametrize(
    ("name", "value", "reason"),
    [
        ("SEARCH_TIME_LIMIT", "abc", "not a number"),
        ("SEARCH_TIME_LIMIT", "-1", "must be at least 0.01 seconds"),
        ("SEARCH_TIME_LIMIT", "0", "must be at least 0.01 seconds"),
        ("SEARCH_TIME_LIMIT", "nan", "not a finite number"),
        ("SEARCH_LOCK_TIMEOUT", "inf", "not a finite number"),
        ("DB_STATEMENT_TIMEOUT", "-5", "must be 0 (none) or at least 0.001 seconds"),
        ("DB_POOL_SIZE", "0", "must be at least 1"),
        ("DB_POOL_SIZE", "2.5", "not a whole number"),
        ("DB_MAX_OVERFLOW", "-1", "must be at least 0"),
        ("MAX_CONTENT_LENGTH", "10", "must be at least 1024"),
        ("DATABASE_URL", "not a url", "not a SQLAlchemy database URL"),
    ],
)
def test_bad_values_are_refused_naming_the_variable(name, value, reason):
    with pytest.raises(ConfigError) as err:
        from_environment({name: value})
    assert str(err.value).startswith(f"{name}={value!r}: ")
    assert reason in str(err.value)


def test_engine_options_come_from_the_settings():
    assert engine_options(defaults()) == {
        "pool_size": 5,
        "max_overflow": 10,
        "pool_timeout": 30.0,
        "statement_timeout": 0.0,
        "busy_timeout": 15.0,
    }


def _readme_table() -> dict[str, tuple[str, str]]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        m = re.match(r"\| `([A-Z_]+)` \| (.+?) \| (.+?) \|$", line)
        if m:
            rows[m[1]] = (m[2], m[3])
    return rows


def test_readme_documents_every_setting_with_its_default():
    rows = _readme_table()
    assert list(rows) == [s.name for s in SETTINGS]
    for name, (default, meaning) in rows.items():
        setting = BY_NAME[name]
        assert default == (setting.shown_default or f"`{setting.default}`"), name
        assert meaning == setting.meaning, name
