"""``registry innovations import FILE.csv|FILE.xlsx``: all or nothing, every problem with its row and column,
new innovations added, existing ones corrected (revision bump, audited); the listing keeps working."""

from __future__ import annotations

import csv
import datetime as dt
import json

import pytest
from openpyxl import Workbook
from sqlalchemy import text

HEADER = [
    "slug",
    "title",
    "title_en",
    "category",
    "year",
    "batch",
    "promoted_nationally",
    "promotion_notice",
    "promotion_date",
    "related_rules",
    "source_url",
    "verified",
    "summary",
]

GOOD = [
    [
        "dz-credit-sharing",
        "示范区公共信用信息共享",
        "Shared public credit information",
        "公共信用",
        "2021",
        "1",
        "true",
        "推广通知（测试）",
        "2021-12-01",
        "cn-sh/environment/sample-wwtp; cn-js/environment/sample-wwtp-js",
        "https://example.org/credit",
        "false",
        "三地信用信息互通共享（测试用示例）。",
    ],
    [
        "",
        "示范区统一企业登记",
        "",
        "要素流动",
        "",
        "",
        "",
        "",
        "",
        "",
        "https://example.org/registration",
        "",
        "企业登记标准统一（测试用示例）。",
    ],
    [
        "sample-innovation",
        "示例跨域项目审批制度",
        "Sample cross-border project approval",
        "项目管理",
        "2021",
        "",
        "false",
        "",
        "",
        "cn-sh/environment/sample-wwtp",
        "https://example.org/innovation",
        "true",
        "示范区三地统一项目审批流程（测试用示例，已更正）。",
    ],
]


def write_csv(path, rows, header=HEADER, bom=False):
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def write_xlsx(path, rows, header=HEADER):
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def audit_actions(engine):
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                text("SELECT action, target FROM audit_log WHERE target LIKE 'innovation:%' ORDER BY id")
            )
        ]


def revisions(engine):
    with engine.connect() as conn:
        return dict(conn.execute(text("SELECT slug, revision FROM innovations")).all())


def test_csv_import_adds_and_updates_then_changes_nothing(loaded, runner, cli, engine, tmp_path):
    path = write_csv(tmp_path / "innovations.csv", GOOD, bom=True)
    res = runner.invoke(cli, ["innovations", "import", str(path), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out == {
        "added": ["dz-credit-sharing", "shi-fan-qu-tong-yi-qi-ye-deng-ji"],
        "updated": ["sample-innovation"],
        "unchanged": [],
    }
    assert revisions(engine) == {
        "sample-innovation": 2,
        "dz-credit-sharing": 1,
        "shi-fan-qu-tong-yi-qi-ye-deng-ji": 1,
    }
    assert audit_actions(engine)[-3:] == [
        ("innovation_added", "innovation:dz-credit-sharing"),
        ("innovation_added", "innovation:shi-fan-qu-tong-yi-qi-ye-deng-ji"),
        ("innovation_corrected", "innovation:sample-innovation"),
    ]
    listing = json.loads(runner.invoke(cli, ["innovations", "--json"]).stdout)
    items = {i["id"]: i for i in listing["items"]}
    credit = items["dz-credit-sharing"]
    assert credit["related_rules"] == ["cn-sh/environment/sample-wwtp", "cn-js/environment/sample-wwtp-js"]
    assert credit["promoted_nationally"] is True and credit["year"] == 2021 and credit["batch"] == "1"
    assert credit["promotion_batch"] == {"notice": "推广通知（测试）", "date": "2021-12-01"}
    assert items["shi-fan-qu-tong-yi-qi-ye-deng-ji"]["promoted_nationally"] is None
    search = json.loads(runner.invoke(cli, ["search", "信用信息互通", "--json"]).stdout)
    assert [h["id"] for h in search["hits"]] == ["dz-credit-sharing"]
    # the same file again: the row without a slug finds its innovation by title; nothing changes
    again = runner.invoke(cli, ["innovations", "import", str(path), "--json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout) == {
        "added": [],
        "updated": [],
        "unchanged": ["dz-credit-sharing", "shi-fan-qu-tong-yi-qi-ye-deng-ji", "sample-innovation"],
    }
    assert len(audit_actions(engine)) == 4
    assert runner.invoke(cli, ["audit", "verify"]).exit_code == 0


def test_xlsx_import_reads_spreadsheet_values(loaded, runner, cli, engine, tmp_path):
    rows = [list(r) for r in GOOD[:1]]
    rows[0][4] = 2021  # a number cell
    rows[0][6] = True  # a boolean cell
    rows[0][8] = dt.datetime(2021, 12, 1)  # a date cell
    path = write_xlsx(tmp_path / "innovations.xlsx", rows)
    res = runner.invoke(cli, ["innovations", "import", str(path)])
    assert res.exit_code == 0, res.output
    assert "1 added, 0 updated, 0 unchanged" in res.stdout
    item = next(
        i
        for i in json.loads(runner.invoke(cli, ["innovations", "--json"]).stdout)["items"]
        if i["id"] == "dz-credit-sharing"
    )
    assert item["year"] == 2021 and item["promoted_nationally"] is True
    assert item["promotion_batch"]["date"] == "2021-12-01"


BAD = [
    [*GOOD[0][:4], "二〇二一", *GOOD[0][5:]],  # row 2: year
    ["", "", "", "", "", "", "maybe", "", "2021-02-30", "", "ftp://x", "", ""],  # row 3: several
    [*GOOD[0][:9], "cn-sh/environment/no-such-rule", *GOOD[0][10:]],  # row 4: slug repeated, related rule
    ["Bad Slug", *GOOD[1][1:]],  # row 5: slug
    ["ok-one", *GOOD[1][1:]],  # row 6: valid, but nothing may be written
]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_bad_rows_are_all_reported_with_row_and_column_and_nothing_is_written(
    loaded, runner, cli, engine, count_rows, tmp_path, fmt
):
    name = f"bad.{fmt}"
    path = (write_csv if fmt == "csv" else write_xlsx)(tmp_path / name, BAD)
    before = (count_rows("innovations"), count_rows("audit_log"), count_rows("index_outbox"), revisions(engine))
    res = runner.invoke(cli, ["innovations", "import", str(path)])
    assert res.exit_code == 1
    lines = res.stderr.splitlines()
    for expected in [
        f"{name}:row 2: year: ",
        f"{name}:row 3: title: ",
        f"{name}:row 3: category: ",
        f"{name}:row 3: promoted_nationally: 'maybe' is not true or false",
        f"{name}:row 3: promotion_date: not a real date",
        f"{name}:row 3: source_url: must be an http(s) URL",
        f"{name}:row 4: slug: slug 'dz-credit-sharing' is also on row 2",
        f"{name}:row 5: slug: must match",
    ]:
        assert any(line.startswith(expected) for line in lines), (expected, lines)
    assert lines[-1].startswith("error: ") and "nothing was written" in lines[-1]
    assert "Traceback" not in res.output
    assert (count_rows("innovations"), count_rows("audit_log"), count_rows("index_outbox"), revisions(engine)) == before


def test_unknown_related_rule_is_reported_on_its_row(loaded, runner, cli, count_rows, tmp_path):
    rows = [GOOD[1], [*GOOD[0][:9], "cn-sh/environment/no-such-rule", *GOOD[0][10:]]]
    path = write_csv(tmp_path / "t.csv", rows)
    before = count_rows("innovations")
    res = runner.invoke(cli, ["innovations", "import", str(path)])
    assert res.exit_code == 1
    assert "t.csv:row 3: related_rules: related rule 'cn-sh/environment/no-such-rule' is not a rule id" in res.stderr
    assert count_rows("innovations") == before


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (["title", "category", "source_url", "colour"], "t.csv:row 1: colour: unknown column"),
        (["title", "category"], "t.csv:row 1: source_url: required column is missing"),
        (["title", "title", "category", "source_url"], "t.csv:row 1: title: column appears twice"),
    ],
)
def test_bad_headers(loaded, runner, cli, tmp_path, header, expected):
    path = write_csv(tmp_path / "t.csv", [["x"] * len(header)], header=header)
    res = runner.invoke(cli, ["innovations", "import", str(path)])
    assert res.exit_code == 1 and expected in res.stderr, res.stderr


def test_unreadable_files(loaded, runner, cli, tmp_path):
    gb = tmp_path / "gb.csv"
    gb.write_bytes("title,category,source_url\n示例,项目管理,https://e.org\n".encode("gb18030"))
    res = runner.invoke(cli, ["innovations", "import", str(gb)])
    assert res.exit_code == 1 and "not UTF-8" in res.stderr
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"not a zip")
    res = runner.invoke(cli, ["innovations", "import", str(fake)])
    assert res.exit_code == 1 and "not a readable XLSX" in res.stderr
    other = tmp_path / "list.txt"
    other.write_text("x")
    res = runner.invoke(cli, ["innovations", "import", str(other)])
    assert res.exit_code == 1 and ".csv or .xlsx" in res.stderr
    empty = write_csv(tmp_path / "empty.csv", [])
    res = runner.invoke(cli, ["innovations", "import", str(empty)])
    assert res.exit_code == 1 and "no data rows" in res.stderr


def test_the_download_imports_back_unchanged(client, runner, cli, engine, tmp_path):
    """The innovations CSV download (id column, formula guard, "; " lists) is an import file."""
    data = client.get("/innovations.csv").data
    path = tmp_path / "download.csv"
    path.write_bytes(data)
    res = runner.invoke(cli, ["innovations", "import", str(path), "--json"])
    if res.exit_code != 0:
        pytest.fail(res.output)
    assert json.loads(res.stdout) == {"added": [], "updated": [], "unchanged": ["sample-innovation"]}


def test_listing_still_works(loaded, runner, cli):
    res = runner.invoke(cli, ["innovations", "--json"])
    assert res.exit_code == 0 and json.loads(res.stdout)["total"] == 1
    res = runner.invoke(cli, ["innovations", "--promoted"])
    assert res.exit_code == 0 and "示例跨域项目审批制度" not in res.stdout
    res = runner.invoke(cli, ["innovations", "--category", "项目管理"])
    assert res.exit_code == 0 and "示例跨域项目审批制度" in res.stdout


def test_registered_innovations_survive_load_and_prune_is_audited(loaded, runner, cli, engine, tmp_path):
    path = write_csv(tmp_path / "one.csv", GOOD[:1])
    assert runner.invoke(cli, ["innovations", "import", str(path)]).exit_code == 0
    kept = json.loads(runner.invoke(cli, ["load", "--json"]).stdout)
    assert kept["innovation_changes"]["missing"] == 1
    assert "dz-credit-sharing" in revisions(engine)
    pruned = runner.invoke(cli, ["load", "--prune", "--json"])
    assert pruned.exit_code == 0, pruned.output
    assert "dz-credit-sharing" not in revisions(engine)
    with engine.connect() as conn:
        action, detail = conn.execute(
            text("SELECT action, detail FROM audit_log WHERE target = 'innovation:dz-credit-sharing' ORDER BY id DESC")
        ).first()
    detail = detail if isinstance(detail, dict) else json.loads(detail)
    assert action == "innovation_pruned" and detail["document"].startswith("---\ntitle: 示范区公共信用信息共享\n")
    assert runner.invoke(cli, ["audit", "verify"]).exit_code == 0
