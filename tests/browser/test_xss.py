"""XSS: payloads (tests/fuzz/xss_payloads.py) through every input that reaches a page, rendered in Chromium.

Inputs: rule titles, English titles, bodies and issuers from corpus files, from API writes and from
`registry import`; innovation fields (corpus and API); hard-rule titles (pages and the SVG chart);
search queries; compare, rule-page and as-of parameters; compliance form values; error paths.

The browser context bypasses the Content-Security-Policy on purpose: escaping and sanitising are
what is tested, so an injected script would run here and be caught. Each page must show 0 calls
of the hooked alert/confirm/prompt, 0 dialogs, no ``window.__xss``, no console message or title with
the mark, 0 event-handler attributes, 0 ``javascript:``/``data:``/``vbscript:`` URLs, no inline or
foreign ``<script>``, no ``<base>``, ``<meta http-equiv>``, ``<iframe>``, ``<object>`` or ``<embed>``.

XSS_PAYLOADS=N picks how many (default 30 in `make test`; `make soak` runs all).
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.fuzz.xss_payloads import MARK, PAYLOADS

pytestmark = pytest.mark.browser

COUNT = int(os.environ.get("XSS_PAYLOADS", "30"))
USED = PAYLOADS[: min(COUNT, len(PAYLOADS))]
FIXTURE_CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"

HOOKS = """
window.__hits = [];
for (const n of ['alert', 'confirm', 'prompt', 'print']) {
  window[n] = function () { window.__hits.push(n); return null; };
}
"""

INSPECT = """() => {
  const bad = [];
  const urlAttrs = ['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'poster', 'background',
                    'srcdoc', 'content', 'codebase', 'cite', 'ping'];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const n = a.name.toLowerCase();
      const v = a.value.replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase();
      if (n.startsWith('on')) bad.push(el.tagName + ' ' + n);
      if (urlAttrs.includes(n) && /^(javascript|data|vbscript):/.test(v)) bad.push(el.tagName + ' ' + n + '=' + v.slice(0, 40));
      if (n === 'srcdoc') bad.push(el.tagName + ' srcdoc');
    }
    const t = el.tagName.toUpperCase();
    if (['BASE', 'OBJECT', 'EMBED', 'IFRAME', 'FRAME', 'APPLET'].includes(t)) bad.push(t);
    if (t === 'META' && el.getAttribute('http-equiv')) bad.push('META http-equiv');
    if (t === 'SCRIPT' && !el.getAttribute('src')) {
      // a schema.org data block is data, never run; it must still parse whole (no payload ended it)
      if ((el.getAttribute('type') || '') === 'application/ld+json') {
        try { JSON.parse(el.textContent); } catch (e) { bad.push('JSON-LD broken'); }
      } else bad.push('inline SCRIPT');
    }
    if (t === 'SCRIPT' && el.src && !el.src.startsWith(location.origin + '/')) bad.push('foreign SCRIPT ' + el.src);
  }
  return {bad: bad, hits: window.__hits || [], flag: !!window.__xss, title: document.title};
}"""


def _doc(i: int, payload: str, title: str) -> str:
    one_line = " ".join(payload.split())
    return (
        "---\n"
        f"title: {json.dumps(title, ensure_ascii=False)}\n"
        f"title_en: {json.dumps(payload, ensure_ascii=False)}\n"
        "jurisdiction: CN-SH\n"
        "topic: data\n"
        "kind: government_rule\n"
        f"issuer: {json.dumps(one_line, ensure_ascii=False)}\n"
        "effective: 2022-01-01\n"
        "source_url: https://example.org/xss\n"
        "provenance: summary\n"
        "---\n"
        f"# 示例注入检查 {i}\n\n"
        f"## 第一条 {one_line}\n\n"
        f"注入检查 {payload}\n\n"
        f"## 第二条 目的\n\n{payload}\n"
    )


def _innovation(payload: str) -> str:
    return (
        "---\n"
        f"title: {json.dumps(payload, ensure_ascii=False)}\n"
        f"title_en: {json.dumps(payload, ensure_ascii=False)}\n"
        f"category: {json.dumps(' '.join(payload.split()), ensure_ascii=False)}\n"
        f"promotion_notice: {json.dumps(payload, ensure_ascii=False)}\n"
        "source_url: https://example.org/xss-innovation\n"
        "---\n"
        f"注入检查 {payload}\n"
    )


def _hard_rule(i: int, payload: str) -> str:
    return (
        f"id: xss-hard-{i}\n"
        f"title: {json.dumps(payload, ensure_ascii=False)}\n"
        "parameter: data.sharing.response_days\n"
        f"scope: {json.dumps(' '.join(payload.split()), ensure_ascii=False)}\n"
        "target: 10\n"
        "jurisdictions: [CN-SH, CN-JS]\n"
        f"deliverable: {json.dumps(payload, ensure_ascii=False)}\n"
        "deadline: 2026-12-31\n"
        "source_url: https://example.org/xss-hard\n"
    )


def _official_text(i: int, payload: str) -> str:
    one_line = " ".join(payload.split())
    return f"示例注入条例{i}\n\n第一条 {one_line}\n\n第二条 注入检查 {one_line}\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The app with every payload planted through each write path, served on a loopback port."""
    from werkzeug.serving import make_server

    from app import create_app
    from app.cli import cli

    tmp = tmp_path_factory.mktemp("xss")
    corpus = tmp / "corpus"
    shutil.copytree(FIXTURE_CORPUS, corpus)
    rule_ids, api_ids, hard_ids = [], [], []
    for i, p in enumerate(USED):
        if i % 3 == 2:
            continue  # written through the API below
        (corpus / "rules/cn-sh/data" / f"xss-{i}.md").write_text(_doc(i, p, p), encoding="utf-8")
        rule_ids.append((i, f"cn-sh/data/xss-{i}"))
        (corpus / "innovations" / f"xss-{i}.md").write_text(_innovation(p), encoding="utf-8")
        if i % 5 == 0:
            (corpus / "hard_rules" / f"xss-hard-{i}.yaml").write_text(_hard_rule(i, p), encoding="utf-8")
            hard_ids.append((i, f"xss-hard-{i}"))
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{tmp / 'registry.sqlite3'}",
            "REGISTRY_CORPUS": str(corpus),
            "REGISTRY_INDEX": str(tmp / "index"),
            "SECRET_KEY": "xss-test",
        }
    )
    runner = app.test_cli_runner()
    result = runner.invoke(cli, ["load"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(cli, ["user", "add", "xss-admin", "--role", "admin"]).exit_code == 0
    token = json.loads(runner.invoke(cli, ["token", "create", "xss-admin", "--json"]).stdout)["token"]
    client = app.test_client()
    auth = {"Authorization": f"Bearer {token}"}
    refused = []
    for i, p in enumerate(USED):
        if i % 3 != 2:
            continue
        r = client.post("/api/v1/rules", json={"document": _doc(i, p, p), "slug": f"xss-api-{i}"}, headers=auth)
        if r.status_code == 201:
            api_ids.append((i, r.get_json()["id"]))
        else:
            refused.append((i, r.status_code, r.get_data(as_text=True)[:200]))
        r = client.post("/api/v1/innovations", json={"document": _innovation(p), "slug": f"xss-api-{i}"}, headers=auth)
        if r.status_code != 201:
            refused.append((i, r.status_code, r.get_data(as_text=True)[:200]))
    assert refused == [], refused  # every payload is valid text: stored, then escaped on the way out
    imported = []
    for i, p in list(enumerate(USED))[:: max(1, len(USED) // 5)]:
        src = tmp / f"official-{i}.txt"
        src.write_text(_official_text(i, p), encoding="utf-8")
        out = runner.invoke(
            cli,
            ["import", str(src), "-j", "CN-SH", "-t", "data", "-k", "local_regulation", "--effective", "2023-01-01",
             "--source-url", "https://example.org/xss-import", "--title-en", f"xss import {i}", "--json"],
        )  # fmt: skip
        assert out.exit_code == 0, out.output
        imported.append((i, json.loads(out.stdout)["id"]))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {
        "base": f"http://127.0.0.1:{server.server_port}",
        "rules": rule_ids,
        "api": api_ids,
        "hard": hard_ids,
        "imported": imported,
    }
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()
    app.extensions["registry_engine"].dispose()


@pytest.fixture(scope="module")
def xss_page(browser):
    context = browser.new_context(bypass_csp=True, locale="zh-CN", java_script_enabled=True)
    context.set_default_timeout(15_000)
    context.add_init_script(HOOKS)
    page = context.new_page()
    seen: dict[str, list[str]] = {"dialogs": [], "console": []}
    page.on("dialog", lambda d: (seen["dialogs"].append(d.type), d.dismiss()))
    page.on("console", lambda m: seen["console"].append(m.text) if MARK in m.text else None)
    yield page, seen
    context.close()


def _q(value: str) -> str:
    return urllib.parse.quote(value, safe="")


def _visit(xss_page, url: str, *, submit: str | None = None) -> list:
    page, seen = xss_page
    seen["dialogs"].clear()
    seen["console"].clear()
    page.goto(url, wait_until="load")
    if submit is not None:
        page.evaluate(submit)
        page.wait_for_load_state("load")
    page.wait_for_timeout(30)  # let autofocus/onload handlers (if any were injected) fire
    found = page.evaluate(INSPECT)
    problems = list(found["bad"])
    if found["hits"] or found["flag"] or found["title"] == MARK or seen["dialogs"] or seen["console"]:
        problems.append(f"SCRIPT RAN: {found} {seen}")
    return [(url[:160], p) for p in problems]


def _all_urls(site) -> list[str]:
    base = site["base"]
    urls = []
    for _i, rid in site["rules"] + site["api"] + site["imported"]:
        urls.append(f"{base}/rules/{rid}")
        urls.append(f"{base}/rules/{rid}?lang=en")
    for i, p in enumerate(USED):
        urls.append(f"{base}/search?q={_q(p)}")
        urls.append(f"{base}/compare?a={_q(p)}&b={_q(p)}")
        urls.append(f"{base}/rules/{_q(p)}")
        if i % 3 == 0:
            urls.append(f"{base}/rules?as_of={_q(p)}&topic={_q(p)}")
            urls.append(f"{base}/innovations?category={_q(p)}")
            urls.append(f"{base}/search?q=%E6%B3%A8%E5%85%A5&jurisdiction={_q(p)}&as_of={_q(p)}")
    for _i, hid in site["hard"]:
        urls.append(f"{base}/hard-rules/{hid}")  # the chart inline; the .svg download is checked below
    urls += [
        f"{base}/",
        f"{base}/rules?topic=data",
        f"{base}/innovations",
        f"{base}/innovations?lang=en",
        f"{base}/search?q=%E6%B3%A8%E5%85%A5%E6%A3%80%E6%9F%A5",  # 注入检查: hits with snippets of every payload
        f"{base}/scoreboard",
        f"{base}/stats",
        f"{base}/matrix?topic=data",
        f"{base}/compare?a=cn-sh/data/xss-0&b=cn-sh/data/xss-1",
    ]
    return urls


def test_no_payload_runs_or_leaves_a_dangerous_url_on_any_page(site, xss_page):
    problems = []
    for url in _all_urls(site):
        problems += _visit(xss_page, url)
    assert problems == []


def test_compliance_form_values_are_inert(site, xss_page):
    base = site["base"]
    problems = []
    for p in USED:
        submit = (
            "(p) => { const f = document.getElementById('compliance-form');"
            " f.querySelectorAll('input[name=fact_value], input[name=fact_unit], input[name=fact_scope]')"
            ".forEach(i => { i.value = p; });"
            " const sel = f.querySelector('select[name=fact_key]'); sel.options[sel.options.length - 1].selected = true;"
            " for (const n of ['jurisdictions', 'expand_to', 'as_of']) {"
            "  const h = document.createElement('input'); h.type = 'hidden'; h.name = n; h.value = p; f.appendChild(h); }"
            " f.submit(); }"
        )
        page, _ = xss_page
        page.goto(f"{base}/compliance")
        with page.expect_navigation():
            page.evaluate(submit, p)
        found = page.evaluate(INSPECT)
        if found["bad"] or found["hits"] or found["flag"] or found["title"] == MARK:
            problems.append((p, found))
    assert problems == []


def _inline_markup(html: str) -> list[str]:
    """Style attributes, <style> elements and inline <script> elements in a page's markup."""
    from html.parser import HTMLParser

    found: list[str] = []

    class Finder(HTMLParser):
        def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
            names = {n.lower() for n, _ in attrs}
            if "style" in names:
                found.append(f"<{tag} style=…>")
            data_block = dict(attrs).get("type") == "application/ld+json"  # schema.org data, not run
            if tag == "style" or (tag == "script" and "src" not in names and not data_block):
                found.append(f"<{tag}> inline")

    Finder().feed(html)
    return found


def test_every_response_carries_the_csp_without_unsafe_inline(site):
    """Pages, SVG charts, feeds, downloads and errors: a CSP on each; styles only from static files."""
    base = site["base"]
    hid = site["hard"][0][1]
    paths = ["/", "/search?q=x", "/rules", f"/hard-rules/{hid}", f"/hard-rules/{hid}.svg", "/feeds/changes.atom",
             "/feeds/alignment.atom", "/matrix.csv", "/scoreboard.xlsx", "/api/v1/rules", "/api/v1/openapi.json",
             "/rules/no/such/rule", "/compare?a=x&b=y", "/scoreboard", "/innovations", "/compliance", "/api",
             "/static/registry.css"]  # fmt: skip
    for path in paths:
        try:
            resp = urllib.request.urlopen(base + path)
        except urllib.error.HTTPError as err:
            resp = err
        csp = resp.headers.get("Content-Security-Policy", "")
        assert csp, path
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, (path, csp)
        assert "frame-ancestors 'none'" in csp and "base-uri 'none'" in csp, (path, csp)
        body = resp.read().decode("utf-8", "replace")
        if resp.headers.get_content_type() == "text/html":
            assert "script-src 'self'" in csp and "style-src 'self'" in csp and "data:" not in csp, csp
            # parsed, so escaped payload text (&lt;div style=…) is not mistaken for markup
            assert _inline_markup(body) == [], path
        if resp.headers.get_content_type() in ("image/svg+xml", "application/atom+xml"):
            assert "default-src 'none'" in csp and "sandbox" in csp, (path, csp)


def test_svg_downloads_hold_no_script_or_handler(site):
    import xml.etree.ElementTree as ET

    for _i, hid in site["hard"]:
        resp = urllib.request.urlopen(f"{site['base']}/hard-rules/{hid}.svg")
        assert resp.headers.get_content_type() == "image/svg+xml"
        assert resp.headers["Content-Disposition"].startswith("attachment")
        root = ET.fromstring(resp.read())
        for el in root.iter():
            assert not el.tag.endswith(("script", "foreignObject", "iframe")), el.tag
            for name, value in el.attrib.items():
                assert not name.lower().startswith("on"), (el.tag, name)
                assert not value.strip().lower().startswith(("javascript:", "data:")), (el.tag, name, value)


def test_feed_links_do_not_come_from_the_host_header(site):
    base = site["base"]
    for path in ("/feeds/changes.atom", "/feeds/alignment.atom"):
        req = urllib.request.Request(
            base + path, headers={"Host": "forged-host.invalid", "X-Forwarded-Host": "forged-host.invalid"}
        )
        body = urllib.request.urlopen(req).read().decode("utf-8")
        assert "forged-host.invalid" not in body
        assert "http://127.0.0.1:5000/" in body  # PUBLIC_BASE_URL's default
