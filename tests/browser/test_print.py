"""Print styles (@media print in layout.css) for the pages people file or cite: the rule, the two-column
compare and the reports (matrix, scoreboard). Chromium prints each to PDF; in print media the menu, forms
and buttons are gone, nothing is clipped in a scroll box, and both compare columns print in full."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

SH_2020 = "cn-sh/environment/sample-wwtp@2020-01-01"
SH_2023 = "cn-sh/environment/sample-wwtp@2023-03-01"

PRINTED = [
    ("rule", f"/rules/{SH_2023}", ".article"),
    ("compare", f"/compare?a={SH_2020}&b={SH_2023}", "#pane-b .cmp-row"),
    ("matrix", "/matrix?topic=environment", "table.matrix"),
    ("scoreboard", "/scoreboard", "#scoreboard"),
    ("annual-report", "/report", "h1"),
]

CLIPPED = """() => [...document.querySelectorAll('.table-scroll, .cmp-pane, .nway-wrap')]
    .filter(el => el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)
    .map(el => el.className)"""


@pytest.mark.parametrize(("kind", "path", "ready"), PRINTED, ids=[p[0] for p in PRINTED])
def test_page_prints_as_a_document(page, base_url, kind, path, ready):
    page.goto(base_url + path)
    page.wait_for_selector(ready)
    assert page.locator("header.top").is_visible()
    page.emulate_media(media="print")
    for hidden in ("header.top", "footer", "form", "button"):
        visible = [el.is_visible() for el in page.locator(hidden).all()]
        assert not any(visible), hidden
    assert page.evaluate(CLIPPED) == []  # every table cell and every compared article is on paper
    assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF-") and len(pdf) > 5_000
    page.emulate_media(media="screen")
    assert page.locator("header.top").is_visible()


def test_compare_prints_both_columns_side_by_side_in_full(page, base_url):
    page.set_viewport_size({"width": 390, "height": 844})  # printed from a phone, too
    page.goto(f"{base_url}/compare?a={SH_2020}&b={SH_2023}")
    page.wait_for_selector("#pane-b .cmp-row")
    page.emulate_media(media="print")
    a, b = page.locator("#pane-a").bounding_box(), page.locator("#pane-b").bounding_box()
    assert abs(a["y"] - b["y"]) < 1 and b["x"] > a["x"] + a["width"] - 1  # side by side
    assert page.evaluate("() => getComputedStyle(document.getElementById('pane-a')).maxHeight") == "none"
    assert page.locator("#pane-b .cmp-row").last.is_visible()
    panes = "() => [...document.querySelectorAll('.cmp-pane')].map(p => p.scrollHeight <= p.clientHeight + 1)"
    assert page.evaluate(panes) == [True, True]  # (tables are laid out at the paper's width when printed)


def test_external_links_print_their_address(page, base_url):
    page.goto(f"{base_url}/rules/{SH_2023}")
    source = page.locator("main a[href^='http']").first
    after = "el => getComputedStyle(el, '::after').content"
    assert source.evaluate(after) in ("none", "normal")
    page.emulate_media(media="print")
    assert source.get_attribute("href") in source.evaluate(after)
