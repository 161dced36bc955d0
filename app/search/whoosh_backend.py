"""The Whoosh implementation of :class:`app.search.interfaces.SearchBackend` (the default, ``whoosh``).

One ``WhooshBackend`` per process and index directory: it keeps one
:class:`app.search.searcher.Searcher` (its per-segment columns are loaded once
and refreshed when the index changes on disk), and opens a writer under
Whoosh's single write lock for each ``apply`` or ``rebuild``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from app.search.documents import ArticleDoc, InnovationDoc
from app.search.indexer import DEFAULT_LOCK_TIMEOUT, SearchIndex
from app.search.interfaces import IndexChanges, SearchRequest, SearchResult
from app.search.searcher import DEFAULT_TIME_LIMIT, Searcher


class WhooshBackend:
    """The Whoosh index at ``path``; searches run at most ``time_limit`` seconds, writers wait ``lock_timeout``."""

    name = "whoosh"

    def __init__(
        self,
        path: Path | str,
        *,
        time_limit: float = DEFAULT_TIME_LIMIT,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    ):
        self.path = Path(path)
        self.time_limit = time_limit
        self.lock_timeout = lock_timeout
        self._searcher: Searcher | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> WhooshBackend:
        """Built from the app's settings: ``REGISTRY_INDEX``, ``SEARCH_TIME_LIMIT``, ``SEARCH_LOCK_TIMEOUT``."""
        return cls(
            config["REGISTRY_INDEX"],
            time_limit=float(config.get("SEARCH_TIME_LIMIT", DEFAULT_TIME_LIMIT)),
            lock_timeout=float(config.get("SEARCH_LOCK_TIMEOUT", DEFAULT_LOCK_TIMEOUT)),
        )

    def _index(self) -> SearchIndex:
        return SearchIndex(self.path, lock_timeout=self.lock_timeout)

    def exists(self) -> bool:
        return self._index().exists()

    def apply(self, changes: IndexChanges) -> None:
        with self._index().open().batch() as batch:
            for rule_id, docs in sorted(changes.rules.items()):
                if docs:
                    batch.replace_rule(rule_id, docs)
                else:
                    batch.delete_rule(rule_id)
            for slug, doc in sorted(changes.innovations.items()):
                if doc is None:
                    batch.delete_innovation(slug)
                else:
                    batch.replace_innovation(doc)

    def search(self, request: SearchRequest) -> SearchResult:
        return self.searcher().search(request)

    def warm(self) -> None:
        """Load the index's columns into this process (seconds for ~80k units), outside any search."""
        if self.exists():
            self.searcher().refresh()

    def searcher(self) -> Searcher:
        """This process's searcher; the first call opens the index (an empty one when none was built)."""
        with self._lock:
            if self._searcher is None:
                self._searcher = self._index().open().searcher(time_limit=self.time_limit)
            return self._searcher

    def fingerprints(self) -> dict[str, str]:
        return self._index().open().fingerprints()

    def rebuild(
        self,
        rules: Iterable[ArticleDoc],
        innovations: Iterable[InnovationDoc] = (),
        progress: Callable[[int], None] | None = None,
    ) -> int:
        return self._index().rebuild(rules, innovations, progress=progress)

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = None
