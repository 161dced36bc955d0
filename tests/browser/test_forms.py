"""Forms and error pages in a real browser (issue 11): an editor signs in and submits a new version through
the structured form (rows added by the script, the articles' preview from the server), sees field errors
in either language, records an innovation, and meets 404/403 pages that lead onward, in both languages."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

SH = "cn-sh/environment/sample-wwtp"
JS = "cn-js/environment/sample-wwtp-js"
REPEALED = "cn-sh/data/sample-data-rule"


@pytest.fixture(scope="module")
def users(browser_app):
    """Editors of Shanghai, of Jiangsu and of the demonstration zone (password ``pw-<name>``)."""
    from app.cli import cli

    runner = browser_app.test_cli_runner()
    for name, jurisdiction in (("sh-editor", "CN-SH"), ("js-editor", "CN-JS"), ("dz-editor", "YRD-DZ")):
        result = runner.invoke(
            cli,
            [
                "user",
                "add",
                name,
                "--role",
                "editor",
                "-j",
                jurisdiction,
                "--password",
                "pw-" + name + "-2026-registry",
            ],
        )
        assert result.exit_code == 0, result.output


@pytest.fixture
def tolerant_page(browser):
    """A page whose documents may answer 4xx/5xx on purpose (error pages, refused forms); any other
    failed response, script error or CSP violation still fails the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(10_000)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )
    pg.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and r.request.resource_type != "document" and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    yield pg
    context.close()
    assert errors == [], errors


def sign_in(pg, base_url: str, name: str) -> None:
    pg.goto(f"{base_url}/signin")
    pg.fill("input[name=name]", name)
    pg.fill("input[name=password]", "pw-" + name + "-2026-registry")
    pg.click("form.signin button")
    pg.wait_for_url(f"{base_url}/")


def test_editor_submits_a_new_version_through_the_structured_form(page, base_url, users, shots):
    sign_in(page, base_url, "sh-editor")
    page.goto(f"{base_url}/rules/{SH}")
    page.click(f"a[href='/rules/{SH}/edit']")
    page.wait_for_selector("#version-form")
    assert page.input_value("#effective") == "2023-03-01"
    page.fill("#effective", "2026-01-01")
    page.fill("#parameters-0-value", "20")
    page.fill("#parameters-0-unit", "mg/L")
    # a row added in place by edit.js: no request, the page stays where it is
    url = page.url
    page.click("#add-parameter")
    assert page.locator("#parameter-rows tr").count() == 2 and page.url == url
    page.select_option("#parameters-1-key", "env.eia.mutual_recognition")
    page.fill("#parameters-1-value", "true")
    page.fill("#parameters-1-article", "2")
    page.fill("#body", page.input_value("#body").replace("不得超过30毫克/升", "不得超过20毫克/升"))
    # the next article's heading, its label from the server, inserted where the caret is
    page.focus("#body")
    page.evaluate(
        "() => { const b = document.getElementById('body'); b.setSelectionRange(b.value.length, b.value.length); }"
    )
    page.click("#insert-article")
    page.wait_for_selector("#preview-result")
    page.keyboard.type("附则")
    assert "\n\n## 第四条 附则\n\n" in page.input_value("#body")
    page.fill("#body", page.input_value("#body") + "**本标准**自发布之日起施行。<script>window.bad = 1</script>\n")
    # the preview follows the text (fetched from the server a moment after typing stops)
    page.wait_for_function("() => document.querySelector('#preview-result strong') !== null")
    preview = page.locator("#preview-result")
    assert "第四条 附则" in preview.inner_text() and preview.locator("strong", has_text="本标准").count() == 1
    assert preview.locator("script").count() == 0 and page.evaluate("() => window.bad") is None
    assert page.get_attribute("#insert-article", "data-next") == "第五条"
    shots(page, "edit-structured-form")
    page.click("#submit-version")
    page.wait_for_url(f"**/rules/{SH}@2026-01-01")
    assert "不得超过20毫克/升" in page.locator(".articles").inner_text()
    provisions = page.locator("section.parameters").inner_text()
    assert "20 mg/L" in provisions and "互认环评审批" in provisions


def test_field_errors_next_to_their_fields_in_both_languages(tolerant_page, base_url, users, shots):
    pg = tolerant_page
    sign_in(pg, base_url, "js-editor")
    for lang, effective_words, value_words in (
        ("zh", "必须晚于现行版本", "不是数字"),
        ("en", "must take effect after the current one", "is not a number"),
    ):
        pg.goto(f"{base_url}/rules/{JS}/edit?lang={lang}")
        pg.fill("#effective", "2019-01-01")
        pg.fill("#parameters-0-value", "abc")
        with pg.expect_response(lambda r: r.request.method == "POST") as posted:
            pg.click("#submit-version")
        assert posted.value.status == 400
        assert effective_words in pg.locator("#row-effective .field-error").inner_text()
        row = pg.locator("#parameter-rows tr").first
        assert value_words in row.locator(".field-error").inner_text()
        assert pg.locator("#effective").get_attribute("aria-invalid") == "true"
        assert pg.input_value("#parameters-0-value") == "abc"  # what was typed is kept
        shots(pg, f"edit-field-errors-{lang}")
    pg.goto(f"{base_url}/api/v1/rules/{JS}")
    assert "@2019-01-01" not in pg.content()  # nothing was written


def test_the_innovation_register_form(tolerant_page, base_url, users, shots):
    pg = tolerant_page
    sign_in(pg, base_url, "dz-editor")
    pg.goto(f"{base_url}/innovations")
    pg.click("a[href='/innovations/new']")
    pg.wait_for_selector("#innovation-form")
    pg.fill("#title", "示范区跨省通办窗口（浏览器测试）")
    pg.fill("#category", "公共服务")
    pg.fill("#year", "22")
    pg.fill("#source_url", "https://example.org/dz-window")
    pg.fill("#related_rules", f"{SH}\n{JS}")
    pg.fill("#summary", "三地窗口互设（测试用示例）。")
    pg.click("#save-innovation")
    assert "4 位数字" in pg.locator("#row-year .field-error").inner_text()
    shots(pg, "innovation-form-errors")
    pg.fill("#year", "2022")
    pg.select_option("#promoted_nationally", "false")
    pg.click("#save-innovation")
    pg.wait_for_url(re.compile(r".*/innovations#.+"))
    assert "示范区跨省通办窗口（浏览器测试）" in pg.locator("main").inner_text()
    shots(pg, "innovation-recorded")


def test_error_pages_lead_onward_in_both_languages(tolerant_page, base_url, users, shots):
    pg = tolerant_page
    for lang, heading in (("zh", "未找到"), ("en", "Not found")):
        resp = pg.goto(f"{base_url}/rules/{REPEALED}@1999-01-01?lang={lang}")  # a version it never had
        assert resp.status == 404 and heading in pg.locator("h1").inner_text()
        assert pg.locator("html").get_attribute("lang") == ("zh-CN" if lang == "zh" else "en")
        shots(pg, f"error-404-rule-{lang}")
        pg.click("#error-rule-versions a")  # the repealed rule's last version
        pg.wait_for_url(f"**/rules/{REPEALED}@*")
        assert pg.locator("h1").inner_text()
        resp = pg.goto(f"{base_url}/no-such-page?lang={lang}")
        assert resp.status == 404 and "Traceback" not in pg.content()
        pg.fill("#error-search input[name=q]", "化学需氧量")
        pg.press("#error-search input[name=q]", "Enter")
        pg.wait_for_selector(".hit h3 a")
    sign_in(pg, base_url, "js-editor")
    for lang, words in (("zh", "无权操作"), ("en", "Not allowed")):
        resp = pg.goto(f"{base_url}/rules/{SH}/edit?lang={lang}")
        assert resp.status == 403 and words in pg.locator("h1").inner_text()
        assert pg.locator("#error-rule-versions a").count() >= 1
        shots(pg, f"error-403-{lang}")
    pg.goto(f"{base_url}/rules/{SH}")
    assert pg.locator(f"a[href='/rules/{SH}/edit']").count() == 0  # no action that would be refused


def test_what_was_typed_survives_an_expired_form(tolerant_page, base_url, users, shots):
    """The form expires while an editor types (the session cookie is gone: CSRF refusal, signed out):
    nothing is saved, the refusal leads back to the form, and after signing in again what was typed
    is offered back (drafts.js) and can be sent."""
    pg = tolerant_page
    sign_in(pg, base_url, "js-editor")
    pg.goto(f"{base_url}/rules/{JS}/edit?lang=en")
    assert pg.locator("#draft-notice").count() == 0
    title = "示例省城镇污水处理厂污染物排放标准（浏览器测试修订）"
    pg.fill("#effective", "2030-01-01")
    pg.fill("#title", title)
    pg.fill("#body", pg.input_value("#body") + "\n## 第九条 附则\n\n本标准自2030年1月1日起施行（测试）。\n")
    pg.wait_for_timeout(600)  # the draft is written a moment after typing stops
    pg.context.clear_cookies()  # the session ends while the form is open
    with pg.expect_response(lambda r: r.request.method == "POST") as posted:
        pg.click("#submit-version")
    assert posted.value.status == 400
    assert "What you typed is kept in this browser" in pg.locator("#error-detail").inner_text()
    shots(pg, "edit-expired-form")
    pg.click("#error-form-again")  # signed out: the sign-in page first, then back to the form
    pg.wait_for_selector("form.signin")
    pg.fill("input[name=name]", "js-editor")
    pg.fill("input[name=password]", "pw-js-editor-2026-registry")
    pg.click("form.signin button")
    pg.wait_for_url(f"**/rules/{JS}/edit*")
    notice = pg.locator("#draft-notice")
    assert "was not saved" in notice.inner_text()
    assert pg.input_value("#title") != title
    shots(pg, "edit-draft-offered")
    pg.click("#draft-restore")
    assert pg.locator("#draft-notice").count() == 0
    assert pg.input_value("#title") == title and pg.input_value("#effective") == "2030-01-01"
    assert "第九条 附则" in pg.input_value("#body")
    pg.click("#submit-version")
    pg.wait_for_url(f"**/rules/{JS}@2030-01-01")
    assert "本标准自2030年1月1日起施行（测试）" in pg.locator(".articles").inner_text()
    # sent and saved: the draft is gone
    pg.goto(f"{base_url}/rules/{JS}/edit")
    assert pg.locator("#version-form").count() == 1 and pg.locator("#draft-notice").count() == 0


def test_a_refused_form_shown_again_offers_no_draft(tolerant_page, base_url, users):
    """A form the registry refuses comes back with what was typed: no draft notice on top of it."""
    pg = tolerant_page
    sign_in(pg, base_url, "js-editor")
    pg.goto(f"{base_url}/rules/{JS}/edit")
    pg.fill("#effective", "1990-01-01")
    with pg.expect_response(lambda r: r.request.method == "POST") as posted:
        pg.click("#submit-version")
    assert posted.value.status == 400
    assert pg.input_value("#effective") == "1990-01-01"
    assert pg.locator("#draft-notice").count() == 0
    pg.goto(f"{base_url}/rules/{JS}/edit")  # opened afresh: the refused text is not offered either
    assert pg.locator("#draft-notice").count() == 0
