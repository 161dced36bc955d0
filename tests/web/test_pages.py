"""Pages of SPEC §7 on the fixture corpus: compare, matrix, scoreboard, hard rule, compliance,
innovations, stats, API docs, sign-in, feeds and downloads — content, bad input, CSRF, formats."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET

import openpyxl
import pytest

SH = "cn-sh/environment/sample-wwtp"
SH_2020 = f"{SH}@2020-01-01"
SH_2023 = f"{SH}@2023-03-01"
JS = "cn-js/environment/sample-wwtp-js"
DZ = "yrd-dz/environment/sample-joint-standard"
HR = "dz-cod-common-limit"
ATOM = "{http://www.w3.org/2005/Atom}"
TOKEN = "test-csrf-token"


def html(resp) -> str:
    return resp.get_data(as_text=True)


def with_csrf(client) -> str:
    with client.session_transaction() as sess:
        sess["csrf"] = TOKEN
    return TOKEN


# ---------------------------------------------------------------- compare


def test_compare_two_versions_side_by_side(client):
    resp = client.get(f"/compare?a={SH_2020}&b={SH_2023}")
    assert resp.status_code == 200
    page = html(resp)
    assert 'id="pane-a"' in page and 'id="pane-b"' in page
    assert "<ins>保护水环境，</ins>" in page  # inline highlight inside the aligned article
    assert 'class="diff diff-wording"' in page
    summary = client.get(f"/api/v1/diff?a={SH_2020}&b={SH_2023}").get_json()["summary"]
    for key, n in summary.items():  # the page's counts are the diff's
        assert f'data-count="{key}">{n}<' in page
    assert 'data-type="wording">' in page  # counts per difference type
    assert re.search(r'<a href="#row-\d+"', page)  # jump links of the change list
    assert "/static/compare.js" in page and "<script>" not in page  # no inline script (CSP)
    assert "/rules/cn-sh/environment/sample-wwtp@2020-01-01#art-1" in page
    # the rows of both columns are the same rows, in the same order
    assert re.findall(r'data-row="(\d+)"', page.split('id="pane-b"')[0]) == re.findall(
        r'data-row="(\d+)"', page.split('id="pane-b"')[1]
    )


def test_compare_from_the_rule_page_form(client):
    resp = client.get(f"/compare?a={SH_2023}&b={JS}")
    assert resp.status_code == 200
    assert "示例省城镇污水处理厂污染物排放标准" in html(resp)


def test_compare_escapes_and_english(client):
    resp = client.get(f"/compare?a={SH_2020}&b={SH_2023}&lang=en")
    assert resp.status_code == 200
    assert "List of changes" in html(resp)


def test_compare_nway_grid(client):
    resp = client.get(f"/compare?baseline={SH}&rules={JS}&rules={DZ}")
    assert resp.status_code == 200
    page = html(resp)
    # 4 baseline articles × 2 rules, row by row: status, similarity band, difference types
    assert re.findall(r'class="nw-cell (nw-[^"]*)"', page) == [
        "nw-differing band-2 dt-wording",
        "nw-differing band-1 dt-scope dt-wording",
        "nw-missing band-0",
        "nw-missing band-0",
        "nw-missing band-0",
        "nw-missing band-0",
        "nw-differing band-1 dt-deadline dt-wording",
        "nw-missing band-0",
    ]
    # comma-separated rules give the same page (the language switch keeps the query as written)
    switch = re.compile(r'<a href="[^"]*" id="lang-switch"[^>]*>')
    assert switch.sub("", html(client.get(f"/compare?baseline={SH}&rules={JS},{DZ}"))) == switch.sub("", page)
    assert len(switch.findall(page)) == 1


def test_compare_bare_id_not_in_force_falls_back_with_a_note(client):
    resp = client.get(f"/compare?a={SH}&b={JS}&as_of=1990-01-01")
    assert resp.status_code == 200
    page = html(resp)
    assert 'id="compare-notes"' in page and SH_2020 in page


def test_compare_escapes_what_it_echoes(client):
    resp = client.get("/compare?a=<script>alert(1)</script>&b=x")
    assert resp.status_code == 404
    assert "<script>alert" not in html(resp)
    resp = client.get(f"/compare?baseline={SH}&rules={JS},%22%3E%3Cscript%3E")
    assert resp.status_code == 404
    assert '"><script>' not in html(resp)


def test_compare_form_without_arguments(client):
    resp = client.get("/compare")
    assert resp.status_code == 200
    assert 'name="baseline"' in html(resp)


@pytest.mark.parametrize(
    "query, status",
    [
        ("a=nope&b=x/y/z", 404),
        (f"a={SH}&b=cn-sh/environment/missing", 404),
        (f"a={SH}@2019-01-01&b={JS}", 404),
        (f"a={SH}", 400),
        (f"baseline={SH}", 400),
        (f"baseline=bad&rules={JS}", 404),
        (f"a={SH}&b={JS}&as_of=2020-02-30", 400),
    ],
)
def test_compare_bad_input_is_an_error_page(client, query, status):
    resp = client.get(f"/compare?{query}")
    assert resp.status_code == status
    assert resp.mimetype == "text/html"


# ---------------------------------------------------------------- matrix


def test_matrix_page(client):
    resp = client.get("/matrix?topic=environment")
    assert resp.status_code == 200
    page = html(resp)
    assert "化学需氧量排放浓度限值" in page
    assert 'class="cell-aligned strictest"' in page  # CN-SH 30 mg/L meets the hard rule and is strictest
    assert "cell-missing" in page
    assert "/rules/cn-sh/environment/sample-wwtp@2023-03-01#art-3" in page
    assert "★" in page
    assert "/matrix.csv?" in page and "/matrix.xlsx?" in page
    assert 'data-alignment="aligned"' in page


def test_matrix_links_percent_encode_non_ascii(client):
    page = html(client.get("/matrix?topic=environment"))
    hrefs = re.findall(r'href="([^"]+)"', page)
    assert hrefs and all(h.isascii() for h in hrefs)


def test_matrix_other_topic_and_columns(client):
    resp = client.get("/matrix?topic=data&jurisdiction=CN-SH&jurisdiction=CN-AH&lang=en")
    assert resp.status_code == 200
    assert "Topic matrix" in html(resp)


@pytest.mark.parametrize("query", ["topic=bogus", "jurisdiction=XX", "as_of=2021-13-01", "as_of=yesterday"])
def test_matrix_bad_input(client, query):
    resp = client.get(f"/matrix?{query}")
    assert resp.status_code == 400
    assert resp.mimetype == "text/html"


# ---------------------------------------------------------------- scoreboard and hard rules


def test_scoreboard_page(client):
    resp = client.get("/scoreboard")
    assert resp.status_code == 200
    page = html(resp)
    assert "rating-red" in page and "rating-green" in page  # CN-ZJ missing, CN-SH aligned
    assert "≤ 25%" in page and "≤ 50%" in page  # thresholds stated
    assert "示例示范区化学需氧量统一限值" in page
    assert "<svg" in page and "/hard-rules/dz-cod-common-limit" in page
    marker = '<div class="chart" id="progress-chart">'
    svg = page[page.index(marker) + len(marker) :]
    ET.fromstring(svg[svg.index("<svg") : svg.index("</svg>") + 6])


def test_hard_rule_page_and_svg(client):
    resp = client.get(f"/hard-rules/{HR}")
    assert resp.status_code == 200
    page = html(resp)
    assert "2021-06-30" in page and "2023-03-01" in page  # timeline
    assert "/rules/cn-js/environment/sample-wwtp-js@2021-06-30#art-4" in page
    svg = client.get(f"/hard-rules/{HR}.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert "attachment" in svg.headers["Content-Disposition"]
    root = ET.fromstring(svg.data)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"


@pytest.mark.parametrize("url", ["/hard-rules/nope", "/hard-rules/nope.svg"])
def test_unknown_hard_rule_is_404(client, url):
    assert client.get(url).status_code == 404


# ---------------------------------------------------------------- compliance


def test_compliance_form(client):
    resp = client.get("/compliance")
    assert resp.status_code == 200
    page = html(resp)
    assert 'name="csrf_token"' in page
    assert 'value="env.water.cod.max_concentration"' in page  # parameter vocabulary offered


def test_compliance_submit(client):
    token = with_csrf(client)
    resp = client.post(
        "/compliance",
        data={
            "csrf_token": token,
            "jurisdictions": ["CN-SH", "CN-JS"],
            "fact_key": ["env.water.cod.max_concentration", ""],
            "fact_value": ["35", ""],
            "fact_scope": ["A级", ""],
            "expand_to": "CN-ZJ",
        },
    )
    assert resp.status_code == 200, html(resp)
    page = html(resp)
    assert 'id="results"' in page
    assert "✗" in page and "✓" in page  # 35 fails SH's 30, meets JS's 40
    assert "/rules/cn-sh/environment/sample-wwtp@2023-03-01#art-3" in page
    assert 'id="strictest"' in page and 'id="expansion"' in page


@pytest.mark.parametrize(
    "data",
    [
        {"jurisdictions": [], "fact_key": ["env.water.cod.max_concentration"], "fact_value": ["35"]},
        {"jurisdictions": ["CN-SH"], "fact_key": ["env.water.cod.max_concentration"], "fact_value": ["abc"]},
        {"jurisdictions": ["CN-SH"], "fact_key": [""], "fact_value": [""]},
        {"jurisdictions": ["XX"], "fact_key": ["env.water.cod.max_concentration"], "fact_value": ["35"]},
        {"jurisdictions": ["CN-SH"], "fact_key": ["no.such.key"], "fact_value": ["1"]},
        {
            "jurisdictions": ["CN-SH"],
            "fact_key": ["env.water.cod.max_concentration"],
            "fact_value": ["35"],
            "as_of": "2020-02-31",
        },
        {"jurisdictions": ["CN-SH"], "fact_key": ["env.eia.mutual_recognition"], "fact_value": ["12"]},
        {"jurisdictions": ["CN-SH"], "fact_key": ["env.water.cod.max_concentration"], "fact_value": ["nan"]},
    ],
)
def test_compliance_validation_errors_on_the_form(client, data):
    token = with_csrf(client)
    resp = client.post("/compliance", data={"csrf_token": token, **data})
    assert resp.status_code == 400
    page = html(resp)
    assert 'id="form-errors"' in page and 'id="compliance-form"' in page


def test_compliance_without_csrf_is_400(client):
    resp = client.post("/compliance", data={"jurisdictions": ["CN-SH"], "fact_key": ["x"], "fact_value": ["1"]})
    assert resp.status_code == 400
    with_csrf(client)
    assert client.post("/compliance", data={"csrf_token": "wrong", "jurisdictions": ["CN-SH"]}).status_code == 400


# ---------------------------------------------------------------- innovations and stats


def test_innovations_page(client):
    resp = client.get("/innovations")
    assert resp.status_code == 200
    page = html(resp)
    assert "已收录 1 项，公开报道共 154 项；已确认全国推广 0 项，报道的全国推广为 57 项" in page
    assert "1 of 154 catalogued; promotion status known for 0 of 57" in html(client.get("/innovations?lang=en"))
    assert 'id="sample-innovation"' in page
    assert 'href="https://example.org/innovation"' in page
    assert "<p>示范区三地统一项目审批流程（测试用示例）。</p>" in page  # Markdown rendered


@pytest.mark.parametrize(
    "query, present",
    [
        ("category=项目管理", True),
        ("category=生态保护", False),
        ("promoted=true", False),
        ("promoted=false", False),
        ("promoted=unknown", True),
    ],
)
def test_innovations_filters(client, query, present):
    resp = client.get(f"/innovations?{query}")
    assert resp.status_code == 200
    assert ('id="sample-innovation"' in html(resp)) is present


def test_innovations_bad_filter(client):
    assert client.get("/innovations?promoted=maybe").status_code == 400


def test_stats_page(client):
    resp = client.get("/stats")
    assert resp.status_code == 200
    page = html(resp)
    assert 'id="empty-cells"' in page
    assert "<li>安徽省 × " in page  # empty cells listed plainly, jurisdictions by name
    assert "已收录 1 项，公开报道共 154 项" in page
    assert "<td>地方标准</td>" in page and "<td>摘要</td>" in page  # kinds and provenances as words
    assert "local_standard" not in page
    assert "Innovations: 1 of 154 catalogued" in html(client.get("/stats?lang=en"))


# ---------------------------------------------------------------- API docs


def test_api_docs_lists_every_operation(client, loaded):
    from app.extensions import api

    resp = client.get("/api")
    assert resp.status_code == 200
    page = html(resp)
    with loaded.app_context():
        spec = api.spec.to_dict()
    for path, item in spec["paths"].items():
        assert f"{path}</h3>" in page
        for method, op in item.items():
            if isinstance(op, dict):
                assert f'<span class="method method-{method}">{method.upper()}</span> {path}</h3>' in page
                if op.get("summary"):
                    assert op["summary"][:12].replace("&", "&amp;").replace("<", "&lt;") in page
    assert '<code translate="no">as_of</code>' in page and '<code translate="no">baseline</code>' in page
    assert 'href="/api/v1/openapi.json"' in page


# ---------------------------------------------------------------- sign-in


def test_signin_and_signout(client, runner, cli):
    result = runner.invoke(
        cli, ["user", "add", "ana", "--role", "editor", "-j", "CN-SH", "--password", "s3cret-pw-for-ana-2026"]
    )
    assert result.exit_code == 0, result.output
    assert client.get("/signin").status_code == 200
    token = with_csrf(client)
    resp = client.post(
        "/signin", data={"csrf_token": token, "name": "ana", "password": "s3cret-pw-for-ana-2026", "next": "/matrix"}
    )
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/matrix")
    with client.session_transaction() as sess:
        assert sess["sid"]  # the server-side session's token (accounts.sessions)
        new_token = sess.get("csrf")
    assert "ana" in html(client.get("/"))
    assert client.post("/signout").status_code == 400  # CSRF needed
    token = with_csrf(client) if new_token is None else new_token
    assert client.post("/signout", data={"csrf_token": token}).status_code == 303
    with client.session_transaction() as sess:
        assert "sid" not in sess


def test_signin_wrong_password_and_unknown_user_look_the_same(client, runner, cli):
    runner.invoke(
        cli, ["user", "add", "ana", "--role", "editor", "-j", "CN-SH", "--password", "s3cret-pw-for-ana-2026"]
    )
    token = with_csrf(client)
    wrong = client.post("/signin", data={"csrf_token": token, "name": "ana", "password": "nope"})
    unknown = client.post("/signin", data={"csrf_token": token, "name": "bob", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert 'id="signin-error"' in html(wrong)
    assert html(wrong).replace('value="ana"', "") == html(unknown).replace('value="bob"', "")
    with client.session_transaction() as sess:
        assert "sid" not in sess


def test_signin_without_csrf_is_400(client):
    assert client.post("/signin", data={"name": "ana", "password": "x"}).status_code == 400


def test_signin_next_must_be_local(client, runner, cli):
    runner.invoke(cli, ["user", "add", "ana", "--role", "viewer", "--password", "s3cret-pw-for-ana-2026"])
    token = with_csrf(client)
    resp = client.post(
        "/signin",
        data={"csrf_token": token, "name": "ana", "password": "s3cret-pw-for-ana-2026", "next": "//evil.example/"},
    )
    assert resp.status_code == 303 and resp.headers["Location"] == "/"


# ---------------------------------------------------------------- feeds


def _atom(resp) -> ET.Element:
    assert resp.status_code == 200
    assert resp.mimetype == "application/atom+xml"
    root = ET.fromstring(resp.data)
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}id") is not None and root.find(f"{ATOM}updated") is not None
    for entry in root.findall(f"{ATOM}entry"):
        for tag in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{tag}") is not None
    return root


def test_changes_feed(client):
    root = _atom(client.get("/feeds/changes.atom"))
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 5  # five versions added by the load
    links = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert any(link.endswith("/rules/cn-sh/environment/sample-wwtp@2023-03-01") for link in links)


def test_changes_feed_filters(client):
    sh = _atom(client.get("/feeds/changes.atom?jurisdiction=cn-sh&topic=environment"))
    assert len(sh.findall(f"{ATOM}entry")) == 2
    assert len(_atom(client.get("/feeds/changes.atom?topic=data")).findall(f"{ATOM}entry")) == 1
    assert client.get("/feeds/changes.atom?jurisdiction=XX").status_code == 400
    assert client.get("/feeds/changes.atom?topic=nope").status_code == 400


def test_alignment_feed(client):
    root = _atom(client.get("/feeds/alignment.atom"))
    titles = [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")]
    assert any("上海市" in t for t in titles) and any("江苏省" in t for t in titles)  # named, not coded


# ---------------------------------------------------------------- downloads


def _csv_rows(resp) -> list[dict]:
    assert resp.status_code == 200
    assert resp.mimetype == "text/csv"
    assert resp.headers["Content-Disposition"].startswith("attachment")
    return list(csv.DictReader(io.StringIO(resp.data.decode("utf-8-sig"))))


def _xlsx(resp) -> openpyxl.Workbook:
    assert resp.status_code == 200
    assert resp.headers["Content-Disposition"].startswith("attachment")
    return openpyxl.load_workbook(io.BytesIO(resp.data))


def test_matrix_downloads(client):
    rows = _csv_rows(client.get("/matrix.csv?topic=environment"))
    sh = [r for r in rows if r["jurisdiction"] == "CN-SH" and r["key"] == "env.water.cod.max_concentration"]
    assert sh and sh[0]["version"] == SH_2023 and sh[0]["article"] == f"{SH}#art-3"
    wb = _xlsx(client.get("/matrix.xlsx?topic=environment"))
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    assert {"rule_id", "version", "article"} <= set(header)
    assert ws.max_row == len(rows) + 1


def test_scoreboard_downloads(client):
    rows = _csv_rows(client.get("/scoreboard.csv"))
    assert {r["jurisdiction"] for r in rows} == {"CN-SH", "CN-JS", "CN-ZJ"}
    wb = _xlsx(client.get("/scoreboard.xlsx"))
    assert len(wb.worksheets) == 2


def test_innovations_downloads(client):
    rows = _csv_rows(client.get("/innovations.csv"))
    assert [r["id"] for r in rows] == ["sample-innovation"]
    assert _csv_rows(client.get("/innovations.csv?category=生态保护")) == []
    wb = _xlsx(client.get("/innovations.xlsx"))
    assert wb.worksheets[0].max_row == 2


@pytest.mark.parametrize(
    "url",
    [
        "/matrix.csv?topic=nope",
        "/matrix.xlsx?as_of=bad",
        "/scoreboard.csv?as_of=2021-02-29",
        "/innovations.xlsx?promoted=2",
    ],
)
def test_download_bad_input(client, url):
    assert client.get(url).status_code == 400


# ---------------------------------------------------------------- every page, both languages


@pytest.mark.parametrize(
    "url",
    [
        "/compare",
        "/matrix",
        "/scoreboard",
        f"/hard-rules/{HR}",
        "/compliance",
        "/innovations",
        "/stats",
        "/api",
        "/signin",
    ],
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_answers_in_both_languages(client, url, lang):
    resp = client.get(f"{url}{'&' if '?' in url else '?'}lang={lang}")
    assert resp.status_code == 200
    page = html(resp)
    assert page.count('<html lang="en">') == (lang == "en")
    assert "Content-Security-Policy" in resp.headers
    hrefs = re.findall(r'(?:href|src|action)="([^"]*)"', page)
    assert all(h.isascii() for h in hrefs), [h for h in hrefs if not h.isascii()]  # non-ASCII percent-encoded
    assert not re.search(r'(src|href)="(https?:)?//(?!example\.org)', page.split("<main>")[0])  # no CDN assets


def test_nav_links_to_the_new_pages(client):
    page = html(client.get("/"))
    for path in ("/matrix", "/scoreboard", "/innovations", "/compliance", "/stats", "/api", "/signin"):
        assert f'href="{path}"' in page
