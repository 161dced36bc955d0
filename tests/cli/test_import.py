"""registry import: official text → corpus document → loaded rule; refusals; the 100-text lawtexts sample."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import LAWTEXTS
from tests.lawtexts import expected_articles

TEXT = """上海市示例数据条例

2021年11月25日上海市第十五届人民代表大会常务委员会第三十七次会议通过

第一章 总则

第一条 为了保护数据权益，制定本条例。

第二条 本条例所称数据，是指任何以电子或者其他方式对信息的记录。

第十条之一 公共管理和服务机构应当依法共享数据。

第二章 数据共享

第三条 共享申请应当在十个工作日内答复。有下列情形之一的，可以不予共享：

（一）涉及国家秘密的；

（二）法律另有规定的。
"""


def _import(runner, cli, path, *extra):
    return runner.invoke(
        cli,
        [
            "import",
            str(path),
            "-j",
            "CN-SH",
            "-t",
            "data",
            "-k",
            "local_regulation",
            "--effective",
            "2022-01-01",
            "--source-url",
            "https://example.org/official",
            "--json",
            *extra,
        ],
    )


def test_import_writes_the_document_loads_it_and_indexes_it(loaded, runner, cli, corpus_dir, tmp_path):
    src = tmp_path / "text.txt"
    src.write_text(TEXT, encoding="utf-8")
    result = _import(runner, cli, src, "--title-en", "Shanghai sample data regulation")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["id"] == "cn-sh/data/shanghai-sample-data-regulation-2022"
    assert out["version"] == out["id"] + "@2022-01-01"
    assert out["articles"] == 4
    written = Path(out["path"])
    assert written == corpus_dir / "rules/cn-sh/data/shanghai-sample-data-regulation-2022.md"
    text = written.read_text(encoding="utf-8")
    assert "provenance: full_text" in text and "## 第十条之一" in text and "adopted: 2021-11-25" in text
    shown = json.loads(runner.invoke(cli, ["show", out["id"], "--as-of", "2022-06-01", "--json"]).stdout)
    assert [a["number"] for a in shown["articles"]] == ["1", "2", "10-1", "3"]
    assert shown["articles"][3]["paragraphs"][0]["items"][1]["text"].startswith("（二）")
    hits = json.loads(runner.invoke(cli, ["search", "依法共享数据", "--as-of", "2022-06-01", "--json"]).stdout)
    assert out["id"] in [h["id"] for h in hits["hits"]]
    # a second load of the corpus sees the file as unchanged
    again = json.loads(runner.invoke(cli, ["load", "--json"]).stdout)
    assert again["versions_added"] == 0 and again["versions_corrected"] == 0


def test_import_same_text_again_is_unchanged_and_writes_nothing(loaded, runner, cli, corpus_dir, tmp_path, count_rows):
    src = tmp_path / "text.txt"
    src.write_text(TEXT, encoding="utf-8")
    first = json.loads(_import(runner, cli, src).stdout)
    files = sorted(p.as_posix() for p in corpus_dir.rglob("*"))
    audit_rows = count_rows("audit_log")
    again = _import(runner, cli, src)
    assert again.exit_code == 0, again.output
    out = json.loads(again.stdout)
    assert out["status"] == "unchanged" and out["version"] == first["version"]
    assert sorted(p.as_posix() for p in corpus_dir.rglob("*")) == files
    assert count_rows("audit_log") == audit_rows


def test_import_never_overwrites_slug_gets_a_suffix(loaded, runner, cli, tmp_path):
    src = tmp_path / "text.txt"
    src.write_text(TEXT, encoding="utf-8")
    first = json.loads(_import(runner, cli, src, "--title-en", "Sample regulation").stdout)
    other = tmp_path / "other.txt"
    other.write_text(TEXT.replace("上海市示例数据条例", "上海市另一示例条例"), encoding="utf-8")
    second = json.loads(_import(runner, cli, other, "--title-en", "Sample regulation").stdout)
    assert first["id"] != second["id"] and second["id"] == first["id"] + "-2"
    third = tmp_path / "third.txt"
    third.write_text(TEXT.replace("上海市示例数据条例", "上海市第三示例条例"), encoding="utf-8")
    clash = _import(runner, cli, third, "--slug", first["id"].split("/")[-1])
    assert clash.exit_code == 1 and "never overwrites" in clash.output


def test_import_pinyin_slug_from_chinese_title(loaded, runner, cli, tmp_path):
    src = tmp_path / "text.txt"
    src.write_text(TEXT, encoding="utf-8")
    out = json.loads(_import(runner, cli, src).stdout)
    assert re.fullmatch(r"cn-sh/data/[a-z0-9-]{1,80}", out["id"])
    assert (out["id"].endswith("-2022") and "shang-hai" in out["id"]) or "shanghai" in out["id"]


def test_import_reads_gb18030(loaded, runner, cli, tmp_path):
    src = tmp_path / "text.txt"
    src.write_bytes(TEXT.encode("gb18030"))
    result = _import(runner, cli, src)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["articles"] == 4


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ("示例文件\n\n没有任何条文。\n", (), "no articles found"),
        (b"\x00\x01\x02binary\xff\xfe", (), "binary"),
        (TEXT, ("-j", "CN-XX"), "unknown jurisdiction code"),
    ],
)
def test_import_refusals_write_nothing(loaded, runner, cli, corpus_dir, tmp_path, count_rows, content, args, message):
    src = tmp_path / "text.txt"
    src.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    before = sorted(p.as_posix() for p in corpus_dir.rglob("*"))
    rules = count_rows("rules")
    cmd = [
        "import",
        str(src),
        "-j",
        "CN-SH",
        "-t",
        "data",
        "-k",
        "local_regulation",
        "--effective",
        "2022-01-01",
        "--source-url",
        "https://example.org/x",
        *args,
    ]
    result = runner.invoke(cli, cmd)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert sorted(p.as_posix() for p in corpus_dir.rglob("*")) == before
    assert count_rows("rules") == rules


def test_import_requires_effective_and_source(loaded, runner, cli, tmp_path):
    src = tmp_path / "text.txt"
    src.write_text(TEXT, encoding="utf-8")
    no_eff = runner.invoke(
        cli,
        [
            "import",
            str(src),
            "-j",
            "CN-SH",
            "-t",
            "data",
            "-k",
            "local_regulation",
            "--source-url",
            "https://example.org/x",
        ],
    )
    assert no_eff.exit_code == 1 and "--effective is required" in no_eff.output
    no_src = runner.invoke(
        cli, ["import", str(src), "-j", "CN-SH", "-t", "data", "-k", "local_regulation", "--effective", "2022-01-01"]
    )
    assert no_src.exit_code == 1 and "--source-url is required" in no_src.output


# ---------------------------------------------------------------- real texts

FOLDER_CODES = {
    "shanghai": "CN-SH",
    "zhejiang": "CN-ZJ",
    "beijing": "CN-BJ",
    "shandong": "CN-SD",
    "henan": "CN-HA",
    "guangdong": "CN-GD",
    "chongqing": "CN-CQ",
}
FILE_DATE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)\.md$")


def _sample() -> list[Path]:
    """The fixed sample: the sorted LawRefBook texts (the flk/ folder has its own test), every 19th, first 100."""
    files = sorted(p for folder in FOLDER_CODES for p in (LAWTEXTS / folder).glob("*.md"))
    return files[::19][:100]


@pytest.mark.lawtexts
@pytest.mark.skipif(not LAWTEXTS.is_dir(), reason="../shared/lawtexts is absent")
def test_import_fixed_sample_of_100_official_texts(app, runner, cli, corpus_dir, tmp_path):
    corpus = tmp_path / "realtexts"
    corpus.mkdir()
    shutil.copy(corpus_dir / "parameters.yaml", corpus / "parameters.yaml")
    jurisdictions = (corpus_dir / "jurisdictions.yaml").read_text(encoding="utf-8")
    for folder, code in FOLDER_CODES.items():
        if code not in jurisdictions:
            jurisdictions += f"- code: {code}\n  name_zh: 测试用{folder}\n  parent: CN\n"
    (corpus / "jurisdictions.yaml").write_text(jurisdictions, encoding="utf-8")
    (corpus / "topics.yaml").write_text(
        (corpus_dir / "topics.yaml").read_text(encoding="utf-8") + "- code: other\n  name_zh: 其他\n", encoding="utf-8"
    )
    assert runner.invoke(cli, ["load", "--corpus", str(corpus), "--no-index"]).exit_code == 0

    sample = _sample()
    assert len(sample) == 100
    # one bulk run through the real command; the manifest (CSV) gives what LawRefBook files do not state
    manifest = tmp_path / "sample.csv"
    lines = ["path,jurisdiction,topic,kind,effective,source_url"]
    for path in sample:
        m = FILE_DATE.search(path.name)
        rel = path.relative_to(LAWTEXTS).as_posix()
        lines.append(
            f"{rel},{FOLDER_CODES[path.parent.name]},other,local_regulation,{m[1] if m else '2000-01-01'},https://flk.npc.gov.cn/"
        )
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # a sample of files given by name is matched by their names, so copy the tree's relative paths
    root = tmp_path / "texts"
    for path in sample:
        target = root / path.relative_to(LAWTEXTS)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    result = runner.invoke(
        cli, ["import", str(root), "--manifest", str(manifest), "--corpus", str(corpus), "--no-index", "--json"]
    )
    out = json.loads(result.stdout)
    assert out["refused"] == [], out["refused"]
    assert result.exit_code == 0
    assert len(out["imported"]) == 100
    by_source = {Path(item["source"]).relative_to(root).as_posix(): item for item in out["imported"]}
    for path in sample:
        rel = path.relative_to(LAWTEXTS).as_posix()
        assert by_source[rel]["articles"] == expected_articles(path.read_text(encoding="utf-8"))[0], rel
    # the imported corpus reads back whole and the index builds from it
    reload = json.loads(runner.invoke(cli, ["load", "--corpus", str(corpus), "--json"]).stdout)
    assert reload["versions_added"] == 0 and reload["rules"] == 100
