"""SPEC §8.2–§8.4 fields through the database: articles_total, a summary's unstated article,
verified_in_text of full_text versions, addressee; on SQLite and PostgreSQL (TEST_DATABASE_URL)."""

from __future__ import annotations

from urllib.parse import quote

SUMMARY = """---
title: 示例摘要办法
jurisdiction: CN-SH
topic: data
kind: government_rule
effective: 2022-01-01
source_url: https://example.org/summary
provenance: summary
articles_total: 40
parameters:
  - key: data.sharing.response_days
    value: 5
---
# 示例摘要办法

本摘要只概括答复时限，原文未注明条号的内容放在序言中。
"""

FULL_TEXT = """---
title: 示例全文办法
jurisdiction: CN-SH
topic: environment
kind: local_standard
effective: 2022-01-01
source_url: https://example.org/full
provenance: full_text
articles_total: 2
parameters:
  - key: env.water.cod.max_concentration
    value: 40
    unit: mg/L
    article: 2
  - key: env.water.cod.max_concentration
    value: 0.05
    unit: g/L
    article: 2
    scope: 二级
  - key: env.water.cod.max_concentration
    value: 70
    unit: mg/L
    article: 1
    scope: 三级
---
# 示例全文办法

## 第一条

为了测试，制定本办法。

## 第二条

化学需氧量排放浓度不得超过四十毫克/升；二级标准不得超过50mg/L。
"""


def _write(corpus_dir, rel, text):
    path = corpus_dir / "rules" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_summary_without_article_and_full_text_verification(app, runner, cli, corpus_dir, tmp_path):
    _write(corpus_dir, "cn-sh/data/example-summary.md", SUMMARY)
    _write(corpus_dir, "cn-sh/environment/example-full.md", FULL_TEXT)
    result = runner.invoke(cli, ["load", "--no-index"])
    assert result.exit_code == 0, result.output
    client = app.test_client()

    summary = client.get("/api/v1/rules/" + quote("cn-sh/data/example-summary") + "?as_of=2023-01-01").get_json()
    assert summary["articles"] == []
    assert summary["articles_total"] == 40
    assert summary["preamble"].startswith("本摘要只概括答复时限")
    [p] = summary["parameters"]
    assert p["article"] is None
    assert p["verified_in_text"] is None  # a summary has no official text to check against

    full = client.get("/api/v1/rules/" + quote("cn-sh/environment/example-full") + "?as_of=2023-01-01").get_json()
    assert full["articles_total"] == 2
    verified = {(p["scope"], p["article"]): p["verified_in_text"] for p in full["parameters"]}
    assert verified == {
        (None, "cn-sh/environment/example-full#art-2"): True,  # 四十毫克/升
        ("二级", "cn-sh/environment/example-full#art-2"): True,  # 0.05 g/L = 50mg/L
        ("三级", "cn-sh/environment/example-full#art-1"): False,  # article 1 states no 70
    }

    # export writes the unstated article and articles_total back as they were read
    out = tmp_path / "export"
    result = runner.invoke(cli, ["export", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "rules/cn-sh/data/example-summary.md").read_text(encoding="utf-8") == SUMMARY
    assert (out / "rules/cn-sh/environment/example-full.md").read_text(encoding="utf-8") == FULL_TEXT


def test_addressee_round_trips(app, runner, cli, corpus_dir, tmp_path):
    params = corpus_dir / "parameters.yaml"
    text = params.read_text(encoding="utf-8")
    marker = "- key: data.sharing.response_days\n"
    block_end = text.index("\n- key:", text.index(marker) + 1)
    params.write_text(text[:block_end] + "\n  addressee: government" + text[block_end:], encoding="utf-8")
    result = runner.invoke(cli, ["load", "--no-index"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "export"
    assert runner.invoke(cli, ["export", str(out)]).exit_code == 0
    exported = (out / "parameters.yaml").read_text(encoding="utf-8")
    block = exported[exported.index(marker) :].split("\n- key:")[0]
    assert "addressee: government" in block
    assert exported.count("addressee:") == 1  # the default (enterprise) is not written


def test_rule_page_shows_unstated_article(app, runner, cli, corpus_dir):
    _write(corpus_dir, "cn-sh/data/example-summary.md", SUMMARY)
    assert runner.invoke(cli, ["load", "--no-index"]).exit_code == 0
    page = app.test_client().get("/rules/" + quote("cn-sh/data/example-summary") + "?as_of=2023-01-01")
    assert page.status_code == 200
    assert "条文未注明" in page.get_data(as_text=True)
