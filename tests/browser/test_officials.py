"""The provincial official's task in a real browser (fixtures in conftest.py): find two rules with
the picker, compare them, step through the changes, compare N ways, filter the matrix to rows that
differ and follow a cell to its article, then the scoreboard, a hard rule's timeline and the
annual report. Screenshots at 1280 and 390 px under tests/browser/screenshots/."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

SH = "cn-sh/environment/sample-wwtp"
SH_2020 = f"{SH}@2020-01-01"
SH_2023 = f"{SH}@2023-03-01"
JS = "cn-js/environment/sample-wwtp-js"
DZ = "yrd-dz/environment/sample-joint-standard"
HR = "dz-cod-common-limit"


def pick(page, field: str, typed: str, choose: str) -> None:
    """Type part of a title in a picker field and click the suggestion naming ``choose``."""
    box = page.locator(f"#pick-{field}")
    box.fill("")
    box.press_sequentially(typed, delay=20)
    option = page.locator(f"#pick-{field}-results button.picker-option", has_text=choose)
    option.wait_for()
    option.click()
    assert page.locator(f"#pick-{field}-results").is_hidden()


def test_find_two_rules_with_the_picker_and_compare(page, base_url, shots):
    page.goto(f"{base_url}/")
    page.click("#nav-compare")
    page.wait_for_url("**/compare")
    pick(page, "a", "污水", "示例市污水排放标准")
    assert page.input_value("#pick-a") == SH
    # the keyboard works too: ↓ into the list, Enter on the suggestion
    box = page.locator("#pick-b")
    box.press_sequentially("城镇污水", delay=20)
    page.locator("#pick-b-results button.picker-option").first.wait_for()
    shots(page, "officials-picker")
    box.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.classList.contains('picker-option')")
    page.keyboard.press("Enter")
    assert page.input_value("#pick-b") == JS
    page.click("#compare-two-submit")
    page.wait_for_selector("#pane-a .cmp-row")
    assert page.locator(".cmp-heads").inner_text().count("示例") == 2


def test_step_through_the_changes(page, base_url, shots):
    page.goto(f"{base_url}/compare?a={SH_2020}&b={SH_2023}")
    changed = page.locator("#pane-a .cmp-row[data-change]")
    n = changed.count()
    assert n >= 2
    ids = [changed.nth(i).get_attribute("id") for i in range(n)]
    current = "() => document.querySelector('#pane-a .cmp-current')?.id"
    # next, next, … visits every change in order, and wraps to the first
    for expected in [*ids, ids[0]]:
        page.click("#change-next")
        assert page.evaluate(current) == expected
        assert page.url.endswith("#" + expected)
        # the row is in view in both columns, and the position is announced
        assert page.locator(f"#{expected}").is_visible()
        assert page.locator(f"#{expected}-b").evaluate("el => el.classList.contains('cmp-current')")
    assert re.search(rf"\b1\b.*\b{n}\b", page.inner_text("#change-position"))
    page.click("#change-prev")
    assert page.evaluate(current) == ids[-1]
    # keyboard: the stepper links are reachable with Tab and work with Enter; n / p step too
    page.focus("#change-next")
    page.keyboard.press("Enter")
    assert page.evaluate(current) == ids[0]
    page.locator("body").press("n")
    assert page.evaluate(current) == ids[1]
    page.locator("body").press("p")
    assert page.evaluate(current) == ids[0]
    shots(page, "officials-stepper")


def test_nway_with_checkboxes(page, base_url, shots):
    page.goto(f"{base_url}/compare")
    pick(page, "baseline", "示例市污水", "示例市污水排放标准")
    page.check(f'input[name=rules][value="{JS}"]')
    page.check(f'input[name=rules][value="{DZ}"]')
    page.click("#compare-nway-submit")
    page.wait_for_selector("table.nway")
    heads = page.locator("table.nway thead th").all_inner_texts()
    assert any("示例省城镇污水处理厂污染物排放标准" in h for h in heads)
    assert any("示例示范区联合环评互认规定" in h for h in heads)
    assert page.locator("input[name=rules]:checked").count() == 2
    shots(page, "officials-nway")


def test_rule_page_counterparts_lead_to_compare(page, base_url):
    page.goto(f"{base_url}/rules/{SH}")
    first = page.locator("#counterparts li").first
    assert "示例省城镇污水处理厂污染物排放标准" in first.inner_text()
    first.locator("a.compare-link").click()
    page.wait_for_selector("#pane-b .cmp-row")
    assert JS in page.url


def test_matrix_filtered_to_differing_rows_cell_to_article(page, base_url, shots):
    page.goto(f"{base_url}/matrix?topic=environment")
    all_rows = page.locator("#matrix tbody tr[data-key]").count()
    page.check("input[name=differ]")
    page.click("#matrix-filters ~ button")
    page.wait_for_url("**differ=1**")
    rows = page.locator("#matrix tbody tr[data-key]")
    assert 0 < rows.count() < all_rows
    assert all(c == "row-divergent" for c in rows.evaluate_all("els => els.map(e => e.className)"))
    shots(page, "officials-matrix-differing")
    cite = rows.first.locator('td[data-jurisdiction="CN-JS"] a.cite-short')
    assert cite.inner_text() == "江苏省 第四条"
    cite.click()
    page.wait_for_url(f"**/rules/{JS}@*#art-4")
    assert page.locator("#art-4").is_visible()
    # the heat map of the same rows
    page.goto(f"{base_url}/matrix?topic=environment&differ=1&view=heat")
    cells = page.locator("#matrix td.heat-cell")
    assert cells.count() == 4
    colours = set(cells.evaluate_all("els => els.map(e => getComputedStyle(e).backgroundColor)"))
    assert len(colours) >= 2  # strictest and less strict look different
    shots(page, "officials-matrix-heat")


def test_scoreboard_hard_rule_timeline_and_report(page, base_url, shots):
    page.goto(f"{base_url}/scoreboard")
    page.locator("#hard-rules a", has_text="示例示范区化学需氧量统一限值").click()
    page.wait_for_url(f"**/hard-rules/{HR}**")
    timeline = page.locator("#timeline tbody tr")
    assert timeline.count() >= 2
    assert page.locator("#hr-chart svg").is_visible()
    shots(page, "officials-hard-rule")
    page.click("#nav-report")
    page.wait_for_url("**/report")
    page.select_option("#report-year select[name=year]", "2023")
    page.click("#report-year button:not([type=button])")
    page.wait_for_url("**/report?year=2023")
    assert "2023" in page.inner_text("h1")
    assert page.locator("#report-hard-rules tbody tr").count() == 1
    # the print layout hides the menu and the year picker
    page.emulate_media(media="print")
    assert page.locator("header.top").is_hidden() and page.locator("#report-year").is_hidden()
    assert page.locator("#report-deficit table").is_visible()
    page.emulate_media(media="screen")
    shots(page, "officials-report")
