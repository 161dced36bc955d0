"""Full-text search over rule articles, rule titles and innovations (SPEC §4 ``GET /search``, §5).

Independent of Flask. Two backends behind :class:`app.search.interfaces.SearchBackend`
(``SEARCH_BACKEND``): Whoosh on an index directory (below), and PostgreSQL tables in the
registry's database (:mod:`app.search.postgres_backend`); both take the plain dataclasses of
:mod:`app.search.documents`. The registry's tables stay the source of truth; either index can be
rebuilt from them and checked against them.

Writing (the CLI, or the one process that applies the outbox)::

    from app.search import ArticleDoc, InnovationDoc, SearchIndex, content_hash, doc_key

    index = SearchIndex(path, lock_timeout=10).open()   # creates an empty index when absent
    index.replace_rule(rule_id, docs)     # docs: every ArticleDoc of every version of the rule,
                                          #   one with article_id=None per version (its title doc)
    index.delete_rule(rule_id)
    index.replace_innovation(innovation_doc)
    index.delete_innovation(slug)
    with index.batch() as b:              # several updates, one commit
        b.replace_rule(...); b.delete_rule(...)
    index.rebuild(all_article_docs, all_innovation_docs)   # `registry index --rebuild`
    index.fingerprints()                  # {doc_key(doc): content_hash(doc)} for `registry index --check`:
                                          #   compare with {doc_key(d): content_hash(d) for d in docs from the DB}

Each write is one commit under Whoosh's write lock; a writer that waits longer
than ``lock_timeout`` raises :class:`app.exceptions.SearchIndexError`.

Reading (one :class:`Searcher` per worker process; it reloads what changed on disk)::

    from app.search import Searcher, SearchRequest

    searcher = Searcher(path)             # or index.searcher(); time_limit=2.0 seconds by default
    result = searcher.search(SearchRequest(q="污染物排放 -罚款", jurisdictions=["CN-SH"], topic=None,
                                           kind=None, as_of=date.today(), sort="relevance", page=1, per_page=20))
    result.to_dict()   # {"total": int, "hits": [...], "facets": {"jurisdiction": {...}, "topic": {...},
                       #   "kind": {...}, "year": {"2024": 3}}}

Each hit is ``{type, id, rule_id, version, title, kind, jurisdiction, topic,
article, articles, snippet, score}`` (SPEC §5). A rule hit reads the version in
force on ``as_of``; ``articles`` lists the matching article ids in document
order, ``article`` is the best of them (None when only the title matched).
An innovation hit has ``id`` = slug, ``jurisdiction`` ``YRD-DZ`` and None for
rule_id, version, kind, topic and article. ``snippet`` is HTML whose only tags
are ``<mark>``.

Semantics: a query is evaluated on each *text unit* (one article, or a rule
version's title + title_en + doc_number, or an innovation's title, or its
text); a rule or innovation matches when one of its units does. So words
joined by spaces must all occur in one article or in the title; ``-word`` /
``NOT`` excludes units (not whole rules). Query syntax: :mod:`app.search.query`.

Errors: :class:`app.exceptions.QueryError` (HTTP 400) for a refused query
(leading wildcard, over ``MAX_QUERY_CHARS`` characters or ``MAX_TERMS`` terms,
nesting deeper than ``MAX_DEPTH``, a non-public field, bad paging), and with
``code="query_timeout"`` for a search that ran past its time limit;
:class:`app.exceptions.SearchIndexError` for a missing, outdated or locked index.
"""

from app.search.documents import ArticleDoc, InnovationDoc, content_hash, doc_key
from app.search.indexer import IndexBatch, SearchIndex
from app.search.query import MAX_DEPTH, MAX_QUERY_CHARS, MAX_TERMS, parse_query
from app.search.searcher import DEFAULT_TIME_LIMIT, Searcher, SearchRequest, SearchResult

__all__ = [
    "DEFAULT_TIME_LIMIT",
    "MAX_DEPTH",
    "MAX_QUERY_CHARS",
    "MAX_TERMS",
    "ArticleDoc",
    "IndexBatch",
    "InnovationDoc",
    "SearchIndex",
    "SearchRequest",
    "SearchResult",
    "Searcher",
    "content_hash",
    "doc_key",
    "parse_query",
]
