"""Issue 9's acceptance: the bundled manifest attaches the official text of every listed bundled
version, in all four provinces, with every numeric parameter verified in its article (SPEC §8.2),
through the real `registry import` on SQLite and PostgreSQL; a second run changes nothing."""

from __future__ import annotations

import json
import shutil
from urllib.parse import quote

import pytest
import yaml
from sqlalchemy import text

from tests.conftest import BUNDLED_CORPUS, LAWTEXTS

pytestmark = pytest.mark.skipif(not LAWTEXTS.is_dir(), reason="../shared/lawtexts is absent")


def test_bundled_manifest_attaches_every_text_with_every_value_verified(app, runner, cli, tmp_path, engine):
    corpus = tmp_path / "bundled"
    shutil.copytree(BUNDLED_CORPUS, corpus)
    manifest = corpus / "official_texts.yaml"
    entries = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    loaded = runner.invoke(cli, ["load", "--corpus", str(corpus), "--no-index"])
    assert loaded.exit_code == 0, loaded.output

    args = ["import", str(LAWTEXTS), "--manifest", str(manifest), "--corpus", str(corpus), "--no-index", "--json"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["refused"] == [] and out["imported"] == []
    attached = {a["version"]: a for a in out["attached"]}
    assert set(attached) == {f"{e['rule']}@{e['version']}" for e in entries}
    for e in entries:
        assert attached[f"{e['rule']}@{e['version']}"]["sha256"] == e["sha256"], e["rule"]
    assert {e["rule"].split("/")[0] for e in entries} >= {"cn-sh", "cn-js", "cn-zj", "cn-ah"}

    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT v.id, v.provenance, v.articles_total, p.verified_in_text, pd.stricter"
                " FROM rule_versions v JOIN parameter_values p ON p.version_id = v.id"
                " JOIN parameters pd ON pd.key = p.key"
            )
        ).all()
    listed = [r for r in rows if r[0] in attached]
    assert listed and all(r[1] == "full_text" for r in listed)
    numeric = [r for r in listed if r[4] != "true"]
    assert all(r[3] in (True, 1) for r in numeric), [r for r in numeric if r[3] not in (True, 1)][:5]
    assert sum(a["parameters_verified"] for a in attached.values()) == len(numeric)

    # the rule page's API carries the verification and the official article count
    some = next(e for e in entries if e["rule"].startswith("cn-js/environment/air"))
    doc = app.test_client().get(f"/api/v1/rules/{quote(some['rule'])}@{some['version']}").get_json()
    assert doc["provenance"] == "full_text" and doc["source_url"] == some["source_url"]
    assert len(doc["articles"]) == doc["articles_total"]
    assert doc["parameters"] and all(p["verified_in_text"] for p in doc["parameters"])

    again = runner.invoke(cli, args)
    assert again.exit_code == 0, again.output
    second = json.loads(again.stdout)
    assert second["attached"] == [] and len(second["unchanged"]) == len(entries)
