"""What the registry asks of a search engine: the ``SearchBackend`` protocol and its value types.

Callers (``app.search.services``, and through them the API, the pages and the
command line) use only what is here, so a second backend can be added without
touching them (docs/decisions.md, "Search behind an interface"). The Whoosh
implementation is :class:`app.search.whoosh_backend.WhooshBackend`; backends are
chosen by name in :mod:`app.search.backends`.

A backend holds derived data only: the database is the source of truth, and
``rebuild`` must be able to start from nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from app.search.documents import ArticleDoc, InnovationDoc


@dataclass(frozen=True)
class SearchRequest:
    """What the API, the CLI and the pages ask for (SPEC §4 ``GET /search``)."""

    q: str = ""
    jurisdictions: Sequence[str] = ()
    topic: str | None = None
    kind: str | None = None
    as_of: dt.date = field(default_factory=dt.date.today)
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20


@dataclass
class SearchResult:
    """``total`` hits (rules + innovations), the requested page of ``hits``, and ``facets`` over all hits.

    Facets come with every result (one pass over the matches), so there is no
    separate facet call: the search page shows the facets of the search it ran.
    """

    total: int
    hits: list[dict]
    facets: dict[str, dict[str, int]]
    page: int = 1
    per_page: int = 20

    def to_dict(self) -> dict:
        """The ``GET /search`` body (SPEC §4)."""
        return {"total": self.total, "hits": self.hits, "facets": self.facets}


@dataclass
class IndexChanges:
    """Updates applied together, in one commit: what one outbox sync or one repair produces.

    ``rules`` maps a rule id to every document of every version of the rule (an
    empty list removes the rule); ``innovations`` maps a slug to its document
    (None removes it).
    """

    rules: dict[str, list[ArticleDoc]] = field(default_factory=dict)
    innovations: dict[str, InnovationDoc | None] = field(default_factory=dict)

    def index_rule(self, rule_id: str, docs: Iterable[ArticleDoc]) -> None:
        self.rules[rule_id] = list(docs)

    def remove_rule(self, rule_id: str) -> None:
        self.rules[rule_id] = []

    def index_innovation(self, doc: InnovationDoc) -> None:
        self.innovations[doc.slug] = doc

    def remove_innovation(self, slug: str) -> None:
        self.innovations[slug] = None

    def __len__(self) -> int:
        return len(self.rules) + len(self.innovations)


@runtime_checkable
class SearchBackend(Protocol):
    """A full-text index of rule articles, rule titles and innovations (SPEC §5).

    Errors: ``app.exceptions.QueryError`` for a refused query (or one past the
    time limit, ``code="query_timeout"``); ``app.exceptions.SearchIndexError`` for
    a missing, outdated or locked index.
    """

    #: The name ``SEARCH_BACKEND`` selects it by.
    name: str

    def exists(self) -> bool:
        """Whether an index has been built (``registry load`` builds one when not)."""
        ...

    def apply(self, changes: IndexChanges) -> None:
        """Index and remove rules and innovations, all in one commit (nothing on error)."""
        ...

    def search(self, request: SearchRequest) -> SearchResult:
        """One page of hits with the facets of every hit."""
        ...

    def warm(self) -> None:
        """Read what the next search needs (a worker calls it before serving and after each sync),
        so no search waits for it; nothing to do for a backend that reads on demand."""
        ...

    def fingerprints(self) -> dict[str, str]:
        """``{doc_key(doc): content_hash(doc)}`` for every document held (``registry index --check``)."""
        ...

    def rebuild(
        self,
        rules: Iterable[ArticleDoc],
        innovations: Iterable[InnovationDoc],
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Replace everything with these documents; returns how many there were.

        ``progress(n)``, when given, is called now and then with the number of documents indexed so far.
        """
        ...
