"""Pages word gaps honestly (SPEC §8.3, §8.4): 未收录 / not recorded with what the registry holds,
the incomplete rating, summary coverage and verification marks, compare wording, and a compliance
form that offers and accepts only enterprise parameters."""

from __future__ import annotations

import pytest

from tests.gaps_corpus import AH_RULE, COD, GOV, HR, ZJ_RULE, write_gaps

TOKEN = "test-csrf-token"
SH = "cn-sh/environment/sample-wwtp"
JS = "cn-js/environment/sample-wwtp-js"


def page(client, url: str) -> str:
    resp = client.get(url)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    return resp.get_data(as_text=True)


@pytest.fixture
def gaps(client, corpus_dir, runner, cli):
    write_gaps(corpus_dir)
    result = runner.invoke(cli, ["load", "--no-index"])
    assert result.exit_code == 0, result.output
    return client


def test_scoreboard_shows_incomplete_and_not_recorded_never_non_compliance(client):
    zh = page(client, "/scoreboard?as_of=2024-01-01")
    assert 'data-jurisdiction="CN-ZJ" data-rating="incomplete"' in zh
    assert "不完整" in zh and "未收录" in zh
    assert 'data-status="unknown"' in zh
    assert "收录 1 部摘要，无官方全文" in zh  # what the registry holds for Zhejiang on the topic
    en = page(client, "/scoreboard?as_of=2024-01-01&lang=en")
    assert "incomplete" in en and "not recorded" in en and "1 summary held, no official text" in en
    assert "not a finding of non-compliance" in en
    assert "hatch" in zh  # the deficit chart draws the unknown share hatched


def test_hard_rule_page_words_unknown_and_missing(client, gaps):
    zh = page(client, f"/hard-rules/{HR}?as_of=2021-06-01")
    assert '<tr class="hr-unknown" data-status="unknown"><th>浙江省</th><td>未收录' in zh
    zh = page(client, f"/hard-rules/{HR}?as_of=2024-01-01")
    assert '<tr class="hr-missing" data-status="missing"><th>浙江省</th><td>缺失' in zh
    assert "收录 1 部官方全文" in zh


def test_matrix_page_columns_say_what_is_held_and_cells_carry_marks(gaps):
    zh = page(gaps, "/matrix?topic=environment&as_of=2024-01-01")
    assert 'data-official="true">收录 1 部官方全文，收录 1 部摘要' in zh  # Zhejiang
    assert 'data-official="false">收录 1 部摘要，无官方全文' in zh  # Anhui
    assert "核验于第三条原文" in zh and "未在第一条原文中找到" in zh
    assert "条文未注明" in zh  # Anhui's COD limit: the summary's source states no article
    assert 'data-alignment="missing"' in zh
    en = page(gaps, "/matrix?topic=environment&as_of=2024-01-01&lang=en")
    assert "verified in Art. 3" in en and "article not stated" in en


def test_rule_pages_show_summary_coverage_and_verification(gaps):
    ah = page(gaps, f"/rules/{AH_RULE}")
    assert "摘要：收录 2 / 91 条" in ah and "条文未注明" in ah
    assert "Summary: 2 of 91 articles" in page(gaps, f"/rules/{AH_RULE}?lang=en")
    zj = page(gaps, f"/rules/{ZJ_RULE}?lang=zh")
    assert 'id="summary-coverage"' not in zj
    assert 'data-verified="true">✓ 核验于第三条原文' in zj
    assert 'data-verified="false">未在第一条原文中找到' in zj
    assert "verified in Art. 3" in page(gaps, f"/rules/{ZJ_RULE}?lang=en")
    sh = page(gaps, f"/rules/{SH}?lang=zh")
    assert "摘要：收录" in sh and "data-verified" not in sh  # summaries are not verified against a text


def test_compare_words_unmatched_articles_by_what_the_sides_are(gaps):
    versions = page(gaps, f"/compare?a={SH}@2020-01-01&b={SH}@2023-03-01")
    assert "两个版本属同一规则" in versions and "仅见于" not in versions
    # both versions are summaries: the added article is 新增, and the older summary does not hold it
    assert '<span class="tag st-added">新增 · A: 摘要未收录</span>' in versions
    rules = page(gaps, f"/compare?a={SH}&b={JS}&as_of=2024-01-01")
    assert "两部不同的规则" in rules and "仅见于 A" in rules
    assert ">删除<" not in rules and ">新增<" not in rules
    # Zhejiang's official text against Anhui's summary: Zhejiang's unmatched articles face a summary
    mixed = page(gaps, f"/compare?a={ZJ_RULE}&b={AH_RULE}&as_of=2024-01-01")
    assert "仅见于 A · B: 摘要未收录" in mixed
    assert "摘要：收录 2 / 91 条" in mixed
    en = page(gaps, f"/compare?a={ZJ_RULE}&b={AH_RULE}&as_of=2024-01-01&lang=en")
    assert "only in A · B: not in the summary" in en
    nway = page(gaps, f"/compare?baseline={ZJ_RULE}&rules={AH_RULE},{SH}&as_of=2024-01-01&lang=zh")
    assert 'data-unmatched="摘要未收录"' in nway


def test_compliance_form_offers_only_enterprise_parameters_and_refuses_government(gaps):
    form = page(gaps, "/compliance")
    assert f'value="{COD}"' in form and f'value="{GOV}"' not in form
    assert 'id="enterprise-only"' in form
    with gaps.session_transaction() as sess:
        sess["csrf"] = TOKEN
    resp = gaps.post(
        "/compliance",
        data={"csrf_token": TOKEN, "jurisdictions": ["CN-ZJ"], "fact_key": [GOV], "fact_value": ["80"]},
    )
    assert resp.status_code == 400
    body = resp.get_data(as_text=True)
    assert 'id="form-errors"' in body and GOV in body and "government" in body
    resp = gaps.post(
        "/compliance",
        data={
            "csrf_token": TOKEN,
            "jurisdictions": ["CN-ZJ", "CN-AH"],
            "fact_key": [COD],
            "fact_value": ["35"],
            "fact_scope": ["A级"],
            "as_of": "2024-01-01",
        },
    )
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    body = resp.get_data(as_text=True)
    assert 'data-coverage="full_text">未收录数值' in body and "已收录官方全文，未载此值" in body
    assert 'data-coverage="none">未收录数值' in body
    assert "✗" not in body and "不符合" not in body  # no value is never non-compliance


def test_compliance_page_names_the_scopes_a_jurisdiction_holds(gaps):
    with gaps.session_transaction() as sess:
        sess["csrf"] = TOKEN
    data = {
        "csrf_token": TOKEN,
        "jurisdictions": ["CN-ZJ", "CN-AH"],
        "fact_key": [COD],
        "fact_value": ["45"],
        "fact_scope": ["A级"],
        "as_of": "2024-01-01",
    }
    body = gaps.post("/compliance", data=data).get_data(as_text=True)
    assert body.count('class="scopes-available"') == 2
    assert "请填写其一：B级、C级<" in body and "请填写其一：（不填适用范围）<" in body
    en = gaps.post("/compliance?lang=en", data=data).get_data(as_text=True)
    assert "enter one of: B级, C级<" in en and "enter one of: (no scope)<" in en


def test_stats_page_shows_official_texts_and_articles_held(gaps):
    zh = page(gaps, "/stats")
    assert 'data-full-text="1" data-articles="3"' in zh and "官方全文 1 部 · 条文 3 条" in zh
