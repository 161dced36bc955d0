"""Plain dataclasses for what the corpus holds: parsed rule bodies and documents.

These are the shared currency between ``corpus`` (which produces them),
``registry`` (which stores them) and ``diff``/``search`` (which read them).
Stdlib only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Item:
    """项: a block starting with （一）（二）… inside a paragraph; numbered from 1."""

    number: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    """款: a blank-line separated block of an article; numbered from 1."""

    number: int
    text: str
    items: tuple[Item, ...] = ()


@dataclass(frozen=True)
class Chapter:
    """A 编/章/节 heading.

    ``id`` is ``ch-<n>`` numbered in document order from 1; ``level`` is
    ``bian`` | ``zhang`` | ``jie``; ``path`` the headings from the outermost
    group down to this one, e.g. ``("第二章 监督管理", "第一节 一般规定")``.
    """

    id: str
    heading: str
    level: str
    path: tuple[str, ...]


@dataclass(frozen=True)
class Article:
    """条: one ``## 第…条`` heading and the blocks under it.

    Example: heading line ``## 第十条之一 排放限值`` gives ``number="10-1"``,
    ``label="第十条之一"``, ``heading="排放限值"``.  ``text`` is the article
    body as written (paragraphs joined by blank lines, items included),
    without the heading line. ``chapter`` is the id of the innermost group
    the article stands in, or None.
    """

    number: str
    label: str
    heading: str
    text: str
    chapter: str | None
    paragraphs: tuple[Paragraph, ...]
    line: int = 0  # 1-based line of the heading within the body


@dataclass(frozen=True)
class Body:
    """A parsed rule body (Markdown after the front matter)."""

    title: str | None  # text of a leading ``# `` heading that is not 编/章/节, if any
    preamble: str
    chapters: tuple[Chapter, ...]
    articles: tuple[Article, ...]

    def article(self, number: str) -> Article | None:
        for art in self.articles:
            if art.number == number:
                return art
        return None


@dataclass(frozen=True)
class ParameterEntry:
    """One quantitative provision as written in front matter (before unit conversion)."""

    key: str
    value: float | bool
    unit: str | None
    article: str | None  # article number: "4" or "10-1"; None = not stated (summaries only, SPEC §8.3)
    scope: str | None = None
    line: int | None = None


#: Front-matter keys of a rule document, in the order SPEC §2 gives (export writes them in this order).
RULE_FIELDS: tuple[str, ...] = (
    "title",
    "title_en",
    "jurisdiction",
    "topic",
    "kind",
    "doc_number",
    "issuer",
    "adopted",
    "published",
    "effective",
    "repealed",
    "supersedes",
    "applies_to",
    "source_url",
    "provenance",
    "articles_total",
    "parameters",
)

#: Front-matter keys of an innovation, in the order SPEC §2 gives (export writes them in this order).
INNOVATION_FIELDS: tuple[str, ...] = (
    "title",
    "title_en",
    "category",
    "year",
    "batch",
    "number",
    "promoted_nationally",
    "promotion_notice",
    "promotion_date",
    "related_rules",
    "source_url",
    "verified",
)

KINDS: tuple[str, ...] = (
    "law",
    "administrative_regulation",
    "local_regulation",
    "government_rule",
    "normative_document",
    "local_standard",
    "joint_standard",
    "agreement",
)

PROVENANCES: tuple[str, ...] = ("full_text", "summary")

ADDRESSEES: tuple[str, ...] = ("enterprise", "government")


@dataclass
class RuleDocument:
    """One version of a rule, as read from ``rules/<j>/<topic>/<slug>[@date].md``."""

    path: str  # relative to the corpus root, with "/" separators
    rule_id: str  # e.g. "cn-js/environment/example-wwtp-standard"
    title: str
    jurisdiction: str  # upper case, e.g. "CN-JS"
    topic: str
    kind: str
    source_url: str
    body_text: str  # the Markdown after the front matter, exactly as in the file
    body: Body
    title_en: str | None = None
    doc_number: str | None = None
    issuer: str | None = None
    adopted: dt.date | None = None
    published: dt.date | None = None
    effective: dt.date | None = None
    repealed: dt.date | None = None
    supersedes: str | None = None
    applies_to: list[str] | None = None  # None = not given (defaults to [jurisdiction])
    provenance: str | None = None
    articles_total: int | None = None  # article count of the official text (SPEC §8.3)
    parameters: list[ParameterEntry] = field(default_factory=list)
    sha256: str = ""  # of the file's bytes

    @property
    def start(self) -> dt.date:
        """The date the version is in force from: effective, else published, else adopted."""
        d = self.effective or self.published or self.adopted
        assert d is not None
        return d

    @property
    def version_id(self) -> str:
        return f"{self.rule_id}@{self.start.isoformat()}"

    @property
    def effective_known(self) -> bool:
        return self.effective is not None

    @property
    def binds(self) -> list[str]:
        return list(self.applies_to) if self.applies_to else [self.jurisdiction]


@dataclass(frozen=True)
class JurisdictionDef:
    code: str  # upper case, e.g. "CN-SH"
    name_zh: str
    name_en: str | None = None
    level: str | None = None
    parent: str | None = None


@dataclass(frozen=True)
class TopicDef:
    code: str
    name_zh: str
    name_en: str | None = None


@dataclass(frozen=True)
class ParameterDef:
    """An entry of parameters.yaml: the vocabulary of quantitative provisions.

    The one definition of a parameter; ``app.harmonization`` takes the same objects.
    """

    key: str
    label_zh: str
    label_en: str | None
    topic: str
    unit: str  # canonical unit; "" for yes/no parameters
    stricter: str  # lower | higher | equal | true (what "stricter" means lives in harmonization/strictness.py)
    addressee: str = "enterprise"  # enterprise | government (SPEC §8.4)

    @property
    def is_boolean(self) -> bool:
        return self.stricter == "true"


@dataclass
class InnovationDocument:
    slug: str
    path: str
    title: str
    category: str
    source_url: str
    summary: str
    title_en: str | None = None
    year: int | None = None
    batch: str | None = None
    number: str | None = None
    promoted_nationally: bool | None = None
    promotion_notice: str | None = None
    promotion_date: dt.date | None = None  # date of the national promotion list that named it
    related_rules: list[str] = field(default_factory=list)
    verified: bool = False
    sha256: str = ""


@dataclass(frozen=True)
class ReportedCount:
    as_of: dt.date
    total: int
    source_url: str
    promoted_nationally: int | None = None
    note: str | None = None


@dataclass
class HardRuleDocument:
    id: str
    title: str
    parameter: str
    target: float | bool
    jurisdictions: list[str]
    source_url: str
    scope: str | None = None
    lead: str | None = None
    deliverable: str | None = None
    deadline: dt.date | None = None
    #: our English translations of ``title`` and ``deliverable`` (shown on English pages)
    title_en: str | None = None
    deliverable_en: str | None = None
    path: str = ""
    sha256: str = ""


@dataclass
class Corpus:
    """Everything read from a corpus directory, validated."""

    jurisdictions: list[JurisdictionDef]
    topics: list[TopicDef]
    parameters: list[ParameterDef]
    rules: list[RuleDocument]
    innovations: list[InnovationDocument]
    reported_counts: list[ReportedCount]
    hard_rules: list[HardRuleDocument]
