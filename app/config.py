"""Configuration defaults; ``create_app`` overlays the environment, then a test mapping."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
INSTANCE = PROJECT_ROOT / "instance"

#: Keys read from the environment when set (SPEC §3).
ENV_KEYS = ("DATABASE_URL", "REGISTRY_CORPUS", "REGISTRY_INDEX", "SECRET_KEY", "SEARCH_BACKEND")


def defaults() -> dict:
    return {
        "DATABASE_URL": f"sqlite:///{INSTANCE / 'registry.sqlite3'}",
        "REGISTRY_CORPUS": str(PROJECT_ROOT / "rules_corpus"),
        "REGISTRY_INDEX": str(PROJECT_ROOT / "search_index"),
        "SECRET_KEY": None,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,  # request bodies; a corpus document is at most 1 MB
        "JSON_SORT_KEYS": False,
        "API_TITLE": "YRD rule harmonization registry",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        "SEARCH_BACKEND": "whoosh",  # app.search.backends; an unknown name stops create_app
        "SEARCH_TIME_LIMIT": 2.0,  # seconds; every query is bounded (SPEC §5)
        "SEARCH_LOCK_TIMEOUT": 10.0,  # seconds a write waits for the index's single writer (DECISIONS)
    }


def from_environment() -> dict:
    return {k: os.environ[k] for k in ENV_KEYS if os.environ.get(k)}
