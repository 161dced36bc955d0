"""The pages in a real browser (docs/decisions.md "Foundations: Browser tests"): Debian's Chromium driven by Playwright,
against the real app with the fixture corpus, served by werkzeug on a free loopback port.

Never runs `playwright install`; skipped when /usr/bin/chromium is absent.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

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
SH_2020 = "cn-sh/environment/sample-wwtp@2020-01-01"
SH_2023 = "cn-sh/environment/sample-wwtp@2023-03-01"
SCREENSHOT = Path("/tmp/registry-compare.png")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    """The app on the fixture corpus (SQLite), loaded and indexed, served in a thread."""
    from werkzeug.serving import make_server

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
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()
    app.extensions["registry_engine"].dispose()


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


def test_search_from_home_and_click_to_the_article(page, base_url):
    page.goto(f"{base_url}/")
    page.fill("input[name=q]", "化学需氧量")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector(".hit h3 a")
    link = page.locator(".hit h3 a", has_text="示例市污水排放标准").first
    link.click()
    page.wait_for_url("**/rules/**#art-*")
    anchor = page.url.rsplit("#", 1)[1]
    assert page.locator(f"#{anchor}").is_visible()
    assert "化学需氧量" in page.locator(f"#{anchor}").inner_text()


def test_compare_columns_scroll_together(page, base_url):
    page.goto(f"{base_url}/compare?a={SH_2020}&b={SH_2023}")
    a, b = page.locator("#pane-a"), page.locator("#pane-b")
    # facing rows were given the same height by compare.js
    heights = page.evaluate("""() => {
        const b = document.querySelectorAll('#pane-b .cmp-row');
        return [...document.querySelectorAll('#pane-a .cmp-row')].map((r, i) =>
            [r.getBoundingClientRect().height, b[i].getBoundingClientRect().height]);
    }""")
    assert heights and all(abs(x - y) < 1 for x, y in heights)
    # make the panes short so they scroll, then scroll one and watch the other follow
    page.evaluate("() => document.querySelectorAll('.cmp-pane').forEach(p => p.style.maxHeight = '120px')")
    assert a.evaluate("el => el.scrollHeight > el.clientHeight")
    a.evaluate("el => { el.scrollTop = 60; }")
    page.wait_for_function("() => document.getElementById('pane-b').scrollTop === 60")
    b.hover()
    page.mouse.wheel(0, 40)
    page.wait_for_function(
        "() => document.getElementById('pane-a').scrollTop === document.getElementById('pane-b').scrollTop"
        " && document.getElementById('pane-a').scrollTop > 60"
    )
    # a jump link of the change list brings both columns to the row
    a.evaluate("el => { el.scrollTop = 0; }")
    last = page.locator(".cmp-changes a").last
    last.click()
    page.wait_for_function(
        "() => document.getElementById('pane-a').scrollTop > 0"
        " && document.getElementById('pane-a').scrollTop === document.getElementById('pane-b').scrollTop"
    )


def test_compare_screenshot(page, base_url):
    page.goto(f"{base_url}/compare?a={SH_2020}&b={SH_2023}")
    page.wait_for_selector("#pane-b .cmp-row")
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    data = SCREENSHOT.read_bytes()
    assert len(data) > 10_000 and data[:8] == b"\x89PNG\r\n\x1a\n"


def test_matrix_cell_colours_and_link(page, base_url):
    page.goto(f"{base_url}/matrix?topic=environment")
    row = page.locator('tr[data-key="env.water.cod.max_concentration"]')
    sh = row.locator('td[data-jurisdiction="CN-SH"]')
    bg = "el => getComputedStyle(el).backgroundColor"
    assert "cell-aligned" in sh.get_attribute("class")
    assert sh.evaluate(bg) == "rgb(227, 244, 232)"
    # Each status is drawn in its own colour wherever it occurs in the matrix
    # (which cells hold which status follows the corpus, so none is pinned here).
    colours = {"cell-aligned": "rgb(227, 244, 232)", "cell-divergent": "rgb(251, 227, 225)",
               "cell-missing": "rgb(238, 240, 243)"}
    seen = 0
    for cls, colour in colours.items():
        cells = page.locator(f"tbody td.{cls}")
        if cells.count():
            seen += 1
            assert cells.first.evaluate(bg) == colour, cls
    unknown = page.locator("tbody td.cell-unknown")
    if unknown.count():
        seen += 1
        assert "repeating-linear-gradient" in unknown.first.evaluate(
            "el => getComputedStyle(el).backgroundImage")
    assert seen >= 2  # the environment matrix shows more than one status
    assert "★" in sh.inner_text()
    sh.locator("a.val").click()
    page.wait_for_url(f"**/rules/{SH_2023}#art-3")
    assert page.locator("#art-3").is_visible()


def test_compliance_form_shows_results(page, base_url):
    page.goto(f"{base_url}/compliance")
    page.check('input[name=jurisdictions][value="CN-JS"]')
    page.locator("select[name=fact_key]").first.select_option("env.water.cod.max_concentration")
    page.locator("input[name=fact_value]").first.fill("35")
    page.locator("input[name=fact_scope]").first.fill("A级")
    page.select_option("select[name=expand_to]", "CN-ZJ")
    page.click("#check-submit")
    page.wait_for_selector("#results")
    text = page.locator("#results").inner_text()
    assert "✗" in text and "✓" in text
    assert page.locator("#results a[href*='#art-3']").count() >= 1
