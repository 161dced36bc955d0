"""One crash round: SIGKILL a serving node and a running `registry import` at a random moment while
editors write, then check what survived (used by tests/serving/test_crash.py and bench/crash.py).

After each kill: the database passes its integrity check, every acknowledged write is present and
whole, nothing half-written exists (no rule without a version, no version without its articles or
its audit row), the audit chain verifies; after the restart the node's index equals the database
(``registry serve`` repairs drift at start).
"""

from __future__ import annotations

import http.client as http_client
import json
import os
import random
import signal
import subprocess
import threading
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session

from app.registry import audit
from app.registry.models import AuditEntry, Rule, RuleVersion
from app.search import services
from app.search.whoosh_backend import WhooshBackend
from tests.serving.docs import rule_document
from tests.serving.nodes import REGISTRY, ROOT, Cluster, Node, http

IMPORT_SOURCE = "https://example.org/crash-test"
IMPORT_TEXT = """示例市第{n}号数据管理测试规定

第一条 为了测试登记簿在进程被终止时的完整性，制定本规定。

第二条 数据处理者应当在{days}个工作日内答复查询。

第三条 本规定自发布之日起施行。
"""


@dataclass
class RoundResult:
    killed_after: float
    acked_writes: int
    acked_imports: int
    unacked: int
    problems: list[str] = field(default_factory=list)
    drift_after_restart: int = 0


class Editors:
    """Threads posting new rules through one node until stopped; acknowledged ids are recorded."""

    def __init__(self, node: Node, tokens: dict[str, str], tag: str):
        self.node, self.tokens, self.tag = node, tokens, tag
        self.acked: list[str] = []
        self.unacked = 0
        self.server_errors: list[str] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(code,), daemon=True) for code in tokens]

    def _run(self, code: str) -> None:
        n = 0
        while not self._stop.is_set():
            n += 1
            slug = f"crash-{self.tag}-{code[-2:].lower()}-{n}"
            try:
                status, body = http(
                    "POST",
                    f"{self.node.url}/api/v1/rules",
                    {"document": rule_document(code, n, marker=f"（{self.tag}）"), "slug": slug},
                    self.tokens[code],
                    timeout=30,
                )
            except (OSError, http_client.HTTPException):
                self.unacked += 1  # the server died with the request in flight: it may or may not be written
                continue
            if status == 201:
                self.acked.append(body["id"])
            elif status >= 500:
                self.server_errors.append(f"{status} {body}")

    def start(self) -> Editors:
        for t in self._threads:
            t.start()
        return self

    def halt(self) -> None:
        """No new request after this (the ones in flight finish or fail)."""
        self._stop.set()

    def stop(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(60)


def start_import(env: dict, workdir: Path, tag: str, count: int = 4) -> tuple[subprocess.Popen, Path]:
    """`registry import` of ``count`` invented texts into a scratch corpus, in its own process group."""
    folder = workdir / f"import-{tag}"
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        n = zlib.crc32(f"{tag}-{i}".encode()) % 900_000 + 1000
        (folder / f"text-{tag}-{i}.txt").write_text(IMPORT_TEXT.format(n=n, days=10 + i), encoding="utf-8")
    args = [
        str(REGISTRY), "import", str(folder), "-j", "CN-SH", "-t", "data", "-k", "government_rule",
        "--effective", "2024-01-01", "--source-url", IMPORT_SOURCE,
        "--corpus", str(workdir / "corpus"), "--json",
    ]  # fmt: skip
    out = workdir / f"import-{tag}.json"
    proc = subprocess.Popen(
        args, env=env, cwd=ROOT, stdout=out.open("w"), stderr=subprocess.DEVNULL, start_new_session=True
    )
    return proc, out


def check_database(database_url: str, acked: list[str], acked_versions: list[str]) -> list[str]:
    """Every problem found in the database after a crash (empty: all is well)."""
    problems: list[str] = []
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                result = conn.exec_driver_sql("PRAGMA integrity_check").scalar_one()
                if result != "ok":
                    problems.append(f"sqlite integrity_check: {result}")
                fk = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if fk:
                    problems.append(f"foreign key violations: {fk[:5]}")
            else:
                conn.execute(text("SELECT 1"))
        with Session(engine) as s:
            n, chain = audit.verify(s)
            problems += chain
            bare = s.scalars(select(Rule.id).where(~Rule.versions.any())).all()
            problems += [f"rule {r} has no version (half-written)" for r in bare]
            written_here = RuleVersion.rule_id.like("%/crash-%") | (RuleVersion.source_url == IMPORT_SOURCE)
            empty = s.scalars(select(RuleVersion.id).where(written_here, ~RuleVersion.articles.any())).all()
            problems += [f"version {v} has no articles (half-written)" for v in empty]
            audited = set(s.scalars(select(AuditEntry.target)))
            ours = s.scalars(select(RuleVersion.id).where(written_here)).all()
            problems += [f"version {v} has no audit row (half-written)" for v in ours if v not in audited]
            present = set(s.scalars(select(Rule.id)))
            problems += [f"acknowledged write {r} is missing" for r in acked if r not in present]
            versions = set(s.scalars(select(RuleVersion.id)))
            problems += [f"acknowledged import {v} is missing" for v in acked_versions if v not in versions]
            if s.scalar(select(func.count()).select_from(AuditEntry)) != n:
                problems.append("audit rows changed while verifying")
    finally:
        engine.dispose()
    return problems


def acked_imports(report: Path) -> list[str]:
    """Versions an import reported as imported (it finished before the kill), else none."""
    try:
        doc = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [item["version"] for item in doc.get("imported", [])]


def crash_round(
    cluster: Cluster, node: Node, tag: str, rng: random.Random, *, max_wait: float = 10.0, min_acks: int = 0
) -> RoundResult:
    """Writes and an import under way, SIGKILL at a random moment (after ``min_acks`` acknowledged
    writes), checks, restart, index compared."""
    node.wait_ready()
    editors = Editors(node, cluster.tokens, tag).start()
    imp, report = start_import(node.env, cluster.workdir, tag)
    t0 = time.monotonic()
    while len(editors.acked) < min_acks and time.monotonic() - t0 < 120:
        time.sleep(0.05)
    time.sleep(rng.uniform(0.1, max_wait))
    delay = time.monotonic() - t0
    editors.halt()
    node.kill()
    if imp.poll() is None:
        os.killpg(imp.pid, signal.SIGKILL)
    imp.wait(30)
    editors.stop()
    imports = acked_imports(report) if imp.returncode == 0 else []
    result = RoundResult(delay, len(editors.acked), len(imports), editors.unacked)
    result.problems += [f"server error while writing: {e}" for e in editors.server_errors]
    result.problems += check_database(cluster.database_url, editors.acked, imports)
    node.start()
    node.wait_ready()
    engine = create_engine(cluster.database_url)
    backend = WhooshBackend(node.env["REGISTRY_INDEX"])
    try:
        result.drift_after_restart = services.check_index(engine, backend, repair=False).total
    finally:
        backend.close()
        engine.dispose()
    if result.drift_after_restart:
        result.problems.append(f"index differs from the database after restart: {result.drift_after_restart} docs")
    return result
