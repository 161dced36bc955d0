"""Browser fixtures shared by every page test (docs/decisions.md "Foundations: Browser tests"): Debian's
Chromium driven by Playwright, against the real app with the fixture corpus, served by werkzeug on a free
loopback port. Never runs `playwright install`; skipped when /usr/bin/chromium is absent.

One app, one server and one browser serve the whole session (the browser stage has 4 minutes in all); each test
gets a fresh browser context. ``browser_app`` is the served app (for the CLI on its database); ``signed_in_page``
is a page whose context has signed in as ``SIGNED_IN_USER``, an administrator added to that database;
``allow_errors`` names the failed responses a test expects (any other 4xx/5xx fails it); ``axe_source`` is the
pinned axe-core engine (ensure_axe.sh).

``shots(page, name)`` saves a full-page screenshot at 1280 px and at 390 px under tests/browser/screenshots/
(git-ignored), so each user task leaves pictures of what the user saw on a desktop and on a phone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from pathlib import Path
from urllib.parse import urlsplit

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
HERE = Path(__file__).resolve().parent
SIGNED_IN_USER = ("browser-admin", "browser-admin-password")


@pytest.fixture(scope="session")
def browser_app(tmp_path_factory):
    """The app on the fixture corpus (SQLite), loaded and indexed, with ``SIGNED_IN_USER`` added. A test
    that needs the CLI on the served database runs ``browser_app.test_cli_runner().invoke(cli, [...])``."""
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
    name, password = SIGNED_IN_USER
    result = app.test_cli_runner().invoke(cli, ["user", "add", name, "--role", "admin", "--password", password])
    assert result.exit_code == 0, result.output
    yield app
    app.extensions["registry_engine"].dispose()


@pytest.fixture(scope="session")
def base_url(browser_app):
    """``browser_app`` served by werkzeug in a thread on a free loopback port."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, browser_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (tests/browser/ensure_chromium.sh)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture
def allow_errors() -> set[tuple[int, str]]:
    """Failed responses the test expects, as (status, path): e.g. ``allow_errors.add((400, "/compliance"))``
    for a form refused on purpose. Any other 4xx/5xx response fails the test."""
    return set()


def _watched_page(context, allowed: set[tuple[int, str]]):
    """A page of the context that collects script errors, console errors and failed responses."""
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
            errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and (r.status, urlsplit(r.url).path) not in allowed
            else None
        ),
    )
    return pg, errors


@pytest.fixture
def page(browser, allow_errors):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    pg, errors = _watched_page(context, allow_errors)
    yield pg
    context.close()
    assert errors == [], errors  # no script errors, no CSP violations, every asset (CSS, JS) served


@pytest.fixture(scope="session")
def signed_in_state(browser, base_url):
    """Cookies of a session signed in as ``SIGNED_IN_USER`` (through the real sign-in form)."""
    context = browser.new_context(locale="zh-CN")
    pg = context.new_page()
    pg.goto(f"{base_url}/signin")
    name, password = SIGNED_IN_USER
    pg.fill("input[name=name]", name)
    pg.fill("input[name=password]", password)
    pg.locator("form:has(input[name=password]) button").click()
    pg.wait_for_url(f"{base_url}/")
    state = context.storage_state()
    context.close()
    return state


@pytest.fixture
def signed_in_page(browser, signed_in_state, allow_errors):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="zh-CN", storage_state=signed_in_state
    )
    pg, errors = _watched_page(context, allow_errors)
    yield pg
    context.close()
    assert errors == [], errors


@pytest.fixture(scope="session")
def axe_source():
    """The pinned axe-core engine, installed from the npm registry by ensure_axe.sh at test time."""
    run = subprocess.run(["bash", str(HERE / "ensure_axe.sh")], capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        message = f"axe-core could not be installed (tests/browser/ensure_axe.sh): {run.stderr.strip()}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return Path(run.stdout.strip().splitlines()[-1]).read_text(encoding="utf-8")


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
