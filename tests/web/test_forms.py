"""The site's forms (app/web/forms.py) on their own: field checks with messages in both languages, and
the documents they make (a form left as shown gives back the stored version's document; an innovation
form gives what the CSV/XLSX import gives for the same cells)."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from werkzeug.datastructures import MultiDict

from app.corpus import writer
from app.corpus.documents import Body, ParameterDef, ParameterEntry, RuleDocument
from app.corpus.innovation_table import row_to_document
from app.exceptions import CorpusError, Problem, problem
from app.web.forms import InnovationForm, RuleVersionForm

DEFS = {
    "env.water.cod.max_concentration": ParameterDef(
        "env.water.cod.max_concentration", "化学需氧量排放浓度限值", "COD limit", "environment", "mg/L", "lower"
    ),
    "env.eia.mutual_recognition": ParameterDef(
        "env.eia.mutual_recognition", "互认环评审批", None, "environment", "", "true"
    ),
}
BODY = "# 示例标准\n\n## 第一条 目的\n\n为了测试。\n\n## 第十条之一 限值\n\n不得超过30毫克/升。\n"
CURRENT = RuleDocument(
    path="rules/cn-sh/environment/x@2023-03-01.md",
    rule_id="cn-sh/environment/x",
    title="示例标准",
    jurisdiction="CN-SH",
    topic="environment",
    kind="local_standard",
    source_url="https://example.org/x",
    body_text=BODY,
    body=Body(None, "", (), ()),
    doc_number="DB00/1-2023",
    effective=dt.date(2023, 3, 1),
    applies_to=["CN-SH", "CN-JS"],
    provenance="summary",
    parameters=[ParameterEntry("env.water.cod.max_concentration", 0.03, "g/L", "10-1", "A级")],
)


@pytest.fixture(scope="module")
def forms_app(tmp_path_factory):
    """An app for request contexts only: the forms never touch the database, so none is migrated."""
    from app import create_app

    tmp = tmp_path_factory.mktemp("forms")
    application = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{tmp / 'unused.sqlite3'}",
            "REGISTRY_INDEX": str(tmp / "index"),
            "SECRET_KEY": "test-secret",
        }
    )
    yield application
    application.extensions["registry_engine"].dispose()


@pytest.fixture
def in_lang(forms_app):
    """Run inside a request in the given page language (the forms' messages come from the catalogues)."""

    def enter(lang: str):
        return forms_app.test_request_context(f"/?lang={lang}")

    return enter


def posted(**changes: str) -> MultiDict:
    data = RuleVersionForm.data_of(CURRENT, "cn-sh/environment/x@2023-03-01")
    flat = {k: v for k, v in data.items() if k != "parameters"}
    for i, row in enumerate(data["parameters"]):
        flat.update({f"parameters-{i}-{k}": v for k, v in row.items()})
    flat.update(changes)
    return MultiDict(flat)


def test_a_form_left_as_shown_gives_back_the_same_document(in_lang):
    with in_lang("zh"):
        form = RuleVersionForm(posted()).setup(DEFS)
        assert form.validate()
        assert form.document(CURRENT) == writer.render_rule(CURRENT)  # applies_to etc. kept, values as stated


def test_a_changed_form_writes_the_fields_into_the_document(in_lang):
    with in_lang("en"):
        form = RuleVersionForm(
            posted(
                effective="2026-01-01",
                repealed="2030-12-31",
                doc_number="",
                **{
                    "parameters-0-value": "20",
                    "parameters-0-unit": "mg/L",
                    "parameters-1-key": "env.eia.mutual_recognition",
                },
                **{"parameters-1-value": "TRUE", "parameters-1-article": "1", "parameters-2-key": ""},
            )
        ).setup(DEFS)
        assert form.check(dt.date(2023, 3, 1)), form.errors
        text = form.document(CURRENT)
    assert "effective: 2026-01-01\nrepealed: 2030-12-31\n" in text and "doc_number" not in text
    assert "  - key: env.water.cod.max_concentration\n    value: 20\n    unit: mg/L\n    article: 10-1\n" in text
    assert "  - key: env.eia.mutual_recognition\n    value: true\n    article: 1\n" in text  # the empty row is ignored
    assert text.endswith(BODY) and "applies_to: [CN-SH, CN-JS]" in text


CASES = [
    # (posted changes, field, zh words, en words)
    ({"effective": "2024-02-30"}, "effective", "不是真实存在的日期", "is not a real date"),
    ({"effective": "2024/01/01"}, "effective", "不是真实存在的日期", "write it as YYYY-MM-DD"),
    ({"effective": "2022-12-31"}, "effective", "必须晚于现行版本（2023-03-01）", "after the current one (2023-03-01)"),
    ({"effective": "", "published": "2023-03-01"}, "published", "必须晚于现行版本", "after the current one"),
    ({"effective": ""}, "effective", "请填写施行日期", "Give the effective date"),
    (
        {"effective": "2026-01-01", "repealed": "2025-12-31"},
        "repealed",
        "失效日期必须晚于施行日期",
        "expiry date must come after",
    ),
    ({"title": " "}, "title", "此项为必填", "This field is required"),
    ({"source_url": "ftp://example.org/x"}, "source_url", "请填写完整网址", "full web address"),
    ({"parameters-0-key": "no.such.key"}, "parameters-0-key", "请选择参数", "Choose a parameter"),
    ({"parameters-0-value": "30毫克"}, "parameters-0-value", "不是数字", "is not a number"),
    ({"parameters-0-value": ""}, "parameters-0-value", "此项为必填", "This field is required"),
    ({"parameters-0-article": "10"}, "parameters-0-article", "正文中没有第 10 条", "The text has no article 10"),
    (
        {"parameters-0-key": "env.eia.mutual_recognition", "parameters-0-value": "1"},
        "parameters-0-value",
        "只能填 true 或 false",
        "takes true or false",
    ),
    (
        {"parameters-0-key": "env.eia.mutual_recognition", "parameters-0-value": "true"},
        "parameters-0-unit",
        "没有单位",
        "has no unit",
    ),
    (
        {"provenance": "full_text", "parameters-0-article": ""},
        "parameters-0-article",
        "每个数值都须注明条文",
        "states the article",
    ),
    ({"body": "没有条文的正文。\n", "parameters-0-article": ""}, "body", "正文中没有条文", "The text has no article"),
]


@pytest.mark.parametrize(("changes", "field", "zh", "en"), CASES, ids=[c[1] + ":" + c[2] for c in CASES])
def test_each_problem_is_on_its_field_in_both_languages(in_lang, changes, field, zh, en):
    base = {"effective": "2026-01-01"}
    for lang, words in (("zh", zh), ("en", en)):
        with in_lang(lang):
            form = RuleVersionForm(posted(**{**base, **changes})).setup(DEFS)
            assert not form.check(dt.date(2023, 3, 1))
            errors = _errors(form)
            assert list(errors) == [field], errors
            assert any(words in m for m in errors[field]), (lang, errors)


def test_a_registry_problem_lands_on_its_field_and_others_are_returned(in_lang):
    unit = problem("f", "unit %(unit)r cannot be converted to %(canonical)r (the canonical unit of %(key)s)",
                   None, "parameters[0].unit", unit="kWh", canonical="mg/L", key="env.cod")  # fmt: skip
    problems = [
        unit,
        Problem("f", "unknown topic", None, "topic"),  # a reason without a catalogue message
        problem("f", "repealed may be set only on the latest version", None, "repealed"),
        Problem("f", "duplicate", None, "parameters[5]"),
    ]
    with in_lang("en"):
        form = RuleVersionForm(posted(**{"parameters-1-key": "", "parameters-2-value": "5"})).setup(DEFS)
        rest = form.put_problems(problems)
    assert shown(form.parameters[0].form.unit.errors) == [
        "unit 'kWh' cannot be converted to 'mg/L' (the canonical unit of env.cod)"
    ]
    assert shown(form.repealed.errors) == ["repealed may be set only on the latest version"]
    assert shown(rest) == ["unknown topic", "duplicate"]  # English pages: the registry's own words
    # on a Chinese page, in Chinese where the catalogue has the message; else the registry's words, marked English
    with in_lang("zh"):
        form = RuleVersionForm(posted(**{"parameters-1-key": "", "parameters-2-value": "5"})).setup(DEFS)
        rest = form.put_problems(problems)
    assert shown(form.parameters[0].form.unit.errors) == ["单位 'kWh' 无法换算为 'mg/L'（env.cod 的标准单位）"]
    assert shown(form.repealed.errors) == ["只能为最新版本设置废止日期"]
    assert rest == ['<span lang="en">unknown topic</span>', '<span lang="en">duplicate</span>']


def shown(errors: list) -> list[str]:
    """Field errors as the page shows them (they are HTML: escaped text, or English marked so)."""
    return [html.unescape(str(e)) for e in errors]


def _errors(form: RuleVersionForm) -> dict[str, list[str]]:
    out = {f.id: list(f.errors) for f in form if f.name != "parameters" and f.errors}
    out.update({f.id: list(f.errors) for row in form.parameters for f in row.form if f.errors})
    return out


# ---------------------------------------------------------------- the innovation form

CELLS = {
    "title": "示范区跨省通办窗口",
    "title_en": "Cross-province service window",
    "category": "公共服务",
    "year": "2022",
    "batch": "二",
    "number": "",
    "promoted_nationally": "true",
    "promotion_notice": "",
    "promotion_date": "2022-07-15",
    "related_rules": "cn-sh/environment/x\r\ncn-js/environment/y",
    "source_url": "https://example.org/dz-window",
    "verified": "false",
    "summary": "三地窗口互设（测试用示例）。",
}


def test_the_innovation_form_makes_what_the_import_makes(in_lang):
    with in_lang("zh"):
        form = InnovationForm(MultiDict(CELLS)).setup()
        assert form.check()
        document = form.document()
    cells = {**CELLS, "related_rules": "cn-sh/environment/x\ncn-js/environment/y"}
    assert document == row_to_document(cells, "table:row 2")[1]
    assert "related_rules: [cn-sh/environment/x, cn-js/environment/y]" in document


@pytest.mark.parametrize(
    ("changes", "field", "zh", "en"),
    [
        ({"category": ""}, "category", "此项为必填", "This field is required"),
        ({"year": "二〇二二"}, "year", "4 位数字", "4 digits"),
        ({"promotion_date": "2022-02-30"}, "promotion_date", "不是真实存在的日期", "is not a real date"),
        ({"source_url": "example.org"}, "source_url", "完整网址", "full web address"),
        ({"slug": "Bad Slug"}, "slug", "小写字母", "Lower-case letters"),
    ],
)
def test_innovation_field_errors_in_both_languages(in_lang, changes, field, zh, en):
    for lang, words in (("zh", zh), ("en", en)):
        with in_lang(lang):
            form = InnovationForm(MultiDict({**CELLS, **changes})).setup()
            assert not form.check()
            assert list(form.errors) == [field], form.errors
            assert words in form.errors[field][0]


def test_the_import_checks_still_apply_to_what_the_form_lets_through(in_lang):
    """The import's own reader is the last word: a value the form has no check for is refused by it."""
    with in_lang("en"):
        form = InnovationForm(MultiDict({**CELLS, "promoted_nationally": "maybe"})).setup()
        assert form.check()
        with pytest.raises(CorpusError) as err:
            form.document()
        assert form.put_problems(err.value) == []
        assert "not true or false" in form.promoted_nationally.errors[0]
