"""The users' tasks in a real browser, step by step, with a screenshot of each step at 1280 and 390 px
(``shots``, tests/browser/screenshots/): legal staff searching precedents in Chinese, an enterprise checking its
facts with its own units and a planned expansion, and the menu on a phone (with and without scripts)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from app import labels

pytestmark = pytest.mark.browser

QUERY = "化学需氧量"
PHONE = {"width": 390, "height": 844}


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def word(code: str, lang: str = "zh") -> str:
    """How pages name a jurisdiction (app.labels)."""
    return labels.word("jurisdiction", code, lang)


def hit_jurisdictions(page, lang: str = "zh") -> set[str]:
    """The jurisdiction codes of the rule hits (each meta line starts with the jurisdiction's name)."""
    metas = page.locator(".hit .hit-meta").all_inner_texts()
    names = {m.split("·")[0].strip() for m in metas if "·" in m}
    codes = {"CN", "CN-SH", "CN-JS", "CN-ZJ", "CN-AH", "YRD", "YRD-DZ"}
    by_name = {word(c, lang): c for c in codes}
    assert names <= set(by_name), names
    return {by_name[n] for n in names}


# ---------------------------------------------------------------- legal staff


def test_legal_staff_search_two_provinces_article_and_language(page, base_url, shots):
    page.goto(f"{base_url}/")
    page.fill("input[name=q]", QUERY)
    page.press("input[name=q]", "Enter")
    page.wait_for_selector(".hit h3 a")
    everywhere = hit_jurisdictions(page)
    assert {"CN-SH", "CN-JS"} <= everywhere
    shots(page, "legal-1-search")

    # first province facet, then a second one: both stay selected, the hits come from those two only
    page.locator(".facets li a", has_text=word("CN-SH")).first.click()
    page.wait_for_url("**jurisdiction=CN-SH**")
    assert hit_jurisdictions(page) == {"CN-SH"}
    page.locator(".facets li:not(.on) a", has_text=word("CN-JS")).first.click()
    page.wait_for_function("() => new URLSearchParams(location.search).getAll('jurisdiction').length === 2")
    params = query_of(page.url)
    assert sorted(params["jurisdiction"]) == ["CN-JS", "CN-SH"] and params["q"] == [QUERY]
    assert hit_jurisdictions(page) == {"CN-SH", "CN-JS"}
    assert page.locator(".facets li.on").count() == 2  # both shown as chosen, each removable
    shots(page, "legal-2-two-provinces")

    # the article anchor of a hit: the rule page opens scrolled to that article, which holds the words
    search_url = page.url
    link = page.locator(".hit .hit-meta a[href*='#art-']").first
    href = link.get_attribute("href")
    link.click()
    anchor = href.rsplit("#", 1)[1]
    page.wait_for_url(f"**#{anchor}")
    article = page.locator(f"#{anchor}")
    assert article.is_visible() and QUERY in article.inner_text()
    assert page.evaluate("id => document.querySelector(':target') === document.getElementById(id)", anchor)
    box = article.bounding_box()
    assert box is not None and 0 <= box["y"] < 900  # scrolled into view
    shots(page, "legal-3-article")

    # switch to English on the search page: the query and both provinces are kept
    page.goto(search_url)
    page.click("#lang-switch")
    page.wait_for_url("**lang=en**")
    params = query_of(page.url)
    assert params["q"] == [QUERY] and sorted(params["jurisdiction"]) == ["CN-JS", "CN-SH"]
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.input_value("input[name=q]") == QUERY
    assert hit_jurisdictions(page, "en") == {"CN-SH", "CN-JS"}
    assert page.locator("label", has_text="Sort by").locator("select[name=sort]").count() == 1
    shots(page, "legal-4-english")


def test_legal_staff_search_on_a_phone_through_the_folded_menu(page, base_url, shots):
    page.set_viewport_size(PHONE)
    page.goto(f"{base_url}/rules")
    button, menu = page.locator("#menu-toggle"), page.locator("#site-menu")
    assert button.is_visible() and not menu.is_visible()
    assert button.get_attribute("aria-expanded") == "false"
    button.click()
    assert menu.is_visible() and button.get_attribute("aria-expanded") == "true"
    links = menu.locator("a")
    # one link a line, each on a single line (no word stacked character by character)
    heights = [links.nth(i).bounding_box()["height"] for i in range(links.count())]
    assert links.count() >= 6 and max(heights) < 2 * min(heights)
    shots(page, "phone-menu-open")
    page.keyboard.press("Escape")
    assert not menu.is_visible() and button.get_attribute("aria-expanded") == "false"
    button.click()
    menu.locator("a", has_text="检索").click()
    page.wait_for_url("**/search")
    page.fill("input[name=q]", QUERY)
    page.press("input[name=q]", "Enter")
    page.wait_for_selector(".hit h3 a")
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    # wider screens: no menu button, the menu is shown
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not button.is_visible() and menu.is_visible()


def test_menu_without_scripts_still_fits_a_phone(browser, base_url):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", java_script_enabled=False)
    try:
        pg = context.new_page()
        pg.goto(f"{base_url}/")
        assert not pg.locator("#menu-toggle").is_visible()  # a button that could do nothing is not shown
        assert pg.locator("#site-menu").is_visible()
        assert pg.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
        first = pg.locator("#site-menu a").first.bounding_box()
        line = pg.evaluate("() => parseFloat(getComputedStyle(document.querySelector('#site-menu a')).lineHeight)")
        assert first["height"] < 1.5 * line  # the menu item is one line, not a column of characters
    finally:
        context.close()


# ---------------------------------------------------------------- enterprise


def fill_fact(page, key: str, value: str, unit: str, scope: str) -> None:
    page.locator("select[name=fact_key]").first.select_option(key)
    page.locator("input[name=fact_value]").first.fill(value)
    page.locator("input[name=fact_unit]").first.fill(unit)
    page.locator("input[name=fact_scope]").first.fill(scope)


def test_enterprise_checks_facts_in_its_units_and_an_expansion(page, base_url, shots):
    page.goto(f"{base_url}/compliance")
    page.uncheck('input[name=jurisdictions][value="CN-SH"]')  # checked by default
    page.check('input[name=jurisdictions][value="CN-JS"]')
    page.check('input[name=jurisdictions][value="CN-ZJ"]')
    # 0.035 g/L is 35 mg/L: within Jiangsu's 40 mg/L, above Shanghai's 30 mg/L
    fill_fact(page, "env.water.cod.max_concentration", "0.035", "g/L", "A级")
    page.select_option("select[name=expand_to]", "CN-SH")
    # a fixed date: the versions in force then are the fixture's, whatever other browser tests add today
    page.fill("input[name=as_of]", "2024-06-01")
    shots(page, "enterprise-1-form")
    page.click("#check-submit")
    page.wait_for_selector("#results")
    rows = page.locator("#results table").first.locator("tbody tr")
    by_jurisdiction = {r.locator("td").first.inner_text().strip(): r for r in rows.all()}
    assert set(by_jurisdiction) == {word("CN-JS"), word("CN-ZJ")}
    js = by_jurisdiction[word("CN-JS")]
    assert "35" in js.locator("td").nth(3).inner_text() and "mg/L" in js.locator("td").nth(3).inner_text()
    assert "40" in js.locator("td").nth(4).inner_text()
    assert js.locator(".ok").count() == 1
    # Zhejiang: the registry holds no value, and says so rather than passing or failing the fact
    zj = by_jurisdiction[word("CN-ZJ")]
    assert zj.locator(".ok, .bad").count() == 0 and zj.locator("[data-coverage]").count() == 1
    # the third province: Shanghai's 30 mg/L would become the binding, stricter value
    expansion = page.locator("#expansion tbody tr")
    assert expansion.count() >= 1
    row = expansion.first.inner_text()
    assert "30" in row and "40" in row
    shots(page, "enterprise-2-results")
    citation = page.locator("#expansion a[href*='#art-3']").first
    citation.click()
    page.wait_for_url("**/rules/cn-sh/environment/sample-wwtp@2023-03-01#art-3")
    assert page.locator("#art-3").is_visible() and "化学需氧量" in page.locator("#art-3").inner_text()
    shots(page, "enterprise-3-citation")


def test_enterprise_fact_in_a_wrong_unit_is_refused_with_the_reason(page, base_url, shots, allow_errors):
    allow_errors.add((400, "/compliance"))
    page.goto(f"{base_url}/compliance")
    page.check('input[name=jurisdictions][value="CN-SH"]')
    fill_fact(page, "env.water.cod.max_concentration", "35", "天", "A级")
    page.click("#check-submit")
    errors = page.locator("#form-errors, .field-error").first
    errors.wait_for()
    text = page.locator("#form-errors, .field-error").all_inner_texts()
    assert any("天" in t for t in text), text  # the message names the unit it could not use
    assert page.locator("#results").count() == 0  # no partial result next to the error
    # what the user typed is kept for correction
    assert page.input_value("input[name=fact_unit]") == "天"
    assert page.input_value("input[name=fact_value]") == "35"
    shots(page, "enterprise-4-wrong-unit")


def test_keyboard_skip_link_and_menu_on_a_phone(page, base_url):
    page.set_viewport_size(PHONE)
    page.goto(f"{base_url}/search?q={QUERY}")
    skip = page.locator(".skip-link")
    assert not skip.is_visible() or skip.bounding_box()["y"] < 0  # out of sight until focused
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    assert skip.bounding_box()["y"] >= 0  # shown while focused
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('main') !== null")  # the header is skipped
    # the menu by keyboard: its button, then its first link
    page.focus("#menu-toggle")
    page.keyboard.press("Enter")
    assert page.locator("#site-menu").is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('#site-menu') !== null")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")  # focus is visible
