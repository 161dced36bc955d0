"""Signed-in officials add a version or repeal a rule of their jurisdiction from the site."""

from __future__ import annotations

import re

import pytest

SH = "cn-sh/environment/sample-wwtp"


def _csrf(client, path="/signin") -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True))[1]


@pytest.fixture
def signed_in(client, runner, cli):
    def sign_in(name: str, role: str, *jurisdictions: str):
        args = ["user", "add", name, "--role", role, "--password", "pw-" + name + "-2026-registry"]
        for j in jurisdictions:
            args += ["-j", j]
        assert runner.invoke(cli, args).exit_code == 0
        r = client.post(
            "/signin", data={"csrf_token": _csrf(client), "name": name, "password": "pw-" + name + "-2026-registry"}
        )
        assert r.status_code == 303
        return client

    return sign_in


def test_edit_needs_sign_in(client):
    r = client.get(f"/rules/{SH}/edit")
    assert r.status_code == 303 and "/signin?next=" in r.headers["Location"]


def test_editor_of_another_jurisdiction_is_refused(signed_in):
    client = signed_in("js-editor", "editor", "CN-JS")
    assert client.get(f"/rules/{SH}/edit").status_code == 403


def _new_version(text: str) -> str:
    return (
        text.replace("effective: 2023-03-01", "effective: 2026-01-01")
        .replace("value: 0.03", "value: 0.02")
        .replace("不得超过30毫克/升", "不得超过20毫克/升")
    )


def test_editor_submits_a_new_version(signed_in, count_rows):
    client = signed_in("sh-editor", "editor", "CN-SH")
    page = client.get(f"/rules/{SH}/edit")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "effective: 2023-03-01" in html
    current = re.search(r'<textarea name="document"[^>]*>(.*?)</textarea>', html, re.S)[1]
    import html as html_module

    document = _new_version(html_module.unescape(current))
    audit = count_rows("audit_log")
    r = client.post(
        f"/rules/{SH}/edit",
        data={
            "csrf_token": _csrf(client, f"/rules/{SH}/edit"),
            "action": "version",
            "if_match": f"{SH}@2023-03-01",
            "document": document,
        },
    )
    assert r.status_code == 303
    assert r.headers["Location"].endswith(f"/rules/{SH}@2026-01-01")
    assert count_rows("audit_log") == audit + 1
    shown = client.get(f"/api/v1/rules/{SH}?as_of=2026-02-01").get_json()
    assert shown["parameters"][0]["value"] == 20.0
    hits = client.get("/api/v1/search?q=不得超过20毫克&as_of=2026-02-01").get_json()
    assert SH in [h["id"] for h in hits["hits"]]


def test_invalid_document_is_shown_back_with_problems_and_nothing_written(signed_in, count_rows):
    client = signed_in("sh-editor", "editor", "CN-SH")
    before = count_rows("rule_versions")
    r = client.post(
        f"/rules/{SH}/edit",
        data={
            "csrf_token": _csrf(client, f"/rules/{SH}/edit"),
            "action": "version",
            "if_match": f"{SH}@2023-03-01",
            "document": "---\ntitle: x\n---\n## 第一条\n\n正文。\n",
        },
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "required field is missing" in html and "正文。" in html
    assert count_rows("rule_versions") == before


def test_stale_version_is_409_and_missing_csrf_is_400(signed_in):
    import html as html_module

    client = signed_in("sh-editor", "editor", "CN-SH")
    page = client.get(f"/rules/{SH}/edit").get_data(as_text=True)
    document = _new_version(
        html_module.unescape(re.search(r'<textarea name="document"[^>]*>(.*?)</textarea>', page, re.S)[1])
    )
    stale = client.post(
        f"/rules/{SH}/edit",
        data={
            "csrf_token": _csrf(client, f"/rules/{SH}/edit"),
            "action": "version",
            "if_match": f"{SH}@2020-01-01",
            "document": document,
        },
    )
    assert stale.status_code == 409 and "所依据的版本已过时" in stale.get_data(
        as_text=True
    )  # the registry's words, in the page's language
    no_csrf = client.post(
        f"/rules/{SH}/edit", data={"action": "repeal", "if_match": f"{SH}@2023-03-01", "repealed": "2025-01-01"}
    )
    assert no_csrf.status_code == 400


def test_admin_repeals_a_rule(signed_in):
    client = signed_in("boss", "admin")
    r = client.post(
        f"/rules/{SH}/edit",
        data={
            "csrf_token": _csrf(client, f"/rules/{SH}/edit"),
            "action": "repeal",
            "if_match": f"{SH}@2023-03-01",
            "repealed": "2025-06-30",
        },
    )
    assert r.status_code == 303
    assert client.get(f"/api/v1/rules/{SH}?as_of=2025-07-01").status_code == 404
    bad = client.post(
        f"/rules/{SH}/edit",
        data={
            "csrf_token": _csrf(client, f"/rules/{SH}/edit"),
            "action": "repeal",
            "if_match": f"{SH}@2023-03-01",
            "repealed": "2025-02-30",
        },
    )
    assert bad.status_code == 400 and "废止日期不是真实存在的日期" in bad.get_data(as_text=True)


def test_rule_page_offers_maintenance_only_when_signed_in(client, signed_in):
    assert "/edit" not in client.get(f"/rules/{SH}").get_data(as_text=True)
    signed_in("sh-editor", "editor", "CN-SH")
    assert f"/rules/{SH}/edit" in client.get(f"/rules/{SH}").get_data(as_text=True)
