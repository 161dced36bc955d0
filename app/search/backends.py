"""Search backends by name: ``SEARCH_BACKEND`` picks one when the app starts (default ``whoosh``).

``whoosh`` keeps the index in files under ``REGISTRY_INDEX`` (one node); ``postgres`` keeps it
in tables of the registry's PostgreSQL database (``DATABASE_URL``), shared by every node.

A backend is registered as a factory that takes the app's settings (a plain
mapping) and returns a :class:`app.search.interfaces.SearchBackend`. An unknown
name fails at start-up, naming the known ones::

    >>> make_backend("solr", {})
    Traceback (most recent call last):
    ...
    app.search.backends.UnknownSearchBackend: SEARCH_BACKEND='solr' is not a search backend; known: postgres, whoosh
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from app.search.interfaces import SearchBackend
from app.search.postgres_backend import PostgresBackend
from app.search.whoosh_backend import WhooshBackend

DEFAULT_BACKEND = "whoosh"

BackendFactory = Callable[[Mapping[str, Any]], SearchBackend]

_FACTORIES: dict[str, BackendFactory] = {"whoosh": WhooshBackend.from_config, "postgres": PostgresBackend.from_config}


class UnknownSearchBackend(ValueError):
    """``SEARCH_BACKEND`` names no registered backend (a configuration error, raised at start-up)."""


def register_backend(name: str, factory: BackendFactory) -> None:
    """Make ``SEARCH_BACKEND=name`` build its backend with ``factory(settings)``."""
    _FACTORIES[name] = factory


def unregister_backend(name: str) -> None:
    if name == DEFAULT_BACKEND:
        raise ValueError(f"the default search backend {name!r} stays registered")
    _FACTORIES.pop(name, None)


def backend_names() -> list[str]:
    return sorted(_FACTORIES)


def make_backend(name: str, settings: Mapping[str, Any]) -> SearchBackend:
    """The backend called ``name``, built from ``settings``; UnknownSearchBackend for any other name."""
    factory = _FACTORIES.get(name)
    if factory is None:
        raise UnknownSearchBackend(
            f"SEARCH_BACKEND={name!r} is not a search backend; known: {', '.join(backend_names())}"
        )
    return factory(settings)
