"""Crawl the pages reachable from the home page and read what a person sees on them.

``crawl(client, lang)`` follows every same-site link (``<a href>``, and every GET form sent as it
stands) breadth-first from ``/``, in one
language (chosen once with ``?lang=``, then kept by the cookie, as a reader's browser does), and
returns every HTML page with its status; downloads (CSV, XLSX, SVG, Atom, JSON, and HTML sent as an
attachment) are fetched and
their status kept, but not followed. ``visible_text(page)`` is the text and the read attributes
(title, placeholder, aria-label, alt) outside ``<script>`` and ``<style>`` and outside elements that
declare their content: ``lang="…"`` (rule content: titles, article text, quotes) or
``translate="no"`` (identifiers: rule ids, parameter keys). The document's ``<title>`` is read too,
less the declared content the page shows (a rule's title heads its page and its tab). ``problems(page, lang)`` names what
must not be there: a jurisdiction code (CN-SH), a snake_case code (only_in_a), and for English
pages any Chinese character, for Chinese pages any English word that is not an allowed
abbreviation.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

#: Links never followed: signing out changes the session; the API is JSON, not a page.
SKIP_PREFIXES = ("/signout", "/api/v1/", "/static/")
#: Pages per path "kind" (its first two segments): enough to see every kind, not every rule.
PER_KIND = 12
MAX_PAGES = 400

#: a jurisdiction code (the bare abbreviation YRD is English for the region, as in the registry's name)
CODE = re.compile(r"\b(?:CN|YRD)-[A-Z]{2}\b|\bCN\b")
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
WORD = re.compile(r"[A-Za-z]{2,}")
#: Latin letters a Chinese page may show: file formats, protocols and units everyone writes so, and
#: COD (化学需氧量), written so in Chinese standards.
ZH_ALLOWED = frozenset({"CSV", "XLSX", "JSON", "SVG", "HTML", "Atom", "OpenAPI", "API", "GET", "mg", "tce", "COD"})


class _Visible(HTMLParser):
    ATTRS = ("title", "placeholder", "aria-label", "alt")
    SKIP = ("script", "style", "template")
    VOID = ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.title: list[str] = []  # the document's <title>
        self.declared: list[str] = []  # text of elements that declare their content (lang, translate="no")
        self.in_title = False
        self.declaring = 0
        self.links: list[str] = []
        self.open: list[tuple[str, bool]] = []
        self.skipping = 0
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []  # GET forms: action, default fields
        self._form: tuple[str, list[tuple[str, str]]] | None = None
        self._select: tuple[str, list[str], list[str]] | None = None  # name, options, selected

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        self._track_form(tag, a)
        declares = tag != "html" and ("lang" in a or a.get("translate") == "no")
        skip = tag in self.SKIP or declares or tag == "title"
        if not self.skipping and not skip:
            self.out.extend(v for k, v in attrs if k in self.ATTRS and v)
        if tag in self.VOID:
            return
        self.open.append((tag, skip))
        self.skipping += skip
        self.declaring += declares
        self.in_title = self.in_title or tag == "title"

    def handle_startendtag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.handle_endtag(tag)

    def _track_form(self, tag: str, a: dict) -> None:
        """Remember each GET form with the values it would send unchanged (what a reader gets by
        pressing its button): inputs' values, each select's selected (else first) option."""
        if tag == "form" and (a.get("method") or "get").lower() == "get":
            self._form = (a.get("action") or "", [])
        elif self._form is None or (not a.get("name") and tag != "option"):
            return
        elif tag == "input" and a.get("type") not in ("checkbox", "radio", "submit", "button"):
            self._form[1].append((a["name"], a.get("value") or ""))
        elif tag == "input" and a.get("type") in ("checkbox", "radio") and "checked" in a:
            self._form[1].append((a["name"], a.get("value") or "on"))
        elif tag == "select":
            self._select = (a["name"], [], [])
        elif tag == "option" and self._select is not None:
            value = a.get("value") or ""
            self._select[1].append(value)
            if "selected" in a:
                self._select[2].append(value)

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag == "select" and self._select is not None and self._form is not None:
            name, options, selected = self._select
            self._form[1].extend((name, v) for v in (selected or options[:1]))
            self._select = None
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        if tag in self.VOID:
            return
        # close up to the matching element (HTML lets some end tags be left out)
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                for name, skip in self.open[i:]:
                    self.skipping -= skip
                    self.in_title = self.in_title and name != "title"
                del self.open[i:]
                self.declaring = sum(1 for name, skip in self.open if skip and name not in (*self.SKIP, "title"))
                return

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self.in_title:
            self.title.append(data)
        elif self.declaring:
            self.declared.append(data)
        elif not self.skipping:
            self.out.append(data)


def _parse(page: str) -> _Visible:
    parser = _Visible()
    parser.feed(page)
    parser.close()
    return parser


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def visible_text(page: str) -> str:
    """What a reader sees (declared content and identifiers left out), whitespace collapsed; the
    ``<title>`` first, less any declared content of the page it repeats."""
    parsed = _parse(page)
    title = _collapse(" ".join(parsed.title))
    for content in sorted({_collapse(d) for d in parsed.declared}, key=len, reverse=True):
        if content:
            title = title.replace(content, " ")
    return _collapse(" ".join([title, *parsed.out]))


def problems(page: str, lang: str) -> list[str]:
    """The codes and other-language strings on ``page`` (an HTML page in ``lang``), each once."""
    text = visible_text(page)
    found = CODE.findall(text) + SNAKE.findall(text)
    if lang == "en":
        found += HAN.findall(text)
    else:
        found += [w for w in WORD.findall(text) if w not in ZH_ALLOWED]
    return sorted(set(found))


def _key(url: str) -> str:
    """A link without its fragment and ``lang`` argument, query kept in order."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
    return parts.path + ("?" + urlencode(query) if query else "")


def _kind(path: str) -> str:
    return "/".join(path.split("/")[:3])


@dataclass
class Crawl:
    lang: str
    pages: dict[str, str] = field(default_factory=dict)  # url → HTML of every HTML page
    statuses: dict[str, int] = field(default_factory=dict)  # url → status of every URL fetched
    found_on: dict[str, str] = field(default_factory=dict)  # url → the page linking to it

    def failures(self) -> dict[str, str]:
        """URLs that did not answer 200, each with the page that links to it."""
        return {u: f"{s} (linked from {self.found_on.get(u, '-')})" for u, s in self.statuses.items() if s != 200}


def crawl(client, lang: str, start: str = "/") -> Crawl:  # type: ignore[no-untyped-def]
    """Every page reachable from ``start`` by links, in ``lang`` (see the module docstring)."""
    result = Crawl(lang)
    client.get(f"{start}?lang={lang}")  # the cookie keeps the language from here on
    queue: deque[str] = deque([start])
    seen = {start}
    per_kind: dict[str, int] = {}
    while queue and len(result.statuses) < MAX_PAGES:
        url = queue.popleft()
        resp = client.get(url)
        result.statuses[url] = resp.status_code
        if resp.status_code != 200 or resp.mimetype != "text/html":
            continue
        if resp.headers.get("Content-Disposition", "").startswith("attachment"):
            continue  # a download (the annual report's own file), not a page
        page = resp.get_data(as_text=True)
        result.pages[url] = page
        parsed = _parse(page)
        submitted = [(action or url).split("?")[0] + "?" + urlencode(fields) for action, fields in parsed.forms]
        for href in [*parsed.links, *submitted]:
            target = urljoin(url, href)
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue  # another site (sources, mailto:)
            if parts.path.startswith(SKIP_PREFIXES):
                continue
            key = _key(target)
            if key in seen:
                continue
            kind = _kind(parts.path)
            if per_kind.get(kind, 0) >= PER_KIND:
                continue
            per_kind[kind] = per_kind.get(kind, 0) + 1
            seen.add(key)
            result.found_on[key] = url
            queue.append(key)
    return result
