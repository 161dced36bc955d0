"""Assets every page links from base.html: the layout stylesheet and script, and the icon, also at
/favicon.ico where browsers ask for it unprompted (no 404 in the logs)."""

from __future__ import annotations

import re


def test_favicon_is_served_at_the_root_and_linked(client):
    r = client.get("/favicon.ico")
    assert r.status_code == 200
    assert r.mimetype == "image/vnd.microsoft.icon"
    assert r.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    count = int.from_bytes(r.data[4:6], "little")
    assert count >= 2  # several sizes
    html = client.get("/").get_data(as_text=True)
    icons = re.findall(r'<link rel="icon" href="([^"]+)"', html)
    assert "/favicon.ico" in icons
    svg = next(h for h in icons if h.endswith(".svg"))
    r = client.get(svg)
    assert r.status_code == 200 and r.mimetype == "image/svg+xml" and b"<svg" in r.data


def test_every_page_links_the_layout_assets(client):
    for path in ("/", "/search?q=x", "/rules", "/signin", "/no-such-page"):
        html = client.get(path).get_data(as_text=True)
        for asset in re.findall(r'(?:href|src)="(/static/layout\.(?:css|js))"', html):
            assert client.get(asset).status_code == 200
        assert 'href="/static/layout.css"' in html and 'src="/static/layout.js"' in html, path
        # the menu button names the menu it opens
        assert re.search(r'<button type="button" class="menu-toggle" id="menu-toggle" aria-controls="site-menu"', html)
        assert 'id="site-menu"' in html


def test_the_search_sort_has_a_label(client):
    html = client.get("/search", query_string={"q": "化学需氧量"}).get_data(as_text=True)
    assert re.search(r"<label>[^<]+\s*<select name=\"sort\">", html)
