"""Progress bars of `registry load`, `index` and `import` (app.cli.progress_bar): on stderr only,
quiet under --json unless stderr is a terminal; the use cases report every step up to the total."""

from __future__ import annotations

import io
import json
import sys

from app.cli import progress_bar
from app.corpus.loader import read_corpus
from app.extensions import search_backend
from app.registry.db import write_session
from app.registry.loading import load_corpus
from app.search import services as search_services


def test_load_draws_its_bars_on_stderr_and_prints_its_report_on_stdout(app, runner, cli):
    plain = runner.invoke(cli, ["load"])
    assert plain.exit_code == 0, plain.output
    assert "loading" in plain.stderr and "indexing" in plain.stderr  # the index was built too
    assert "loading" not in plain.stdout and plain.stdout.startswith("loaded ")


def test_under_json_stdout_is_one_json_document_and_no_bar_is_drawn(app, runner, cli):
    result = runner.invoke(cli, ["load", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["rules"] > 0
    assert "loading" not in result.stderr and "indexing" not in result.stderr
    rebuilt = runner.invoke(cli, ["index", "--rebuild", "--json"])
    assert json.loads(rebuilt.stdout)["documents"] > 0 and "indexing" not in rebuilt.stderr


def test_index_rebuild_draws_a_bar(loaded, runner, cli):
    result = runner.invoke(cli, ["index", "--rebuild"])
    assert result.exit_code == 0, result.output
    assert "indexing" in result.stderr and result.stdout.startswith("search index rebuilt: ")


def test_a_refused_load_draws_no_bar(app, runner, cli, corpus_dir):
    (corpus_dir / "topics.yaml").write_text("- code: [not, a, code]\n", encoding="utf-8")
    result = runner.invoke(cli, ["load", "--no-index"])
    assert result.exit_code == 1
    assert "loading" not in result.stderr and result.stderr.strip().splitlines()[-1].startswith("error: ")


def test_load_and_rebuild_report_every_step_up_to_the_total(app, runner, cli, corpus_dir):
    corpus = read_corpus(corpus_dir)
    steps: list[tuple[int, int]] = []
    with app.app_context(), write_session(app.extensions["registry_engine"]) as s:
        load_corpus(s, corpus, progress=lambda done, total: steps.append((done, total)))
    total = len(corpus.rules) + 2
    assert steps[0] == (0, total) and steps[-1] == (total, total)
    assert [d for d, _ in steps] == sorted(d for d, _ in steps)  # never backwards
    assert {t for _, t in steps} == {total}

    indexed: list[tuple[int, int]] = []
    with app.app_context():
        n = search_services.rebuild_index(
            app.extensions["registry_engine"], search_backend(), progress=lambda d, t: indexed.append((d, t))
        )
    assert n > 0 and indexed[-1] == (indexed[-1][1], indexed[-1][1])
    assert [d for d, _ in indexed] == sorted(d for d, _ in indexed)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_is_drawn_on_a_terminal_even_under_json(monkeypatch):
    term = _Terminal()
    monkeypatch.setattr(sys, "stderr", term)
    with progress_bar("loading", as_json=True) as step:
        for i in range(4):
            step(i, 3)
    assert "loading" in term.getvalue() and "3/3" in term.getvalue()

    piped = io.StringIO()
    monkeypatch.setattr(sys, "stderr", piped)
    with progress_bar("loading", as_json=True) as step:
        step(1, 3)
    assert piped.getvalue() == ""  # a script reading --json output gets no bar
    with progress_bar("loading", as_json=False) as step:
        pass
    assert piped.getvalue() == ""  # nothing to do, no bar
