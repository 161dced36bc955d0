"""Concurrent writes answered ``indexed: true`` are all in the search index, at their newest state.

Real threads write through the API on the test's database (SQLite or PostgreSQL) and the real
Whoosh index; afterwards the index must equal the database document for document.
"""

from __future__ import annotations

import threading

from app.search import services as search_services
from tests.security.conftest import document

THREADS = 4
WRITES = 12  # per thread: one new rule, then new versions of it


def test_concurrent_writes_all_reach_the_index_at_their_newest_state(loaded, accounts_):
    app = loaded
    token = accounts_["ed-sh"].auth
    results: list[tuple[int, dict]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        client = app.test_client()
        rid = f"cn-sh/data/race-{n}"
        try:
            r = client.post(
                "/api/v1/rules",
                json={"document": document(days=10 + n), "slug": f"race-{n}"},
                headers=token,
            )
            with lock:
                results.append((r.status_code, r.get_json()))
            current = r.get_json().get("version")
            for i in range(1, WRITES):
                r = client.post(
                    f"/api/v1/rules/{rid}/versions",
                    json={"document": document(effective=f"{2024 + i}-01-01", days=10 + n + i)},
                    headers={**token, "If-Match": current},
                )
                with lock:
                    results.append((r.status_code, r.get_json()))
                current = r.get_json().get("version", current)
        except BaseException as err:
            errors.append(err)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert not errors
    assert len(results) == THREADS * WRITES
    assert [r for r in results if r[0] != 201] == []
    assert all(body["indexed"] is True for _status, body in results)
    engine = app.extensions["registry_engine"]
    drift = search_services.check_index(engine, app.extensions["search_backend"], repair=False)
    assert drift.as_dict() == {"missing": [], "stale": [], "extra": [], "total": 0}
    # and the newest version of each rule is what a search finds
    client = app.test_client()
    for n in range(THREADS):
        hits = client.get(f"/api/v1/search?q=公共数据开放&jurisdiction=CN-SH&as_of={2024 + WRITES}-06-01").get_json()
        versions = {h["id"]: h["version"] for h in hits["hits"]}
        assert versions.get(f"cn-sh/data/race-{n}") == f"cn-sh/data/race-{n}@{2024 + WRITES - 1}-01-01"
