"""Translation through the message catalogues (SPEC §7): every extracted msgid translated in zh and
en; every page kind, crawled in both languages, shows no interface string of the other language
(rule content aside: only catalogue strings are looked for); the language switch keeps the page
and its query; the locale comes from ?lang=, the cookie, then Accept-Language."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from app import labels

ROOT = Path(__file__).resolve().parents[2]
SH = "cn-sh/environment/sample-wwtp"
SH_2020 = f"{SH}@2020-01-01"
SH_2023 = f"{SH}@2023-03-01"
JS = "cn-js/environment/sample-wwtp-js"
DZ = "yrd-dz/environment/sample-joint-standard"
HR = "dz-cod-common-limit"
HAN = re.compile(r"[\u4e00-\u9fff]")


def catalogue(locale: str):
    with (labels.TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=locale)


def key(message) -> tuple:
    return (message.context, message.id)


# ---------------------------------------------------------------- the catalogues


#: the keywords of the extraction command in babel.cfg: lazy_gettext (forms, error pages), N_ and
#: problem and of (the registry's refusals and error messages, app.exceptions), besides gettext and _
KEYWORDS = ("-k", "lazy_gettext", "-k", "N_", "-k", "problem:2", "-k", "of")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict:
    """``pybabel extract`` with the project's babel.cfg, as a maintainer runs it."""
    out = tmp_path_factory.mktemp("pot") / "messages.pot"
    cwd = Path.cwd()
    try:
        import os

        os.chdir(ROOT)
        CommandLineInterface().run(["pybabel", "-q", "extract", "-F", "babel.cfg", *KEYWORDS, "-o", str(out), "."])
    finally:
        os.chdir(cwd)
    with out.open("rb") as f:
        return {key(m): m for m in read_po(f) if m.id}


def test_extraction_finds_the_pages_the_labels_and_the_python_pages(extracted):
    ids = {k[1] for k in extracted}
    assert "YRD Rule Harmonization Registry" in ids  # base.html
    assert "Wrong user name or password" in ids  # pages/auth.py
    assert "Promotion notice" in ids  # lazy_gettext in pages/innovations.py
    assert "administrative regulation" in ids and "Shanghai" in ids  # app/labels.py
    assert ("%(num)d summary held", "%(num)d summaries held") in ids  # ngettext in i18n.py
    assert ("compliance", "yes") in extracted  # pgettext


@pytest.mark.parametrize("locale", labels.LOCALES)
def test_every_msgid_has_a_translation(extracted, locale):
    cat = catalogue(locale)
    held = {key(m): m for m in cat if m.id}
    assert sorted(set(extracted) - set(held), key=str) == []  # nothing untranslated
    assert sorted(set(held) - set(extracted), key=str) == []  # nothing obsolete
    empty = [k for k, m in held.items() if not all(m.string if isinstance(m.string, tuple) else [m.string])]
    assert empty == []
    fuzzy = [k for k, m in held.items() if m.fuzzy]
    assert fuzzy == []
    problems = [(m.id, [str(e) for e in errors]) for m, errors in cat.check()]
    assert problems == []  # placeholders agree with the msgid


def test_the_chinese_catalogue_is_chinese():
    untranslated = [
        m.id
        for m in catalogue("zh")
        if m.id and isinstance(m.id, str) and re.search(r"[A-Za-z]{3}", m.id) and m.string == m.id
    ]
    assert untranslated == []


def test_one_word_per_deadline_status_everywhere():
    """The page, the report and the feeds read the same catalogue (they once said 按期推进 and 推进中)."""
    assert labels.word("deadline_status", "on_track", "zh") == "按期推进"
    assert labels.word("deadline_status", "on_track", "en") == "on track"
    assert labels.word("alignment_change", "restored", "zh") == "恢复一致"
    assert labels.word("kind", "administrative_regulation", "zh") == "行政法规"
    assert labels.word("jurisdiction", "CN-SH", "en") == "Shanghai"
    assert labels.word("unit", "万元", "en") == "10,000 yuan"
    assert labels.word("topic", "unknown-topic", "en") == "unknown-topic"


def test_stale_catalogues_are_compiled(tmp_path):
    po = tmp_path / "xx" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\nmsgid "a"\nmsgstr "b"\n')
    assert labels.compile_catalogues(tmp_path) == [po.with_suffix(".mo")]
    assert labels.compile_catalogues(tmp_path) == []  # up to date


# ---------------------------------------------------------------- every page, scanned against the catalogues


class Segments(HTMLParser):
    """The visible strings of a page: text and the attributes people read, cut at separators."""

    ATTRS = ("title", "placeholder", "aria-label", "alt")
    SKIP = ("script", "style")

    VOID = ("br", "img", "input", "meta", "link", "hr", "col", "source", "wbr")

    def __init__(self) -> None:
        super().__init__()
        self.out: list[str] = []
        self.skipping = 0
        self.open: list[bool] = []  # per open element: does it skip its content?

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        if tag in self.VOID:
            if not self.skipping:
                self.out.extend(v for k, v in attrs if k in self.ATTRS and v)
            return
        # content in a declared language (rule text, the OpenAPI document) is not interface text;
        # the page's own <html lang> is where the scan starts
        skip = tag in self.SKIP or (tag != "html" and any(k == "lang" for k, _ in attrs))
        self.open.append(skip)
        self.skipping += skip
        if not self.skipping:
            self.out.extend(v for k, v in attrs if k in self.ATTRS and v)

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag not in self.VOID and self.open:
            self.skipping -= self.open.pop()

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if not self.skipping:
            self.out.append(data)

    @classmethod
    def of(cls, page: str) -> tuple[set[str], str]:
        parser = cls()
        parser.feed(page)
        text = " ".join(parser.out)
        parts = re.split(r"\s*(?:[·:：;；,，、()（）\[\]|→←✓✗★*]|\s{2,}|\n|—|≥|<|>|\d+(?:\.\d+)?%?)\s*", text)
        return {p.strip() for p in parts if p.strip()}, re.sub(r"\s+", " ", text)


def ui_strings(locale: str) -> tuple[set[str], list[str]]:
    """(whole strings, long strings) of ``locale``'s catalogue that do not occur in the other
    language's catalogue: what must never show on the other language's pages."""
    this = {m.string for m in catalogue(locale) if m.id and isinstance(m.string, str)}
    other = {m.string for m in catalogue("en" if locale == "zh" else "zh") if m.id and isinstance(m.string, str)}
    mine = {
        s for s in this - other if "%(" not in s and (HAN.search(s) if locale == "zh" else re.search("[A-Za-z]", s))
    }
    whole = {s.strip() for s in mine}
    long = sorted(s for s in mine if len(s) >= (8 if locale == "zh" else 16))
    return whole, long


PAGES = [
    "/",
    "/search?q=排放",
    "/search?q=化学需氧量&jurisdiction=CN-SH",
    "/rules",
    "/rules?jurisdiction=CN-SH",
    f"/rules/{SH}",
    f"/rules/{SH_2020}",
    f"/rules/{DZ}",
    "/compare",
    f"/compare?a={SH_2020}&b={SH_2023}",
    f"/compare?a={SH}&b={JS}",
    f"/compare?baseline={SH}&rules={JS},{DZ}",
    "/matrix",
    "/matrix?topic=environment&jurisdiction=CN-SH&jurisdiction=CN-JS",
    "/matrix?topic=environment&view=heat&differ=1",
    "/compare?a=污水&b=" + JS,
    "/report?year=2023",
    "/scoreboard",
    f"/hard-rules/{HR}",
    "/compliance",
    "/innovations",
    "/stats",
    "/api",
    "/signin",
    "/no-such-page",
]


def crawl(client, lang: str) -> dict[str, str]:
    pages = {}
    for url in PAGES:
        resp = client.get(url + ("&" if "?" in url else "?") + f"lang={lang}")
        assert resp.status_code == (404 if url == "/no-such-page" else 200), url
        pages[url] = resp.get_data(as_text=True)
    data = {
        "csrf_token": "t",
        "jurisdictions": ["CN-SH", "CN-JS"],
        "fact_key": ["env.water.cod.max_concentration"],
        "fact_value": ["45"],
        "fact_scope": [""],
        "fact_unit": [""],
        "expand_to": "CN-ZJ",
    }
    with client.session_transaction() as sess:
        sess["csrf"] = "t"
    resp = client.post(f"/compliance?lang={lang}", data=data)
    assert resp.status_code in (200, 400)
    pages["POST /compliance"] = resp.get_data(as_text=True)
    return pages


@pytest.fixture
def crawled(client) -> dict[str, dict[str, str]]:
    return {lang: crawl(client, lang) for lang in labels.LOCALES}


def leaks(page: str, locale: str) -> list[str]:
    """Strings of ``locale``'s catalogue on a page of the other language."""
    segments, text = Segments.of(page)
    whole, long = ui_strings(locale)
    return sorted((segments & whole) | {s for s in long if s in text})


def test_pages_show_no_interface_string_of_the_other_language(crawled):
    found = {
        (lang, url): leaks(page, "en" if lang == "zh" else "zh")
        for lang, pages in crawled.items()
        for url, page in pages.items()
    }
    found = {k: v for k, v in found.items() if v}
    assert found == {}


def test_pages_declare_their_language(crawled):
    for url, page in crawled["zh"].items():
        assert '<html lang="zh-CN">' in page, url
    for url, page in crawled["en"].items():
        assert '<html lang="en">' in page, url


def test_the_scan_finds_a_leak():
    assert leaks("<p>Hard-rule scoreboard</p>", "en") == ["Hard-rule scoreboard"]
    assert leaks('<input placeholder="硬规则记分板">', "zh") == ["硬规则记分板"]
    assert leaks("<td>administrative regulation</td>", "en") == ["administrative regulation"]
    assert leaks("<p>上海市水污染防治条例</p>", "zh") == []  # rule content is not a catalogue string
    assert leaks('<h4 lang="zh-CN">适用范围</h4><p>Hard-rule scoreboard</p>', "zh") == []  # declared content
    assert leaks('<div lang="zh-CN"><br>适用范围</div><p>最严</p>', "zh") == ["最严"]


# ---------------------------------------------------------------- codes, dates and numbers as words


def test_codes_shown_as_words(client):
    zh = client.get("/rules?lang=zh").get_data(as_text=True)
    en = client.get("/rules?lang=en").get_data(as_text=True)
    assert "<td>生态环境</td>" in zh and "<td>environment</td>" in en
    assert "<td>地方标准</td>" in zh or "<td>地方性法规</td>" in zh
    compare = client.get(f"/compare?a={SH}&b={JS}&lang=zh").get_data(as_text=True)
    assert ">only_in_a<" not in compare and ">only_in_b<" not in compare


def test_dates_and_percents_per_language(client):
    zh = client.get("/scoreboard?as_of=2024-01-01&lang=zh").get_data(as_text=True)
    en = client.get("/scoreboard?as_of=2024-01-01&lang=en").get_data(as_text=True)
    assert "截至 2024年1月1日" in zh
    assert "on Jan 1, 2024" in en
    assert re.search(r"<td>\d+%</td>", zh) and not re.search(r"<td>\d+\.\d+%</td>", zh)  # whole percents


# ---------------------------------------------------------------- choosing and switching the language


def switch_link(page: str) -> str:
    m = re.search(r'<a href="([^"]*)" id="lang-switch"[^>]*>', page)
    assert m, "no language switch"
    return m.group(1).replace("&amp;", "&")


def test_switching_language_keeps_the_page_and_its_query(client):
    page = client.get("/search?q=排放&jurisdiction=CN-SH&jurisdiction=CN-JS&sort=date").get_data(as_text=True)
    target = switch_link(page)
    parts = urlsplit(target)
    assert parts.path == "/search"
    assert parse_qsl(parts.query) == [
        ("q", "排放"),
        ("jurisdiction", "CN-SH"),
        ("jurisdiction", "CN-JS"),
        ("sort", "date"),
        ("lang", "en"),
    ]
    assert target.isascii()  # percent-encoded
    resp = client.get(target)
    en = resp.get_data(as_text=True)
    assert '<html lang="en">' in en and 'value="排放"' in en
    back = switch_link(en)
    assert parse_qsl(urlsplit(back).query)[-1] == ("lang", "zh")
    assert ("lang", "en") not in parse_qsl(urlsplit(back).query)


def test_locale_from_query_then_cookie_then_accept_language(client):
    assert '<html lang="zh-CN">' in client.get("/").get_data(as_text=True)  # the default
    en_browser = {"Accept-Language": "en-US,en;q=0.9"}
    assert '<html lang="en">' in client.get("/", headers=en_browser).get_data(as_text=True)
    zh_browser = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}
    assert '<html lang="zh-CN">' in client.get("/", headers=zh_browser).get_data(as_text=True)
    resp = client.get("/?lang=en", headers=zh_browser)
    assert '<html lang="en">' in resp.get_data(as_text=True)
    assert "lang=en" in resp.headers["Set-Cookie"]
    assert '<html lang="en">' in client.get("/stats", headers=zh_browser).get_data(as_text=True)  # the cookie
    assert '<html lang="zh-CN">' in client.get("/stats?lang=zh").get_data(as_text=True)
    assert '<html lang="zh-CN">' in client.get("/stats?lang=fr").get_data(as_text=True)  # the cookie again
