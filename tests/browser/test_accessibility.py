"""Every page kind, in Chinese (the default) and English, checked by axe-core in Chromium, and at 390 px for
sideways scrolling of the page itself.

axe-core is the pinned npm package that ensure_axe.sh installs at test time (conftest ``axe_source``). It is
evaluated through the DevTools protocol, which the pages' CSP (script-src 'self') does not apply to, so the pages
are checked exactly as served. A "serious" or "critical" violation fails the test, listing rule, impact and the
offending elements. At 390 px (a phone) ``document.documentElement.scrollWidth`` must not exceed the window
width: wide tables scroll inside their own ``.table-scroll`` box, never the page.
"""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

SH_2020 = "cn-sh/environment/sample-wwtp@2020-01-01"
SH_2023 = "cn-sh/environment/sample-wwtp@2023-03-01"
JS_RULE = "cn-js/environment/sample-wwtp-js"
DZ_RULE = "yrd-dz/environment/sample-joint-standard"

# (page kind, path, selector that proves the page is the one meant); signed-in pages are marked.
PAGES = [
    ("home", "/", "input[name=q]"),
    ("search-results", "/search?q=%E5%8C%96%E5%AD%A6%E9%9C%80%E6%B0%A7%E9%87%8F", ".hit h3 a"),
    ("search-empty", "/search?q=%E4%B8%8D%E5%AD%98%E5%9C%A8%E7%9A%84%E8%AF%8D%E8%AF%AD", "select[name=sort]"),
    ("rules-list", "/rules", "table"),
    ("rule", "/rules/cn-sh/environment/sample-wwtp", ".article"),
    ("version", f"/rules/{SH_2020}", ".article"),
    ("article", f"/rules/{SH_2023}#art-3", "#art-3"),
    ("compare-two", f"/compare?a={SH_2020}&b={SH_2023}", "#pane-b .cmp-row"),
    ("compare-nway", f"/compare?baseline={SH_2023}&rules={JS_RULE}&rules={DZ_RULE}", "table.nway"),
    ("compare-form", "/compare", "form"),
    ("matrix", "/matrix?topic=environment", "table.matrix"),
    ("matrix-heat-filtered", "/matrix?topic=environment&view=heat&differ=1", "table.heat"),
    ("compare-pick-choice", f"/compare?a=%E6%B1%A1%E6%B0%B4&b={JS_RULE}", "#choices-a"),
    ("annual-report", "/report?year=2023", "#report-deficit"),
    ("hard-rules-scoreboard", "/scoreboard", "table"),
    ("hard-rule", "/hard-rules/dz-cod-common-limit", "h1"),
    ("compliance-form", "/compliance", "#check-submit"),
    ("innovations", "/innovations", ".innovation"),
    ("innovation-item", "/innovations?q=%E7%A4%BA%E4%BE%8B#sample-innovation", "#sample-innovation"),
    ("stats-gaps", "/stats", "#grid"),
    ("signin", "/signin", "input[name=password]"),
    ("api-docs", "/api", ".api-op"),
]
SIGNED_IN_PAGES = [
    ("edit-rule", "/rules/cn-sh/environment/sample-wwtp/edit", "textarea"),
    ("innovation-new", "/innovations/new", "form"),
    ("innovation-edit", "/innovations/sample-innovation/edit", "form"),
]

# (a JSON-LD block is data, never run: CSP's script-src does not apply to it)
INLINE = re.compile(
    r"<[a-z][^>]*\sstyle\s*=|<style[\s>]|<script(?![^>]*\ssrc=)(?![^>]*type=\"application/ld\+json\")[^>]*>", re.I
)
FAILING_IMPACTS = {"serious", "critical"}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def run_axe(page, axe_source: str, contrast: bool = True) -> list[dict]:
    """The violations axe-core finds on the page as it is (its default rules: WCAG 2.x A and AA and best
    practices). ``contrast=False`` leaves out colour contrast, the slowest rule, where the same stylesheet
    was already checked on the same page in the other language."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source)
    return page.evaluate(
        """async (contrast) => {
            const r = await axe.run(document, {resultTypes: ['violations'],
                                               rules: {'color-contrast': {enabled: contrast}}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
        }""",
        contrast,
    )


def sideways_overflow(page) -> dict | None:
    """None when the page fits its window, else the widths and the widest elements sticking out."""
    return page.evaluate(
        """() => {
            const w = window.innerWidth, sw = document.documentElement.scrollWidth;
            if (sw <= w) return null;
            const out = [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > w + 1)
                .filter(el => !el.closest('.table-scroll, .cmp-pane, pre'))
                .slice(0, 8).map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                    + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().replace(/ +/g, '.') : '')
                    + ' right=' + Math.round(el.getBoundingClientRect().right));
            return {innerWidth: w, scrollWidth: sw, sticking_out: out};
        }"""
    )


def with_lang(path: str, lang: str) -> str:
    base, _, fragment = path.partition("#")
    base += ("&" if "?" in base else "?") + f"lang={lang}"
    return base + (f"#{fragment}" if fragment else "")


def check_page(pg, base_url: str, axe_source: str, path: str, ready: str, expect_status: int = 200) -> None:
    """Each language: load at 1280 px and run axe; then narrow the same page to 390 px (the media queries
    and layout.js respond to the resize) and check it for sideways scrolling. axe on the phone layout
    (folded menu, stacked columns) is ``test_phone_layout_is_accessible``."""
    problems = []
    for lang, html_lang in (("zh", "zh-CN"), ("en", "en")):
        url = base_url + (path if lang == "zh" else with_lang(path, lang))
        pg.set_viewport_size(DESKTOP)
        pg.goto("about:blank")  # a fresh load, also for a URL with #fragment
        response = pg.goto(url)
        assert response is not None and response.status == expect_status, (url, response and response.status)
        pg.wait_for_selector(ready)
        assert pg.locator("html").get_attribute("lang") == html_lang, url
        # CSP: no inline style attributes, style elements or scripts in what the server sent
        html = response.text()
        assert not INLINE.search(html), (url, INLINE.search(html).group(0))
        problems += axe_problems(pg, axe_source, f"{lang} 1280px", contrast=lang == "zh")
        pg.set_viewport_size(PHONE)
        overflow = sideways_overflow(pg)
        if overflow:
            problems.append(f"{lang} 390px page scrolls sideways: {overflow}")
    assert problems == [], "\n".join(problems)


def axe_problems(pg, axe_source: str, where: str, contrast: bool = True) -> list[str]:
    return [
        f"{where} {v['impact']} {v['id']}: {v['help']} {v['nodes']}"
        for v in run_axe(pg, axe_source, contrast)
        if v["impact"] in FAILING_IMPACTS
    ]


@pytest.mark.parametrize(("kind", "path", "ready"), PAGES, ids=[p[0] for p in PAGES])
def test_page_is_accessible_and_fits_a_phone(page, base_url, axe_source, kind, path, ready):
    check_page(page, base_url, axe_source, path, ready)


def test_not_found_page_is_accessible_and_fits_a_phone(page, base_url, axe_source, allow_errors):
    missing = "/rules/cn-sh/environment/no-such-rule"
    allow_errors.add((404, missing))
    check_page(page, base_url, axe_source, missing, "h1", expect_status=404)


@pytest.mark.parametrize(("kind", "path", "ready"), SIGNED_IN_PAGES, ids=[p[0] for p in SIGNED_IN_PAGES])
def test_signed_in_page_is_accessible_and_fits_a_phone(signed_in_page, base_url, axe_source, kind, path, ready):
    check_page(signed_in_page, base_url, axe_source, path, ready)
    assert signed_in_page.locator("button:has-text('Sign out'), button:has-text('退出')").count() == 1


PHONE_PAGES = [
    "home",
    "search-results",
    "rule",
    "compare-two",
    "compare-nway",
    "matrix",
    "compliance-form",
    "annual-report",
]


@pytest.mark.parametrize("kind", PHONE_PAGES)
def test_phone_layout_is_accessible(page, base_url, axe_source, kind):
    """axe on pages loaded at 390 px: the menu folded behind its button, then opened; stacked compare columns."""
    path, ready = next((p, r) for k, p, r in PAGES if k == kind)
    page.set_viewport_size(PHONE)
    page.goto(base_url + path)
    page.wait_for_selector(ready)
    problems = axe_problems(page, axe_source, "zh 390px")
    if kind == "home":
        page.click("#menu-toggle")
        assert page.locator("#site-menu").is_visible()
        problems += axe_problems(page, axe_source, "zh 390px menu open")
    assert problems == [], "\n".join(problems)


def test_axe_finds_a_missing_label(page, base_url, axe_source):
    """The check can fail: a form control without a label, added to a real page, is reported as serious."""
    page.goto(f"{base_url}/")
    page.evaluate(
        "() => { const i = document.createElement('input'); i.name = 'x'; document.querySelector('main').append(i); }"
    )
    found = {v["id"]: v["impact"] for v in run_axe(page, axe_source)}
    assert found.get("label") in FAILING_IMPACTS


def test_overflow_check_finds_a_wide_element(page, base_url):
    """The sideways check can fail: an element wider than a phone, outside a scroll box, is reported."""
    page.set_viewport_size(PHONE)
    page.goto(f"{base_url}/")
    assert sideways_overflow(page) is None
    page.evaluate(
        "() => { const d = document.createElement('div'); d.id = 'too-wide'; d.textContent = 'x';"
        " d.setAttribute('class', 'too-wide'); document.querySelector('main').append(d);"
        " document.styleSheets[0].insertRule('.too-wide { width: 900px; }'); }"
    )
    overflow = sideways_overflow(page)
    assert overflow is not None and overflow["scrollWidth"] > overflow["innerWidth"]
    assert any("div#too-wide" in s for s in overflow["sticking_out"])
