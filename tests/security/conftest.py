"""Security fixtures: the loaded app (fixture corpus, real database, real Whoosh index) with one
account per role that the authorisation tests need, each with an API token and a password."""

from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import create_engine, text

from app import create_app
from app.accounts import services as accounts
from app.registry.db import upgrade, write_session
from tests.conftest import FIXTURE_CORPUS

PASSWORD = "correct horse battery staple"

#: name → (role, jurisdictions)
ACCOUNTS = {
    "ed-sh": ("editor", ["CN-SH"]),
    "ed-js": ("editor", ["CN-JS"]),
    "ed-dz": ("editor", ["YRD-DZ"]),
    "boss": ("admin", []),
    "reader": ("viewer", []),
}


@dataclass
class Account:
    name: str
    role: str
    jurisdictions: list[str]
    token: str
    token_id: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def cheap_password(engine, name: str) -> None:
    """Store PASSWORD for ``name`` under a fast hash: these tests sign in hundreds of times, and the
    sign-in code verifies whatever method the stored hash names (the default is scrypt)."""
    from sqlalchemy import update
    from werkzeug.security import generate_password_hash

    from app.registry.models import User

    with write_session(engine) as s:
        s.execute(
            update(User)
            .where(User.name == name)
            .values(password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"))
        )


def make_accounts(app) -> dict[str, Account]:
    """Every account of ACCOUNTS, made through the account services (as `registry user add` does)."""
    engine = app.extensions["registry_engine"]
    out: dict[str, Account] = {}
    for name, (role, juris) in ACCOUNTS.items():
        with write_session(engine) as s:
            accounts.add_user(s, name, role, juris, PASSWORD)
        cheap_password(engine, name)
        with write_session(engine) as s:
            token_id, token = accounts.create_token(s, name)
        out[name] = Account(name, role, juris, token, token_id)
    return out


@pytest.fixture
def accounts_(loaded):
    """The accounts on the test's own loaded app."""
    return make_accounts(loaded)


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """One loaded app (own database: SQLite file or PostgreSQL schema) with the accounts, per test module.

    For tests that only read, or that check what each request changed themselves.
    """
    base = os.environ.get("TEST_DATABASE_URL")
    tmp = tmp_path_factory.mktemp("security")
    schema = None
    if base:
        schema = f"sec_{uuid.uuid4().hex[:12]}"
        with create_engine(base).begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        sep = "&" if "?" in base else "?"
        url = f"{base}{sep}options=-csearch_path%3D{schema}"
    else:
        url = f"sqlite:///{tmp / 'registry.sqlite3'}"
    corpus = tmp / "corpus"
    shutil.copytree(FIXTURE_CORPUS, corpus)
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "REGISTRY_CORPUS": str(corpus),
            "REGISTRY_INDEX": str(tmp / "index"),
            "SECRET_KEY": "test-secret",
            # these modules send hundreds of refused writes on purpose; test_throttling uses the defaults
            "SIGNIN_RATE_LIMIT": "100000 per minute",
            "WRITE_RATE_LIMIT": "100000 per minute",
        }
    )
    upgrade(app.extensions["registry_engine"])
    from app.cli import cli

    result = app.test_cli_runner().invoke(cli, ["load"])
    assert result.exit_code == 0, result.output
    app.extensions["test_accounts"] = make_accounts(app)
    yield app
    app.extensions["registry_engine"].dispose()
    if schema:
        admin = create_engine(base)
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def document(jurisdiction: str = "CN-SH", effective: str = "2024-01-01", days: int = 15, extra: str = "") -> str:
    """A small valid rule document (our own sample wording, no real rule)."""
    return f"""---
title: 示例数据开放办法
jurisdiction: {jurisdiction}
topic: data
kind: government_rule
effective: {effective}
source_url: https://example.org/open-data
provenance: summary
{extra}parameters:
  - key: data.sharing.response_days
    value: {days}
    unit: 个工作日
    article: 2
---
# 示例数据开放办法

## 第一条 目的

为了促进公共数据开放，制定本办法。

## 第二条 答复期限

开放申请应当在{days}个工作日内答复，并说明理由。
"""


def table_digests(engine, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """A digest of every table's rows, by table name: equal before and after means nothing changed.

    PostgreSQL computes each digest itself (md5 over the rows in text form, sorted), all tables in
    one query; SQLite's rows are hashed here.
    """
    import hashlib

    from sqlalchemy import inspect as sa_inspect

    tables = _TABLES.get(engine.url)
    if tables is None:
        with engine.connect() as conn:
            tables = _TABLES[engine.url] = sorted(sa_inspect(conn).get_table_names())
    wanted = [t for t in tables if t not in skip]
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            sql = " UNION ALL ".join(
                f"SELECT '{t}', md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) FROM \"{t}\" r"
                for t in wanted
            )
            return {name: digest for name, digest in conn.execute(text(sql))}
        out = {}
        for table in wanted:
            rows = conn.execute(text(f'SELECT * FROM "{table}"')).all()
            payload = "\n".join(sorted(repr(tuple(r)) for r in rows))
            out[table] = hashlib.sha256(payload.encode()).hexdigest()
        return out


_TABLES: dict = {}
