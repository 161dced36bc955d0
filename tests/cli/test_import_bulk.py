"""registry import PATH... (SPEC §8.1, §8.2) through the real command on a real database.

Folders and manifests (YAML and CSV), metadata read from flk files, re-import,
new versions, decisions, attaching official texts to bundled versions with
parameter verification, and every kind of bad input (each file all or nothing).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import yaml

from tests.conftest import LAWTEXTS

FLK = LAWTEXTS / "flk"

LAW_V1 = """# 上海市示例节能条例

2019年11月20日上海市第十五届人民代表大会常务委员会第十五次会议通过

<!-- INFO END -->

## 第一章　总则

第一条 为了推进全社会节约能源，制定本条例。

第二条 本条例适用于本市行政区域内的节能活动。

## 第二章　管理

第三条 年综合能源消费量五千吨标准煤以上的用能单位为重点用能单位。
"""

LAW_V2 = LAW_V1.replace(
    "第十五次会议通过", "第十五次会议通过　2023年6月30日上海市第十六届人民代表大会常务委员会第三次会议修正"
).replace("五千吨标准煤", "三千吨标准煤")

DECISION = """# 上海市人民代表大会常务委员会关于示例事项的决定

2020年9月25日上海市第十五届人民代表大会常务委员会第二十五次会议通过

<!-- INFO END -->

为了推进示例事项，特作如下决定：

一、示例区建设应当遵循统一规划。

二、示例区执行委员会行使省级项目管理权限。

有关部门应当予以支持。

三、本决定自2020年10月1日起施行。
"""

NO_PREFIX = """# 示范湖流域保护条例

（2019年12月21日安徽省第十三届人民代表大会常务委员会第十四次会议通过）

第一条 为了保护示范湖流域，制定本条例。

第二条 本条例适用于示范湖流域。
"""

WWTP_OFFICIAL = """示例省城镇污水处理厂污染物排放标准

（2021年6月30日发布）

第一条 为了改善水环境质量，制定本标准。

第二条 本标准适用于城镇污水处理厂。

第三条 排放口应当设置标志。

第四条 A级标准化学需氧量排放浓度不得超过40毫克/升；B级不得超过60毫克/升。

第五条 本标准自发布之日起施行。
"""


def _write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _run(runner, cli, *args):
    result = runner.invoke(cli, ["import", *map(str, args), "--json"])
    assert "Traceback" not in result.output
    try:
        return result, json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"no JSON on stdout: {result.output}")


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _show(runner, cli, rid, as_of="2025-01-01"):
    result = runner.invoke(cli, ["show", rid, "--as-of", as_of, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# ---------------------------------------------------------------- flk: metadata from the file


@pytest.mark.lawtexts
@pytest.mark.skipif(not FLK.is_dir(), reason="../shared/lawtexts/flk is absent")
def test_all_18_flk_texts_import_with_metadata_read_from_the_file(loaded, runner, cli, corpus_dir, tmp_path):
    index = yaml.safe_load((FLK / "index.yaml").read_text(encoding="utf-8"))["texts"]
    result, out = _run(runner, cli, FLK, "--topic", "environment", "--no-index")
    # the two 2020 decisions are 已废止 and no repeal date was given: refused with that reason, others imported
    assert result.exit_code == 1
    assert len(out["imported"]) == 16 and out["attached"] == [] and out["unchanged"] == []
    assert sorted(Path(r["path"]).parent.name for r in out["refused"]) == ["jiangsu", "zhejiang"]
    assert all("已废止" in r["reason"] and "--repealed" in r["reason"] for r in out["refused"])

    # a manifest gives the repeal dates (matched by path, relative to the PATH given)
    manifest = _write(
        tmp_path,
        "repealed.yaml",
        "- path: jiangsu/江苏省人民代表大会常务委员会关于促进和保障长三角生态绿色一体化发展示范区建设若干问题的决定(2020-09-25).md\n"
        "  repealed: 2024-05-01\n"
        "- title: 浙江省人民代表大会常务委员会关于促进和保障长三角生态绿色一体化发展示范区建设若干问题的决定\n"
        "  date: 2020-09-24\n"
        "  repealed: 2024-05-01\n"
        "  topic: environment\n",
    )
    again, out2 = _run(runner, cli, FLK, "--manifest", manifest, "--topic", "environment", "--no-index")
    assert again.exit_code == 0, out2["refused"]
    assert len(out2["imported"]) == 2 and out2["unchanged"] == [] and out2["refused"] == []
    assert len(out2["skipped"]) == 16 and out2["unmatched"] == []  # the manifest lists the texts to take
    # without a manifest, the same folder again changes nothing
    _, out3 = _run(runner, cli, FLK, "--topic", "environment", "--no-index")
    assert len(out3["unchanged"]) == 16 and out3["imported"] == []

    imported = {Path(i["source"]).relative_to(FLK).as_posix(): i for i in out["imported"] + out2["imported"]}
    for text in index:
        item = imported[text["file"]]
        assert item["articles"] == (text["articles"] or text["numbered_items"]), text["file"]
        jur = {"江苏": "CN-JS", "安徽": "CN-AH", "浙江": "CN-ZJ"}[text["province"]]
        assert item["id"].startswith(jur.lower() + "/environment/"), text["file"]

    chaohu = imported["anhui/巢湖流域水污染防治条例(2019-12-21).md"]  # no 安徽省 prefix: from flk office
    shown = _show(runner, cli, chaohu["id"])
    assert shown["jurisdiction"] == "CN-AH" and shown["provenance"] == "full_text"
    assert shown["effective"] == "2020-03-01" and shown["adopted"] == "1998-12-22"
    assert shown["source_url"].startswith("https://flk.npc.gov.cn/detail2.html?")
    assert shown["issuer"] == "安徽省人民代表大会常务委员会"
    assert chaohu["version"] == chaohu["id"] + "@2020-03-01"

    decision = imported[index[7]["file"]]
    shown = _show(runner, cli, decision["id"], "2021-01-01")
    assert shown["repealed"] == "2024-05-01"
    assert [a["label"] for a in shown["articles"]] == ["一、", "二、", "三、", "四、", "五、", "六、", "七、"]
    assert shown["articles"][0]["id"] == decision["id"] + "#art-1"
    assert runner.invoke(cli, ["show", decision["id"], "--as-of", "2025-01-01"]).exit_code == 1  # repealed

    # the written corpus loads back unchanged, and export → load gives nothing new
    reload = json.loads(runner.invoke(cli, ["load", "--no-index", "--json"]).stdout)
    assert reload["versions_added"] == 0 and reload["versions_corrected"] == 0


# ---------------------------------------------------------------- folders and manifests


@pytest.mark.parametrize("form", ["yaml", "csv"])
def test_folder_with_a_manifest(loaded, runner, cli, corpus_dir, tmp_path, form):
    texts = tmp_path / "texts"
    _write(texts, "sh/上海市示例节能条例(2019-11-20).md", LAW_V1)
    _write(texts, "ah/示范湖流域保护条例.txt", NO_PREFIX)
    entries = [
        {
            "path": "sh/上海市示例节能条例(2019-11-20).md",
            "topic": "environment",
            "kind": "local_regulation",
            "effective": "2020-03-01",
            "source_url": "https://example.org/sh-energy",
            "slug": "sh-energy-sample",
        },
        {  # matched by title; the title has no jurisdiction prefix, so the manifest says it
            "title": "示范湖流域保护条例",
            "jurisdiction": "cn-ah",
            "topic": "environment",
            "kind": "local_regulation",
            "effective": "2020-03-01",
            "source_url": "https://example.org/lake",
        },
    ]
    if form == "yaml":
        manifest = _write(tmp_path, "m.yaml", yaml.safe_dump(entries, allow_unicode=True))
    else:
        fields = ["path", "title", "jurisdiction", "topic", "kind", "effective", "source_url", "slug"]
        rows = [",".join(fields)] + [",".join(e.get(f, "") for f in fields) for e in entries]
        manifest = _write(tmp_path, "m.csv", "\n".join(rows) + "\n")
    result, out = _run(runner, cli, texts, "--manifest", manifest)
    assert result.exit_code == 0, out
    ids = sorted(i["id"] for i in out["imported"])
    assert ids[1] == "cn-sh/environment/sh-energy-sample"
    assert ids[0].startswith("cn-ah/environment/")
    sh = _show(runner, cli, "cn-sh/environment/sh-energy-sample")
    assert sh["jurisdiction"] == "CN-SH"  # from the title's prefix 上海市
    assert sh["adopted"] == "2019-11-20" and sh["effective"] == "2020-03-01"
    assert [c["heading"] for c in sh["chapters"]] == ["第一章　总则", "第二章　管理"]
    hits = json.loads(runner.invoke(cli, ["search", "重点用能单位", "--as-of", "2021-01-01", "--json"]).stdout)
    assert "cn-sh/environment/sh-energy-sample" in [h["id"] for h in hits["hits"]]


def test_with_a_manifest_unlisted_texts_are_skipped_and_missing_texts_reported(loaded, runner, cli, tmp_path):
    texts = tmp_path / "texts"
    _write(texts, "listed.md", LAW_V1)
    _write(texts, "unlisted.md", DECISION)
    _write(texts, "unlisted-binary.txt", b"\x00\x01binary")
    manifest = _write(
        tmp_path,
        "m.yaml",
        "- path: listed.md\n  topic: environment\n  kind: local_regulation\n  effective: 2020-03-01\n"
        "  source_url: https://example.org/l\n- path: gone.md\n  topic: environment\n",
    )
    result, out = _run(runner, cli, texts, "--manifest", manifest, "--no-index")
    assert result.exit_code == 0, out
    assert len(out["imported"]) == 1 and out["refused"] == []
    assert sorted(Path(p).name for p in out["skipped"]) == ["unlisted-binary.txt", "unlisted.md"]
    assert out["unmatched"] == [{"line": 6, "path": "gone.md"}]
    plain = runner.invoke(cli, ["import", str(texts), "--manifest", str(manifest), "--no-index"])
    assert f"{manifest}:6: no text found for gone.md" in plain.stderr and "2 skipped" in plain.stdout
    # a file named on the command line is always taken, entry or not
    named = runner.invoke(
        cli,
        ["import", str(texts / "unlisted.md"), "--manifest", str(manifest), "-t", "environment", "-k",
         "local_regulation", "--effective", "2020-10-01", "--source-url", "https://e.org/d", "--json", "--no-index"],
    )  # fmt: skip
    assert named.exit_code == 0 and len(json.loads(named.stdout)["imported"]) == 1


def test_progress_bar_goes_to_stderr_and_json_alone_to_stdout(loaded, runner, cli, tmp_path):
    texts = tmp_path / "texts"
    _write(texts, "a.md", LAW_V1)
    plain = runner.invoke(
        cli,
        ["import", str(texts), "-t", "environment", "-k", "local_regulation", "--effective", "2020-03-01",
         "--source-url", "https://example.org/a", "--no-index"],
    )  # fmt: skip
    assert plain.exit_code == 0, plain.output
    assert "importing" in plain.stderr and "1 imported" in plain.stdout
    again = runner.invoke(
        cli,
        ["import", str(texts), "-t", "environment", "-k", "local_regulation", "--effective", "2020-03-01",
         "--source-url", "https://example.org/a", "--no-index", "--json"],
    )  # fmt: skip
    assert again.stderr == "" and len(json.loads(again.stdout)["unchanged"]) == 1


def test_a_later_version_becomes_a_dated_file_and_the_plain_one_is_renamed(loaded, runner, cli, corpus_dir, tmp_path):
    common = ["-t", "environment", "-k", "local_regulation", "--source-url", "https://example.org/e", "--no-index"]
    v1 = _write(tmp_path, "v1/上海市示例节能条例.md", LAW_V1)
    _, first = _run(runner, cli, tmp_path / "v1", "--effective", "2020-03-01", *common)
    rid = first["imported"][0]["id"]
    plain = corpus_dir / "rules" / f"{rid}.md"
    assert plain.is_file()
    _write(tmp_path, "v2/上海市示例节能条例(2023-06-30).md", LAW_V2)
    result, second = _run(runner, cli, tmp_path / "v2", "--effective", "2023-09-01", *common)
    assert result.exit_code == 0, second
    item = second["imported"][0]
    assert item["id"] == rid and item["version"] == f"{rid}@2023-09-01"
    assert not plain.exists()
    assert (corpus_dir / "rules" / f"{rid}@2020-03-01.md").is_file()
    assert Path(item["path"]) == corpus_dir / "rules" / f"{rid}@2023-09-01.md"
    shown = _show(runner, cli, rid, "2024-01-01")
    assert [v["version"] for v in shown["versions"]] == [f"{rid}@2020-03-01", f"{rid}@2023-09-01"]
    assert "三千吨标准煤" in shown["articles"][2]["text"]
    assert _show(runner, cli, f"{rid}@2020-03-01")["version"] == f"{rid}@2020-03-01"  # ids unchanged
    reload = json.loads(runner.invoke(cli, ["load", "--no-index", "--json"]).stdout)
    assert (
        reload["versions_added"] == 0
        and reload["versions_corrected"] == 0
        and reload["versions_missing_from_corpus"] == []
    )
    # the old text again is unchanged; the same date with another text is refused, never overwritten
    _, again = _run(runner, cli, v1.parent, "--effective", "2020-03-01", *common)
    assert [u["version"] for u in again["unchanged"]] == [f"{rid}@2020-03-01"]
    result, clash = _run(runner, cli, tmp_path / "v2", "--effective", "2020-03-01", *common)
    assert result.exit_code == 1 and "exists with a different text" in clash["refused"][0]["reason"]


def test_a_decision_imports_its_numbered_paragraphs_as_articles(loaded, runner, cli, corpus_dir, tmp_path):
    src = _write(tmp_path, "decision.md", DECISION)
    result = runner.invoke(
        cli,
        ["import", str(src), "-t", "environment", "-k", "local_regulation", "--effective", "2020-10-01",
         "--source-url", "https://example.org/d", "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["articles"] == 3 and out["id"].startswith("cn-sh/environment/")
    text = Path(out["path"]).read_text(encoding="utf-8")
    assert "\n## 一、\n" in text and "\n## 三、\n" in text
    shown = _show(runner, cli, out["id"])
    assert [(a["number"], a["label"]) for a in shown["articles"]] == [("1", "一、"), ("2", "二、"), ("3", "三、")]
    assert shown["articles"][1]["id"] == out["id"] + "#art-2"
    assert [p["text"] for p in shown["articles"][1]["paragraphs"]] == [
        "示例区执行委员会行使省级项目管理权限。",
        "有关部门应当予以支持。",
    ]
    assert "特作如下决定" in shown["preamble"]


# ---------------------------------------------------------------- attach (SPEC §8.2)

RULE = "cn-js/environment/sample-wwtp-js"
VERSION = f"{RULE}@2021-06-30"


def _attach_manifest(tmp_path, **extra):
    entry = {
        "rule": RULE,
        "version": "2021-06-30",
        "path": "wwtp.txt",
        "source_url": "https://example.org/official-wwtp",
    }
    entry.update(extra)
    return _write(tmp_path, "official.yaml", yaml.safe_dump([entry], allow_unicode=True))


def test_attach_replaces_the_summary_and_verifies_every_parameter(
    loaded, runner, cli, corpus_dir, tmp_path, count_rows
):
    texts = tmp_path / "texts"
    _write(texts, "wwtp.txt", WWTP_OFFICIAL)
    audit_before = count_rows("audit_log")
    result, out = _run(runner, cli, texts, "--manifest", _attach_manifest(tmp_path))
    assert result.exit_code == 0, out
    [att] = out["attached"]
    assert att["id"] == RULE and att["version"] == VERSION
    assert att["articles"] == 5 and att["parameters_verified"] == 1
    assert len(att["sha256"]) == 64
    assert count_rows("audit_log") == audit_before + 1
    written = (corpus_dir / "rules/cn-js/environment/sample-wwtp-js.md").read_text(encoding="utf-8")
    assert "provenance: full_text" in written and "articles_total: 5" in written
    assert "source_url: https://example.org/official-wwtp" in written and "## 第五条" in written
    shown = _show(runner, cli, RULE)
    assert shown["provenance"] == "full_text" and len(shown["articles"]) == 5
    [param] = shown["parameters"]
    assert param["verified_in_text"] is True and param["article"] == RULE + "#art-4"
    reload = json.loads(runner.invoke(cli, ["load", "--no-index", "--json"]).stdout)
    assert reload["versions_added"] == 0 and reload["versions_corrected"] == 0
    # the manifest's sha256 (filled from the output) matches; attaching again is unchanged
    result, again = _run(runner, cli, texts, "--manifest", _attach_manifest(tmp_path, sha256=att["sha256"]))
    assert result.exit_code == 0 and [u["version"] for u in again["unchanged"]] == [VERSION]
    assert count_rows("audit_log") == audit_before + 1
    verify = runner.invoke(cli, ["audit", "verify"])
    assert verify.exit_code == 0, verify.output
    # the same official text imported without the manifest is recognised as the attached version's text
    plain = runner.invoke(
        cli,
        ["import", str(texts / "wwtp.txt"), "-j", "CN-JS", "-t", "environment", "-k", "local_standard",
         "--effective", "2021-06-30", "--source-url", "https://example.org/x", "--json", "--no-index"],
    )  # fmt: skip
    assert plain.exit_code == 0, plain.output
    assert json.loads(plain.stdout)["status"] == "unchanged" and count_rows("audit_log") == audit_before + 1


def test_attach_a_single_file_with_the_rule_flag(loaded, runner, cli, corpus_dir, tmp_path):
    src = _write(tmp_path, "wwtp.txt", WWTP_OFFICIAL)
    result = runner.invoke(
        cli, ["import", str(src), "--rule", VERSION, "--source-url", "https://example.org/o", "--no-index", "--json"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["status"] == "attached" and out["version"] == VERSION and out["parameters_verified"] == 1


def test_attach_sha256_must_match(loaded, runner, cli, corpus_dir, tmp_path):
    texts = tmp_path / "texts"
    _write(texts, "wwtp.txt", WWTP_OFFICIAL)
    before = _tree(corpus_dir)
    result, out = _run(runner, cli, texts, "--manifest", _attach_manifest(tmp_path, sha256="0" * 64))
    assert result.exit_code == 1
    assert "the text differs from the one the manifest names" in out["refused"][0]["reason"]
    assert _tree(corpus_dir) == before


def test_attach_is_refused_when_a_value_is_not_in_its_article(loaded, runner, cli, corpus_dir, tmp_path, engine):
    texts = tmp_path / "texts"
    _write(texts, "wwtp.txt", WWTP_OFFICIAL.replace("不得超过40毫克/升", "不得超过50毫克/升"))
    before = _tree(corpus_dir)
    shown_before = _show(runner, cli, RULE)
    result, out = _run(runner, cli, texts, "--manifest", _attach_manifest(tmp_path))
    assert result.exit_code == 1 and out["attached"] == []
    reason = out["refused"][0]["reason"]
    assert "env.water.cod.max_concentration = 40" in reason and "第四条" in reason
    assert "A级标准化学需氧量排放浓度不得超过50毫克/升；B级不得超过60毫克/升。" in reason  # the article's text
    assert _tree(corpus_dir) == before
    assert _show(runner, cli, RULE) == shown_before


def test_attach_to_an_unknown_rule_or_version_is_refused(loaded, runner, cli, tmp_path):
    texts = tmp_path / "texts"
    _write(texts, "wwtp.txt", WWTP_OFFICIAL)
    result, out = _run(runner, cli, texts, "--manifest", _attach_manifest(tmp_path, version="2030-01-01"))
    assert result.exit_code == 1 and "has no version 2030-01-01" in out["refused"][0]["reason"]
    result, out = _run(runner, cli, texts, "--manifest", _attach_manifest(tmp_path, rule="cn-js/environment/nope"))
    assert result.exit_code == 1 and "no rule with id" in out["refused"][0]["reason"]


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("m.yaml", "- path: a.md\n  topic: [environment\n", "malformed YAML"),
        ("m.yaml", "path: a.md\n", "a YAML list of entries"),
        ("m.yaml", "- path: a.md\n  colour: red\n", "colour: unknown field"),
        ("m.yaml", "- path: a.md\n  effective: 2023-02-30\n", "effective: '2023-02-30': not a real date"),
        ("m.yaml", "- topic: environment\n", "needs a path"),
        ("m.yaml", "- path: a.md\n  jurisdiction: CN-XX\n", "unknown jurisdiction code 'CN-XX'"),
        ("m.yaml", "- path: a.md\n- path: a.md\n", "given twice"),
        ("m.yaml", "- &e\n  path: a.md\n- *e\n", "anchors and aliases are not allowed"),
        ("m.csv", "path,topic\na.md,environment,extra\n", "3 cells but the header names 2 columns"),
        ("m.csv", "path,sha256\na.md,xyz\n", "sha256: must be 64 lower-case hex digits"),
    ],
)
def test_a_malformed_manifest_names_file_line_and_reason_and_imports_nothing(
    loaded, runner, cli, corpus_dir, tmp_path, name, content, message
):
    texts = tmp_path / "texts"
    _write(texts, "a.md", LAW_V1)
    manifest = _write(tmp_path, name, content)
    before = _tree(corpus_dir)
    result = runner.invoke(cli, ["import", str(texts), "--manifest", str(manifest), "--json"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert str(manifest) in result.stderr and message in result.stderr
    assert result.stdout == ""
    assert _tree(corpus_dir) == before


FLK_HEAD = (
    '---\ntitle: "上海市示例节能条例"\noffice: "上海市人民代表大会常务委员会"\npublish: "2019-11-25 00:00:00"\n'
    'effective_date: "2020-03-01 00:00:00"\ntype: "地方性法规"\nstatus: "有效"\n'
    'url: "https://flk.npc.gov.cn/detail2.html?example"\n---\n\n'
)


@pytest.mark.parametrize(
    ("head", "message"),
    [
        ('---\ntitle: "上海市示例节能条例"\n\n', "front matter: the opening --- on line 1 is never closed"),
        (FLK_HEAD.replace("2020-03-01 00:00:00", "2020-02-30 00:00:00"), "front matter: effective_date"),
        (FLK_HEAD.replace('status: "有效"', 'status: "作废"'), "front matter: status: '作废' is not one of"),
        (FLK_HEAD.replace('title: "上海市示例节能条例"', 'title: ""'), "front matter: title: missing or empty"),
        (
            FLK_HEAD.replace('office: "上海市人民代表大会常务委员会"', 'office: "a: b: c"\n  - x'),
            "front matter: malformed YAML",
        ),
        (FLK_HEAD.replace("https://flk.npc.gov.cn/detail2.html?example", "flk page"), "front matter: url"),
    ],
)
def test_malformed_flk_front_matter_is_refused_with_the_reason_others_go_on(
    loaded, runner, cli, corpus_dir, tmp_path, head, message
):
    texts = tmp_path / "texts"
    _write(texts, "good.md", FLK_HEAD + LAW_V1)
    bad = _write(texts, "bad.md", head + LAW_V1.replace("示例节能", "另一示例"))
    result, out = _run(runner, cli, texts, "--topic", "environment", "--no-index")
    assert result.exit_code == 1
    assert [r["path"] for r in out["refused"]] == [str(bad)]
    assert message in out["refused"][0]["reason"]
    [good] = out["imported"]
    shown = _show(runner, cli, good["id"])
    assert shown["effective"] == "2020-03-01" and shown["published"] == "2019-11-25"
    assert shown["source_url"] == "https://flk.npc.gov.cn/detail2.html?example"
    assert shown["kind"] == "local_regulation"


def test_a_bad_file_among_good_ones(loaded, runner, cli, corpus_dir, tmp_path, count_rows):
    texts = tmp_path / "texts"
    _write(texts, "1-good.md", LAW_V1)
    _write(texts, "2-binary.txt", b"\x00\x01\x02binary\xff\xfe")
    _write(texts, "3-no-articles.txt", "上海市示例通知\n\n请各单位执行。\n")
    _write(texts, "4-good.md", DECISION)
    _write(texts, "5-no-effective.md", LAW_V1.replace("示例节能", "第三示例"))
    _write(texts, "README.md", "# not a text\n")  # skipped in folders
    manifest = _write(
        tmp_path,
        "m.csv",
        "path,effective\n1-good.md,2020-03-01\n2-binary.txt,2020-01-01\n3-no-articles.txt,2020-01-01\n"
        "4-good.md,2020-10-01\n5-no-effective.md,\n",
    )
    rules = count_rows("rules")
    before = set(_tree(corpus_dir))
    result, out = _run(
        runner, cli, texts, "--manifest", manifest, "-t", "environment", "-k", "local_regulation",
        "--source-url", "https://example.org/x",
    )  # fmt: skip
    assert result.exit_code == 1
    assert len(out["imported"]) == 2 and count_rows("rules") == rules + 2
    reasons = {Path(r["path"]).name: r["reason"] for r in out["refused"]}
    assert set(reasons) == {"2-binary.txt", "3-no-articles.txt", "5-no-effective.md"}
    assert "binary" in reasons["2-binary.txt"]
    assert reasons["3-no-articles.txt"] == "no articles found"
    assert "--effective is required" in reasons["5-no-effective.md"]
    assert sorted(set(_tree(corpus_dir)) - before) == sorted(
        Path(i["path"]).relative_to(corpus_dir).as_posix() for i in out["imported"]
    )


def test_single_file_flags_and_usage_errors(loaded, runner, cli, tmp_path):
    a = _write(tmp_path, "a.md", LAW_V1)
    b = _write(tmp_path, "b.md", DECISION)
    usage = runner.invoke(cli, ["import", str(a), str(b), "--slug", "x"])
    assert usage.exit_code == 2 and "--slug names one text" in usage.output
    no_topic = runner.invoke(cli, ["import", str(a), "--effective", "2020-03-01", "--source-url", "https://e.org/a"])
    assert no_topic.exit_code == 1 and "--topic is required" in no_topic.output


def test_sha256_is_of_the_normalised_body(tmp_path):
    from app.corpus.officialtext import read_official_text

    ot = read_official_text(_write(tmp_path, "a.md", LAW_V1))
    assert ot.sha256 == hashlib.sha256(ot.body_markdown.encode("utf-8")).hexdigest()
    # the same text with conversion leftovers and CRLF line ends normalises to the same body
    messy = LAW_V1.replace("\n\n第二条", "\n   \n> 第二条").replace("\n", "\r\n")
    assert read_official_text(_write(tmp_path, "b.md", messy.encode("utf-8"))).sha256 == ot.sha256
