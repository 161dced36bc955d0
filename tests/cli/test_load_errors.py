"""Every malformed corpus file is refused with file, line/field and reason; nothing is written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

BROKEN = Path(__file__).resolve().parents[1] / "fixtures" / "broken"
EXPECTED: dict[str, list[str]] = json.loads((BROKEN / "expected.json").read_text(encoding="utf-8"))
TABLES = (
    "rules",
    "rule_versions",
    "articles",
    "parameter_values",
    "innovations",
    "hard_rules",
    "audit_log",
    "index_outbox",
)


def _snapshot(count_rows) -> dict[str, int]:
    return {t: count_rows(t) for t in TABLES}


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_malformed_corpus_is_refused_and_nothing_written(case, app, runner, cli, corpus_dir, count_rows):
    first = runner.invoke(cli, ["load", "--no-index"])
    assert first.exit_code == 0, first.output
    before = _snapshot(count_rows)

    for src in (BROKEN / case).rglob("*"):
        if src.is_file():
            dst = corpus_dir / src.relative_to(BROKEN / case)
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)
    # also change a good file, to prove a refused load does not apply the valid part
    good = corpus_dir / "rules/cn-js/environment/sample-wwtp-js.md"
    good.write_text(
        good.read_text(encoding="utf-8").replace("为了改善水环境质量", "为了持续改善水环境质量"), encoding="utf-8"
    )

    result = runner.invoke(cli, ["load", "--no-index"])
    assert result.exit_code == 1, result.output
    err = result.stderr if hasattr(result, "stderr") else result.output
    for fragment in EXPECTED[case]:
        assert fragment in err, f"{case}: {fragment!r} not in:\n{err}"
    assert "Traceback" not in result.output
    assert err.strip().splitlines()[-1].startswith("error: ")
    assert _snapshot(count_rows) == before
    assert not Path("/tmp/registry-yaml-tag-executed").exists()


def test_every_problem_is_reported_at_once(app, runner, cli, corpus_dir):
    for case in ("unknown-field", "gb18030", "hard-rule-unknown-parameter"):
        for src in (BROKEN / case).rglob("*"):
            if src.is_file():
                dst = corpus_dir / src.relative_to(BROKEN / case)
                dst.parent.mkdir(parents=True, exist_ok=True)
                target = dst.with_name(f"{case}-{dst.name}") if dst.suffix == ".md" else dst
                shutil.copyfile(src, target)
    result = runner.invoke(cli, ["load", "--no-index"])
    assert result.exit_code == 1
    lines = [ln for ln in result.output.splitlines() if ln and not ln.startswith("error:")]
    assert any("unknown field" in ln for ln in lines)
    assert any("not valid UTF-8" in ln for ln in lines)
    assert any("unknown parameter key" in ln for ln in lines)
    assert "3 problems found; nothing was written" in result.output


def test_missing_corpus_directory_is_a_clear_error(app, runner, cli, tmp_path):
    result = runner.invoke(cli, ["load", "--corpus", str(tmp_path / "nowhere"), "--no-index"])
    assert result.exit_code == 1
    assert "corpus directory not found" in result.output
