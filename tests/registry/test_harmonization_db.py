"""Harmonization through the database: random histories (rules of two topics, versions of
provenance full_text / summary / unstated, some stating no parameter) written as a corpus, loaded
with ``registry load`` into SQLite or PostgreSQL, then the matrix, the four-valued hard-rule statuses
(aligned | divergent | missing | unknown, SPEC §8.3), the timeline and the scoreboard read back by
``app.harmonization.services`` must equal the brute-force oracle of tests/harmonization/histories.py."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections import defaultdict
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from app import units
from app.corpus.writer import scalar
from tests.harmonization import histories as H

DB_EXAMPLES = int(os.environ.get("DB_ORACLE_EXAMPLES", "40"))
SETTINGS = settings(
    max_examples=DB_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _stated(key: str, value, salt: str):
    """State a canonical value in one of the parameter's units (picked deterministically)."""
    if isinstance(value, bool):
        return value, None
    choices = H.STATED_UNITS[key]
    unit = choices[int(hashlib.sha256(salt.encode()).hexdigest(), 16) % len(choices)]
    return units.convert(value, H.PMAP[key].unit, unit), unit


def write_corpus(root: Path, records, hard_rules, held) -> None:
    (root / "jurisdictions.yaml").write_text(
        "".join(f"- code: {c}\n  name_zh: {c}\n" for c in ["CN", *H.PROVINCES, "YRD", "YRD-DZ"]), encoding="utf-8"
    )
    (root / "topics.yaml").write_text(
        "- code: environment\n  name_zh: 环境\n- code: energy\n  name_zh: 能源\n", encoding="utf-8"
    )
    (root / "parameters.yaml").write_text(
        "".join(
            f"- key: {p.key}\n  label_zh: {p.label_zh}\n  topic: {p.topic}\n  unit: {scalar(p.unit)}\n"
            f"  stricter: {scalar(p.stricter)}\n"
            for p in H.PARAMS
        ),
        encoding="utf-8",
    )
    versions: dict[str, list] = defaultdict(list)
    for r in records:
        versions[r.version].append(r)
    all_versions = {v.version for v in held}
    for hv in held:
        version, recs = hv.version, versions.get(hv.version, [])
        rule_id, start = version.split("@")
        folder = root / "rules" / Path(rule_id).parent
        folder.mkdir(parents=True, exist_ok=True)
        binds = [b for b in hv.binds if b != "CN"]
        is_last = not any(v.startswith(rule_id + "@") and v.split("@")[1] > start for v in all_versions)
        lines = [
            "---",
            f"title: 随机规则 {rule_id}",
            f"jurisdiction: {hv.jurisdiction_of_rule}",
            f"topic: {hv.topic}",
            "kind: normative_document",
            f"effective: {start}",
        ]
        if is_last and hv.valid_to:
            lines.append(f"repealed: {hv.valid_to.isoformat()}")
        if hv.jurisdiction_of_rule in ("YRD", "YRD-DZ") or len(binds) > 1:
            lines.append(f"applies_to: [{', '.join(binds)}]")
        lines.append("source_url: https://example.org/random")
        if hv.provenance:
            lines.append(f"provenance: {hv.provenance}")
        if recs:
            lines.append("parameters:")
        for r in recs:
            value, unit = _stated(r.key, r.value, version + r.key + str(r.scope))
            lines += [f"  - key: {r.key}", f"    value: {scalar(value)}"]
            if unit:
                lines.append(f"    unit: {scalar(unit)}")
            if r.article_id is not None:
                lines.append(f"    article: {r.article_id.split('#art-')[1]}")
            if r.scope:
                lines.append(f"    scope: {r.scope}")
        body = "".join(f"\n## 第{n}条\n\n第{n}条的内容。\n" for n in "一二三四五六七八九")
        lines += ["---", "# 随机规则"]
        (folder / f"{Path(rule_id).name}@{start}.md").write_text("\n".join(lines) + "\n" + body, encoding="utf-8")
    (root / "hard_rules").mkdir()
    for h in hard_rules:
        text = (
            f"id: {h.id}\ntitle: {h.title}\nparameter: {h.parameter}\n"
            + (f"scope: {h.scope}\n" if h.scope else "")
            + f"target: {scalar(h.target)}\njurisdictions: [{', '.join(h.jurisdictions)}]\n"
            + (f"deadline: {h.deadline.isoformat()}\n" if h.deadline else "")
            + "source_url: https://example.org/h\n"
        )
        (root / "hard_rules" / f"{h.id}.yaml").write_text(text, encoding="utf-8")


@SETTINGS
@given(history=H.histories(max_rules=6), hard_rules=H.hard_rules_for(), on=H.dates)
def test_matrix_and_hard_rules_from_the_database_equal_the_oracle(history, hard_rules, on, fresh_database, make_app):
    from app.cli import cli
    from app.harmonization import services as hs

    records, held = history
    corpus = Path(tempfile.mkdtemp(prefix="oracle-corpus-"))
    write_corpus(corpus, records, hard_rules, held)
    app = make_app(fresh_database(), corpus)
    result = app.test_cli_runner().invoke(cli, ["load", "--no-index"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        from app.extensions import db

        doc = hs.topic_matrix(db(), "environment", None, on)
        for row in doc["rows"]:
            p = H.PMAP[row["key"]]
            for j in H.PROVINCES:
                expected = H.oracle_binding(records, p.key, row["scope"], j, on, p.stricter)
                cell = row["values"][j]
                if expected is None:
                    assert cell is None or cell["value"] is None
                else:
                    assert (cell["value"], cell["rule_id"], cell["version"], cell["article"]) == expected[:4]
            for j in H.PROVINCES:
                targeting = [x for x in hard_rules if x.row == (p.key, row["scope"]) and j in x.jurisdictions]
                if targeting and H.oracle_binding(records, p.key, row["scope"], j, on, p.stricter) is None:
                    covered = H.oracle_official(held, j, p.topic, on)
                    assert row["values"][j]["alignment"] == ("missing" if covered else "unknown")
        progress = {item["id"]: item for item in hs.progress(db(), on)["items"]}
        counts: dict[str, dict[str, int]] = {}
        for h in hard_rules:
            for j in h.jurisdictions:
                want = H.oracle_status(records, held, h, j, on)
                assert progress[h.id]["status"][j]["status"] == want
                counts.setdefault(j, dict.fromkeys(("aligned", "divergent", "missing", "unknown"), 0))[want] += 1
            timeline = hs.hard_rule(db(), h.id, on)["timeline"]
            assert [pt["date"] for pt in timeline] == [
                d.isoformat() for d in H.oracle_timeline_dates(records, held, h, on)
            ]
        board = hs.score(db(), on)["jurisdictions"]
        for j, c in counts.items():
            assert {k: board[j][k] for k in c} == c
            n = sum(c.values())
            assert board[j]["rating"] == ("incomplete" if c["unknown"] * 4 > n else board[j]["rating"])
            assert abs(board[j]["deficit"] - (c["divergent"] + c["missing"]) / n) < 1e-12
