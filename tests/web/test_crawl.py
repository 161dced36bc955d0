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


@pytest.fixture
def crawls(client):
    return {lang: crawl(client, lang) for lang in labels.LOCALES}


def test_every_page_reachable_from_home_answers_200_in_both_languages(crawls):
    for lang, c in crawls.items():
        assert c.failures() == {}, lang  # each failure names the page linking to it
        for kind in KINDS:
            assert any(u == kind or (kind.endswith(("/", "=")) and u.startswith(kind)) for u in c.pages), (lang, kind)


def test_no_code_and_no_other_language_on_any_page(crawls):
    found = {f"{lang} {url}": problems(page, lang) for lang, c in crawls.items() for url, page in c.pages.items()}
    assert {k: v for k, v in found.items() if v} == {}


def test_the_language_switch_keeps_every_page_and_its_query(client, crawls):
    followed = set()
    for lang, c in crawls.items():
        other = "en" if lang == "zh" else "zh"
        for url, page in c.pages.items():
            m = re.search(r'<a href="([^"]*)" id="lang-switch"', page)
            assert m, url
            target = m.group(1).replace("&amp;", "&")
            here, there = urlsplit(url), urlsplit(target)
            assert there.path == here.path, url
            assert parse_qsl(there.query) == [*parse_qsl(here.query), ("lang", other)], url
            kind = next((k for k in KINDS if url.startswith(k.rstrip("=/") or "/")), url)
            if (lang, kind) not in followed:  # follow one switch per page kind and language
                followed.add((lang, kind))
                resp = client.get(target)
                assert resp.status_code == 200, target
                assert f'<html lang="{"en" if other == "en" else "zh-CN"}">' in resp.get_data(as_text=True), target


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
    # an element left open (HTML allows it) does not hide what follows its parent
    assert problems('<div lang="zh-CN"><p>示例</div><p>上海</p>', "en") == ["上海"]
