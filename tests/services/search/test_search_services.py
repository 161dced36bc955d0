"""Search use cases on a session/engine and a real Whoosh backend, without the app (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.exceptions import ValidationError
from app.registry.db import session_factory, write_session
from app.registry.models import IndexOutbox, Innovation
from app.search import services
from app.search.backends import UnknownSearchBackend, make_backend, register_backend, unregister_backend
from app.search.interfaces import IndexChanges, SearchBackend, SearchRequest, SearchResult

SH = "cn-sh/environment/sample-wwtp"
JS = "cn-js/environment/sample-wwtp-js"
D = dt.date(2024, 1, 1)


def search(engine, backend, q, **kw):
    with session_factory(engine)() as session:
        return services.run_search(
            session,
            backend,
            q=q,
            jurisdictions=kw.pop("jurisdictions", []),
            topic=None,
            kind=None,
            as_of=kw.pop("as_of", D),
            **kw,
        )


def outbox(engine) -> int:
    with session_factory(engine)() as session:
        return session.scalar(select(func.count()).select_from(IndexOutbox))


def test_rebuild_then_search_finds_rules_and_clears_the_outbox(registry_engine, backend):
    assert not backend.exists()
    how, n = services.bring_index_up_to_date(registry_engine, backend)
    assert how == "built" and n > 0 and outbox(registry_engine) == 0
    out = search(registry_engine, backend, "化学需氧量")
    assert {h["id"] for h in out["hits"]} >= {SH, JS}
    assert out["facets"]["jurisdiction"] == {"CN-JS": 1, "CN-SH": 1}


def test_run_search_checks_codes_against_the_registry(registry_engine, backend):
    services.rebuild_index(registry_engine, backend)
    out = search(registry_engine, backend, "化学需氧量", jurisdictions=["cn-js"])
    assert [h["id"] for h in out["hits"]] == [JS]
    with pytest.raises(ValidationError):
        search(registry_engine, backend, "化学需氧量", jurisdictions=["CN-XX"])


def test_sync_applies_the_outbox_in_one_go(registry_engine, backend):
    services.rebuild_index(registry_engine, backend)
    with write_session(registry_engine) as session:
        session.delete(session.get(Innovation, "sample-innovation"))
        session.add(IndexOutbox(kind="innovation", target="sample-innovation", created_at=dt.datetime.now(dt.UTC)))
    assert outbox(registry_engine) == 1
    assert services.sync_index(registry_engine, backend) == 1
    assert outbox(registry_engine) == 0
    assert search(registry_engine, backend, "项目审批")["total"] == 0
    assert services.sync_index(registry_engine, backend) == 0


def test_check_reports_and_repairs_drift(registry_engine, backend):
    services.rebuild_index(registry_engine, backend)
    assert services.check_index(registry_engine, backend).total == 0
    backend.apply(IndexChanges(rules={SH: []}))
    drift = services.check_index(registry_engine, backend, repair=True)
    assert drift.missing and all(k.startswith(SH + "@") for k in drift.missing)
    assert drift.stale == [] and drift.extra == []
    assert services.check_index(registry_engine, backend).total == 0
    assert SH in {h["id"] for h in search(registry_engine, backend, "化学需氧量")["hits"]}


class MemoryBackend:
    """A tiny in-memory backend: substring search over article texts, to show callers use only the protocol."""

    name = "memory"

    def __init__(self, settings):
        self.docs: dict[str, list] = {}
        self.innovations: dict = {}
        self.built = False

    def exists(self) -> bool:
        return self.built

    def apply(self, changes: IndexChanges) -> None:
        for rid, docs in changes.rules.items():
            self.docs[rid] = docs
        for slug, doc in changes.innovations.items():
            self.innovations[slug] = doc

    def search(self, request: SearchRequest) -> SearchResult:
        hits = [
            {"type": "rule", "id": rid}
            for rid, docs in sorted(self.docs.items())
            if any(request.q in d.text and d.in_force_on(request.as_of) for d in docs)
            and (not request.jurisdictions or docs[0].jurisdiction in request.jurisdictions)
        ]
        return SearchResult(total=len(hits), hits=hits, facets={})

    def warm(self) -> None:
        pass

    def fingerprints(self) -> dict[str, str]:
        from app.search.documents import content_hash, doc_key

        docs = [d for ds in self.docs.values() for d in ds] + [d for d in self.innovations.values() if d]
        return {doc_key(d): content_hash(d) for d in docs}

    def rebuild(self, rules, innovations=()) -> int:
        rules = list(rules)
        self.innovations = {d.slug: d for d in innovations}
        self.docs = {}
        for d in rules:
            self.docs.setdefault(d.rule_id, []).append(d)
        self.built = True
        return len(rules) + len(self.innovations)


@pytest.fixture
def memory_backend():
    register_backend("memory", MemoryBackend)
    yield make_backend("memory", {})
    unregister_backend("memory")


def test_a_second_backend_serves_every_use_case_through_the_protocol(registry_engine, memory_backend):
    assert isinstance(memory_backend, SearchBackend)
    assert services.bring_index_up_to_date(registry_engine, memory_backend)[0] == "built"
    assert [
        h["id"] for h in search(registry_engine, memory_backend, "化学需氧量", jurisdictions=["CN-SH"])["hits"]
    ] == [SH]
    assert services.check_index(registry_engine, memory_backend, repair=False).total == 0


def test_an_unknown_backend_name_is_refused_naming_the_known_ones():
    with pytest.raises(UnknownSearchBackend, match="known: postgres, whoosh"):
        make_backend("nope", {})
