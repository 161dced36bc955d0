"""The PostgreSQL implementation of :class:`app.search.interfaces.SearchBackend` (``SEARCH_BACKEND=postgres``).

The index lives in the registry's own PostgreSQL database (tables of migration 0005),
so every web worker and every node reads the same index with no files to ship. One
row per text unit, laid out like the Whoosh payload (:mod:`app.search.schema`):

- ``grams``: a ``tsvector`` whose lexemes are the unit's distinct characters and
  character bigrams (:mod:`app.search.analyzer`, the same grams Whoosh stores), under a
  GIN index: the candidate generator. Lexemes are stored verbatim (no text-search
  configuration, no stemming, no stop words);
- ``norm``: the normalised text; every candidate is verified with ``strpos`` on it, so
  matches are exact substrings, as with Whoosh (SPEC §5).

A query (:func:`app.search.query.parse_query`, shared) becomes one SQL condition per
unit: a word is ``grams @@ '<bigram>' & … AND strpos(norm, word) > 0``; fields,
NOT, AND, OR map to SQL. One statement then picks per rule the version in force on
``as_of``, counts its matching units, ranks (the formula of :func:`app.search.hits.score`),
returns the page and the facet counts (``GROUPING SETS``); a second one reads the
page's matching units, from which :mod:`app.search.hits` builds each hit and its
``<mark>`` snippet exactly as the Whoosh backend does.

Time bound: ``statement_timeout`` is set to ``SEARCH_TIME_LIMIT`` for each search's
transaction, and the time left is checked between statements; past it the search
raises QueryError ``query_timeout``. Writes lock ``search_state`` for their transaction
(waiting at most ``SEARCH_LOCK_TIMEOUT``), so index writes are serialised as under
Whoosh's write lock, and searches keep reading the previous state until the commit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.exc import DBAPIError, ProgrammingError

from app.exceptions import SearchIndexError
from app.search import hits
from app.search import schema as S
from app.search.analyzer import normalize, word_grams
from app.search.documents import ArticleDoc, InnovationDoc
from app.search.indexer import PROGRESS_EVERY, innovation_units, rule_units
from app.search.interfaces import IndexChanges, SearchRequest, SearchResult
from app.search.query import MATCH_ALL, And, Field, Node, Not, Or, Word, parse_query, positive_words
from app.search.searcher import DEFAULT_TIME_LIMIT, check_deadline, checked_request, timed_out

DEFAULT_LOCK_TIMEOUT = 10.0
NEVER = 10**9  # valid_to of an open-ended version (a date ordinal after every date)

_COLUMNS = (
    "key",
    "owner",
    "unit",
    "hash",
    "owner_id",
    "version",
    "article_id",
    "article_label",
    "seq",
    "valid_from",
    "valid_to",
    "jurisdiction",
    "topic",
    "kind",
    "year",
    "doc_number",
    "doc_number_norm",
    "title",
    "title_en",
    "text",
    "norm",
    "grams",
)
_FIELD_COLUMNS = {
    "jurisdiction": "u.jurisdiction",
    "topic": "lower(u.topic)",
    "kind": "lower(u.kind)",
    "year": "u.year",
    "doc_number": "u.doc_number_norm",
}


def lexeme(gram: str) -> str:
    """A gram as a quoted ``tsvector``/``tsquery`` lexeme (taken verbatim by PostgreSQL).

    >>> lexeme("污染"), lexeme("a'"), lexeme("\\\\x")
    ("'污染'", "'a'''", "'\\\\\\\\x'")
    """
    return "'" + gram.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(grams: Iterable[str]) -> str:
    return " ".join(lexeme(g) for g in sorted(grams))


def unit_row(fields: Mapping[str, Any]) -> tuple:
    """One ``search_units`` row (in ``_COLUMNS`` order) from a unit's fields (:func:`app.search.indexer.rule_units`)."""
    p = fields["doc"]
    innovation = p[S.P_UNIT] in hits.INNOVATION_UNITS
    doc_number = p[S.P_DOC_NUMBER] or ""
    return (
        fields["key"],
        fields["owner"],
        p[S.P_UNIT],
        p[S.P_HASH],
        p[S.P_OWNER_ID],
        p[S.P_VERSION] or "",
        p[S.P_ARTICLE_ID],
        p[S.P_ARTICLE_LABEL] or "",
        p[S.P_SEQ],
        0 if innovation else p[S.P_VALID_FROM],
        NEVER if p[S.P_VALID_TO] is None else p[S.P_VALID_TO],
        p[S.P_JURISDICTION],
        p[S.P_TOPIC],
        p[S.P_KIND],
        p[S.P_YEAR],
        doc_number,
        normalize(doc_number).strip() if doc_number else None,
        p[S.P_TITLE] or "",
        p[S.P_TITLE_EN] or "",
        p[S.P_TEXT] or "",
        normalize(p[S.P_TEXT] or ""),
        tsvector_literal([*fields["uni"], *fields["bi"]]),
    )


# -- query to SQL -------------------------------------------------------------------------------------


class _Sql:
    """Builds the WHERE condition of a query tree, with its bind parameters."""

    def __init__(self) -> None:
        self.params: dict[str, Any] = {}
        self.has_word = False

    def bind(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def node(self, node: Node) -> str:
        if isinstance(node, Word):
            _kind, grams = word_grams(node.text)
            query = " & ".join(lexeme(g) for g in grams)
            self.has_word = True
            # strpos first: on rows reached through another index it spares reading the (toasted) grams
            return f"(strpos(u.norm, {self.bind(node.text)}) > 0 AND u.grams @@ CAST({self.bind(query)} AS tsquery))"
        if isinstance(node, Field):
            return f"({_FIELD_COLUMNS[node.name]} IS NOT DISTINCT FROM {self.bind(node.value)})"
        if isinstance(node, Not):
            return f"(NOT {self.node(node.child)})"
        if isinstance(node, And):
            return "(" + " AND ".join(self.node(c) for c in node.children) + ")" if node.children else "TRUE"
        if isinstance(node, Or):
            return "(" + " OR ".join(self.node(c) for c in node.children) + ")"
        raise TypeError(node)

    def where(self, node: Node, request: SearchRequest) -> str:
        day = self.bind(request.as_of.toordinal())
        parts = [f"u.valid_from <= {day}", f"{day} < u.valid_to"]
        if request.jurisdictions:
            parts.append(f"u.jurisdiction = ANY({self.bind([j.upper() for j in request.jurisdictions])})")
        if request.topic:
            parts.append(f"lower(u.topic) = {self.bind(request.topic.lower())}")
        if request.kind:
            parts.append(f"lower(u.kind) = {self.bind(request.kind.lower())}")
        if node is not MATCH_ALL:
            parts.append(self.node(node))
        return " AND ".join(parts)


_RANKED = """
WITH m AS MATERIALIZED (
    SELECT u.owner, u.version, u.valid_from, u.unit, u.jurisdiction, lower(u.topic) AS topic,
           lower(u.kind) AS kind, u.year
    FROM search_units u WHERE {where}
),
pick AS (
    SELECT DISTINCT ON (owner) owner, version, valid_from FROM m ORDER BY owner, valid_from DESC
),
g AS (
    SELECT m.owner, m.version, count(*) AS n_units, count(*) FILTER (WHERE m.unit IN (1, 3)) AS n_arts,
           min(m.unit) AS unit, min(m.jurisdiction) AS jurisdiction, min(m.topic) AS topic,
           min(m.kind) AS kind, min(m.year) AS year, min(m.valid_from) AS valid_from
    FROM m JOIN pick p ON p.owner = m.owner AND p.version = m.version AND p.valid_from = m.valid_from
    GROUP BY m.owner, m.version
),
s AS MATERIALIZED (
    SELECT g.*, coalesce(v.units, 0) AS version_units,
           CAST(:title_weight AS float8) * (g.n_arts < g.n_units)::int + ln(1 + g.n_arts::float8)
             + least(1.0::float8, g.n_arts::float8 / greatest(coalesce(v.units, 0), 1)) AS score,
           CASE WHEN g.unit IN (2, 3) AND g.year > 0 THEN make_date(g.year, 1, 1) - DATE '0001-01-01' + 1
                ELSE g.valid_from END AS date_key
    FROM g LEFT JOIN search_versions v ON v.owner = g.owner AND v.version = g.version
)
SELECT * FROM (
    SELECT 'hit' AS row, owner AS a, version AS b, score, n_units AS n1, n_arts AS n2, version_units AS n3
    FROM s ORDER BY {order} LIMIT :limit OFFSET :offset
) page
UNION ALL
SELECT 'total', NULL, NULL, NULL, count(*), NULL, NULL FROM s
UNION ALL
SELECT 'facet', name, value, NULL, n, NULL, NULL FROM (
    SELECT CASE WHEN GROUPING(jurisdiction) = 0 THEN 'jurisdiction' WHEN GROUPING(topic) = 0 THEN 'topic'
                WHEN GROUPING(kind) = 0 THEN 'kind' ELSE 'year' END AS name,
           coalesce(jurisdiction, topic, kind, year::text) AS value, count(*) AS n
    FROM s GROUP BY GROUPING SETS ((jurisdiction), (topic), (kind), (year))
) f WHERE value IS NOT NULL AND value <> ''
"""
_ORDER = {
    "relevance": 'score DESC, date_key DESC, owner COLLATE "C"',
    "date": 'date_key DESC, score DESC, owner COLLATE "C"',
}

_PAGE_UNITS = """
SELECT u.owner, u.version, u.unit, u.seq, u.norm, u.article_id, u.owner_id, u.title, u.kind,
       u.jurisdiction, u.topic, u.text
FROM search_units u WHERE u.owner = ANY(:owners) AND {where}
"""

_ARTICLE_COUNTS = """
WITH m AS (SELECT u.owner, u.version, u.valid_from, u.unit, u.jurisdiction, u.topic FROM search_units u WHERE {where}),
pick AS (SELECT DISTINCT ON (owner) owner, version, valid_from FROM m ORDER BY owner, valid_from DESC)
SELECT m.jurisdiction, m.topic, count(*) FROM m
JOIN pick p ON p.owner = m.owner AND p.version = m.version AND p.valid_from = m.valid_from
WHERE m.unit = 1 GROUP BY m.jurisdiction, m.topic
"""


@dataclasses.dataclass
class PostgresResult(SearchResult):
    """A :class:`SearchResult` that can count the matching *article* units (benchmarks and statistics)."""

    _count: Any = dataclasses.field(default=None, repr=False)

    def article_counts(self) -> tuple[int, dict[str, dict[str, int]]]:
        """As :meth:`app.search.searcher.WhooshResult.article_counts`: articles of the versions read."""
        return self._count()


class PostgresBackend:
    """Search units in the PostgreSQL database behind ``engine``; one per process (the engine pools connections)."""

    name = "postgres"

    def __init__(
        self,
        engine: Engine,
        *,
        time_limit: float = DEFAULT_TIME_LIMIT,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
        owns_engine: bool = False,
    ):
        if engine.dialect.name != "postgresql":
            raise ValueError(
                f"SEARCH_BACKEND=postgres needs a PostgreSQL database; DATABASE_URL is {engine.dialect.name}"
            )
        self.engine = engine
        self.time_limit = time_limit
        self.lock_timeout = lock_timeout
        self._owns_engine = owns_engine
        self._format_checked = False

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> PostgresBackend:
        """Built from the app's settings: ``DATABASE_URL`` (PostgreSQL), ``SEARCH_TIME_LIMIT``, ``SEARCH_LOCK_TIMEOUT``.

        The backend keeps its own small connection pool (``DB_POOL_SIZE``, ``DB_MAX_OVERFLOW``).
        """
        url = str(config["DATABASE_URL"])
        if not url.startswith("postgresql"):
            raise ValueError(f"SEARCH_BACKEND=postgres needs a PostgreSQL DATABASE_URL, not {url.split(':', 1)[0]}")
        engine = create_engine(
            url,
            pool_pre_ping=True,
            pool_size=int(config.get("DB_POOL_SIZE", 5)),
            max_overflow=int(config.get("DB_MAX_OVERFLOW", 10)),
            pool_timeout=float(config.get("DB_POOL_TIMEOUT", 30.0)),
        )
        return cls(
            engine,
            time_limit=float(config.get("SEARCH_TIME_LIMIT", DEFAULT_TIME_LIMIT)),
            lock_timeout=float(config.get("SEARCH_LOCK_TIMEOUT", DEFAULT_LOCK_TIMEOUT)),
            owns_engine=True,
        )

    # -- state --------------------------------------------------------------------------------------

    def _state(self, conn: Connection) -> str | None:
        try:
            with conn.begin_nested():
                return conn.execute(text("SELECT format FROM search_state WHERE id = 1")).scalar()
        except ProgrammingError as exc:
            raise SearchIndexError(
                "the database has no search tables: run `registry db upgrade`", code="search_index_missing"
            ) from exc

    def exists(self) -> bool:
        with self.engine.connect() as conn:
            return self._state(conn) is not None

    def _check_format(self, conn: Connection) -> None:
        if self._format_checked:
            return
        fmt = self._state(conn)
        if fmt is not None and fmt != S.FORMAT_TAG:
            raise SearchIndexError(
                "the search index in the database has another format; rebuild it (registry index --rebuild)",
                code="search_index_outdated",
            )
        self._format_checked = fmt is not None

    # -- writing ------------------------------------------------------------------------------------

    def _lock(self, conn: Connection) -> None:
        """Take the index's writer lock for this transaction (waiting ``lock_timeout`` at most).

        The lock is on ``search_state`` of the schema written (EXCLUSIVE: searches, which only read,
        are not blocked), so registries in other schemas or databases of the same server never wait
        for each other.
        """
        conn.execute(
            text("SELECT set_config('lock_timeout', :ms, true)"), {"ms": f"{max(1, round(self.lock_timeout * 1000))}"}
        )
        try:
            conn.execute(text("LOCK TABLE search_state IN EXCLUSIVE MODE"))
        except DBAPIError as exc:
            if getattr(exc.orig, "sqlstate", None) == "55P03":  # lock_not_available
                raise SearchIndexError(
                    f"the search index is locked by another writer (waited {self.lock_timeout:g} s)"
                ) from exc
            if getattr(exc.orig, "sqlstate", None) == "42P01":  # undefined_table
                raise SearchIndexError(
                    "the database has no search tables: run `registry db upgrade`", code="search_index_missing"
                ) from exc
            raise
        conn.execute(text("SELECT set_config('lock_timeout', '0', true)"))

    def _copy(self, conn: Connection, rows: Iterable[tuple]) -> int:
        raw = conn.connection.driver_connection
        n = 0
        with raw.cursor() as cur, cur.copy(f"COPY search_units ({', '.join(_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                n += 1
        return n

    def _count_versions(self, conn: Connection, owners: list[str] | None) -> None:
        scope = "" if owners is None else "WHERE owner = ANY(:owners)"
        conn.execute(
            text(
                "INSERT INTO search_versions (owner, version, units) "
                f"SELECT owner, version, count(*) FILTER (WHERE unit IN (1, 3)) FROM search_units {scope} "
                "GROUP BY owner, version"
            ),
            {"owners": owners} if owners is not None else {},
        )

    def apply(self, changes: IndexChanges) -> None:
        rows: list[tuple] = []
        owners: list[str] = []
        for rule_id, docs in sorted(changes.rules.items()):
            for doc in docs:
                if doc.rule_id != rule_id:
                    raise ValueError(f"replace_rule({rule_id!r}) got a doc of {doc.rule_id!r}")
            owners.append(f"rule:{rule_id}")
            rows.extend(unit_row(f) for f in rule_units(docs))
        for slug, doc in sorted(changes.innovations.items()):
            owners.append(f"innovation:{slug}")
            if doc is not None:
                rows.extend(unit_row(f) for _key, f in innovation_units(doc))
        if not owners:
            return
        with self.engine.begin() as conn:
            self._lock(conn)
            self._check_format(conn)
            conn.execute(text("DELETE FROM search_units WHERE owner = ANY(:owners)"), {"owners": owners})
            conn.execute(text("DELETE FROM search_versions WHERE owner = ANY(:owners)"), {"owners": owners})
            self._copy(conn, rows)
            self._count_versions(conn, owners)
            if self._state(conn) is None:
                self._mark_built(conn)

    def _mark_built(self, conn: Connection) -> None:
        conn.execute(
            text(
                "INSERT INTO search_state (id, format, built_at) VALUES (1, :f, :t) "
                "ON CONFLICT (id) DO UPDATE SET format = excluded.format, built_at = excluded.built_at"
            ),
            {"f": S.FORMAT_TAG, "t": dt.datetime.now(dt.UTC)},
        )

    def rebuild(
        self,
        rules: Iterable[ArticleDoc],
        innovations: Iterable[InnovationDoc] = (),
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Replace every unit in one transaction; searches read the old units until it commits."""
        done = 0

        def step() -> None:
            nonlocal done
            done += 1
            if progress and done % PROGRESS_EVERY == 0:
                progress(done)

        def rows() -> Iterator[tuple]:
            for fields in rule_units(rules):
                yield unit_row(fields)
                step()
            for doc in innovations:
                for _key, fields in innovation_units(doc):
                    yield unit_row(fields)
                step()
            if progress:
                progress(done)

        with self.engine.begin() as conn:
            self._lock(conn)
            conn.execute(text("DELETE FROM search_units"))
            conn.execute(text("DELETE FROM search_versions"))
            n_units = self._copy(conn, rows())
            self._count_versions(conn, None)
            self._mark_built(conn)
            n = n_units - conn.execute(text("SELECT count(*) FROM search_units WHERE unit = 3")).scalar_one()
        with self.engine.connect() as conn:
            conn.execute(text("ANALYZE search_units"))
            conn.commit()
        self._format_checked = False
        return n

    # -- reading ------------------------------------------------------------------------------------

    def fingerprints(self) -> dict[str, str]:
        with self.engine.connect() as conn:
            self._state(conn)
            rows = conn.execute(text("SELECT key, hash FROM search_units WHERE unit <> 3"))
            return {k: h for k, h in rows}

    def doc_count(self) -> int:
        """Text units held (articles, title docs, innovation title and text)."""
        with self.engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM search_units")).scalar_one()

    def search(self, request: SearchRequest) -> PostgresResult:
        """Answer one request (SPEC §5); raises QueryError for a refused query or one out of time."""
        request = checked_request(request)
        node = parse_query(request.q or "")
        deadline = time.monotonic() + self.time_limit
        sql = _Sql()
        where = sql.where(node, request)
        with self.engine.connect() as conn, conn.begin():
            self._check_format(conn)
            self._time_limit(conn, deadline, words=sql.has_word)
            rows = self._run(
                conn,
                _RANKED.format(where=where, order=_ORDER[request.sort]),
                sql.params
                | {
                    "title_weight": S.TITLE_WEIGHT,
                    "limit": request.per_page,
                    "offset": (request.page - 1) * request.per_page,
                },
            )
            page = [r for r in rows if r.row == "hit"]
            total = next(r.n1 for r in rows if r.row == "total")
            facets: dict[str, dict[str, int]] = {"jurisdiction": {}, "topic": {}, "kind": {}, "year": {}}
            for r in rows:
                if r.row == "facet":
                    facets[r.a][r.b] = r.n1
            units: dict[tuple[str, str], list] = {}
            if page:
                self._time_limit(conn, deadline, words=sql.has_word)
                picked = {(r.a, r.b) for r in page}
                for u in self._run(conn, _PAGE_UNITS.format(where=where), sql.params | {"owners": [r.a for r in page]}):
                    if (u.owner, u.version) in picked:
                        units.setdefault((u.owner, u.version), []).append(u)
        check_deadline(deadline)
        words = positive_words(node)
        out = [
            _hit(units[(r.a, r.b)], words, hits.score(title_hit=r.n2 < r.n1, articles=r.n2, version_articles=r.n3))
            for r in page
        ]
        return PostgresResult(
            total=total,
            hits=out,
            facets={name: dict(sorted(c.items())) for name, c in facets.items()},
            page=request.page,
            per_page=request.per_page,
            _count=lambda: self._article_counts(_ARTICLE_COUNTS.format(where=where), sql.params),
        )

    def _article_counts(self, statement: str, params: dict) -> tuple[int, dict[str, dict[str, int]]]:
        juris: Counter[str] = Counter()
        topics: Counter[str] = Counter()
        with self.engine.connect() as conn:
            for j, t, n in conn.execute(text(statement), params):
                juris[j] += n
                topics[t] += n
        return sum(juris.values()), {"jurisdiction": dict(juris), "topic": dict(topics)}

    def _time_limit(self, conn: Connection, deadline: float, *, words: bool = False) -> None:
        """``statement_timeout`` to the time left; with query words, the plan through the gram index.

        The planner cannot see that checking ``grams`` row by row means reading each row's toasted
        tsvector; on a common bigram it would scan the table. With words, the GIN (or the filter
        index) is always the cheaper way in, so sequential scans are ruled out for the transaction.
        And it estimates an AND of many bigrams to match about one row, so it joins the matches with
        their rules' latest versions by a nested loop: 18,709 matches × 1,988 rules took 5 s where the
        matching took 0.13 s (a 12-character phrase at 100k articles); nested loops are ruled out too.
        JIT compilation costs more than these statements run.
        """
        left = deadline - time.monotonic()
        check_deadline(deadline)
        conn.execute(
            text(
                "SELECT set_config('statement_timeout', :ms, true), set_config('jit', 'off', true), "
                "set_config('enable_seqscan', :off, true), set_config('enable_nestloop', :off, true)"
            ),
            {"ms": str(max(1, round(left * 1000))), "off": "off" if words else "on"},
        )

    def _run(self, conn: Connection, statement: str, params: dict) -> list:
        try:
            return list(conn.execute(text(statement), params))
        except DBAPIError as exc:
            if getattr(exc.orig, "sqlstate", None) == "57014":  # query_canceled: statement_timeout
                raise timed_out() from exc
            raise

    def warm(self) -> None:
        """Nothing to load: every search reads the tables."""

    def close(self) -> None:
        if self._owns_engine:
            self.engine.dispose()


def _hit(rows: list, words: list[str], score: float) -> dict:
    units = [hits.MatchedUnit(r.unit, r.seq, r.norm, r.article_id, r) for r in rows]
    arts, best, snippet_unit = hits.choose(units, words)
    r = snippet_unit.ref
    return hits.hit_dict(
        unit=r.unit,
        owner_id=r.owner_id,
        version=r.version or None,
        title=r.title,
        kind=r.kind,
        jurisdiction=r.jurisdiction,
        topic=r.topic,
        original=r.text,
        snippet_norm=r.norm,
        words=words,
        articles=arts,
        best=best,
        score=score,
    )
