"""Hostile files for `registry import` and `registry export`: refused with a reason, nothing written
outside the target folder, memory bounded by the limits the reader enforces.

Zip-bomb .docx, deeply nested HTML, a 50 MB text, a symbolic link to /dev/zero, a FIFO, slugs
with ``../``, a corpus or export folder with planted symbolic links leading out of it.
"""

from __future__ import annotations

import io
import os
import threading
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from app.corpus import officialtext
from app.corpus.officialtext import OfficialTextError, read_official_text

TEXT = "示例市数据条例\n\n第一条 为了保护数据权益，制定本条例。\n\n第二条 本条例所称数据，是指对信息的记录。\n"

IMPORT_ARGS = ["-j", "CN-SH", "-t", "data", "-k", "local_regulation", "--effective", "2022-01-01",
               "--source-url", "https://example.org/x"]  # fmt: skip


def _zip_bomb(path: Path, parts: int, part_mb: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        for n in range(parts):
            name = "word/document.xml" if n == 0 else f"word/media/part{n}.xml"
            with z.open(name, "w") as f:
                chunk = b"\0" * (1 << 20)
                for _ in range(part_mb):
                    f.write(chunk)
    return path


def _hostile_texts(tmp: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, fragment of the refusal)."""
    out: dict[str, tuple[Path, str]] = {}
    out["zip-bomb-one-part"] = (_zip_bomb(tmp / "bomb1.docx", 1, 48), "zip bomb")
    out["zip-bomb-many-parts"] = (_zip_bomb(tmp / "bomb2.docx", 80, 1), "over the limit")
    broken = tmp / "broken.docx"
    broken.write_bytes(b"PK\x03\x04" + os.urandom(2000))
    out["broken-docx"] = (broken, "not a readable .docx")
    nested = tmp / "nested.html"
    nested.write_text("<html><body>" + "<div>" * 20_000 + TEXT + "</div>" * 20_000 + "</body></html>")
    out["nested-html"] = (nested, "nests elements")
    nested_b = tmp / "nested-b.htm"
    nested_b.write_text("<b><i>" * 20_000 + TEXT)
    out["nested-inline-html"] = (nested_b, "nests elements")
    big = tmp / "big.txt"
    with open(big, "wb") as f:
        f.write(TEXT.encode())
        f.truncate(50 * 1024 * 1024)
    out["50mb-text"] = (big, "over 20 MB")
    link = tmp / "zero.txt"
    link.symlink_to("/dev/zero")
    out["symlink-dev-zero"] = (link, "symbolic link")
    link2 = tmp / "passwd.txt"
    link2.symlink_to("/etc/passwd")
    out["symlink-out"] = (link2, "symbolic link")
    fifo = tmp / "pipe.txt"
    os.mkfifo(fifo)
    out["fifo"] = (fifo, "FIFO")
    utf16 = tmp / "utf16.txt"
    utf16.write_bytes(TEXT.encode("utf-16"))
    out["utf-16"] = (utf16, "UTF-16")
    return out


@pytest.fixture
def hostile(tmp_path):
    folder = tmp_path / "hostile"
    folder.mkdir()
    return _hostile_texts(folder)


def _read_with_deadline(path: Path) -> Exception | None:
    """Read in a thread so that a blocking FIFO would fail the test instead of hanging it."""
    box: list = []

    def run():
        try:
            read_official_text(path)
            box.append(None)
        except Exception as exc:
            box.append(exc)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(30)
    assert box, f"reading {path.name} did not return (blocked?)"
    return box[0]


def test_each_hostile_text_is_refused_with_a_reason_in_bounded_memory(hostile):
    for name, (path, fragment) in hostile.items():
        tracemalloc.start()
        try:
            err = _read_with_deadline(path)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert isinstance(err, OfficialTextError), (name, err)
        assert fragment in err.message, (name, err.message)
        # bounded by the limits, never by the file: the 48 MB bomb and the 50 MB text are never unpacked or read
        assert peak < 16 * 1024 * 1024, (name, peak)


def test_the_limits_are_the_documented_ones():
    assert officialtext.MAX_BYTES == 20 * 1024 * 1024
    assert officialtext.MAX_DOCX_UNPACKED == 64 * 1024 * 1024
    assert officialtext.MAX_HTML_DEPTH == 256


def test_ordinary_nesting_and_docx_still_read(tmp_path):
    """The limits refuse the hostile files only: a normal page and a normal .docx read as before."""
    page = tmp_path / "page.html"
    page.write_text("<html><body>" + "<div>" * 30 + "".join(f"<p>{p}</p>" for p in TEXT.split("\n\n")) + "</div>" * 30)
    assert [a.number for a in read_official_text(page).body.articles] == ["1", "2"]
    import docx

    d = docx.Document()
    for p in TEXT.split("\n\n"):
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    (tmp_path / "t.docx").write_bytes(buf.getvalue())
    assert [a.number for a in read_official_text(tmp_path / "t.docx").body.articles] == ["1", "2"]


def _tree(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


def test_registry_import_refuses_hostile_texts_and_writes_nothing(
    loaded, runner, cli, corpus_dir, tmp_path, count_rows
):
    folder = tmp_path / "hostile-cli"
    folder.mkdir()
    texts = _hostile_texts(folder)
    outside = sorted(p.name for p in tmp_path.iterdir())
    before, rules = _tree(corpus_dir), count_rows("rule_versions")
    for name, (path, fragment) in texts.items():
        result = runner.invoke(cli, ["import", str(path), *IMPORT_ARGS])
        assert result.exit_code == 1, (name, result.output)
        assert fragment in result.output, (name, result.output)
        assert "Traceback" not in result.output
    assert _tree(corpus_dir) == before
    assert count_rows("rule_versions") == rules
    assert sorted(p.name for p in tmp_path.iterdir()) == outside


@pytest.mark.parametrize("slug", ["../evil", "..", "a/b", "/tmp/evil", "x\n", "．．／evil", "evil\x00", "UPPER"])
def test_import_slug_cannot_name_a_path(loaded, runner, cli, corpus_dir, tmp_path, slug):
    src = tmp_path / "law.txt"
    src.write_text(TEXT, encoding="utf-8")
    before = _tree(corpus_dir)
    result = runner.invoke(cli, ["import", str(src), *IMPORT_ARGS, "--slug", slug])
    assert result.exit_code == 1, result.output
    assert "slug" in result.output
    assert _tree(corpus_dir) == before
    assert not (tmp_path / "evil").exists() and not Path("/tmp/evil").exists()


def test_import_does_not_write_through_a_planted_folder_link(loaded, runner, cli, corpus_dir, tmp_path, count_rows):
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil_target = corpus_dir / "rules" / "cn-sh" / "data"
    for f in shutil_target.iterdir():
        f.unlink()
    shutil_target.rmdir()
    shutil_target.symlink_to(outside, target_is_directory=True)
    src = tmp_path / "law.txt"
    src.write_text(TEXT, encoding="utf-8")
    versions = count_rows("rule_versions")
    result = runner.invoke(cli, ["import", str(src), *IMPORT_ARGS])
    assert result.exit_code == 1, result.output
    assert "outside" in result.output and "nothing is written" in result.output
    assert list(outside.iterdir()) == []
    assert count_rows("rule_versions") == versions


def test_export_does_not_follow_planted_links(loaded, runner, cli, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    # a folder link and a file link, planted where export will write
    target = tmp_path / "export"
    (target / "rules").mkdir(parents=True)
    (target / "rules" / "cn-sh").symlink_to(outside, target_is_directory=True)
    result = runner.invoke(cli, ["export", str(target)])
    assert result.exit_code == 1, result.output
    assert "outside" in result.output
    assert list(outside.iterdir()) == []

    target2 = tmp_path / "export2"
    (target2 / "rules" / "cn-sh" / "data").mkdir(parents=True)
    (target2 / "rules" / "cn-sh" / "data" / "sample-data-rule.md").symlink_to(victim)
    result = runner.invoke(cli, ["export", str(target2)])
    assert result.exit_code == 1, result.output
    assert "symbolic link" in result.output
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not (target2 / "jurisdictions.yaml").exists()  # checked before the first byte is written

    clean = tmp_path / "export3"
    result = runner.invoke(cli, ["export", str(clean)])
    assert result.exit_code == 0, result.output
    assert (clean / "rules/cn-sh/data/sample-data-rule.md").is_file()
    assert not [p for p in clean.rglob("*") if p.name.startswith(".") and "tmp" in p.name]
