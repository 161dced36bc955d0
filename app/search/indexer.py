"""The on-disk index and its one writer: open, replace, delete, rebuild, fingerprints.

Writes are serialised by Whoosh's write lock (an ``fcntl`` lock on
``MAIN_WRITELOCK``, released by the OS when its holder dies, so a leftover lock
file never blocks anything). A writer waits up to ``lock_timeout`` seconds for
the lock and then raises :class:`app.exceptions.SearchIndexError`. Each call
below is one commit; :meth:`SearchIndex.batch` groups several updates into one.

    index = SearchIndex(Path("search_index")).open()
    index.replace_rule("cn-sh/data/x", docs)        # every version of the rule, in one go
    with index.batch() as batch:                    # several outbox entries, one commit
        batch.delete_rule("cn-zj/data/y")
        batch.replace_innovation(innovation)
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import CLEAR, LockError

from app.exceptions import SearchIndexError
from app.search import schema as S
from app.search.analyzer import bigrams, normalize, unigrams
from app.search.documents import ArticleDoc, InnovationDoc, content_hash, doc_key
from app.search.whoosh_internals import GramSegmentWriter

if TYPE_CHECKING:
    from app.search.searcher import Searcher

DEFAULT_LOCK_TIMEOUT = 10.0
GRAM_FIELDS = ("bi", "uni")  # existence-only fields written by GramSegmentWriter on a rebuild
PROGRESS_EVERY = 1000  # documents between two progress calls of a rebuild
_LOCK_POLL = 0.05


def rule_unit(doc: ArticleDoc, seq: int) -> tuple[str, dict]:
    """The unit of one rule doc at place ``seq`` of its version: ``(key, {key, owner, uni, bi, doc})``."""
    if doc.article_id is None:
        unit, text = S.UNIT_TITLE, "\n".join(t for t in (doc.title, doc.title_en, doc.doc_number) if t)
    else:
        unit, text = S.UNIT_ARTICLE, doc.text
    key = doc_key(doc)
    payload = (
        unit,
        key,
        content_hash(doc),
        doc.rule_id,
        doc.version,
        doc.article_id,
        doc.article_label,
        seq,
        doc.valid_from.toordinal(),
        doc.valid_to.toordinal() if doc.valid_to else None,
        doc.jurisdiction,
        doc.topic,
        doc.kind,
        doc.year,
        doc.doc_number,
        doc.title,
        doc.title_en,
        text,
        list(doc.binds),
    )
    return key, _fields(key, f"rule:{doc.rule_id}", text, payload)


def innovation_units(doc: InnovationDoc) -> list[tuple[str, dict]]:
    """An innovation's two units, its title and its text, as ``(key, fields)``."""
    key = doc_key(doc)
    owner = f"innovation:{doc.slug}"
    out = []
    for unit, unit_key, text in (
        (S.UNIT_INNOVATION_TITLE, key, "\n".join(t for t in (doc.title, doc.title_en) if t)),
        (S.UNIT_INNOVATION_TEXT, f"{key}#text", doc.text),
    ):
        payload = (
            unit,
            unit_key,
            content_hash(doc),
            doc.slug,
            None,
            None,
            "",
            unit,
            None,
            None,
            S.INNOVATION_JURISDICTION,
            None,
            None,
            doc.year,
            "",
            doc.title,
            doc.title_en,
            text,
            (doc.category, doc.promoted),
        )
        out.append((unit_key, _fields(unit_key, owner, text, payload)))
    return out


def _fields(key: str, owner: str, text: str, payload: tuple) -> dict:
    norm = normalize(text)
    return {"key": key, "owner": owner, "uni": list(unigrams(norm)), "bi": list(bigrams(norm)), "doc": payload}


def rule_units(docs: Iterable[ArticleDoc]) -> Iterator[dict]:
    """The unit fields of rule docs, numbered (``seq``) in the order given within each rule version."""
    seqs: dict[tuple[str, str], int] = {}
    for doc in docs:
        version_key = (doc.rule_id, doc.version)
        seq = seqs.get(version_key, 0)
        seqs[version_key] = seq + 1
        yield rule_unit(doc, seq)[1]


class IndexBatch:
    """Updates collected inside :meth:`SearchIndex.batch`; applied in one commit on exit."""

    def __init__(self, writer):
        self._writer = writer

    def replace_rule(self, rule_id: str, docs: Iterable[ArticleDoc]) -> None:
        """Drop every unit of ``rule_id`` (all versions) and add ``docs`` (all its versions)."""
        docs = list(docs)
        for doc in docs:
            if doc.rule_id != rule_id:
                raise ValueError(f"replace_rule({rule_id!r}) got a doc of {doc.rule_id!r}")
        self.delete_rule(rule_id)
        self._add_rule_docs(docs)

    def delete_rule(self, rule_id: str) -> None:
        self._writer.delete_by_term("owner", f"rule:{rule_id}")

    def replace_innovation(self, doc: InnovationDoc) -> None:
        self.delete_innovation(doc.slug)
        for _key, fields in innovation_units(doc):
            self._writer.add_document(**fields)

    def delete_innovation(self, slug: str) -> None:
        self._writer.delete_by_term("owner", f"innovation:{slug}")

    def _add_rule_docs(self, docs: Iterable[ArticleDoc]) -> int:
        n = 0
        for fields in rule_units(docs):
            self._writer.add_document(**fields)
            n += 1
        return n


class SearchIndex:
    """The Whoosh index directory at ``path`` (created by :meth:`open` when absent)."""

    def __init__(self, path: Path | str, *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT):
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self._storage: FileStorage | None = None

    # -- opening ----------------------------------------------------------------------------------

    def open(self) -> SearchIndex:
        """Open the index, creating an empty one if there is none; returns ``self``.

        Raises SearchIndexError (code ``search_index_outdated``) when the directory
        holds an index of another format: ``rebuild()`` replaces it.
        """
        self.path.mkdir(parents=True, exist_ok=True)
        self._storage = FileStorage(str(self.path))
        if not self.exists():
            with self._locked():
                if not self.exists():
                    self._create()
        self._check_format()
        return self

    def exists(self) -> bool:
        return whoosh_index.exists_in(str(self.path), indexname=S.INDEX_NAME)

    def _create(self) -> None:
        assert self._storage is not None
        self._storage.create_index(S.build_schema(), indexname=S.INDEX_NAME)
        (self.path / S.FORMAT_FILE).write_text(S.FORMAT_TAG + "\n", encoding="utf-8")

    def _format_ok(self) -> bool:
        try:
            return (self.path / S.FORMAT_FILE).read_text(encoding="utf-8").strip() == S.FORMAT_TAG
        except FileNotFoundError:
            return False

    def _check_format(self) -> None:
        if not self._format_ok():
            raise SearchIndexError(
                f"the search index at {self.path} has another format; rebuild it (registry index --rebuild)",
                code="search_index_outdated",
            )

    def _index(self):
        if self._storage is None:
            self.open()
        assert self._storage is not None
        return self._storage.open_index(indexname=S.INDEX_NAME)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        assert self._storage is not None
        lock = self._storage.lock(f"{S.INDEX_NAME}_WRITELOCK")
        deadline = time.monotonic() + self.lock_timeout
        while not lock.acquire(blocking=False):
            if time.monotonic() >= deadline:
                raise SearchIndexError(f"the search index at {self.path} is locked by another writer")
            time.sleep(_LOCK_POLL)
        try:
            yield
        finally:
            lock.release()

    def _writer(self, ix, **kwargs):
        try:
            return ix.writer(timeout=self.lock_timeout, delay=_LOCK_POLL, **kwargs)
        except LockError as exc:
            raise SearchIndexError(
                f"the search index at {self.path} is locked by another writer (waited {self.lock_timeout:g} s)"
            ) from exc

    # -- writing ----------------------------------------------------------------------------------

    @contextlib.contextmanager
    def batch(self) -> Iterator[IndexBatch]:
        """One writer and one commit for several updates; nothing is written if the block raises."""
        self._check_format()
        ix = self._index()
        try:
            writer = self._writer(ix, limitmb=64)
            try:
                yield IndexBatch(writer)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
        finally:
            ix.close()

    def replace_rule(self, rule_id: str, docs: Iterable[ArticleDoc]) -> None:
        with self.batch() as batch:
            batch.replace_rule(rule_id, docs)

    def delete_rule(self, rule_id: str) -> None:
        with self.batch() as batch:
            batch.delete_rule(rule_id)

    def replace_innovation(self, doc: InnovationDoc) -> None:
        with self.batch() as batch:
            batch.replace_innovation(doc)

    def delete_innovation(self, slug: str) -> None:
        with self.batch() as batch:
            batch.delete_innovation(slug)

    def rebuild(
        self,
        rules: Iterable[ArticleDoc],
        innovations: Iterable[InnovationDoc] = (),
        *,
        limitmb: int = 256,
        procs: int = 1,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Replace the whole index with these documents in one commit; returns the number of docs.

        Searchers keep reading the old index until the commit. An index of another
        format is replaced as well. One process writes the gram postings itself
        (:class:`app.search.whoosh_internals.GramSegmentWriter`, several times faster than
        Whoosh's generic path); ``procs > 1`` uses Whoosh's own writer in that many
        processes instead (one segment each). ``progress(n)`` is called with the number of
        documents added so far, every ``PROGRESS_EVERY`` documents and at the end.
        """
        self.path.mkdir(parents=True, exist_ok=True)
        self._storage = FileStorage(str(self.path))
        if not self.exists() or not self._format_ok():
            with self._locked():
                self._create()
        ix = self._index()
        try:
            extra = {"procs": procs, "multisegment": True} if procs > 1 else {}
            writer = self._writer(ix, limitmb=limitmb, **extra)
            try:
                n = self._add_all(writer, rules, innovations, fast=procs <= 1, progress=progress)
            except BaseException:
                writer.cancel()
                raise
            writer.commit(mergetype=CLEAR)
        finally:
            ix.close()
        return n

    @staticmethod
    def _add_all(writer, rules, innovations, *, fast: bool, progress) -> int:  # type: ignore[no-untyped-def]
        add = GramSegmentWriter(writer, GRAM_FIELDS).add if fast else (lambda fields: writer.add_document(**fields))
        n = 0
        for fields in rule_units(rules):
            add(fields)
            n += 1
            if progress and n % PROGRESS_EVERY == 0:
                progress(n)
        for doc in innovations:
            for _key, fields in innovation_units(doc):
                add(fields)
            n += 1
            if progress and n % PROGRESS_EVERY == 0:
                progress(n)
        if progress:
            progress(n)
        return n

    def optimize(self) -> None:
        """Merge all segments into one (off-peak; searchers then reload the whole index once)."""
        ix = self._index()
        try:
            writer = self._writer(ix)
            writer.commit(optimize=True)
        finally:
            ix.close()

    # -- reading ----------------------------------------------------------------------------------

    def fingerprints(self) -> dict[str, str]:
        """Every document's key (:func:`doc_key`) and :func:`content_hash`, as the index holds them."""
        out: dict[str, str] = {}
        ix = self._index()
        try:
            with ix.reader() as reader:
                for stored in reader.all_stored_fields():
                    payload = stored["doc"]
                    if payload[S.P_UNIT] != S.UNIT_INNOVATION_TEXT:
                        out[payload[S.P_KEY]] = payload[S.P_HASH]
        finally:
            ix.close()
        return out

    def doc_count(self) -> int:
        """Number of text units in the index (articles, title docs, innovation title and text)."""
        ix = self._index()
        try:
            return ix.doc_count()
        finally:
            ix.close()

    def searcher(self, **kwargs) -> Searcher:
        """A :class:`Searcher` on this index (keep one per worker process)."""
        from app.search.searcher import Searcher

        return Searcher(self.path, **kwargs)
