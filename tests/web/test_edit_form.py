"""The structured rule editor (issue 11): a new version as fields (dates, parameter rows, articles with a
server-side preview), through the same service as the API, all or nothing, audited; field errors in the
page's language; edit actions only for those who may write; the YAML document as the advanced mode."""

from __future__ import annotations

import html as html_module
import re

import pytest

SH = "cn-sh/environment/sample-wwtp"
JS = "cn-js/environment/sample-wwtp-js"


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


def field_value(page: str, name: str) -> str:
    m = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*value="([^"]*)"', page)
    return html_module.unescape(m[1]) if m else ""


def textarea(page: str, name: str) -> str:
    return html_module.unescape(re.search(rf'<textarea[^>]*name="{name}"[^>]*>\r?\n?(.*?)</textarea>', page, re.S)[1])


def form_of(page: str) -> dict[str, str]:
    """The structured form as a browser would post it (selected options, inputs, the text)."""
    form = re.search(r'<form method="post" id="version-form".*?</form>', page, re.S)[0]
    form = re.sub(r"<template.*?</template>", "", form, flags=re.S)
    data = {}
    for m in re.finditer(r"<input([^>]*)>", form):
        attrs = dict(re.findall(r'([a-z_-]+)="([^"]*)"', m[1]))
        if "name" in attrs:
            data[attrs["name"]] = html_module.unescape(attrs.get("value", ""))
    for m in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', m[2])
        data[m[1]] = html_module.unescape((chosen[1] or chosen[2]) if chosen else "")
    data["body"] = textarea(form, "body")
    data["action"] = "structured"
    return data


def errors_of(page: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for field, msg in re.findall(r'<span class="field-error" data-field="([^"]+)">([^<]*)</span>', page):
        out.setdefault(field, []).append(html_module.unescape(msg))
    return out


def test_the_form_shows_the_current_version_as_fields(signed_in):
    client = signed_in("sh-editor", "editor", "CN-SH")
    page = client.get(f"/rules/{SH}/edit").get_data(as_text=True)
    data = form_of(page)
    assert data["effective"] == "2023-03-01" and data["if_match"] == f"{SH}@2023-03-01"
    assert data["title"] == "示例市污水排放标准" and data["kind"] == "local_standard"
    assert data["parameters-0-key"] == "env.water.cod.max_concentration"
    assert (data["parameters-0-value"], data["parameters-0-unit"], data["parameters-0-article"]) == ("0.03", "g/L", "3")
    assert data["parameters-0-scope"] == "A级"
    assert "## 第三条 化学需氧量" in data["body"]
    assert 'type="date"' in page and '<script src="/static/edit.js">' in page
    assert "effective: 2023-03-01" in textarea(page, "document")  # the advanced mode


def test_editor_submits_a_new_version_through_the_fields(signed_in, count_rows, runner, cli):
    client = signed_in("sh-editor", "editor", "CN-SH")
    data = form_of(client.get(f"/rules/{SH}/edit").get_data(as_text=True))
    data.update(
        {
            "effective": "2026-01-01",
            "repealed": "2030-12-31",
            "parameters-0-value": "20",
            "parameters-0-unit": "mg/L",
            "body": data["body"].replace("不得超过30毫克/升", "不得超过20毫克/升"),
            "csrf_token": _csrf(client, f"/rules/{SH}/edit"),
        }
    )
    audit = count_rows("audit_log")
    r = client.post(f"/rules/{SH}/edit", data=data)
    assert r.status_code == 303, errors_of(r.get_data(as_text=True))
    assert r.headers["Location"].endswith(f"/rules/{SH}@2026-01-01")
    assert count_rows("audit_log") == audit + 1
    shown = client.get(f"/api/v1/rules/{SH}?as_of=2026-02-01").get_json()
    assert shown["repealed"] == "2030-12-31" and shown["parameters"][0]["value"] == 20.0
    assert shown["parameters"][0]["stated_unit"] == "mg/L" and shown["parameters"][0]["scope"] == "A级"
    assert [a["label"] for a in shown["articles"]] == ["第一条", "第二条", "第二条之一", "第三条"]
    assert client.get(f"/api/v1/rules/{SH}?as_of=2031-01-01").status_code == 404  # expired
    hits = client.get("/api/v1/search?q=不得超过20毫克&as_of=2026-02-01").get_json()
    assert SH in [h["id"] for h in hits["hits"]]
    assert runner.invoke(cli, ["audit", "verify"]).exit_code == 0  # the audit chain holds the write


BAD = {
    "effective": "2026-02-30",
    "source_url": "example.org",
    "parameters-0-value": "三十",
    "parameters-0-article": "9",
    "title": "  ",
}


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "zh",
            {
                "effective": "不是真实存在的日期",
                "source_url": "请填写完整网址",
                "parameters-0-value": "不是数字",
                "parameters-0-article": "正文中没有第 9 条",
                "title": "此项为必填",
            },
        ),
        (
            "en",
            {
                "effective": "is not a real date",
                "source_url": "Write the full web address",
                "parameters-0-value": "is not a number",
                "parameters-0-article": "The text has no article 9",
                "title": "This field is required",
            },
        ),
    ],
)
def test_field_errors_in_the_page_language_and_nothing_written(signed_in, count_rows, lang, expected):
    client = signed_in("sh-editor", "editor", "CN-SH")
    data = form_of(client.get(f"/rules/{SH}/edit").get_data(as_text=True))
    data.update({**BAD, "csrf_token": _csrf(client, f"/rules/{SH}/edit")})
    before = (count_rows("rule_versions"), count_rows("audit_log"), count_rows("index_outbox"))
    r = client.post(f"/rules/{SH}/edit?lang={lang}", data=data)
    page = r.get_data(as_text=True)
    assert r.status_code == 400
    errors = errors_of(page)
    assert set(errors) == set(expected), errors
    for field, words in expected.items():
        assert any(words in m for m in errors[field]), (field, errors[field])
    assert 'aria-invalid="true"' in page and 'id="form-message"' in page
    assert field_value(page, "effective") == "2026-02-30"  # what was typed is kept
    assert (count_rows("rule_versions"), count_rows("audit_log"), count_rows("index_outbox")) == before


def test_version_dates_are_checked_against_the_current_version(signed_in, count_rows):
    client = signed_in("sh-editor", "editor", "CN-SH")
    data = form_of(client.get(f"/rules/{SH}/edit?lang=en").get_data(as_text=True))
    csrf = _csrf(client, f"/rules/{SH}/edit")
    before = count_rows("rule_versions")
    r = client.post(f"/rules/{SH}/edit?lang=en", data={**data, "effective": "2023-03-01", "csrf_token": csrf})
    assert errors_of(r.get_data(as_text=True))["effective"] == [
        "A new version must take effect after the current one (2023-03-01)"
    ]
    r = client.post(
        f"/rules/{SH}/edit?lang=en",
        data={**data, "effective": "2026-01-01", "repealed": "2025-01-01", "csrf_token": csrf},
    )
    assert errors_of(r.get_data(as_text=True)) == {"repealed": ["The expiry date must come after the effective date"]}
    r = client.post(f"/rules/{SH}/edit?lang=en", data={**data, "effective": "", "adopted": "", "csrf_token": csrf})
    assert "effective" in errors_of(r.get_data(as_text=True))
    assert count_rows("rule_versions") == before


def test_what_only_the_registry_knows_comes_back_on_its_field(signed_in, count_rows):
    """A unit the parameter cannot be converted from is refused by the registry's own validation."""
    client = signed_in("sh-editor", "editor", "CN-SH")
    data = form_of(client.get(f"/rules/{SH}/edit").get_data(as_text=True))
    data.update(
        {"effective": "2026-01-01", "parameters-0-unit": "kWh", "csrf_token": _csrf(client, f"/rules/{SH}/edit")}
    )
    before = count_rows("rule_versions")
    r = client.post(f"/rules/{SH}/edit", data=data)
    errors = errors_of(r.get_data(as_text=True))
    assert r.status_code == 400 and "单位 'kWh' 无法换算为 'mg/L'" in errors["parameters-0-unit"][0]
    r = client.post(f"/rules/{SH}/edit?lang=en", data=data)
    errors = errors_of(r.get_data(as_text=True))
    assert r.status_code == 400 and "unit 'kWh' cannot be converted to 'mg/L'" in errors["parameters-0-unit"][0]
    assert 'lang="en"' not in r.get_data(as_text=True).split('id="version-form"')[1].split("</form>")[0]
    assert count_rows("rule_versions") == before


def test_rows_are_added_and_removed_without_script_and_nothing_is_written(signed_in, count_rows):
    client = signed_in("sh-editor", "editor", "CN-SH")
    data = form_of(client.get(f"/rules/{SH}/edit").get_data(as_text=True))
    csrf = _csrf(client, f"/rules/{SH}/edit")
    before = (count_rows("rule_versions"), count_rows("audit_log"))
    added = client.post(f"/rules/{SH}/edit", data={**data, "action": "add_parameter", "csrf_token": csrf})
    page = added.get_data(as_text=True)
    assert added.status_code == 200 and errors_of(page) == {}
    new = form_of(page)
    assert new["parameters-0-key"] == "env.water.cod.max_concentration" and new["parameters-1-key"] == ""
    new.update(
        {
            "parameters-1-key": "env.eia.mutual_recognition",
            "parameters-1-value": "true",
            "parameters-1-article": "2",
        }
    )
    del new["action"]
    removed = client.post(f"/rules/{SH}/edit", data={**new, "remove_parameter": "0", "csrf_token": csrf})
    left = form_of(removed.get_data(as_text=True))
    assert left["parameters-1-key"] == "env.eia.mutual_recognition" and "parameters-0-key" not in left
    assert (count_rows("rule_versions"), count_rows("audit_log")) == before
    r = client.post(f"/rules/{SH}/edit", data={**left, "effective": "2026-01-01", "csrf_token": csrf})
    assert r.status_code == 303
    shown = client.get(f"/api/v1/rules/{SH}?as_of=2026-02-01").get_json()
    assert [(p["key"], p["value"]) for p in shown["parameters"]] == [("env.eia.mutual_recognition", True)]


def test_preview_is_rendered_on_the_server_through_the_sanitiser(signed_in, client, count_rows):
    editor = signed_in("sh-editor", "editor", "CN-SH")
    data = form_of(editor.get(f"/rules/{SH}/edit").get_data(as_text=True))
    csrf = _csrf(editor, f"/rules/{SH}/edit")
    body = "# 第一章 总则\n\n## 第一条 目的\n\n**加粗**<script>alert(1)</script>[x](javascript:alert(2))\n\n## 第二条 范围\n\n适用。\n"
    before = count_rows("audit_log")
    page = editor.post(f"/rules/{SH}/edit", data={**data, "body": body, "action": "preview", "csrf_token": csrf})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="preview-result"' in text
    shown = re.search(r'<div class="edit-preview" id="preview-result"[^>]*>.*?\n</div>\n</div>', text, re.S)[0]
    assert "<strong>加粗</strong>" in shown and "<script>alert" not in text and "javascript:" not in shown
    assert "第一条 目的" in shown and "第一章 总则" in shown and "2 条" in shown
    assert 'data-next-article="第三条"' in shown  # the heading the editor's button inserts next
    fragment = editor.post(f"/rules/{SH}/edit/preview", data={"body": body, "csrf_token": csrf})
    assert fragment.status_code == 200 and "<strong>加粗</strong>" in fragment.get_data(as_text=True)
    assert "<script>alert" not in fragment.get_data(as_text=True)
    assert editor.post(f"/rules/{SH}/edit/preview", data={"body": body}).status_code == 400  # CSRF
    assert count_rows("audit_log") == before + 1  # the refused request's write_denied row; previews write nothing


def test_preview_and_edit_are_refused_to_others(signed_in):
    client = signed_in("js-editor", "editor", "CN-JS")
    csrf = _csrf(client, "/signin")
    assert client.post(f"/rules/{SH}/edit/preview", data={"body": "x", "csrf_token": csrf}).status_code == 403
    page = client.get(f"/rules/{SH}/edit?lang=en")
    assert page.status_code == 403
    text = page.get_data(as_text=True)
    assert "Rules of Shanghai may be changed by administrators and by editors of Shanghai." in text
    assert f"/rules/{SH}@2023-03-01" in text  # the versions, as a way onward
    zh = client.get(f"/rules/{SH}/edit?lang=zh").get_data(as_text=True)
    assert "无权操作" in zh and "js-editor may not" not in zh


@pytest.mark.parametrize(
    ("who", "sees_link", "edit_status"),
    [
        (None, False, 303),
        (("viewer", "viewer"), False, 403),
        (("js-editor", "editor", "CN-JS"), False, 403),
        (("sh-editor", "editor", "CN-SH"), True, 200),
        (("boss", "admin"), True, 200),
    ],
)
def test_edit_action_shown_only_to_who_may_use_it(client, signed_in, who, sees_link, edit_status):
    if who:
        signed_in(*who)
    page = client.get(f"/rules/{SH}").get_data(as_text=True)
    assert (f"/rules/{SH}/edit" in page) is sees_link
    assert client.get(f"/rules/{SH}/edit").status_code == edit_status
    js_link = f"/rules/{JS}/edit" in client.get(f"/rules/{JS}").get_data(as_text=True)
    assert js_link is (who is not None and (who[0] == "boss" or who[1:] == ("editor", "CN-JS")))


def test_missing_csrf_writes_nothing(signed_in, count_rows):
    client = signed_in("sh-editor", "editor", "CN-SH")
    data = form_of(client.get(f"/rules/{SH}/edit").get_data(as_text=True))
    before = (count_rows("rule_versions"), count_rows("audit_log"))
    assert data.pop("csrf_token")
    r = client.post(f"/rules/{SH}/edit", data={**data, "effective": "2026-01-01"})
    assert r.status_code == 400
    r = client.post(f"/rules/{SH}/edit", data={**data, "effective": "2026-01-01", "csrf_token": "forged"})
    assert r.status_code == 400
    # nothing written; each refusal leaves one write_denied audit row (docs/reliability.md)
    assert (count_rows("rule_versions"), count_rows("audit_log")) == (before[0], before[1] + 2)


def test_the_form_speaks_the_page_language(signed_in):
    client = signed_in("sh-editor", "editor", "CN-SH")
    zh = client.get(f"/rules/{SH}/edit?lang=zh").get_data(as_text=True)
    en = client.get(f"/rules/{SH}/edit?lang=en").get_data(as_text=True)
    pairs = [
        ("施行日期", "Effective from"),
        ("失效日期（废止日期）", "Expires (repealed on)"),
        ("添加一行", "Add a row"),
        ("预览", "Preview"),
        ("原文单位", "Unit as stated"),
        ("高级：语料文件", "Advanced: the corpus document"),
        ("地方标准", "local standard"),
        ("化学需氧量排放浓度限值 (mg/L)", "COD discharge concentration limit (mg/L)"),
    ]
    for zh_words, en_words in pairs:
        assert zh_words in zh and en_words not in zh, en_words
        assert en_words in en and zh_words not in en, zh_words


def test_rows_stop_at_the_limit(signed_in):
    from app.web.forms import MAX_PARAMETER_ROWS

    client = signed_in("sh-editor", "editor", "CN-SH")
    data = form_of(client.get(f"/rules/{SH}/edit").get_data(as_text=True))
    rows = {f"parameters-{i}-key": "" for i in range(MAX_PARAMETER_ROWS)}
    data.update({**rows, "action": "add_parameter", "csrf_token": _csrf(client, f"/rules/{SH}/edit")})
    r = client.post(f"/rules/{SH}/edit", data=data)
    assert r.status_code == 200
    assert len(re.findall(r'<select[^>]*id="parameters-\d+-key"', r.get_data(as_text=True))) == MAX_PARAMETER_ROWS
