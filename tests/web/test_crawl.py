"""Every page reachable from the home page (links and GET forms as they stand), in Chinese and in
English: each answers 200; its visible interface text (rule content marked lang="zh-CN" and
identifiers marked translate="no" aside) shows no code (CN-SH, only_in_a) and nothing in the other
language; its language switch keeps the page and its query (tests/web/crawl.py)."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import pytest

from app import labels
from tests.web.crawl import crawl, problems, visible_text

#: One page of every kind the crawl must reach from the home page.
KINDS = (
    "/",
    "/search",
    "/rules",
    "/rules?jurisdiction=",
    "/rules/",
    "/eli/",
    "/compare?a=",
    "/matrix",
    "/scoreboard",
    "/hard-rules/",
    "/innovations",
    "/compliance",
    "/stats",
    "/api",
    "/signin",
)


def _switch_problems(client, lang: str, pages: dict[str, str]) -> dict[str, str]:
    """Pages whose language switch does not lead to the same page and query in the other language
    (every link checked; one per page kind followed)."""
    other = "en" if lang == "zh" else "zh"
    out: dict[str, str] = {}
    followed: set[str] = set()
    for url, page in pages.items():
        m = re.search(r'<a href="([^"]*)" id="lang-switch"', page)
        if not m:
            out[url] = "no language switch"
            continue
        target = m.group(1).replace("&amp;", "&")
        here, there = urlsplit(url), urlsplit(target)
        if there.path != here.path or parse_qsl(there.query) != [*parse_qsl(here.query), ("lang", other)]:
            out[url] = f"switch goes to {target}"
            continue
        kind = next((k for k in KINDS if url.startswith(k.rstrip("=/") or "/")), url)
        if kind not in followed:
            followed.add(kind)
            resp = client.get(target)
            tag = "en" if other == "en" else "zh-CN"
            if resp.status_code != 200 or f'<html lang="{tag}">' not in resp.get_data(as_text=True):
                out[url] = f"{target} answered {resp.status_code} not in {other}"
    return out


def test_every_page_reachable_from_home_in_both_languages(client):
    """One crawl per language (the crawl is the slow part); every problem of every page reported."""
    report: dict[str, dict] = {}
    for lang in labels.LOCALES:
        c = crawl(client, lang)
        report[f"{lang}: not 200 (linked from)"] = c.failures()
        report[f"{lang}: kinds of page not reached"] = {
            k: "" for k in KINDS if not any(u == k or (k.endswith(("/", "=")) and u.startswith(k)) for u in c.pages)
        }
        report[f"{lang}: codes or other-language strings"] = {
            url: found for url, page in c.pages.items() if (found := problems(page, lang))
        }
        report[f"{lang}: language switch"] = _switch_problems(client, lang, c.pages)
    assert {k: v for k, v in report.items() if v} == {}


def test_the_scan_tells_interface_from_content_and_finds_codes():
    zh_page = '<html lang="zh-CN"><body><td>CN-SH</td><td>only_in_a</td><p>Hard rules</p></body></html>'
    assert {"CN-SH", "only_in_a", "Hard", "rules"} <= set(problems(zh_page, "zh"))
    en_page = '<html lang="en"><body><th>上海市</th><p title="未收录">x</p></body></html>'
    assert problems(en_page, "en") == ["上海市", "未收录"]
    marked = (
        '<html lang="en"><head><title>示例条例</title><script>var x_y = "中";</script></head><body>'
        '<h1><span lang="zh-CN">示例条例</span></h1><code translate="no">env.water.max_concentration</code>'
        '<a lang="zh-CN" href="/x">第一条</a><br><p>Shanghai</p></body></html>'
    )
    assert problems(marked, "en") == []
    assert visible_text(marked) == "Shanghai"
    # the tab's title is read less the content the page declares: a rule title there is content, the rest interface
    tab = marked.replace("<title>示例条例</title>", "<title>示例条例 · 规则登记簿</title>")
    assert problems(tab, "en") == ["规则登记簿"]
    assert problems('<html lang="zh-CN"><head><title>Search · 检索</title></head></html>', "zh") == ["Search"]
    # an element left open (HTML allows it) does not hide what follows its parent
    assert problems('<div lang="zh-CN"><p>示例</div><p>上海</p>', "en") == ["上海"]


@pytest.mark.parametrize("lang", labels.LOCALES)
def test_error_pages_say_what_happened_in_the_page_language(client, lang):
    resp = client.get(f"/eli/cn-sh/environment/sample-wwtp/2023-02-30?lang={lang}")
    assert resp.status_code == 404
    page = resp.get_data(as_text=True)
    assert (
        "<h1>未找到 <small>(404)</small></h1>" if lang == "zh" else "<h1>Not found <small>(404)</small></h1>"
    ) in page
    detail = re.search(r'<p id="error-detail">([^<]*)</p>', page)[1]  # what happened, in the page's language
    assert ("版本" in detail) if lang == "zh" else ("names no version or article of this rule" in detail)
    assert problems(page, lang) == []
