"""Interface strings in Chinese (default) and English; ``?lang=en`` switches and is remembered in a cookie."""

from __future__ import annotations

from urllib.parse import quote

from flask import Flask, g, request

STRINGS: dict[str, tuple[str, str]] = {
    "site": ("长三角规则协同登记簿", "YRD Rule Harmonization Registry"),
    "home": ("首页", "Home"),
    "search": ("检索", "Search"),
    "rules": ("规则", "Rules"),
    "compare": ("比对", "Compare"),
    "matrix": ("议题矩阵", "Topic matrix"),
    "scoreboard": ("硬规则记分板", "Hard-rule scoreboard"),
    "innovations": ("制度创新", "Innovations"),
    "compliance": ("合规自查", "Compliance check"),
    "stats": ("覆盖统计", "Coverage"),
    "api": ("API 文档", "API docs"),
    "signin": ("官员登录", "Sign in"),
    "signout": ("退出", "Sign out"),
    "as_of": ("时点", "As of"),
    "jurisdiction": ("地区", "Jurisdiction"),
    "topic": ("议题", "Topic"),
    "kind": ("类别", "Kind"),
    "year": ("年份", "Year"),
    "status": ("状态", "Status"),
    "effective": ("施行", "Effective"),
    "repealed": ("废止", "Repealed"),
    "source": ("来源", "Source"),
    "versions": ("版本", "Versions"),
    "articles": ("条文", "Articles"),
    "parameters": ("量化指标", "Quantitative provisions"),
    "compare_with": ("与…比对", "Compare with…"),
    "effective_unknown": ("施行日期未知（按最早已知日期）", "effective date unknown (earliest known date used)"),
    "in_force": ("现行有效", "in force"),
    "not_yet_effective": ("尚未施行", "not yet effective"),
    "superseded": ("已被新版本取代", "superseded"),
    "latest_changes": ("最近变更", "Latest changes"),
    "coverage": ("覆盖情况", "Coverage"),
    "no_results": ("没有结果", "No results"),
    "submit": ("提交", "Submit"),
    "preamble": ("序言", "Preamble"),
    "summary_notice": (
        "本条文为登记簿依据公开来源所作的摘要，非官方文本；请以来源链接中的原文为准。",
        "These articles are the registry's summary of a public source, not the official text; the source link is authoritative.",
    ),
}


def lang() -> str:
    return g.get("lang", "zh")


def t(key: str) -> str:
    zh, en = STRINGS.get(key, (key, key))
    return en if lang() == "en" else zh


def url_quote(value: str) -> str:
    """Percent-encode non-ASCII characters in links (SPEC §7), keeping / # @ readable."""
    return quote(value, safe="/#@:-_.~")


def init_app(app: Flask) -> None:
    @app.before_request
    def _pick_lang() -> None:
        chosen = request.args.get("lang") or request.cookies.get("lang") or "zh"
        g.lang = "en" if chosen == "en" else "zh"

    @app.after_request
    def _remember_lang(resp):  # type: ignore[no-untyped-def]
        if request.args.get("lang") in ("zh", "en"):
            resp.set_cookie("lang", request.args["lang"], max_age=365 * 24 * 3600, samesite="Lax")
        return resp

    app.jinja_env.globals.update(t=t, lang=lang)
    app.jinja_env.filters["urlq"] = url_quote
