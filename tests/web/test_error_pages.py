"""Error pages (issue 11): in the page's language, with a way onward (a search box; under /rules/ the
rule's versions), never a file path, a stack trace or the API's English message; the JSON API keeps
its error envelope (SPEC §4). The rule list links each row to the version it shows."""

from __future__ import annotations

import re

import pytest

SH = "cn-sh/environment/sample-wwtp"
REPEALED = "cn-sh/data/sample-data-rule"


def html(resp) -> str:
    return resp.get_data(as_text=True)


def test_rule_list_links_every_row_to_the_version_it_shows(client):
    page = html(client.get("/rules?lang=en"))
    links = re.findall(r'<a href="(/rules/[^"?]+)\?as_of=[0-9-]+">', page)
    assert links and all("@" in link for link in links)  # a version id, never a bare rule id
    repealed = next(link for link in links if link.startswith(f"/rules/{REPEALED}@"))
    for link in links:  # none of them is a dead end, the repealed rule included
        assert client.get(link).status_code == 200, link
    assert "Repealed" in html(client.get(repealed + "?lang=en"))
    bare = client.get(f"/rules/{REPEALED}?lang=en")  # its bare id is not in force today: its last version, said so
    assert bare.status_code == 200 and 'id="version-notice"' in html(bare)


def test_rule_not_in_force_shows_its_last_version_with_a_notice_in_both_languages(client):
    for lang, notice in (("zh", "无有效版本"), ("en", "No version of this rule is in force on")):
        resp = client.get(f"/rules/{REPEALED}?lang={lang}")
        page = html(resp)
        assert resp.status_code == 200 and resp.mimetype == "text/html"
        assert re.search(r'<p class="notice" id="version-notice">([^<]*)</p>', page)[1].find(notice) >= 0, lang
        assert "2021-10-01" in page  # its last version (id and date on the page)


def test_unknown_rule_and_unknown_page_offer_search_and_no_versions(client):
    for url in ("/rules/cn-sh/data/no-such-rule", "/rules/nonsense", "/no-such-page"):
        for lang, heading in (("zh", "未找到"), ("en", "Not found")):
            resp = client.get(f"{url}?lang={lang}")
            page = html(resp)
            assert resp.status_code == 404 and heading in page, url
            assert 'id="error-search"' in page and 'id="error-rule-versions"' not in page
            assert "no such page or resource" not in page  # the API's English message is not shown


def test_unknown_version_lists_the_versions_there_are(client):
    page = html(client.get(f"/rules/{SH}@2019-01-01?lang=en"))
    assert "This rule has no such version" in page
    assert f"/rules/{SH}@2020-01-01" in page and f"/rules/{SH}@2023-03-01" in page


def test_bad_date_is_a_400_page_naming_no_internals(client):
    resp = client.get(f"/rules/{SH}?as_of=2020-02-30&lang=en")
    page = html(resp)
    assert resp.status_code == 400 and "The request is not valid" in page
    assert "as_of" not in re.split(r"<main[^>]*>", page)[1]  # the API's English message is not shown
    assert 'id="error-search"' in page and f"/rules/{SH}@2023-03-01" in page


def test_csrf_refusal_page_leads_back_to_the_form(client):
    resp = client.post("/signin?lang=zh", data={"name": "x", "password": "y"})
    assert resp.status_code == 400 and "您输入的内容已保留在本浏览器中" in html(resp)
    assert 'href="/signin" id="error-form-again"' in html(resp) and "data-keep-draft" in html(resp)
    resp = client.post("/signin?lang=en", data={"name": "x", "password": "y"})
    page = html(resp)
    assert "What you typed is kept in this browser" in page and "CSRF token missing" not in page
    # a form that cannot be opened by its address (sign-out takes POST only) offers no way back to it
    resp = client.post("/signout?lang=en")
    assert resp.status_code == 400 and "error-form-again" not in html(resp)


@pytest.fixture
def failing_client(loaded):
    """The app with a page that fails as a bug would, exceptions not propagated (as in production)."""

    def boom():  # type: ignore[no-untyped-def]
        raise RuntimeError("failure in /srv/registry/app/secret_module.py line 12")

    def conflict():  # type: ignore[no-untyped-def]
        from app.exceptions import Conflict

        raise Conflict("stale If-Match: the current version is x@2020-01-01 (/srv/registry/corpus)")

    loaded.add_url_rule("/conflict", "conflict", conflict)
    loaded.add_url_rule("/boom", "boom", boom)
    loaded.add_url_rule("/api/v1/boom", "api_boom", boom)
    loaded.config["PROPAGATE_EXCEPTIONS"] = False
    return loaded.test_client()


def test_server_error_page_hides_paths_and_traces(failing_client):
    for lang, heading in (("zh", "出错了"), ("en", "Something went wrong")):
        resp = failing_client.get(f"/boom?lang={lang}")
        page = html(resp)
        assert resp.status_code == 500 and resp.mimetype == "text/html" and heading in page
        assert "secret_module" not in page and "/srv/" not in page and "Traceback" not in page
        assert 'id="error-search"' in page
    api = failing_client.get("/api/v1/boom")
    assert api.status_code == 500 and api.mimetype == "application/json"
    assert "secret_module" not in api.get_data(as_text=True)
    assert set(api.get_json()["error"]) == {"code", "message"}


def test_conflict_page_says_to_reload_in_both_languages(failing_client):
    for lang, heading, words in (
        ("zh", "其间已被更改", "请重新加载页面查看最新状态"),
        ("en", "Changed in the meantime", "Reload the page to see the current state"),
    ):
        resp = failing_client.get(f"/conflict?lang={lang}")
        page = html(resp)
        assert resp.status_code == 409 and heading in page and words in page
        assert "/srv/" not in page and "stale If-Match" not in page


def test_api_errors_keep_the_json_envelope(client):
    resp = client.get(f"/api/v1/rules/{REPEALED}")
    assert resp.status_code == 404 and resp.get_json()["error"]["code"] == "not_in_force"
    resp = client.get("/api/v1/rules/cn-sh/data/no-such-rule")
    assert resp.get_json()["error"]["code"] == "not_found"
