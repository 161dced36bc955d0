"""The search page's province facet with a province chosen: it still lists the other provinces the search
matches (counted without the province filter), so legal staff can add a second province; the hits follow the
chosen provinces only."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

from app import labels

QUERY = "化学需氧量"
SH, JS = labels.word("jurisdiction", "CN-SH", "zh"), labels.word("jurisdiction", "CN-JS", "zh")


def facet_links(html: str) -> dict[str, list[str]]:
    """The jurisdiction facet: link text (the province's name) -> the jurisdiction values of the link's query."""
    aside = html.split('<aside class="facets">', 1)[1].split("</aside>", 1)[0]
    section = aside.split("</ul>", 1)[0]  # the first facet is the jurisdiction one
    out = {}
    for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', section):
        out[unescape(text).replace("✕", "").strip()] = parse_qs(urlsplit(unescape(href)).query).get("jurisdiction", [])
    return out


def test_a_second_province_can_be_added_to_the_first(client):
    html = client.get("/search", query_string={"q": QUERY, "jurisdiction": "CN-SH"}).get_data(as_text=True)
    links = facet_links(html)
    assert links[SH] == []  # the chosen one removes itself
    assert sorted(links[JS]) == ["CN-JS", "CN-SH"]  # the other adds itself to the first
    metas = re.findall(r'<p class="hit-meta">([^<·]+) ·', html)
    assert metas and {m.strip() for m in metas} == {SH}  # the hits are still Shanghai's only

    both = client.get("/search", query_string=[("q", QUERY), ("jurisdiction", "CN-SH"), ("jurisdiction", "CN-JS")])
    html = both.get_data(as_text=True)
    assert {m.strip() for m in re.findall(r'<p class="hit-meta">([^<·]+) ·', html)} == {SH, JS}
    links = facet_links(html)
    assert links[SH] == ["CN-JS"] and links[JS] == ["CN-SH"]


def test_a_query_error_is_shown_once_with_a_province_chosen(client):
    r = client.get("/search", query_string={"q": "*abc", "jurisdiction": "CN-SH"})
    html = r.get_data(as_text=True)
    assert html.count('class="error" role="alert"') == 1
    assert '<aside class="facets">' not in html


def test_a_refused_query_is_explained_in_the_page_language(client):
    """The registry's refusals of a query read in the page's language, values as typed."""
    for q, zh, en in (
        ("*abc", "不支持开头的通配符：*abc", "leading wildcards are not supported: *abc"),
        ("a OR", "OR 两侧都需要检索词", "OR needs a term on both sides"),
        ("owner:x", "owner 不是可检索的字段", "owner is not a searchable field"),
        ("year:abc", "year:abc 不是年份", "year:abc is not a year"),
    ):
        zh_page = client.get("/search", query_string={"q": q, "lang": "zh"}).get_data(as_text=True)
        alert = unescape(re.search(r'<p class="error" role="alert">(.*?)</p>', zh_page)[1])
        assert zh in alert and 'lang="en"' not in alert, (q, alert)
        en_page = client.get("/search", query_string={"q": q, "lang": "en"}).get_data(as_text=True)
        assert en in unescape(re.search(r'<p class="error" role="alert">(.*?)</p>', en_page)[1]), q
