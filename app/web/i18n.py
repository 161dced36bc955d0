"""The pages' language (SPEC §7): Chinese by default, English available, through Flask-Babel.

Every interface string is an English msgid in the templates (``{{ _('...') }}``) and pages
(``gettext``), translated by the catalogues in ``app/web/translations`` (``pybabel compile`` in
``make install``). The locale is ``?lang=`` (remembered in the ``lang`` cookie), then the cookie,
then the browser's Accept-Language, else Chinese. Codes are shown as words through
``app.labels``; rule content (titles, article text) is never translated (docs/decisions.md,
"Translation").
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from flask import Flask, request
from flask_babel import (
    Babel,
    format_date,
    format_decimal,
    format_percent,
    get_locale,
    get_translations,
    gettext,
    ngettext,
    pgettext,
)
from jinja2 import pass_context
from markupsafe import Markup, escape

from app import labels
from app.corpus.dates import parse_date
from app.corpus.structure import article_number, chinese_article_label
from app.exceptions import Problem, RegistryError

COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600


def select_locale() -> str:
    """``?lang=``, then the cookie, then Accept-Language; ``zh`` when none names zh or en."""
    for chosen in (request.args.get("lang"), request.cookies.get(COOKIE)):
        if chosen in labels.LOCALES:
            return chosen
    return request.accept_languages.best_match(labels.LOCALES, default=labels.DEFAULT_LOCALE) or "zh"


def lang() -> str:
    """The active locale's language: ``zh`` or ``en``."""
    locale = get_locale()
    return locale.language if locale is not None else labels.DEFAULT_LOCALE


#: The language switch names the other language in that language.
LANGUAGES = {
    "zh": {"code": "zh", "tag": "zh-CN", "name": "中文"},
    "en": {"code": "en", "tag": "en", "name": "English"},
}


def html_lang() -> str:
    """The page's ``<html lang>``: ``zh-CN`` or ``en``."""
    return LANGUAGES[lang()]["tag"]


def other_language() -> dict[str, str]:
    """The language the switch offers (code, tag, name)."""
    return LANGUAGES["en" if lang() == "zh" else "zh"]


def localized(row: object, field: str) -> str:
    """A stored bilingual name (``label_zh``/``label_en`` of a parameter, ``name_zh``/``name_en``)
    in the page's language; the Chinese one when no English is stored."""
    zh = getattr(row, f"{field}_zh", None) if not isinstance(row, dict) else row.get(f"{field}_zh")
    en = getattr(row, f"{field}_en", None) if not isinstance(row, dict) else row.get(f"{field}_en")
    return (en or zh or "") if lang() == "en" else (zh or "")


def translated(item: object, field: str) -> Markup:
    """A stored Chinese text with our optional English translation (``title``/``title_en`` of a hard
    rule, ``deliverable``/``deliverable_en``) in the page's language: the English one on English
    pages when there is one, else the Chinese text marked as Chinese content (``lang="zh-CN"``)."""
    zh = (item.get(field) if isinstance(item, dict) else getattr(item, field, None)) or ""
    en = item.get(f"{field}_en") if isinstance(item, dict) else getattr(item, f"{field}_en", None)
    if lang() == "en" and en:
        return escape(en)
    return zh_content(zh)


def translated_text(item: dict, field: str) -> str:
    """Plain-text form of ``translated`` (for chart titles and legends): the English translation
    on English pages when there is one, else the Chinese text."""
    if lang() == "en" and item.get(f"{field}_en"):
        return item[f"{field}_en"]
    return item.get(field) or ""


def problem_reason(p: Problem) -> Markup:
    """Why the registry refused something (a :class:`Problem` of a submitted form or document), in the
    page's language where the catalogues hold its message; otherwise the registry's English words,
    marked ``lang="en"``."""
    return in_page_language(p.reason, p.template, dict(p.args))


def error_text(err: RegistryError) -> Markup:
    """A registry error's message (a refused query, a refused value) in the page's language, as
    :func:`problem_reason` shows a problem."""
    return in_page_language(err.message, err.template, err.values)


def in_page_language(english: str, template: str | None, values: dict) -> Markup:
    if lang() == "en":
        return escape(english)
    if template:
        translated = get_translations().ugettext(template)
        if translated != template:
            return escape(translated % values if values else translated)
    return Markup('<span lang="en">%s</span>') % english


def problem_line(p: Problem) -> Markup:
    """A whole problem of a document: where (file, line, field: identifiers) and why (in the page's language)."""
    where = p.file if p.line is None else f"{p.file}:{p.line}"
    if p.field:
        where = f"{where}: {p.field}"
    return Markup('<code translate="no">%s</code>: ') % where + problem_reason(p)


def zh_content(text: object) -> Markup:
    """Rule content (a title, a quote) as it is written, in Chinese, marked ``lang="zh-CN"`` so
    readers, screen readers and the page scan tell it from the interface. Empty text is —."""
    if text is None or text == "":
        return Markup("—")
    return Markup('<span lang="zh-CN">%s</span>') % text


def switch_url(target: str) -> str:
    """The current page with its whole query string and ``lang=<target>``: switching language keeps
    the page and the search on it."""
    args = [(k, v) for k, values in request.args.lists() if k != "lang" for v in values]
    args.append(("lang", target))
    return request.path + "?" + urlencode(args)


def url_quote(value: str) -> str:
    """Percent-encode non-ASCII characters in links (SPEC §7), keeping / # @ readable."""
    return quote(value, safe="/#@:-_.~")


def label(code: object, group: str) -> str:
    """``code`` of ``group`` (``app.labels.GROUPS``) as a word in the page's language; the code
    itself when it has none."""
    m = labels.msgid(group, code)
    if m is None:
        return "" if code is None else str(code)
    return gettext(m)


def held_phrase(held: dict | None) -> str:
    """What the registry holds for a jurisdiction on a topic, from a ``held`` count
    ``{full_text, summary, unspecified}`` (SPEC §8.3): 收录 2 部摘要，无官方全文 / 2 summaries held,
    no official text."""
    held = held or {}
    full, summ, other = (int(held.get(k) or 0) for k in ("full_text", "summary", "unspecified"))
    parts = []
    if full:
        parts.append(ngettext("%(num)d official text held", "%(num)d official texts held", full))
    if summ:
        parts.append(ngettext("%(num)d summary held", "%(num)d summaries held", summ))
    if other:
        parts.append(
            ngettext("%(num)d rule of unstated provenance held", "%(num)d rules of unstated provenance held", other)
        )
    if not parts:
        return gettext("no rule on this topic held")
    if not full:
        parts.append(gettext("no official text"))
    return pgettext("clauses", ", ").join(parts)


def article_label(anchor: str | None) -> str:
    """``art-10-1`` (or a full article id) → 第十条之一 in Chinese, Art. 10-1 in English.

    None (a summary whose source does not state the article, SPEC §8.3) → 条文未注明 / article not stated.
    """
    if anchor is None:
        return gettext("article not stated")
    number = article_number(anchor)
    if number is None:
        return anchor
    if lang() == "zh":
        return chinese_article_label(number)
    return gettext("Art. %(number)s", number=number)


def verified_label(verified: bool | None, article: str | None) -> str:
    """The verification mark of a value from a full_text version (SPEC §8.2): 核验于第N条原文 /
    verified in Art. N; "" for values not checked against a text (summaries)."""
    if verified is None:
        return ""
    if article is None:
        return gettext("article not stated")
    if verified:
        return gettext("verified in %(article)s", article=article_label(article))
    return gettext("not found in %(article)s", article=article_label(article))


def number(value: object) -> str:
    """A value as users read it, in the page's language: 15 not 15.0, 0.025 as is, yes/no."""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, int | float):
        return format_decimal(value, format="#,##0.##########")
    return "" if value is None else str(value)


def date(value: object) -> str:
    """A date in the page's language (2024年1月5日 / Jan 5, 2024); an ISO string is read first."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        try:
            value = parse_date(value)
        except ValueError:
            return value
    return format_date(value, format="medium")


def percent(value: float | None, signed: bool = False) -> str:
    """A share as a whole percent in the page's language (``+5%`` when ``signed``); — for None."""
    if value is None:
        return "—"
    return format_percent(value, format="+#,##0%;-#,##0%" if signed else "#,##0%")


def _per_request(func):  # type: ignore[no-untyped-def]
    """A filter Jinja must not fold at compile time (``'x'|label(...)`` on a constant would be
    translated once, in the first request's language): marking it context-dependent prevents it."""

    @pass_context
    def wrapper(_context, *args, **kwargs):  # type: ignore[no-untyped-def]
        return func(*args, **kwargs)

    return wrapper


def init_app(app: Flask) -> None:
    labels.compile_catalogues()
    Babel(
        app,
        locale_selector=select_locale,
        default_locale=labels.DEFAULT_LOCALE,
        default_translation_directories=str(labels.TRANSLATIONS_DIR),
    )

    @app.after_request
    def _remember_lang(resp):  # type: ignore[no-untyped-def]
        if request.args.get("lang") in labels.LOCALES:
            resp.set_cookie(COOKIE, request.args["lang"], max_age=COOKIE_MAX_AGE, samesite="Lax")
        return resp

    app.jinja_env.globals.update(
        lang=lang,
        html_lang=html_lang,
        other_language=other_language,
        switch_url=switch_url,
        held_phrase=held_phrase,
        verified_label=verified_label,
    )
    app.jinja_env.filters["urlq"] = url_quote
    app.jinja_env.filters.update(
        {
            name: _per_request(func)
            for name, func in {
                "num": number,
                "artlabel": article_label,
                "label": label,
                "pct": percent,
                "date": date,
                "localized": localized,
                "translated": translated,
                "translated_text": translated_text,
                "zh": zh_content,
            }.items()
        }
    )
