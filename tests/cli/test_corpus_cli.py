"""registry load / show / export / index: point in time, idempotence, corrections, round trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import BUNDLED_CORPUS

MULTI = "cn-sh/environment/sample-wwtp"


def _json(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("as_of", "version", "cod"),
    [
        ("2020-01-01", "2020-01-01", 50.0),
        ("2023-02-28", "2020-01-01", 50.0),
        ("2023-03-01", "2023-03-01", 30.0),
        ("2030-01-01", "2023-03-01", 30.0),
    ],
)
def test_show_answers_the_version_in_force_on_each_date(loaded, runner, cli, as_of, version, cod):
    doc = _json(runner.invoke(cli, ["show", MULTI, "--as-of", as_of, "--json"]))
    assert doc["version"] == f"{MULTI}@{version}"
    assert doc["status"] == "in_force"
    assert [p["value"] for p in doc["parameters"]] == [cod]
    assert doc["parameters"][0]["unit"] == "mg/L"
    assert [v["version"] for v in doc["versions"]] == [f"{MULTI}@2020-01-01", f"{MULTI}@2023-03-01"]


def test_show_of_a_named_version_reports_it_superseded(loaded, runner, cli):
    doc = _json(runner.invoke(cli, ["show", f"{MULTI}@2020-01-01", "--as-of", "2024-01-01", "--json"]))
    assert doc["status"] == "superseded"
    assert doc["parameters"][0]["stated_value"] == "50"


def test_show_before_first_version_is_not_in_force(loaded, runner, cli):
    result = runner.invoke(cli, ["show", MULTI, "--as-of", "2019-12-31", "--json"])
    assert result.exit_code == 1
    assert "no version in force on 2019-12-31" in result.output
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_repealed_rule_is_not_in_force_on_its_repeal_date(loaded, runner, cli):
    ok = _json(runner.invoke(cli, ["show", "cn-sh/data/sample-data-rule", "--as-of", "2024-12-31", "--json"]))
    assert ok["status"] == "in_force"
    gone = runner.invoke(cli, ["show", "cn-sh/data/sample-data-rule", "--as-of", "2025-01-01", "--json"])
    assert gone.exit_code == 1


def test_unknown_effective_is_marked_and_uses_earliest_known_date(loaded, runner, cli):
    doc = _json(runner.invoke(cli, ["show", "cn-js/environment/sample-wwtp-js", "--as-of", "2022-01-01", "--json"]))
    assert doc["effective_known"] is False
    assert doc["effective"] == "2021-06-30"
    assert doc["version"].endswith("@2021-06-30")


def test_show_structure_articles_chapters_items(loaded, runner, cli):
    doc = _json(runner.invoke(cli, ["show", MULTI, "--as-of", "2024-01-01", "--json"]))
    assert [a["number"] for a in doc["articles"]] == ["1", "2", "2-1", "3"]
    art = doc["articles"][2]
    assert art["label"] == "第二条之一" and art["id"] == f"{MULTI}#art-2-1"
    assert doc["articles"][3]["chapter_path"] == ["第二章 排放限值"]
    paras = doc["articles"][3]["paragraphs"]
    assert len(paras) == 2 and [i["number"] for i in paras[0]["items"]] == [1, 2]


def test_jurisdiction_in_ids_is_case_insensitive(loaded, runner, cli):
    doc = _json(runner.invoke(cli, ["show", "CN-SH/environment/sample-wwtp", "--as-of", "2024-01-01", "--json"]))
    assert doc["id"] == MULTI


def test_usage_errors_exit_2(loaded, runner, cli):
    assert runner.invoke(cli, ["show"]).exit_code == 2
    assert runner.invoke(cli, ["show", MULTI, "--as-of", "2023-02-30"]).exit_code == 2
    assert runner.invoke(cli, ["search", "x", "--limit", "0"]).exit_code == 2


def test_load_is_idempotent(loaded, runner, cli):
    doc = _json(runner.invoke(cli, ["load", "--json"]))
    assert doc["versions_added"] == 0 and doc["versions_corrected"] == 0
    assert doc["versions_unchanged"] == 5


def test_changed_file_is_a_correction_with_one_audit_row(loaded, runner, cli, corpus_dir, count_rows):
    before = count_rows("audit_log")
    path = corpus_dir / "rules/cn-js/environment/sample-wwtp-js.md"
    path.write_text(path.read_text(encoding="utf-8").replace("40毫克/升", "40 毫克/升"), encoding="utf-8")
    doc = _json(runner.invoke(cli, ["load", "--json"]))
    assert doc["versions_corrected"] == 1
    assert count_rows("audit_log") == before + 1
    from sqlalchemy import text

    engine = loaded.extensions["registry_engine"]
    with engine.connect() as conn:
        row = conn.execute(text("SELECT action, before_hash, after_hash FROM audit_log ORDER BY id DESC")).first()
    assert row.action == "corrected" and row.before_hash and row.after_hash and row.before_hash != row.after_hash
    assert _json(runner.invoke(cli, ["audit", "verify", "--json"]))["ok"] is True


def test_new_dated_file_adds_a_version(loaded, runner, cli, corpus_dir):
    src = corpus_dir / "rules/cn-sh/environment/sample-wwtp@2023-03-01.md"
    new = src.with_name("sample-wwtp@2025-01-01.md")
    new.write_text(
        src.read_text(encoding="utf-8")
        .replace("effective: 2023-03-01", "effective: 2025-01-01")
        .replace("value: 0.03", "value: 0.025"),
        encoding="utf-8",
    )
    doc = _json(runner.invoke(cli, ["load", "--json"]))
    assert doc["versions_added"] == 1
    shown = _json(runner.invoke(cli, ["show", MULTI, "--as-of", "2025-06-01", "--json"]))
    assert shown["parameters"][0]["value"] == 25.0
    old = _json(runner.invoke(cli, ["show", MULTI, "--as-of", "2024-06-01", "--json"]))
    assert old["parameters"][0]["value"] == 30.0


def test_removed_file_is_kept_unless_pruned(loaded, runner, cli, corpus_dir):
    (corpus_dir / "rules/cn-sh/data/sample-data-rule.md").unlink()
    (corpus_dir / "innovations/sample-innovation.md").write_text(
        (corpus_dir / "innovations/sample-innovation.md")
        .read_text(encoding="utf-8")
        .replace("related_rules: [cn-sh/environment/sample-wwtp]\n", ""),
        encoding="utf-8",
    )
    kept = runner.invoke(cli, ["load", "--json"])
    doc = _json(kept)
    assert doc["versions_missing_from_corpus"] == ["cn-sh/data/sample-data-rule@2021-10-01"]
    assert runner.invoke(cli, ["show", "cn-sh/data/sample-data-rule", "--as-of", "2022-01-01"]).exit_code == 0
    pruned = _json(runner.invoke(cli, ["load", "--prune", "--json"]))
    assert pruned["versions_pruned"] == ["cn-sh/data/sample-data-rule@2021-10-01"]
    assert runner.invoke(cli, ["show", "cn-sh/data/sample-data-rule", "--as-of", "2022-01-01"]).exit_code == 1


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("corpus", ["fixture", "bundled"])
def test_round_trip_load_export_load_export_is_identical(
    corpus, app, runner, cli, corpus_dir, tmp_path, fresh_database, make_app
):
    source = corpus_dir if corpus == "fixture" else BUNDLED_CORPUS
    assert runner.invoke(cli, ["load", "--corpus", str(source), "--no-index"]).exit_code == 0
    e1, e2 = tmp_path / "e1", tmp_path / "e2"
    r1 = runner.invoke(cli, ["export", str(e1)])
    assert r1.exit_code == 0, r1.output
    second = make_app(fresh_database(), e1)
    r2 = second.test_cli_runner()
    assert r2.invoke(cli, ["load", "--no-index"]).exit_code == 0
    assert r2.invoke(cli, ["export", str(e2)]).exit_code == 0
    t1, t2 = _tree(e1), _tree(e2)
    assert t1 == t2
    assert len([k for k in t1 if k.startswith("rules/")]) > 0
    for name, data in t1.items():
        assert not data.startswith(b"\xef\xbb\xbf") and b"\r\n" not in data, name
    # exporting twice from the same database gives the same bytes
    e3 = tmp_path / "e3"
    assert runner.invoke(cli, ["export", str(e3)]).exit_code == 0
    assert _tree(e3) == t1


def test_index_check_finds_no_drift_after_load_amend_and_rebuild(loaded, runner, cli, corpus_dir):
    assert _json(runner.invoke(cli, ["index", "--check", "--json"]))["drift"]["total"] == 0
    path = corpus_dir / "rules/cn-js/environment/sample-wwtp-js.md"
    path.write_text(path.read_text(encoding="utf-8").replace("改善水环境质量", "改善流域水环境质量"), encoding="utf-8")
    assert runner.invoke(cli, ["load"]).exit_code == 0
    assert _json(runner.invoke(cli, ["index", "--check", "--json"]))["drift"]["total"] == 0
    assert runner.invoke(cli, ["index", "--rebuild"]).exit_code == 0
    assert _json(runner.invoke(cli, ["index", "--check", "--json"]))["drift"]["total"] == 0


def test_index_rebuild_shows_progress_on_stderr_and_keeps_json_clean(loaded, runner, cli):
    plain = runner.invoke(cli, ["index", "--rebuild"])
    assert plain.exit_code == 0
    assert "indexing" in plain.stderr  # the bar (a pipe is not a terminal: its label once)
    assert plain.stdout.startswith("search index rebuilt: ")
    n = int(plain.stdout.split(": ")[1].split()[0])
    as_json = runner.invoke(cli, ["index", "--rebuild", "--json"])
    assert as_json.exit_code == 0 and "indexing" not in as_json.stderr  # quiet: stderr is not a terminal
    assert _json(as_json) == {"rebuilt": True, "documents": n}


def test_index_check_repairs_drift(loaded, runner, cli):
    from app.search.indexer import SearchIndex

    SearchIndex(loaded.config["REGISTRY_INDEX"]).open().delete_rule(MULTI)
    doc = _json(runner.invoke(cli, ["index", "--check", "--json"]))
    assert doc["drift"]["total"] > 0 and doc["repaired"] is True
    assert all(k.startswith(MULTI) for k in doc["drift"]["missing"])
    assert _json(runner.invoke(cli, ["index", "--check", "--json"]))["drift"]["total"] == 0


def test_search_query_starting_with_dash_follows_double_dash(loaded, runner, cli):
    result = runner.invoke(cli, ["search", "--json", "--", "-罚款"])
    assert result.exit_code == 0, result.output
    assert "total" in json.loads(result.stdout)


def test_innovations_json(loaded, runner, cli):
    doc = _json(runner.invoke(cli, ["innovations", "--json"]))
    assert doc["total"] == 1 and doc["reported"]["total"] == 154
    assert doc["items"][0]["promoted_nationally"] is None


def test_user_add_refuses_a_weak_password_naming_the_reason(loaded, runner, cli, count_rows):
    before = count_rows("users")
    result = runner.invoke(cli, ["user", "add", "zhou", "--role", "viewer", "--password", "password1234"])
    assert result.exit_code == 1 and "easy to guess" in result.output and "Traceback" not in result.output
    result = runner.invoke(cli, ["user", "add", "zhou", "--role", "viewer", "--password", "short"])
    assert result.exit_code == 1 and "at least 12 characters" in result.output
    assert count_rows("users") == before
    ok = runner.invoke(cli, ["user", "add", "zhou", "--role", "viewer", "--password", "tide-lantern-74-orchard"])
    assert ok.exit_code == 0, ok.output
