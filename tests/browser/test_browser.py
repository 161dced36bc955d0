"""Pages in a real browser: search, compare, matrix, compliance (fixtures in conftest.py)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

SH_2020 = "cn-sh/environment/sample-wwtp@2020-01-01"
SH_2023 = "cn-sh/environment/sample-wwtp@2023-03-01"


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


def test_compare_screenshot(page, base_url, shots):
    page.goto(f"{base_url}/compare?a={SH_2020}&b={SH_2023}")
    page.wait_for_selector("#pane-b .cmp-row")
    for path in shots(page, "compare-two-versions"):
        assert path.stat().st_size > 10_000


def test_matrix_cell_colours_and_link(page, base_url):
    page.goto(f"{base_url}/matrix?topic=environment")
    row = page.locator('tr[data-key="env.water.cod.max_concentration"]')
    sh = row.locator('td[data-jurisdiction="CN-SH"]')
    bg = "el => getComputedStyle(el).backgroundColor"
    assert "cell-aligned" in sh.get_attribute("class")
    assert sh.evaluate(bg) == "rgb(227, 244, 232)"
    # Each status is drawn in its own colour wherever it occurs in the matrix
    # (which cells hold which status follows the corpus, so none is pinned here).
    colours = {
        "cell-aligned": "rgb(227, 244, 232)",
        "cell-divergent": "rgb(251, 227, 225)",
        "cell-missing": "rgb(238, 240, 243)",
    }
    seen = 0
    for cls, colour in colours.items():
        cells = page.locator(f"tbody td.{cls}")
        if cells.count():
            seen += 1
            assert cells.first.evaluate(bg) == colour, cls
    unknown = page.locator("tbody td.cell-unknown")
    if unknown.count():
        seen += 1
        assert "repeating-linear-gradient" in unknown.first.evaluate("el => getComputedStyle(el).backgroundImage")
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
