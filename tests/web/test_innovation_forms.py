"""The innovation register's web forms (SPEC §8.5): new, correct, delete with confirmation; signed-in
admins and demonstration-zone editors only; CSRF; field-level errors; nothing written on a problem."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import text

FORM = {
    "title": "示范区跨省通办窗口",
    "title_en": "Cross-province one-stop service window",
    "category": "公共服务",
    "year": "2022",
    "batch": "二",
    "number": "",
    "promoted_nationally": "true",
    "promotion_notice": "推广通知（测试）",
    "promotion_date": "2022-07-15",
    "related_rules": "cn-sh/environment/sample-wwtp\r\ncn-js/environment/sample-wwtp-js",
    "source_url": "https://example.org/dz-window",
    "summary": "三地政务服务窗口互设（测试用示例）。",
}


def _csrf(client, path) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True))[1]


@pytest.fixture
def signed_in(client, runner, cli):
    def sign_in(name: str, role: str, *jurisdictions: str):
        args = ["user", "add", name, "--role", role, "--password", "pw-" + name + "-2026-registry"]
        for j in jurisdictions:
            args += ["-j", j]
        assert runner.invoke(cli, args).exit_code == 0
        r = client.post(
            "/signin",
            data={"csrf_token": _csrf(client, "/signin"), "name": name, "password": "pw-" + name + "-2026-registry"},
        )
        assert r.status_code == 303
        return client

    return sign_in


def audit_actions(engine, slug):
    with engine.connect() as conn:
        return [
            r[0]
            for r in conn.execute(
                text("SELECT action FROM audit_log WHERE target = :t ORDER BY id"), {"t": f"innovation:{slug}"}
            )
        ]


def test_forms_need_sign_in_and_the_right_role(client, signed_in):
    for path in ("/innovations/new", "/innovations/sample-innovation/edit", "/innovations/sample-innovation/delete"):
        r = client.get(path)
        assert r.status_code == 303 and "/signin?next=" in r.headers["Location"], path
    assert "/innovations/new" not in client.get("/innovations").get_data(as_text=True)
    signed_in("sh-editor", "editor", "CN-SH")
    for path in ("/innovations/new", "/innovations/sample-innovation/edit", "/innovations/sample-innovation/delete"):
        assert client.get(path).status_code == 403, path
    page = client.get("/innovations").get_data(as_text=True)
    assert "/innovations/new" not in page and "/edit" not in page


def test_list_links_to_the_forms_for_a_dz_editor(signed_in):
    client = signed_in("dz-editor", "editor", "YRD-DZ")
    page = client.get("/innovations").get_data(as_text=True)
    assert "/innovations/new" in page
    assert "/innovations/sample-innovation/edit" in page and "/innovations/sample-innovation/delete" in page


def test_dz_editor_records_a_new_innovation(signed_in, engine, count_rows):
    client = signed_in("dz-editor", "editor", "YRD-DZ")
    r = client.post("/innovations/new", data={**FORM, "csrf_token": _csrf(client, "/innovations/new")})
    assert r.status_code == 303, r.get_data(as_text=True)
    slug = "cross-province-one-stop-service-window"
    assert r.headers["Location"].endswith(f"/innovations#{slug}")
    assert audit_actions(engine, slug) == ["innovation_added"]
    item = next(i for i in client.get("/api/v1/innovations").get_json()["items"] if i["id"] == slug)
    assert item["related_rules"] == ["cn-sh/environment/sample-wwtp", "cn-js/environment/sample-wwtp-js"]
    assert item["promoted_nationally"] is True and item["verified"] is False and item["year"] == 2022
    assert item["promotion_batch"] == {"notice": "推广通知（测试）", "date": "2022-07-15"}
    hits = client.get("/api/v1/search?q=政务服务窗口互设").get_json()["hits"]
    assert [h["id"] for h in hits] == [slug]
    assert "示范区跨省通办窗口" in client.get("/innovations").get_data(as_text=True)


def test_admin_corrects_then_deletes_with_confirmation(signed_in, engine, count_rows, runner, cli):
    client = signed_in("boss", "admin")
    page = client.get("/innovations/sample-innovation/edit").get_data(as_text=True)
    assert re.search(r'name="if_match" type="hidden" value="1"', page) and "示例跨域项目审批制度" in page
    summary = html.unescape(re.search(r'<textarea id="summary"[^>]*>\r?\n?(.*?)</textarea>', page, re.S)[1])
    assert summary == "示范区三地统一项目审批流程（测试用示例）。"
    form = {
        **FORM,
        "title": "示例跨域项目审批制度",
        "related_rules": "cn-sh/environment/sample-wwtp",
        "verified": "true",
        "summary": summary + "已更正。",
        "if_match": "1",
        "csrf_token": _csrf(client, "/innovations/sample-innovation/edit"),
    }
    r = client.post("/innovations/sample-innovation/edit", data=form)
    assert r.status_code == 303, r.get_data(as_text=True)
    item = client.get("/api/v1/innovations").get_json()["items"][0]
    assert item["revision"] == 2 and item["summary"].endswith("已更正。") and item["verified"] is True
    stale = client.post("/innovations/sample-innovation/edit", data=form)
    assert stale.status_code == 409 and "现为第 2 次修订" in stale.get_data(
        as_text=True
    )  # the registry's words, translated
    confirm = client.get("/innovations/sample-innovation/delete")
    assert confirm.status_code == 200 and 'name="if_match" value="2"' in confirm.get_data(as_text=True)
    assert count_rows("innovations") == 1  # asking is not deleting
    r = client.post(
        "/innovations/sample-innovation/delete",
        data={"if_match": "2", "csrf_token": _csrf(client, "/innovations/sample-innovation/delete")},
    )
    assert r.status_code == 303
    assert count_rows("innovations") == 0
    assert audit_actions(engine, "sample-innovation") == [
        "innovation_added",
        "innovation_corrected",
        "innovation_deleted",
    ]
    assert client.get("/api/v1/search?q=统一项目审批流程").get_json()["total"] == 0
    assert runner.invoke(cli, ["audit", "verify"]).exit_code == 0


def test_field_level_errors_and_nothing_written(signed_in, count_rows):
    client = signed_in("dz-editor", "editor", "YRD-DZ")
    before = (count_rows("innovations"), count_rows("audit_log"))
    bad = {
        **FORM,
        "category": "",
        "year": "二〇二二",
        "promotion_date": "2022-02-30",
        "related_rules": "cn-sh/environment/no-such-rule",
        "source_url": "example.org",
        "csrf_token": _csrf(client, "/innovations/new"),
    }
    r = client.post("/innovations/new", data=bad)
    page = r.get_data(as_text=True)
    assert r.status_code == 400
    errors = dict(re.findall(r'<span class="field-error" data-field="([a-z_]+)">([^<]+)</span>', page))
    assert set(errors) == {"category", "year", "promotion_date", "source_url"}, errors
    assert "不是真实存在的日期" in errors["promotion_date"] and "网址" in errors["source_url"]
    assert 'value="示范区跨省通办窗口"' in page  # what was typed is kept
    # once the rest is right, the unknown related rule is reported on its field
    r = client.post(
        "/innovations/new",
        data={
            **FORM,
            "related_rules": "cn-sh/environment/no-such-rule",
            "csrf_token": _csrf(client, "/innovations/new"),
        },
    )
    errors = dict(
        re.findall(r'<span class="field-error" data-field="([a-z_]+)">([^<]+)</span>', r.get_data(as_text=True))
    )
    assert r.status_code == 400 and "不是语料中的规则标识" in html.unescape(
        errors["related_rules"]
    )  # the page's language
    r = client.post(
        "/innovations/new", data={**FORM, "slug": "Bad Slug", "csrf_token": _csrf(client, "/innovations/new")}
    )
    assert r.status_code == 400 and 'data-field="slug"' in r.get_data(as_text=True)
    assert (count_rows("innovations"), count_rows("audit_log")) == before


def test_csrf_is_refused(signed_in, count_rows):
    client = signed_in("boss", "admin")
    before = (count_rows("innovations"), count_rows("audit_log"))
    assert client.post("/innovations/new", data=FORM).status_code == 400
    assert client.post("/innovations/new", data={**FORM, "csrf_token": "forged"}).status_code == 400
    form = {**FORM, "if_match": "1"}
    assert client.post("/innovations/sample-innovation/edit", data=form).status_code == 400
    assert client.post("/innovations/sample-innovation/delete", data={"if_match": "1"}).status_code == 400
    # nothing written; each of the 4 refusals leaves one write_denied audit row
    assert (count_rows("innovations"), count_rows("audit_log")) == (before[0], before[1] + 4)


def test_english_form(signed_in):
    client = signed_in("boss", "admin")
    page = client.get("/innovations/new?lang=en").get_data(as_text=True)
    assert "Record an innovation" in page and "Related rules (rule ids, one per line)" in page


def test_stale_delete_is_refused_in_the_page_language(signed_in, count_rows):
    client = signed_in("boss", "admin")
    form = {**FORM, "title": "示例跨域项目审批制度", "if_match": "1"}
    form["csrf_token"] = _csrf(client, "/innovations/sample-innovation/edit")
    assert client.post("/innovations/sample-innovation/edit", data=form).status_code == 303
    stale = {"if_match": "1", "csrf_token": _csrf(client, "/innovations/sample-innovation/delete")}
    for lang, words in (("zh", "未删除"), ("en", "Nothing was deleted")):
        r = client.post(f"/innovations/sample-innovation/delete?lang={lang}", data=stale)
        assert r.status_code == 409 and words in r.get_data(as_text=True)
    assert count_rows("innovations") == 1


def test_field_errors_in_english(signed_in, count_rows):
    client = signed_in("dz-editor", "editor", "YRD-DZ")
    bad = {**FORM, "year": "22", "source_url": "example.org", "csrf_token": _csrf(client, "/innovations/new")}
    r = client.post("/innovations/new?lang=en", data=bad)
    errors = dict(
        re.findall(r'<span class="field-error" data-field="([a-z_]+)">([^<]+)</span>', r.get_data(as_text=True))
    )
    assert r.status_code == 400 and errors == {
        "year": "Write the year as 4 digits, e.g. 2021",
        "source_url": "Write the full web address, starting with http:// or https://",
    }
    assert count_rows("innovations") == 1


def test_a_viewer_is_offered_nothing_and_refused_in_the_page_language(signed_in, count_rows):
    client = signed_in("reader", "viewer")
    page = client.get("/innovations").get_data(as_text=True)
    assert "/innovations/new" not in page and "/edit" not in page
    for lang, words in (
        ("zh", "制度创新登记只能由管理员和示范区的编辑修改"),
        ("en", "by editors of the demonstration zone"),
    ):
        r = client.get(f"/innovations/new?lang={lang}")
        assert r.status_code == 403 and words in r.get_data(as_text=True)
    r = client.post("/innovations/new", data={**FORM, "csrf_token": _csrf(client, "/innovations")})
    assert r.status_code == 403 and count_rows("innovations") == 1
