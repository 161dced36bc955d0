"""API fuzzing with schemathesis against /api/v1/openapi.json, the app in-process (WSGI).

Every operation is driven with generated requests (valid and invalid shapes), reads anonymously and
writes with an admin token, and every response is checked: no 5xx, status codes and content types
as documented, bodies matching the documented schema (the error envelope included), invalid
requests refused, and no stack trace in any body.

Left out, with the reason: ``positive_data_acceptance`` — a request can match the schema and still
name an unknown jurisdiction code, rule id or date outside any version (the vocabularies live in the
database, not in the schema), which the API rightly refuses with 400/404.

SCHEMATHESIS_EXAMPLES per operation: 15 in `make test` (well under a minute); `make soak` raises it.
"""

from __future__ import annotations

import json
import os
import shutil

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.conftest import FIXTURE_CORPUS

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "15"))
LEAKS = ("Traceback (most recent call last)", 'File "/', "sqlalchemy.exc", "psycopg", "sqlite3.")


@pytest.fixture(scope="module")
def api_app(tmp_path_factory):
    from app import create_app
    from app.cli import cli

    tmp = tmp_path_factory.mktemp("schemathesis")
    shutil.copytree(FIXTURE_CORPUS, tmp / "corpus")
    app = create_app(
        {
            "TESTING": False,  # errors go through the handlers as in production
            "DATABASE_URL": f"sqlite:///{tmp / 'r.sqlite3'}",
            "REGISTRY_CORPUS": str(tmp / "corpus"),
            "REGISTRY_INDEX": str(tmp / "idx"),
            "SECRET_KEY": "schemathesis",
        }
    )
    runner = app.test_cli_runner()
    assert runner.invoke(cli, ["load"]).exit_code == 0
    assert runner.invoke(cli, ["user", "add", "fuzz-admin", "--role", "admin"]).exit_code == 0
    token = json.loads(runner.invoke(cli, ["token", "create", "fuzz-admin", "--json"]).stdout)["token"]
    app.config["FUZZ_TOKEN"] = token
    yield app
    app.extensions["registry_engine"].dispose()


def _run_operation(op, token: str | None) -> None:
    excluded = [schemathesis.checks.positive_data_acceptance]

    @given(case=op.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):  # type: ignore[no-untyped-def]
        headers = {"Authorization": f"Bearer {token}"} if token else None
        response = case.call_and_validate(headers=headers, excluded_checks=excluded)
        body = response.text
        assert not any(leak in body for leak in LEAKS), (case.path, body[:300])

    run()


def _operations(app):  # type: ignore[no-untyped-def]
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def test_every_operation_answers_as_documented(api_app):
    failures = []
    ops = _operations(api_app)
    assert len(ops) >= 15
    for op in ops:
        # reads anonymously; writes both anonymously (401 as documented) and as an admin
        tokens = [None] if op.method.upper() == "GET" else [None, api_app.config["FUZZ_TOKEN"]]
        for token in tokens:
            try:
                _run_operation(op, token)
            except BaseException as exc:
                if isinstance(exc, KeyboardInterrupt):
                    raise
                failures.append(f"{op.method.upper()} {op.path} ({'admin' if token else 'anonymous'}): {exc}"[:3000])
    assert failures == [], "\n\n".join(failures)
