"""The words users read for the codes the registry stores (SPEC §7): one table per kind of code.

Each word is an English msgid, translated through the message catalogues in
``app/web/translations`` (Flask-Babel serves them to the pages; ``word`` serves them to the
Chinese documents made outside a request: the annual report, the Atom feeds). An unknown code is
shown as itself. Flask-free, so domain packages may use it (docs/decisions.md, "Translation").

>>> word("deadline_status", "on_track", "zh"), word("deadline_status", "on_track", "en")
('按期推进', 'on track')
>>> word("topic", "no-such-topic", "zh")
'no-such-topic'
"""

from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "web" / "translations"
LOCALES = ("zh", "en")
DEFAULT_LOCALE = "zh"


def N_(message: str) -> str:
    """Mark ``message`` as a msgid for ``pybabel extract`` where it is defined; it is translated
    where it is shown."""
    return message


JURISDICTIONS = {
    "CN": N_("China (national)"),
    "CN-SH": N_("Shanghai"),
    "CN-JS": N_("Jiangsu"),
    "CN-ZJ": N_("Zhejiang"),
    "CN-AH": N_("Anhui"),
    "YRD": N_("Yangtze River Delta (region-wide)"),
    "YRD-DZ": N_("YRD Eco-Green Integrated Development Demonstration Zone"),
}

TOPICS = {
    "energy": N_("energy"),
    "environment": N_("environment"),
    "data": N_("data"),
    "finance": N_("finance"),
}

KINDS = {
    "law": N_("law"),
    "administrative_regulation": N_("administrative regulation"),
    "local_regulation": N_("local regulation"),
    "government_rule": N_("government rule"),
    "normative_document": N_("normative document"),
    "local_standard": N_("local standard"),
    "joint_standard": N_("joint standard"),
    "agreement": N_("agreement"),
}

#: A rule version's status on a date.
RULE_STATUSES = {
    "in_force": N_("in force"),
    "not_yet_effective": N_("not yet effective"),
    "superseded": N_("superseded"),
    "repealed": N_("repealed"),
}

#: Where the text of a rule comes from.
PROVENANCES = {
    "full_text": N_("official text"),
    "summary": N_("summary"),
}

#: Rows of a comparison, cells of the matrix and of the hard-rule tables.
STATUSES = {
    "same": N_("same"),
    "changed": N_("changed"),
    "split": N_("split"),
    "merged": N_("merged"),
    "removed": N_("removed"),
    "added": N_("added"),
    "moved": N_("moved"),
    "renumbered": N_("renumbered"),
    "unchanged": N_("unchanged"),
    "aligned": N_("aligned"),
    "differing": N_("differing"),
    "missing": N_("missing"),
    "divergent": N_("divergent"),
    "partial": N_("partial"),
    "extra": N_("extra"),
    "strictest": N_("strictest"),
    "less_strict": N_("less strict"),
    "unknown": N_("not recorded"),
    "only_in_a": N_("Only in A"),
    "only_in_b": N_("Only in B"),
}

DEADLINE_STATUSES = {
    "met": N_("met"),
    "on_track": N_("on track"),
    "overdue": N_("overdue"),
    "none": N_("not rated"),
}

RATINGS = {
    "green": N_("green"),
    "amber": N_("amber"),
    "red": N_("red"),
    "incomplete": N_("incomplete"),
    "none": N_("not rated"),
}

#: Kinds of difference between two articles (``app.diff.classify``).
DIFFERENCE_TYPES = {
    "definition": N_("definition"),
    "penalty": N_("penalty"),
    "deadline": N_("deadline"),
    "modality": N_("modality"),
    "scope": N_("scope"),
    "number": N_("number"),
    "wording": N_("wording"),
}

#: Changes recorded in the audit log and the changes feed.
CHANGES = {
    "version_added": N_("version added"),
    "added": N_("version added"),
    "corrected": N_("corrected"),
    "repealed": N_("repealed"),
}

#: A version that breaks or restores a jurisdiction's alignment with a hard rule.
ALIGNMENT_CHANGES = {
    "broken": N_("alignment lost"),
    "restored": N_("alignment restored"),
}

#: What expanding to another jurisdiction does to a binding value (compliance check).
EXPANSION_CHANGES = {
    "stricter": N_("stricter"),
    "new": N_("new requirement"),
    "same": N_("no change"),
}

PROMOTION = {
    "true": N_("promoted"),
    "false": N_("not promoted"),
    "unknown": N_("promotion status unknown"),
}

#: Units of the quantitative provisions (the canonical units of ``parameters.yaml``).
UNITS = {
    "万元": N_("10,000 yuan"),
    "亿元": N_("100 million yuan"),
    "个工作日": N_("working days"),
    "倍": N_("times"),
    "万t": N_("10,000 t"),
    "万tce": N_("10,000 tce"),
    "年": N_("years"),
    "天": N_("days"),
    "小时": N_("hours"),
    "次": N_("occurrences"),
    "人": N_("persons"),
    "类": N_("class"),
}

#: Categories of the innovation register.
CATEGORIES = {
    "体制机制": N_("institutions and mechanisms"),
    "公共信用": N_("public credit"),
    "公共服务": N_("public services"),
    "共同富裕": N_("common prosperity"),
    "土地管理": N_("land management"),
    "多领域": N_("several fields"),
    "法治保障": N_("rule of law"),
    "生态保护": N_("ecological protection"),
    "碳达峰碳中和": N_("carbon peaking and neutrality"),
    "要素流动": N_("flow of production factors"),
    "规划管理": N_("planning"),
    "财税分享": N_("fiscal and tax sharing"),
    "项目管理": N_("project management"),
}

#: What an error page's status means (the details below it are the registry's message, in English).
HTTP_STATUSES = {
    "400": N_("The request was not accepted"),
    "401": N_("Sign-in required"),
    "403": N_("Not allowed"),
    "404": N_("Not found"),
    "405": N_("Not allowed here"),
    "409": N_("Conflict with the current data"),
    "412": N_("The record has changed since it was read"),
    "413": N_("The request is too large"),
    "415": N_("Unsupported content type"),
    "428": N_("The revision to replace is missing"),
    "429": N_("Too many requests"),
    "500": N_("Server error"),
    "503": N_("Temporarily unavailable"),
}

GROUPS: dict[str, dict[str, str]] = {
    "jurisdiction": JURISDICTIONS,
    "topic": TOPICS,
    "kind": KINDS,
    "rule_status": RULE_STATUSES,
    "provenance": PROVENANCES,
    "status": STATUSES,
    "deadline_status": DEADLINE_STATUSES,
    "rating": RATINGS,
    "difference": DIFFERENCE_TYPES,
    "change": CHANGES,
    "alignment_change": ALIGNMENT_CHANGES,
    "expansion": EXPANSION_CHANGES,
    "promotion": PROMOTION,
    "unit": UNITS,
    "category": CATEGORIES,
    "http_status": HTTP_STATUSES,
}


def msgid(group: str, code: object) -> str | None:
    """The msgid naming ``code`` in ``group`` (a key of ``GROUPS``); None when the code has none."""
    return GROUPS[group].get(str(code)) if code is not None else None


def compile_catalogues(directory: Path = TRANSLATIONS_DIR) -> list[Path]:
    """Compile every ``messages.po`` whose ``messages.mo`` is missing or older (what
    ``pybabel compile`` does in ``make install``), so a checkout that skipped it still translates;
    each file replaced atomically. Returns the files written."""
    written = []
    for po in sorted(directory.glob("*/LC_MESSAGES/messages.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as f:
            catalog = read_po(f)
        fd, tmp = tempfile.mkstemp(dir=po.parent, suffix=".mo.tmp")
        with os.fdopen(fd, "wb") as f:
            write_mo(f, catalog)
        os.replace(tmp, mo)
        written.append(mo)
    return written


@functools.cache
def translations(locale: str) -> NullTranslations:
    """The catalogue of ``locale`` (``zh`` or ``en``), compiled first if need be."""
    compile_catalogues()
    return Translations.load(str(TRANSLATIONS_DIR), [locale])


def word(group: str, code: object, locale: str = DEFAULT_LOCALE) -> str:
    """``code`` of ``group`` as a word in ``locale``; the code itself when it has no word."""
    m = msgid(group, code)
    if m is None:
        return "" if code is None else str(code)
    return translations(locale).gettext(m)
