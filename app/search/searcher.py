"""Answering queries: candidates from the bigram postings, exact verification, grouping, facets.

A :class:`Searcher` belongs to one worker process. It keeps, per index segment,
columns of every text unit (normalised text, rule id, version, validity,
jurisdiction, topic, kind, year, doc number) loaded once from the stored
fields, and reloads only new segments when the index changes on disk (checked
on every search; a directory listing).

One search runs in four steps (docs/decisions.md, "Search: the Whoosh design"):

1. **Candidates.** Each query word gives the posting lists of its rarest
   character bigrams (one-character words: their unigram list), intersected
   while that pays; AND takes the most selective part, OR the union. When the
   request's filters (jurisdiction, topic, kind) select fewer units than the
   query would, the filter's unit list is the starting set and no posting list is read.
2. **Verification.** Every candidate is checked exactly: in force on ``as_of``,
   filters, and the query tree evaluated on the unit's normalised text
   (substring tests) and columns. This is what makes search exact.
3. **Grouping.** Matching units are grouped per rule (the version in force) or
   innovation; every hit gets a cheap score (schema.TITLE_WEIGHT), facets are
   counted from the columns.
4. **The page.** Only the requested page is built: article ids, the best
   article (density of query words), the snippet, from the stored fields.

Time bound: a search that runs past ``time_limit`` seconds (checked between
steps and every ``_CHUNK`` candidates) raises QueryError with code
``query_timeout``; nothing partial is returned.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time
from array import array
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from whoosh.filedb.filestore import FileStorage

from app.exceptions import QueryError, SearchIndexError
from app.search import hits
from app.search import schema as S
from app.search.analyzer import normalize, word_grams
from app.search.interfaces import SearchRequest, SearchResult
from app.search.query import MATCH_ALL, And, Field, Node, Not, Or, Word, parse_query, positive_words
from app.search.whoosh_internals import posting_ids

DEFAULT_TIME_LIMIT = 2.0  # seconds per search, enforced by the code (SPEC §5)
MAX_PER_PAGE = 1000
SORTS = ("relevance", "date")

_TEXT_UNITS = hits.TEXT_UNITS
_CHUNK = 8192  # candidates verified between two deadline checks
_NEVER = 10**9  # an ordinal after every date: "valid_to" of an open-ended version
_MAX_POSTINGS_LISTS = 3  # posting lists intersected per word at most
_INTERSECT_RATIO = 1.5  # read the next posting list only if it is at most this times the current set


@dataclass
class WhooshResult(SearchResult):
    """A :class:`SearchResult` that also keeps the matching units, for :meth:`article_counts`."""

    _matched: list[tuple[_Segment, list[int]]] = field(default_factory=list, repr=False)

    def article_counts(self) -> tuple[int, dict[str, dict[str, int]]]:
        """Matching *article* units and their jurisdiction/topic counts (benchmarks and statistics).

        Counts every matching article of every rule version in force, titles and
        innovations excluded: the unit FTS5 counts in ``bench/search.py``.
        """
        juris: Counter[str] = Counter()
        topics: Counter[str] = Counter()
        n = 0
        for seg, matches in self._matched:
            arts = [i for i in matches if seg.unit[i] == S.UNIT_ARTICLE]
            n += len(arts)
            juris.update(seg.jurisdiction[i] for i in arts)
            topics.update(seg.topic[i] for i in arts)
        return n, {"jurisdiction": dict(juris), "topic": dict(topics)}


class _Segment:
    """Per-worker columns of one index segment (local docnums index every list)."""

    def __init__(self, segreader):
        n = segreader.doc_count_all()
        self.segid = segreader.segment().segment_id()
        self.n = n
        # Compact columns: one worker holds these for every unit of the index (bytearray/array for
        # small ints, interned strings for the few distinct codes, versions and doc numbers).
        self.text: list[str] = [""] * n
        self.unit = bytearray(b"\xff") * n
        self.gkey: list[str | None] = [None] * n  # "rule:<id>" / "innovation:<slug>"
        self.version: list[str | None] = [None] * n
        self.article_id: list[str | None] = [None] * n
        self.seq = array("i", bytes(4 * n))
        self.valid_from = array("i", [_NEVER]) * n  # deleted docs are never in force
        self.valid_to = array("i", bytes(4 * n))
        self.jurisdiction: list[str | None] = [None] * n
        self.topic: list[str | None] = [None] * n
        self.kind: list[str | None] = [None] * n
        self.year: list[int | None] = [None] * n
        self.doc_number: list[str | None] = [None] * n
        self.by: dict[tuple, list[int]] = {}  # ("j", J) / ("t", T) / ("k", K) / ("jt", J, T) -> docnums
        self.articles_in: Counter[tuple[str, str | None]] = Counter()  # (gkey, version) -> article units
        pool: dict = {}
        intern = lambda v: pool.setdefault(v, v)  # noqa: E731
        by = self.by
        for docnum, stored in segreader.iter_docs():
            p = stored["doc"]
            unit = p[S.P_UNIT]
            innovation = unit in (S.UNIT_INNOVATION_TITLE, S.UNIT_INNOVATION_TEXT)
            gkey = intern(("innovation:" if innovation else "rule:") + p[S.P_OWNER_ID])
            j = intern(p[S.P_JURISDICTION])
            t = intern(p[S.P_TOPIC].lower() if p[S.P_TOPIC] else None)
            k = intern(p[S.P_KIND].lower() if p[S.P_KIND] else None)
            version = intern(p[S.P_VERSION])
            self.text[docnum] = normalize(p[S.P_TEXT])
            self.unit[docnum] = unit
            self.gkey[docnum] = gkey
            self.version[docnum] = version
            self.article_id[docnum] = p[S.P_ARTICLE_ID]
            self.seq[docnum] = p[S.P_SEQ]
            self.valid_from[docnum] = 0 if innovation else p[S.P_VALID_FROM]
            self.valid_to[docnum] = _NEVER if p[S.P_VALID_TO] is None else p[S.P_VALID_TO]
            self.jurisdiction[docnum] = j
            self.topic[docnum] = t
            self.kind[docnum] = k
            self.year[docnum] = intern(p[S.P_YEAR])
            self.doc_number[docnum] = intern(normalize(p[S.P_DOC_NUMBER]).strip()) if p[S.P_DOC_NUMBER] else None
            for key in (("j", j), ("t", t), ("k", k), ("jt", j, t)):
                lst = by.get(key)
                if lst is None:
                    by[intern(key)] = [docnum]
                else:
                    lst.append(docnum)
            if unit in (S.UNIT_ARTICLE, S.UNIT_INNOVATION_TEXT):
                self.articles_in[(gkey, version)] += 1

    def column(self, name: str) -> list:
        return getattr(self, name)


class _Snapshot:
    """One generation of the index as this worker sees it: the reader and its segments' columns."""

    def __init__(self, reader, generation: int, segments: list[tuple[object, _Segment, frozenset[int]]]):
        self.reader = reader
        self.generation = generation
        self.segments = segments  # (segment reader, columns, deleted docnums)


def _deleted_docs(segreader) -> frozenset[int]:
    if not segreader.has_deletions():
        return frozenset()
    return frozenset(segreader.segment().deleted_docs())


class Searcher:
    """Searches the index at ``path``; keep one per worker process (thread-safe, searches serialised)."""

    def __init__(self, path: Path | str, *, time_limit: float = DEFAULT_TIME_LIMIT):
        self.path = Path(path)
        self.time_limit = time_limit
        self._lock = threading.RLock()  # searches (a segment reader is not thread-safe) and swaps
        self._refresh_lock = threading.Lock()  # one refresh at a time
        self._ix = None
        self._snapshot: _Snapshot | None = None
        self._cache: dict[str, _Segment] = {}

    # -- index state ------------------------------------------------------------------------------

    def refresh(self) -> bool:
        """Load what changed on disk since the last call; True if something did.

        The new segments' columns are read without holding the search lock (searches go on with
        the snapshot they have); only the swap waits for the search in progress."""
        with self._refresh_lock:
            return self._refresh()

    def _refresh(self) -> bool:
        with self._lock:
            if self._ix is None:
                # No mmap: with it, Whoosh 2.7 copies every sub-file of a segment into memory
                # (BufferFile wraps the map in a BytesIO), i.e. the whole index per worker.
                storage = FileStorage(str(self.path), supports_mmap=False)
                try:
                    fmt = (self.path / S.FORMAT_FILE).read_text(encoding="utf-8").strip()
                    self._ix = storage.open_index(indexname=S.INDEX_NAME)
                except Exception as exc:
                    raise SearchIndexError(
                        f"no search index at {self.path}: build it (registry index --rebuild)"
                    ) from exc
                if fmt != S.FORMAT_TAG:
                    self._ix = None
                    raise SearchIndexError(
                        f"the search index at {self.path} has another format; rebuild it",
                        code="search_index_outdated",
                    )
            generation = self._ix.latest_generation()
            if self._snapshot is not None and self._snapshot.generation == generation:
                return False
            reader = self._ix.reader()  # its own files: reading it does not disturb a search
        segments = []
        cache: dict[str, _Segment] = {}
        for segreader, _base in reader.leaf_readers():
            if segreader.doc_count_all() == 0:
                continue
            segid = segreader.segment().segment_id()
            seg = self._cache.get(segid) or _Segment(segreader)
            cache[segid] = seg
            segments.append((segreader, seg, _deleted_docs(segreader)))
        with self._lock:
            old, self._snapshot = self._snapshot, _Snapshot(reader, reader.generation(), segments)
            self._cache = cache
            if old is not None:
                old.reader.close()
        return True

    def close(self) -> None:
        with self._lock:
            if self._snapshot is not None:
                self._snapshot.reader.close()
            self._snapshot = None
            self._cache = {}
            self._ix = None

    def doc_count(self) -> int:
        """Live text units in the current snapshot."""
        self.refresh()
        assert self._snapshot is not None
        return sum(seg.n - len(deleted) for _r, seg, deleted in self._snapshot.segments)

    # -- searching --------------------------------------------------------------------------------

    def search(self, request: SearchRequest) -> WhooshResult:
        """Answer one request (SPEC §5); raises QueryError for a refused query or one out of time."""
        request = checked_request(request)
        node = parse_query(request.q or "")
        self.refresh()
        with self._lock:
            # the bound is on the query's own work: not on loading new segments, nor on waiting
            # for this worker's other searches
            deadline = time.monotonic() + self.time_limit
            assert self._snapshot is not None
            matched = []
            for segreader, seg, deleted in self._snapshot.segments:
                check_deadline(deadline)
                ids = _match_segment(segreader, seg, deleted, node, request, deadline)
                if ids:
                    matched.append((segreader, seg, ids))
            check_deadline(deadline)
            return _assemble(matched, node, request, deadline, [seg for _r, seg, _d in self._snapshot.segments])


def checked_request(request: SearchRequest) -> SearchRequest:
    """The request with its paging and sort checked (QueryError otherwise); one code string becomes a list."""
    if request.sort not in SORTS:
        raise QueryError.of("sort must be one of %(sorts)s", fields={"sort": "unknown sort"}, sorts=", ".join(SORTS))
    if request.page < 1 or not 1 <= request.per_page <= MAX_PER_PAGE:
        raise QueryError.of(
            "page must be >= 1 and per_page 1..%(max)s", fields={"page": "out of range"}, max=MAX_PER_PAGE
        )
    if isinstance(request.jurisdictions, str):  # a single code passed as a string
        request = dataclasses.replace(request, jurisdictions=[request.jurisdictions])
    return request


def timed_out() -> QueryError:
    """The error of a search past its time limit (every backend raises this one)."""
    return QueryError.of(
        "the query took too long; make it more specific", code="query_timeout", fields={"q": "timed out"}
    )


def check_deadline(deadline: float) -> None:
    """Raise :func:`timed_out` once ``time.monotonic()`` is past ``deadline``."""
    if time.monotonic() > deadline:
        raise timed_out()


# -- step 1: candidates -----------------------------------------------------------------------------


def _estimate(node: Node, segreader, seg: _Segment) -> int:
    """An upper bound of the units a node can match (document frequencies only, nothing read)."""
    if isinstance(node, Word):
        fieldname, grams = word_grams(node.text)
        return min((segreader.doc_frequency(fieldname, g) for g in grams), default=seg.n)
    if isinstance(node, Field):
        return len(_field_docs(node, seg)) if node.name in ("jurisdiction", "topic", "kind") else seg.n
    if isinstance(node, And):
        return min((_estimate(c, segreader, seg) for c in node.children if not isinstance(c, Not)), default=seg.n)
    if isinstance(node, Or):
        return min(seg.n, sum(_estimate(c, segreader, seg) for c in node.children))
    return seg.n


def _field_docs(node: Field, seg: _Segment) -> list[int]:
    key = {"jurisdiction": "j", "topic": "t", "kind": "k"}[node.name]
    return seg.by.get((key, node.value), [])


def _candidates(node: Node, segreader, seg: _Segment) -> set[int] | None:
    """A superset of the units matching ``node`` in this segment, or None for "every unit"."""
    if isinstance(node, Word):
        fieldname, grams = word_grams(node.text)
        if not grams:
            return None
        by_df = sorted((segreader.doc_frequency(fieldname, g), g) for g in grams)
        if by_df[0][0] == 0:
            return set()
        current = set(posting_ids(segreader, fieldname, by_df[0][1]))
        for df, g in by_df[1:_MAX_POSTINGS_LISTS]:
            if df > _INTERSECT_RATIO * len(current):
                break
            current.intersection_update(posting_ids(segreader, fieldname, g))
        return current
    if isinstance(node, Field):
        if node.name in ("jurisdiction", "topic", "kind"):
            return set(_field_docs(node, seg))
        return None
    if isinstance(node, And):
        positive = [c for c in node.children if not isinstance(c, Not)]
        if not positive:
            return None
        ranked = sorted(positive, key=lambda c: _estimate(c, segreader, seg))
        current = _candidates(ranked[0], segreader, seg)
        for child in ranked[1:2]:  # a second part only when it is about as selective
            if current is None or _estimate(child, segreader, seg) > _INTERSECT_RATIO * len(current):
                break
            other = _candidates(child, segreader, seg)
            if other is not None:
                current &= other
        return current
    if isinstance(node, Or):
        union: set[int] = set()
        for child in node.children:
            c = _candidates(child, segreader, seg)
            if c is None:
                return None
            union |= c
        return union
    return None  # Not


def _filter_docs(request: SearchRequest, seg: _Segment) -> list[int] | None:
    """The units the request's filters allow (exact), or None when there is no filter."""
    js = [j.upper() for j in request.jurisdictions]
    topic = request.topic.lower() if request.topic else None
    kind = request.kind.lower() if request.kind else None
    options: list[list[int]] = []
    if js and topic:
        options.append([d for j in js for d in seg.by.get(("jt", j, topic), [])])
    elif js:
        options.append([d for j in js for d in seg.by.get(("j", j), [])])
    elif topic:
        options.append(seg.by.get(("t", topic), []))
    if kind:
        options.append(seg.by.get(("k", kind), []))
    return min(options, key=len) if options else None


# -- step 2: verification ---------------------------------------------------------------------------


def _verify(node: Node, cands: list[int], seg: _Segment) -> list[int]:
    if not cands:
        return cands
    if isinstance(node, Word):
        w, text = node.text, seg.text
        return [i for i in cands if w in text[i]]
    if isinstance(node, Field):
        col = seg.column(node.name)
        v = node.value
        return [i for i in cands if col[i] == v]
    if isinstance(node, And):
        # fields first (cheap), then words, then the rest
        order = sorted(node.children, key=lambda c: 0 if isinstance(c, Field) else 1 if isinstance(c, Word) else 2)
        for child in order:
            cands = _verify(child, cands, seg)
            if not cands:
                break
        return cands
    if isinstance(node, Or):
        keep: set[int] = set()
        rest = cands
        for child in node.children:
            keep.update(_verify(child, rest, seg))
            rest = [i for i in rest if i not in keep]
        return [i for i in cands if i in keep]
    if isinstance(node, Not):
        drop = set(_verify(node.child, cands, seg))
        return [i for i in cands if i not in drop]
    raise TypeError(node)


def _match_segment(
    segreader, seg: _Segment, deleted: frozenset[int], node: Node, request: SearchRequest, deadline: float
) -> list[int]:
    filt = _filter_docs(request, seg)
    if filt is not None and (node is MATCH_ALL or len(filt) <= _estimate(node, segreader, seg)):
        cands: list[int] | range = filt
    else:
        found = _candidates(node, segreader, seg)
        cands = range(seg.n) if found is None else sorted(found)
    check_deadline(deadline)
    day = request.as_of.toordinal()
    js = {j.upper() for j in request.jurisdictions}
    topic = request.topic.lower() if request.topic else None
    kind = request.kind.lower() if request.kind else None
    vf, vt, jcol, tcol, kcol = seg.valid_from, seg.valid_to, seg.jurisdiction, seg.topic, seg.kind
    out: list[int] = []
    for start in range(0, len(cands), _CHUNK):
        chunk = [i for i in cands[start : start + _CHUNK] if vf[i] <= day < vt[i]]
        if deleted:
            chunk = [i for i in chunk if i not in deleted]
        if js:
            chunk = [i for i in chunk if jcol[i] in js]
        if topic:
            chunk = [i for i in chunk if tcol[i] == topic]
        if kind:
            chunk = [i for i in chunk if kcol[i] == kind]
        if node is not MATCH_ALL:
            chunk = _verify(node, chunk, seg)
        out.extend(chunk)
        check_deadline(deadline)
    return out


# -- steps 3 and 4: grouping, facets, the page -----------------------------------------------------


def _assemble(matched, node: Node, request: SearchRequest, deadline: float, segments: list[_Segment]) -> WhooshResult:
    # gkey -> {(valid_from, version): [(segreader, seg, ids)]}; a rule's units may lie in several segments
    groups: dict[str, dict[tuple[int, str | None], list]] = {}
    for segreader, seg, ids in matched:
        gkey, version, vf = seg.gkey, seg.version, seg.valid_from
        local: dict[str, dict[tuple[int, str | None], list[int]]] = {}
        for i in ids:
            by_version = local.get(gkey[i])
            if by_version is None:
                by_version = local[gkey[i]] = {}
            key = (vf[i], version[i])
            lst = by_version.get(key)
            if lst is None:
                by_version[key] = [i]
            else:
                lst.append(i)
        for gk, by_version in local.items():
            target = groups.setdefault(gk, {})
            for key, lst in by_version.items():
                target.setdefault(key, []).append((segreader, seg, lst))
    check_deadline(deadline)

    facets: dict[str, Counter] = {"jurisdiction": Counter(), "topic": Counter(), "kind": Counter(), "year": Counter()}
    ranked = []
    for gk, by_version in groups.items():
        # one version is in force on as_of; were two (overlapping validity), read the latest
        (_vf, version), parts = (
            max(by_version.items(), key=lambda kv: kv[0][0]) if len(by_version) > 1 else next(iter(by_version.items()))
        )
        n_units = n_arts = 0
        for _r, seg, ids in parts:
            unit = seg.unit
            n_units += len(ids)
            n_arts += sum(1 for i in ids if unit[i] in _TEXT_UNITS)
        total_arts = sum(s.articles_in.get((gk, version), 0) for s in segments)
        score = hits.score(title_hit=n_arts < n_units, articles=n_arts, version_articles=total_arts)
        seg, first = parts[0][1], parts[0][2][0]
        innovation = seg.unit[first] in (S.UNIT_INNOVATION_TITLE, S.UNIT_INNOVATION_TEXT)
        year = seg.year[first]
        date_key = dt.date(year, 1, 1).toordinal() if innovation and year else seg.valid_from[first]
        facets["jurisdiction"][seg.jurisdiction[first]] += 1
        if seg.topic[first]:
            facets["topic"][seg.topic[first]] += 1
        if seg.kind[first]:
            facets["kind"][seg.kind[first]] += 1
        if year is not None:
            facets["year"][str(year)] += 1
        ranked.append((score, date_key, gk, parts))
    check_deadline(deadline)

    if request.sort == "date":
        ranked.sort(key=lambda r: (-r[1], -r[0], r[2]))
    else:
        ranked.sort(key=lambda r: (-r[0], -r[1], r[2]))
    lo = (request.page - 1) * request.per_page
    words = positive_words(node)
    return WhooshResult(
        total=len(ranked),
        hits=[_hit(r, words) for r in ranked[lo : lo + request.per_page]],
        facets={name: dict(sorted(c.items())) for name, c in facets.items()},
        page=request.page,
        per_page=request.per_page,
        _matched=[(seg, ids) for _r, seg, ids in matched],
    )


def _hit(ranked_row, words: list[str]) -> dict:
    score, _date, _gk, parts = ranked_row
    units = [
        hits.MatchedUnit(seg.unit[i], seg.seq[i], seg.text[i], seg.article_id[i], (r, i))
        for r, seg, ids in parts
        for i in ids
    ]
    arts, best, snippet_unit = hits.choose(units, words)
    reader, docnum = snippet_unit.ref
    p = reader.stored_fields(docnum)["doc"]
    return hits.hit_dict(
        unit=p[S.P_UNIT],
        owner_id=p[S.P_OWNER_ID],
        version=p[S.P_VERSION],
        title=p[S.P_TITLE],
        kind=p[S.P_KIND],
        jurisdiction=p[S.P_JURISDICTION],
        topic=p[S.P_TOPIC],
        original=p[S.P_TEXT],
        snippet_norm=snippet_unit.norm,
        words=words,
        articles=arts,
        best=best,
        score=score,
    )
