"""Several indexes follow one database (SQLite and PostgreSQL), without servers: each by its own cursor,
in order, catching up after downtime; outbox entries kept until every index passed them; an index
that cannot catch up (no cursor, no files, behind what was deleted) is rebuilt."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import threading

import pytest
from sqlalchemy import delete, func, select, update

from app.exceptions import SearchIndexError
from app.registry.db import session_factory, write_session
from app.registry.models import IndexCursor, IndexOutbox, User
from app.registry.writes import add_rule
from app.search import follower, services
from app.search.interfaces import SearchRequest
from app.search.whoosh_backend import WhooshBackend
from tests.serving.docs import rule_document

D = dt.date(2024, 6, 1)


@pytest.fixture
def editor(loaded, runner, cli, engine):
    assert runner.invoke(cli, ["user", "add", "ed", "--role", "editor", "-j", "CN-SH"]).exit_code == 0
    with session_factory(engine)() as s:
        return s.scalar(select(User).where(User.name == "ed"))


def write(engine, user, n: int) -> str:
    with write_session(engine) as s:
        v = add_rule(s, user, rule_document("CN-SH", n), f"sample-follow-{n}")
    return v.rule_id


def found(backend, rule_id: str) -> bool:
    hits = backend.search(SearchRequest(q="多节点检索", as_of=D, per_page=100)).hits
    return rule_id in {h["id"] for h in hits}


def outbox_ids(engine) -> list[int]:
    with session_factory(engine)() as s:
        return list(s.scalars(select(IndexOutbox.id).order_by(IndexOutbox.id)))


@pytest.fixture
def nodes(loaded, engine, tmp_path):
    with write_session(engine) as s:  # only the two indexes below follow this database
        s.execute(delete(IndexCursor))
    a, b = WhooshBackend(tmp_path / "node-a"), WhooshBackend(tmp_path / "node-b")
    assert services.sync_index(engine, a) > 0 and services.sync_index(engine, b) > 0  # built: no cursor yet
    yield a, b
    a.close()
    b.close()


def test_each_index_has_its_own_cursor_and_applies_writes_in_order(nodes, engine, editor):
    a, b = nodes
    assert follower.cursor_name(a) != follower.cursor_name(b)
    first = write(engine, editor, 1)
    assert services.sync_index(engine, a) == 1
    assert found(a, first) and not found(b, first)
    assert outbox_ids(engine), "kept: node b has not applied it"
    second = write(engine, editor, 2)
    assert services.sync_index(engine, b) == 2  # both, in one commit
    assert found(b, first) and found(b, second)
    assert services.sync_index(engine, a) == 1
    assert outbox_ids(engine) == []  # every index passed every entry
    pos_a = follower.position(engine, follower.cursor_name(a))
    assert pos_a == follower.position(engine, follower.cursor_name(b)) and pos_a > 0


def test_a_node_that_was_down_catches_up_and_its_cursor_holds_entries_back(nodes, engine, editor):
    a, b = nodes
    ids = [write(engine, editor, n) for n in range(3, 8)]
    for _ in ids:
        services.sync_index(engine, a)
    assert len(outbox_ids(engine)) == 5  # b is "down": nothing it needs is deleted
    assert services.sync_index(engine, b) == 5
    assert all(found(b, rid) for rid in ids)
    assert services.check_index(engine, b, repair=False).total == 0


def test_a_cursor_idle_past_the_limit_stops_holding_entries_and_its_index_is_rebuilt(nodes, engine, editor):
    a, b = nodes
    rid = write(engine, editor, 9)
    with write_session(engine) as s:  # b has not moved for longer than IDLE_CURSOR
        s.execute(
            update(IndexCursor)
            .where(IndexCursor.name == follower.cursor_name(b))
            .values(updated_at=dt.datetime(2020, 1, 1))
        )
    services.sync_index(engine, a)
    assert outbox_ids(engine) == []  # deleted although b never applied it
    assert follower.must_rebuild(engine, follower.cursor_name(b))
    how, n = services.bring_index_up_to_date(engine, b)
    assert how == "built" and n > 0 and found(b, rid)
    assert not follower.must_rebuild(engine, follower.cursor_name(b))


def test_an_index_whose_files_are_gone_is_rebuilt(nodes, engine, editor):
    _a, b = nodes
    rid = write(engine, editor, 10)
    b.close()
    shutil.rmtree(b.path)
    fresh = WhooshBackend(b.path)
    assert services.bring_index_up_to_date(engine, fresh)[0] == "built"
    assert found(fresh, rid)
    fresh.close()


def test_outbox_ids_are_never_reused_after_every_entry_was_deleted(nodes, engine, editor):
    a, b = nodes
    write(engine, editor, 11)
    services.sync_index(engine, a)
    services.sync_index(engine, b)
    assert outbox_ids(engine) == []
    before = follower.position(engine, follower.cursor_name(a))
    rid = write(engine, editor, 12)
    assert outbox_ids(engine)[0] > before  # else a cursor would skip it
    assert services.sync_index(engine, a) == 1 and found(a, rid)


def test_a_rebuild_started_while_others_delete_entries_keeps_what_it_needs(nodes, engine, editor, tmp_path):
    a, _b = nodes
    c = WhooshBackend(tmp_path / "node-c")
    name = follower.cursor_name(c)
    follower.reserve(engine, name)  # c begins building
    write(engine, editor, 13)
    services.sync_index(engine, a)
    services.sync_index(engine, _b)
    assert len(outbox_ids(engine)) == 1  # c's reservation (-1) holds it
    assert follower.must_rebuild(engine, name)
    c.close()


def test_node_lock_serialises_updaters_and_times_out_naming_the_index(nodes):
    a, _ = nodes
    held, release = threading.Event(), threading.Event()

    def holder() -> None:
        with follower.node_lock(a):
            held.set()
            release.wait(10)

    t = threading.Thread(target=holder)
    t.start()
    held.wait(10)
    expected = r"node-a is being updated by another process \(waited 0.2 s\)"
    with pytest.raises(SearchIndexError, match=expected), follower.node_lock(a, timeout=0.2):
        pass
    release.set()
    t.join()
    with follower.node_lock(a, timeout=0.2):
        pass


def test_follower_retries_after_errors_and_logs_each_kind_once(caplog):
    calls = {"n": 0}

    def flaky() -> None:
        calls["n"] += 1
        if calls["n"] <= 3:
            raise SearchIndexError("index locked")

    f = follower.Follower(flaky, interval=0.01, logger=logging.getLogger("test-follower"))
    with caplog.at_level(logging.WARNING, logger="test-follower"):
        for _ in range(5):
            f.round()
    assert calls["n"] == 5
    messages = [r.getMessage() for r in caplog.records]
    assert sum("index locked" in m for m in messages) == 1
    assert messages[-1] == "search index follower: caught up again"


def test_follower_thread_brings_a_second_index_up_to_date(nodes, engine, editor):
    _a, b = nodes
    f = follower.Follower(lambda: services.sync_index(engine, b), interval=0.05).start()
    try:
        rid = write(engine, editor, 14)
        deadline = dt.datetime.now() + dt.timedelta(seconds=30)
        while not found(b, rid) and dt.datetime.now() < deadline:
            threading.Event().wait(0.05)
        assert found(b, rid)
    finally:
        f.stop()


def test_concurrent_syncs_of_one_index_never_apply_an_older_state(nodes, engine, editor):
    a, _ = nodes
    rids = []
    errors: list[BaseException] = []

    def sync() -> None:
        try:
            services.sync_index(engine, a)
        except BaseException as err:  # collected and asserted below
            errors.append(err)

    for n in range(15, 19):
        rids.append(write(engine, editor, n))
        threads = [threading.Thread(target=sync) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    assert all(found(a, r) for r in rids)
    assert services.check_index(engine, a, repair=False).total == 0
    with session_factory(engine)() as s:
        assert (
            s.scalar(select(func.count()).select_from(IndexCursor).where(IndexCursor.name == follower.cursor_name(a)))
            == 1
        )
