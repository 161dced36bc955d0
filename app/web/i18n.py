"""Interface strings in Chinese (default) and English; ``?lang=en`` switches and is remembered in a cookie."""

from __future__ import annotations

from urllib.parse import quote

from flask import Flask, g, request

STRINGS: dict[str, tuple[str, str]] = {
    "site": ("长三角规则协同登记簿", "YRD Rule Harmonization Registry"),
    "hard_rules_n": ("条硬规则", "hard rules"),
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

# ---------------------------------------------------------------- compare, harmonization, innovations, stats, API, sign-in pages
STRINGS.update(
    {
        "compare_title": ("规则比对", "Compare rules"),
        "compare_nway": ("多方比对", "N-way compare"),
        "baseline": ("基准规则", "Baseline"),
        "rule_a": ("规则 A", "Rule A"),
        "rule_b": ("规则 B", "Rule B"),
        "other_rules": ("比对规则", "Rules to compare"),
        "change_list": ("差异清单", "List of changes"),
        "diff_summary": ("差异统计", "Summary"),
        "by_type": ("按差异类型", "By difference type"),
        "similarity": ("相似度", "Similarity"),
        "only_in_a": ("仅见于 A", "Only in A"),
        "only_in_b": ("仅见于 B", "Only in B"),
        "extra_articles": ("基准中没有对应条文", "Articles with no counterpart in the baseline"),
        "param_diff": ("量化指标差异", "Differences in quantitative provisions"),
        "print": ("打印", "Print"),
        "no_differences": ("两者条文一致", "No differences"),
        "st_same": ("相同", "same"),
        "st_changed": ("修改", "changed"),
        "st_split": ("拆分", "split"),
        "st_merged": ("合并", "merged"),
        "st_removed": ("删除", "removed"),
        "st_added": ("新增", "added"),
        "st_moved": ("移动", "moved"),
        "st_renumbered": ("重新编号", "renumbered"),
        "st_unchanged": ("未变", "unchanged"),
        "st_aligned": ("一致", "aligned"),
        "st_differing": ("有差异", "differing"),
        "st_missing": ("缺失", "missing"),
        "st_divergent": ("不一致", "divergent"),
        "st_partial": ("部分", "partial"),
        "st_extra": ("多出", "extra"),
        "st_strictest": ("最严", "strictest"),
        "st_less_strict": ("较宽", "less strict"),
        "st_met": ("已达成", "met"),
        "st_on_track": ("按期推进", "on track"),
        "st_overdue": ("已逾期", "overdue"),
        "st_none": ("不适用", "not rated"),
        "st_green": ("绿", "green"),
        "st_amber": ("黄", "amber"),
        "st_red": ("红", "red"),
        "value": ("数值", "Value"),
        "unit": ("单位", "Unit"),
        "scope": ("适用范围", "Scope"),
        "spread": ("极差", "Spread"),
        "strictest_value": ("最严值", "Strictest value"),
        "row_status": ("行状态", "Row status"),
        "download": ("下载", "Download"),
        "legend": ("图例", "Legend"),
        "hard_rules": ("硬规则", "Hard rules"),
        "hard_rule": ("硬规则", "Hard rule"),
        "target": ("目标值", "Target"),
        "lead": ("牵头方", "Lead"),
        "deliverable": ("交付成果", "Deliverable"),
        "deadline": ("期限", "Deadline"),
        "aligned_share": ("一致比例", "Aligned share"),
        "deficit": ("一致性缺口", "Alignment deficit"),
        "deficit_year_before": ("一年前缺口", "Deficit a year earlier"),
        "change": ("变化", "Change"),
        "rating": ("评级", "Rating"),
        "applicable": ("适用硬规则数", "Applicable hard rules"),
        "aligned_count": ("已一致", "Aligned"),
        "progress_chart": ("进度图", "Progress chart"),
        "timeline": ("时间线", "Timeline"),
        "date": ("日期", "Date"),
        "download_svg": ("下载 SVG", "Download SVG"),
        "jurisdictions": ("经营所在地区", "Jurisdictions you operate in"),
        "facts": ("企业事实", "Your facts"),
        "parameter": ("指标", "Parameter"),
        "expand_to": ("拟拓展至", "Expanding to"),
        "results": ("结果", "Results"),
        "fact": ("事实值", "Fact"),
        "required": ("要求值", "Required"),
        "compliant": ("是否符合", "Compliant"),
        "citation": ("出处", "Citation"),
        "yes": ("符合", "yes"),
        "no": ("不符合", "no"),
        "unknown": ("未收录数值", "no value recorded"),
        "expansion": ("拓展后的变化", "What changes with the expansion"),
        "now": ("现在", "Now"),
        "with_new": ("拓展后", "With the new jurisdiction"),
        "ch_stricter": ("更严", "stricter"),
        "ch_new": ("新增要求", "new requirement"),
        "ch_same": ("不变", "same"),
        "category": ("类别", "Category"),
        "promoted": ("全国推广", "Promoted nationally"),
        "promoted_true": ("已推广", "promoted"),
        "promoted_false": ("未推广", "not promoted"),
        "promoted_unknown": ("推广状态未知", "promotion status unknown"),
        "all": ("全部", "All"),
        "related_rules": ("相关规则", "Related rules"),
        "verified": ("已核对来源", "checked against the source"),
        "unverified": ("未核对", "not yet checked"),
        "by_kind": ("按类别", "By kind"),
        "by_provenance": ("按来源类型", "By provenance"),
        "empty_cells": ("尚无规则的省市×议题", "Province × topic cells with no rule"),
        "what_is_in": ("登记簿收录了什么", "What the registry holds"),
        "count": ("数量", "Count"),
        "path": ("路径", "Path"),
        "method": ("方法", "Method"),
        "summary": ("说明", "Summary"),
        "api_parameters": ("参数", "Parameters"),
        "username": ("用户名", "User name"),
        "password": ("密码", "Password"),
        "signin_failed": ("用户名或密码错误", "Wrong user name or password"),
        "signed_in_as": ("已登录：", "Signed in as "),
        "feeds": ("订阅", "Feeds"),
    }
)


def lang() -> str:
    return g.get("lang", "zh")


def t(key: str) -> str:
    zh, en = STRINGS.get(key, (key, key))
    return en if lang() == "en" else zh


def url_quote(value: str) -> str:
    """Percent-encode non-ASCII characters in links (SPEC §7), keeping / # @ readable."""
    return quote(value, safe="/#@:-_.~")


KIND_AND_TOPIC: dict[str, tuple[str, str]] = {
    "law": ("法律", "law"),
    "administrative_regulation": ("行政法规", "administrative regulation"),
    "local_regulation": ("地方性法规", "local regulation"),
    "government_rule": ("政府规章", "government rule"),
    "normative_document": ("规范性文件", "normative document"),
    "local_standard": ("地方标准", "local standard"),
    "joint_standard": ("联合标准", "joint standard"),
    "agreement": ("协议", "agreement"),
    "energy": ("能源", "energy"),
    "environment": ("生态环境", "environment"),
    "data": ("数据", "data"),
    "finance": ("金融", "finance"),
}
STRINGS.update(KIND_AND_TOPIC)
STRINGS.update(
    {
        "version_added": ("新增版本", "version added"),
        "corrected": ("更正", "corrected"),
        "repealed": ("废止", "repealed"),
    }
)

# ---------------------------------------------------------------- honest coverage and addressee (SPEC §8.3, §8.4)
STRINGS.update(
    {
        "st_unknown": ("未收录", "not recorded"),
        "st_incomplete": ("不完整", "incomplete"),
        "divergent_count": ("不一致", "Divergent"),
        "missing_count": ("缺失", "Missing"),
        "unknown_count": ("未收录", "Not recorded"),
        "no_value_recorded": ("未收录数值", "no value recorded"),
        "coverage_full_text": ("已收录官方全文，未载此值", "official text held; it states no such value"),
        "coverage_none": ("未收录", "not recorded"),
        "verified_in": ("核验于{art}原文", "verified in {art}"),
        "not_verified_in": ("未在{art}原文中找到", "not found in {art}"),
        "article_not_stated": ("条文未注明", "article not stated"),
        "summary_coverage": ("摘要：收录 {n} / {total} 条", "Summary: {n} of {total} articles"),
        "summary_coverage_open": (
            "摘要：收录 {n} 条（官方文本条数未注明）",
            "Summary: {n} articles (official count not stated)",
        ),
        "only_in_side": ("仅见于 {side}", "only in {side}"),
        "not_in_summary": ("摘要未收录", "not in the summary"),
        "government_parameters_note": (
            "仅列出约束企业的指标；政府目标（如能耗强度下降目标）不约束企业，见议题矩阵与硬规则。",
            "Only parameters that bind enterprises are listed; government targets (such as intensity-reduction "
            "targets) bind no enterprise — see the topic matrix and the hard rules.",
        ),
    }
)


def held_phrase(held: dict | None) -> str:
    """What the registry holds for a jurisdiction on a topic, from a ``held`` count
    ``{full_text, summary, unspecified}`` (SPEC §8.3): 收录 2 部摘要，无官方全文 / 2 summaries held,
    no official text."""
    held = held or {}
    full, summ, other = (int(held.get(k) or 0) for k in ("full_text", "summary", "unspecified"))
    if lang() == "en":
        parts = []
        if full:
            parts.append(f"{full} official text{'s' if full > 1 else ''} held")
        if summ:
            parts.append(f"{summ} summar{'ies' if summ > 1 else 'y'} held")
        if other:
            parts.append(f"{other} rule{'s' if other > 1 else ''} of unstated provenance held")
        if not parts:
            return "no rule on this topic held"
        return ", ".join(parts) + ("" if full else ", no official text")
    zh = []
    if full:
        zh.append(f"收录 {full} 部官方全文")
    if summ:
        zh.append(f"收录 {summ} 部摘要")
    if other:
        zh.append(f"收录 {other} 部来源类型未注明的规则")
    if not zh:
        return "未收录该议题的规则"
    return "，".join(zh) + ("" if full else "，无官方全文")


def verified_label(verified: bool | None, article: str | None) -> str:
    """The verification mark of a value from a full_text version (SPEC §8.2): 核验于第N条原文 /
    verified in art. N; "" for values not checked against a text (summaries)."""
    if verified is None:
        return ""
    if article is None:
        return t("article_not_stated")
    return t("verified_in" if verified else "not_verified_in").format(art=article_label(article))


def article_label(anchor: str | None) -> str:
    """``art-10-1`` (or a full article id) → 第十条之一 in Chinese, Art. 10-1 in English.

    None (a summary whose source does not state the article, SPEC §8.3) → 条文未注明 / article not stated.
    """
    from app.corpus.numerals import to_chinese_numeral

    if anchor is None:
        return "article not stated" if lang() == "en" else "条文未注明"
    number = anchor.split("#")[-1].removeprefix("art-")
    main, _, sub = number.partition("-")
    if not main.isdigit() or (sub and not sub.isdigit()):
        return anchor
    if lang() == "en":
        return f"Art. {number}"
    return f"第{to_chinese_numeral(int(main))}条" + (f"之{to_chinese_numeral(int(sub))}" if sub else "")


def number(value: object) -> str:
    """A value as users read it: 15 not 15.0, 0.025 as is, yes/no in the page language."""
    if isinstance(value, bool):
        return ("yes" if value else "no") if lang() == "en" else ("是" if value else "否")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}"
    return "" if value is None else str(value)


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

    app.jinja_env.globals.update(t=t, lang=lang, held_phrase=held_phrase, verified_label=verified_label)
    app.jinja_env.filters["urlq"] = url_quote
    app.jinja_env.filters["num"] = number
    app.jinja_env.filters["artlabel"] = article_label
