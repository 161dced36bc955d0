"""registry matrix / progress / scoreboard / check / report / diff / compare on the fixture corpus."""

from __future__ import annotations

import json

COD = "env.water.cod.max_concentration"


def _json(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_matrix_binding_values_and_citations(loaded, runner, cli):
    doc = _json(runner.invoke(cli, ["matrix", "--topic", "environment", "--as-of", "2024-01-01", "--json"]))
    assert doc["jurisdictions"] == ["CN-SH", "CN-JS", "CN-ZJ", "CN-AH"]
    row = next(r for r in doc["rows"] if r["key"] == COD and r["scope"] == "A级")
    sh, js = row["values"]["CN-SH"], row["values"]["CN-JS"]
    assert sh["value"] == 30.0 and sh["status"] == "strictest"
    assert sh["version"] == "cn-sh/environment/sample-wwtp@2023-03-01"
    assert sh["article"] == "cn-sh/environment/sample-wwtp#art-3"
    assert js["value"] == 40.0 and js["status"] == "less_strict"
    assert row["status"] == "divergent" and row["spread"] == 10.0
    assert row["strictest"] == {"jurisdictions": ["CN-SH"], "value": 30.0}
    # the hard rule (target 40, SH/JS/ZJ) colours cells
    assert sh["alignment"] == "aligned" and js["alignment"] == "aligned"
    # Zhejiang has no value and the registry holds no official text of it on the topic (SPEC §8.3)
    assert row["values"]["CN-ZJ"]["alignment"] == "unknown"


def test_matrix_yes_no_row_from_joint_standard_applies_to(loaded, runner, cli):
    doc = _json(runner.invoke(cli, ["matrix", "--topic", "environment", "--as-of", "2024-01-01", "--json"]))
    row = next(r for r in doc["rows"] if r["key"] == "env.eia.mutual_recognition")
    assert {j: (c or {}).get("value") for j, c in row["values"].items()} == {
        "CN-SH": True,
        "CN-JS": True,
        "CN-ZJ": True,
        "CN-AH": None,
    }
    assert row["status"] == "partial" and row["spread"] is None


def test_matrix_point_in_time(loaded, runner, cli):
    doc = _json(
        runner.invoke(cli, ["matrix", "--topic", "environment", "--as-of", "2021-01-01", "-j", "CN-SH", "--json"])
    )
    row = next(r for r in doc["rows"] if r["key"] == COD and r["scope"] == "A级")
    assert doc["jurisdictions"] == ["CN-SH"] and row["values"]["CN-SH"]["value"] == 50.0


def test_matrix_unknown_topic_is_a_user_error(loaded, runner, cli):
    result = runner.invoke(cli, ["matrix", "--topic", "space"])
    assert result.exit_code == 1 and "unknown topic code" in result.output


def test_progress_and_scoreboard(loaded, runner, cli):
    doc = _json(runner.invoke(cli, ["progress", "--as-of", "2024-01-01", "--json"]))
    hr = doc["items"][0]
    assert hr["id"] == "dz-cod-common-limit"
    assert {j: s["status"] for j, s in hr["status"].items()} == {
        "CN-SH": "aligned",
        "CN-JS": "aligned",
        "CN-ZJ": "unknown",  # no value, and only summaries held for Zhejiang (SPEC §8.3)
    }
    assert abs(hr["aligned_share"] - 2 / 3) < 1e-9 and hr["deadline_status"] == "on_track"
    late = _json(runner.invoke(cli, ["progress", "--as-of", "2026-06-01", "--json"]))
    assert late["items"][0]["deadline_status"] == "overdue"
    early = _json(runner.invoke(cli, ["progress", "--as-of", "2021-01-01", "--json"]))
    assert early["items"][0]["status"]["CN-SH"]["status"] == "divergent"  # 50 mg/L against a target of 40
    board = _json(runner.invoke(cli, ["scoreboard", "--as-of", "2024-01-01", "--json"]))
    # SPEC §8.3: unknown is not in the deficit; 1 unknown of 1 applicable > 1/4 -> incomplete
    zj = board["jurisdictions"]["CN-ZJ"]
    assert (zj["applicable"], zj["unknown"], zj["deficit"], zj["rating"]) == (1, 1, 0.0, "incomplete")
    assert board["jurisdictions"]["CN-SH"]["deficit"] == 0.0
    # a year earlier (2023-01-01) Shanghai's limit was still 50 mg/L: divergent
    assert board["jurisdictions"]["CN-SH"]["deficit_year_before"] == 1.0
    assert board["jurisdictions"]["CN-SH"]["change"] == -1.0


def test_check_profile(loaded, runner, cli, tmp_path):
    profile = tmp_path / "profile.yaml"
    profile.write_text(
        f"jurisdictions: [CN-SH, CN-JS]\nfacts:\n  {COD}: 35\nscopes:\n  {COD}: A级\nas_of: 2024-01-01\n"
        "expand_to: CN-ZJ\n",
        encoding="utf-8",
    )
    doc = _json(runner.invoke(cli, ["check", str(profile), "--json"]))
    by_j = {r["jurisdiction"]: r for r in doc["results"]}
    assert by_j["CN-SH"]["required"] == 30.0 and by_j["CN-SH"]["compliant"] is False
    assert by_j["CN-SH"]["article"] == "cn-sh/environment/sample-wwtp#art-3"
    assert by_j["CN-JS"]["required"] == 40.0 and by_j["CN-JS"]["compliant"] is True
    assert doc["strictest"][COD] == {"value": 30.0, "jurisdictions": ["CN-SH"]}
    assert doc["expansion"][0]["change"] == "same"


def test_check_bad_profile_is_a_clear_error(loaded, runner, cli, tmp_path):
    profile = tmp_path / "profile.yaml"
    profile.write_text("jurisdictions: CN-SH\n", encoding="utf-8")
    result = runner.invoke(cli, ["check", str(profile)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    profile.write_text("- not a mapping\n", encoding="utf-8")
    assert runner.invoke(cli, ["check", str(profile)]).exit_code == 1


def test_report_is_self_contained_html(loaded, runner, cli, tmp_path):
    out = tmp_path / "r.html"
    result = runner.invoke(cli, ["report", "--year", "2023", "--out", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html and "http://" not in html.split("</head>")[0]
    assert "dz-cod-common-limit" in html or "示例示范区化学需氧量统一限值" in html


def test_diff_between_versions(loaded, runner, cli):
    doc = _json(
        runner.invoke(
            cli,
            ["diff", "cn-sh/environment/sample-wwtp@2020-01-01", "cn-sh/environment/sample-wwtp@2023-03-01", "--json"],
        )
    )
    assert doc["summary"]["added"] == 1  # 第二条之一
    params = {(p["key"], p["scope"]): p for p in doc["parameters"]}
    assert params[(COD, "A级")]["status"] == "divergent"
    changed = [d for p in doc["pairs"] for d in p["differences"] if d["type"] == "number"]
    assert any(d.get("a_value") == 50 and d.get("b_value") == 30 for d in changed)
    human = runner.invoke(
        cli, ["diff", "cn-sh/environment/sample-wwtp@2020-01-01", "cn-sh/environment/sample-wwtp@2023-03-01"]
    )
    assert human.exit_code == 0 and "→" in human.output


def test_compare_n_way(loaded, runner, cli):
    doc = _json(
        runner.invoke(
            cli,
            [
                "compare",
                "--baseline",
                "cn-sh/environment/sample-wwtp",
                "cn-js/environment/sample-wwtp-js",
                "cn-sh/environment/sample-wwtp@2020-01-01",
                "--as-of",
                "2024-01-01",
                "--json",
            ],
        )
    )
    assert len(doc["rows"]) == 4
    assert (
        set(doc["summary"]) == {"cn-js/environment/sample-wwtp-js", "cn-sh/environment/sample-wwtp@2020-01-01"}
        or len(doc["summary"]) == 2
    )
    for s in doc["summary"].values():
        assert s["aligned"] + s["differing"] + s["missing"] == 4


def test_diff_unknown_rule_is_exit_1(loaded, runner, cli):
    result = runner.invoke(cli, ["diff", "cn-sh/data/none", "cn-sh/data/sample-data-rule"])
    assert result.exit_code == 1 and "no rule with id" in result.output
