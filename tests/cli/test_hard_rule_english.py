"""English titles and deliverables of hard rules (``title_en``, ``deliverable_en``): migration 0003
adds and removes their columns keeping the rows, ``registry load`` stores them, export writes them
back byte for byte, pages show them in English and the Chinese ones in Chinese."""

from __future__ import annotations

from pathlib import Path

import yaml
from alembic import command
from sqlalchemy import inspect, text

from app.corpus import loader
from app.corpus.writer import render_hard_rule
from app.registry.db import _alembic_config, current_revision, head_revision

ROOT = Path(__file__).resolve().parents[2]
HR = "dz-cod-common-limit"


def _columns(engine) -> set[str]:  # type: ignore[no-untyped-def]
    return {c["name"] for c in inspect(engine).get_columns("hard_rules")}


def _migrate(engine, target: str, down: bool = False) -> None:  # type: ignore[no-untyped-def]
    with engine.begin() as conn:
        (command.downgrade if down else command.upgrade)(_alembic_config(conn), target)


def test_migration_0003_adds_the_english_columns_and_downgrade_drops_them_keeping_rows(loaded, runner, cli):
    engine = loaded.extensions["registry_engine"]
    assert {"title_en", "deliverable_en"} <= _columns(engine)
    with engine.connect() as conn:
        title_en = conn.execute(text("SELECT title_en FROM hard_rules WHERE id = :id"), {"id": HR}).scalar_one()
    assert title_en == "Sample: common chemical oxygen demand limit of the Demonstration Zone"

    _migrate(engine, "0002", down=True)
    assert current_revision(engine) == "0002"
    assert not {"title_en", "deliverable_en"} & _columns(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT title FROM hard_rules WHERE id = :id"), {"id": HR}).scalar_one() == (
            "示例示范区化学需氧量统一限值"
        )

    _migrate(engine, "head")
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:  # the columns are back, empty until the next load
        assert conn.execute(text("SELECT title_en FROM hard_rules WHERE id = :id"), {"id": HR}).scalar_one() is None
    result = runner.invoke(cli, ["load", "--no-index"])
    assert result.exit_code == 0, result.output
    with engine.connect() as conn:
        row = conn.execute(text("SELECT title_en, deliverable_en FROM hard_rules WHERE id = :id"), {"id": HR}).one()
    assert row == (
        "Sample: common chemical oxygen demand limit of the Demonstration Zone",
        "The common discharge standard is published and implemented",
    )


def test_every_bundled_hard_rule_has_english_and_renders_back_exactly():
    corpus = loader.read_corpus(ROOT / "rules_corpus")
    assert len(corpus.hard_rules) >= 5
    for h in corpus.hard_rules:
        source = (ROOT / "rules_corpus" / h.path).read_text(encoding="utf-8")
        assert render_hard_rule(h) == source, h.id
        raw = yaml.safe_load(source)
        assert h.title_en and h.title_en == raw["title_en"] and h.title_en.isascii(), h.id
        if h.deliverable:
            assert h.deliverable_en and h.deliverable_en.isascii(), h.id


def test_export_writes_the_english_fields_back(loaded, runner, cli, tmp_path, corpus_dir):
    assert runner.invoke(cli, ["export", str(tmp_path / "out")]).exit_code == 0
    written = (tmp_path / "out" / "hard_rules" / f"{HR}.yaml").read_text(encoding="utf-8")
    assert written == (corpus_dir / "hard_rules" / f"{HR}.yaml").read_text(encoding="utf-8")
    assert "title_en: 'Sample: common chemical oxygen demand limit of the Demonstration Zone'\n" in written


def test_without_english_the_hard_rule_keeps_the_chinese_title_marked_as_chinese(runner, cli, corpus_dir, app):
    path = corpus_dir / "hard_rules" / f"{HR}.yaml"
    path.write_text(
        "".join(ln for ln in path.read_text(encoding="utf-8").splitlines(True) if "_en:" not in ln), encoding="utf-8"
    )
    assert runner.invoke(cli, ["load", "--no-index"]).exit_code == 0
    page = app.test_client().get(f"/hard-rules/{HR}?lang=en").get_data(as_text=True)
    assert '<h1><span lang="zh-CN">示例示范区化学需氧量统一限值</span></h1>' in page
    assert '<dd><span lang="zh-CN">统一排放标准发布实施</span></dd>' in page


def test_pages_show_the_title_in_the_page_language(client):
    en = client.get(f"/hard-rules/{HR}?lang=en").get_data(as_text=True)
    assert "<h1>Sample: common chemical oxygen demand limit of the Demonstration Zone</h1>" in en
    assert "<dd>The common discharge standard is published and implemented</dd>" in en
    assert "示例示范区化学需氧量统一限值" not in en
    zh = client.get(f"/hard-rules/{HR}?lang=zh").get_data(as_text=True)
    assert '<h1><span lang="zh-CN">示例示范区化学需氧量统一限值</span></h1>' in zh
    assert "Sample: common" not in zh
    board = client.get("/scoreboard?lang=en").get_data(as_text=True)
    assert "Sample: common chemical oxygen demand limit of the Demonstration Zone</a>" in board
    api = client.get(f"/api/v1/hard-rules/{HR}").get_json()
    assert api["title"] == "示例示范区化学需氧量统一限值"
    assert api["title_en"].startswith("Sample: common")
