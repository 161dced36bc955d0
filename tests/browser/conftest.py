"""Browser fixtures shared by every page test (docs/decisions.md "Foundations: Browser tests"): Debian's
Chromium driven by Playwright, against the real app with the fixture corpus, served by werkzeug on a free
loopback port. Never runs `playwright install`; skipped when /usr/bin/chromium is absent.

``shots(page, name)`` saves a full-page screenshot at 1280 px and at 390 px under tests/browser/screenshots/
(git-ignored), so each user task leaves pictures of what the user saw on a desktop and on a phone.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
FIXTURE_CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"


@pytest.fixture(scope="module")
def served_app(tmp_path_factory):
    """The app on the fixture corpus (SQLite), loaded and indexed (tests add users through its CLI)."""
    from app import create_app
    from app.cli import cli

    tmp = tmp_path_factory.mktemp("browser")
    shutil.copytree(FIXTURE_CORPUS, tmp / "corpus")
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{tmp / 'registry.sqlite3'}",
            "REGISTRY_CORPUS": str(tmp / "corpus"),
            "REGISTRY_INDEX": str(tmp / "index"),
            "SECRET_KEY": "browser-test",
        }
    )
    result = app.test_cli_runner().invoke(cli, ["load"])
    assert result.exit_code == 0, result.output
    yield app
    app.extensions["registry_engine"].dispose()


@pytest.fixture(scope="module")
def base_url(served_app):
    """``served_app`` served by werkzeug in a thread on a free loopback port."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, served_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (tests/browser/ensure_chromium.sh)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(10_000)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )
    pg.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}") if r.status >= 400 and not r.url.endswith("/favicon.ico") else None
        ),
    )
    yield pg
    context.close()
    assert errors == [], errors  # no script errors, no CSP violations, every asset (CSS, JS) served


SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
WIDTHS = (1280, 390)


@pytest.fixture
def shots():
    """Save the page as it looks at 1280 px and at 390 px (then restore the width); returns the files."""

    def take(pg, name: str) -> list[Path]:
        SCREENSHOTS.mkdir(exist_ok=True)
        before = pg.viewport_size
        files = []
        for width in WIDTHS:
            pg.set_viewport_size({"width": width, "height": 900})
            path = SCREENSHOTS / f"{name}-{width}.png"
            pg.screenshot(path=str(path), full_page=True)
            assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
            files.append(path)
        if before:
            pg.set_viewport_size(before)
        return files

    return take
