"""Load: gunicorn nodes on one PostgreSQL behind nginx, serving the bundled corpus plus the real texts of
../shared/lawtexts (imported with `registry import`, as bench/import_bulk.py does).

    .venv/bin/python bench/load.py [--nodes 1,2,3] [--clients 32] [--duration 60] [--mixed-readers 30]
                                   [--editors 5] [--database-url postgresql+psycopg://root@127.0.0.1:5432/test]

Phases, each for --duration seconds, through nginx:
  read      --clients clients over search (page and API), rule pages, compare, matrix and the API;
  mixed     --mixed-readers readers while --editors editors add rules in their own province (API tokens);
            afterwards every node's index must equal the database and the audit log verify, with one
            audit row per acknowledged write;
  nodes     the read phase again with 1, 2, 3 nodes (the baseline is the 1-node run of the same build).
Reports errors (5xx and failed connections), 4xx, p50/p95/p99 and requests/s per phase.
Results go to docs/benchmarks.md and docs/reliability.md ("Load").
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client as httpclient
import json
import random
import shutil
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from app.registry import audit  # noqa: E402
from app.registry.models import AuditEntry, Rule  # noqa: E402
from app.search import services  # noqa: E402
from app.search.whoosh_backend import WhooshBackend  # noqa: E402
from bench.import_bulk import FOLDERS, write_manifest  # noqa: E402
from tests.serving.docs import rule_document  # noqa: E402
from tests.serving.nodes import Cluster, Nginx, http, run_registry  # noqa: E402

TERMS = [
    "数据",
    "公共数据",
    "个人信息",
    "环境保护",
    "大气污染",
    "化学需氧量",
    "排污许可",
    "节能",
    "金融",
    "应急",
    "水污染防治",
    "营商环境",
]
PROVINCES = ["CN-SH", "CN-JS", "CN-ZJ", "CN-AH", "CN-SH"]


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[k]


class Client(threading.Thread):
    """One reader (or editor) with a keep-alive connection; records (kind, status, seconds)."""

    def __init__(self, port: int, until: float, pick, rng: random.Random, token: str | None = None):
        super().__init__(daemon=True)
        self.port, self.until, self.pick, self.rng, self.token = port, until, pick, rng, token
        self.results: list[tuple[str, int, float]] = []
        self.body_errors: list[str] = []

    def run(self) -> None:
        conn = httpclient.HTTPConnection("127.0.0.1", self.port, timeout=60)
        while time.monotonic() < self.until:
            kind, method, path, body = self.pick(self.rng)
            headers = {"Content-Type": "application/json"} if body is not None else {}
            if self.token:
                headers["Authorization"] = f"Bearer {self.token}"
            t0 = time.perf_counter()
            try:
                conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
                resp = conn.getresponse()
                payload = resp.read()
                status = resp.status
            except (OSError, httpclient.HTTPException):
                status = 599
                conn.close()
                conn = httpclient.HTTPConnection("127.0.0.1", self.port, timeout=60)
                payload = b""
            self.results.append((kind, status, time.perf_counter() - t0))
            if status >= 500 or (kind == "write" and status != 201):
                self.body_errors.append(f"{kind} {path} {status} {payload[:300]!r}")
        conn.close()


def reader_mix(rule_ids: list[str], topics: list[str]):
    def pick(rng: random.Random):
        r = rng.random()
        term = urllib.parse.quote(rng.choice(TERMS))
        if r < 0.25:
            return "search page", "GET", f"/search?q={term}", None
        if r < 0.45:
            return "search api", "GET", f"/api/v1/search?q={term}", None
        if r < 0.65:
            return "rule page", "GET", f"/rules/{rng.choice(rule_ids)}", None
        if r < 0.75:
            a, b = rng.sample(rule_ids, 2)
            return "compare", "GET", f"/compare?a={urllib.parse.quote(a)}&b={urllib.parse.quote(b)}", None
        if r < 0.85:
            return "matrix", "GET", f"/matrix?topic={rng.choice(topics)}", None
        if r < 0.95:
            return "rules api", "GET", f"/api/v1/rules/{rng.choice(rule_ids)}", None
        return "rules list api", "GET", f"/api/v1/rules?page={rng.randint(1, 20)}", None

    return pick


def editor_mix(code: str, tag: str):
    counter = iter(range(1, 10**9))

    def pick(_rng: random.Random):
        n = next(counter)
        slug = f"load-{tag}-{n}"
        return "write", "POST", "/api/v1/rules", {"document": rule_document(code, n, marker=f"（{tag}）"), "slug": slug}

    return pick


def run_phase(port: int, duration: float, readers: int, pick, editors: list[tuple[str, object]] = ()) -> dict:
    until = time.monotonic() + duration
    clients = [Client(port, until, pick, random.Random(i)) for i in range(readers)]
    clients += [Client(port, until, p, random.Random(1000 + i), token=tok) for i, (tok, p) in enumerate(editors)]
    t0 = time.monotonic()
    for c in clients:
        c.start()
    for c in clients:
        c.join()
    elapsed = time.monotonic() - t0
    results = [r for c in clients for r in c.results]
    reads = [r for r in results if r[0] != "write"]
    writes = [r for r in results if r[0] == "write"]
    lat = [r[2] for r in reads]
    by_kind: dict[str, list[float]] = {}
    for kind, _s, t in reads:
        by_kind.setdefault(kind, []).append(t)
    return {
        "seconds": round(elapsed, 1),
        "requests": len(reads),
        "rps": round(len(reads) / elapsed, 1),
        "server_errors": sum(1 for r in results if r[1] >= 500),
        "client_errors": sum(1 for r in reads if 400 <= r[1] < 500),
        "p50_ms": round(1000 * pct(lat, 50)),
        "p95_ms": round(1000 * pct(lat, 95)),
        "p99_ms": round(1000 * pct(lat, 99)),
        "by_kind_p95_ms": {k: (len(v), round(1000 * pct(v, 95))) for k, v in sorted(by_kind.items())},
        "writes_ok": sum(1 for r in writes if r[1] == 201),
        "writes_failed": Counter(r[1] for r in writes if r[1] != 201),
        "write_p95_ms": round(1000 * pct([r[2] for r in writes], 95)) if writes else None,
        "errors_sample": [e for c in clients for e in c.body_errors][:5],
    }


def scratch_corpus(corpus: Path) -> None:
    """The bundled corpus plus the codes the lawtexts folders need (as bench/import_bulk.py)."""
    shutil.copytree(ROOT / "rules_corpus", corpus)
    jur = corpus / "jurisdictions.yaml"
    extra = "".join(
        f"- code: {code}\n  name_zh: {name}\n  level: province\n  parent: CN\n"
        for code, name in FOLDERS.values()
        if name
    )
    jur.write_text(jur.read_text(encoding="utf-8") + extra, encoding="utf-8")
    topics = corpus / "topics.yaml"
    topics.write_text(
        topics.read_text(encoding="utf-8") + "- code: other\n  name_zh: 其他\n  name_en: Other\n", encoding="utf-8"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgresql+psycopg://root@127.0.0.1:5432/test")
    parser.add_argument("--lawtexts", type=Path, default=ROOT.parent / "shared" / "lawtexts")
    parser.add_argument("--nodes", default="1,2,3")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--mixed-readers", type=int, default=30)
    parser.add_argument("--editors", type=int, default=5)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--workers", default="2", help="WEB_WORKERS per node")
    parser.add_argument("--threads", default="4", help="WEB_THREADS per node")
    parser.add_argument("--skip", default="", help="phases to skip: read,mixed,nodes")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    node_counts = [int(n) for n in args.nodes.split(",")]

    work = Path(tempfile.mkdtemp(prefix="registry-load-"))
    schema = f"load_{uuid.uuid4().hex[:10]}"
    admin = create_engine(args.database_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in args.database_url else "?"
    url = f"{args.database_url}{sep}options=-csearch_path%3D{schema}"
    corpus = work / "corpus"
    scratch_corpus(corpus)
    cluster = Cluster(url, work, corpus, settings={"WEB_WORKERS": args.workers, "WEB_THREADS": args.threads})
    report: dict = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="minutes"),
        "args": vars(args) | {"lawtexts": str(args.lawtexts)},
    }
    try:
        t0 = time.monotonic()
        cluster.prepare(provinces=("CN-SH", "CN-JS", "CN-ZJ", "CN-AH"))
        report["load_bundled_s"] = round(time.monotonic() - t0, 1)
        if args.lawtexts.is_dir():
            manifest = work / "manifest.csv"
            write_manifest(args.lawtexts, manifest)
            t0 = time.monotonic()
            imp = run_registry(
                cluster.env(), "import", str(args.lawtexts), "--manifest", str(manifest), "--corpus", str(corpus),
                "--no-index", "--json",
            )  # fmt: skip
            doc = json.loads(imp.stdout)
            report["import"] = {
                "seconds": round(time.monotonic() - t0, 1),
                "imported": len(doc["imported"]),
                "refused": len(doc["refused"]),
                "articles": sum(i["articles"] for i in doc["imported"]),
            }
            print("import:", report["import"], flush=True)
        engine = create_engine(url)
        with Session(engine) as s:
            rule_ids = list(s.scalars(select(Rule.id).order_by(Rule.id)))
        report["rules"] = len(rule_ids)

        def start_nodes(n: int) -> None:
            while len([x for x in cluster.nodes if x.proc and x.proc.poll() is None]) < n:
                node = cluster.add_node(f"node{len(cluster.nodes) + 1}")
                t = time.monotonic()
                node.start().wait_ready(timeout=1800)
                report.setdefault("node_start_s", []).append(round(time.monotonic() - t, 1))
                print(f"node {node.port} ready in {report['node_start_s'][-1]} s", flush=True)
            if cluster.nginx is not None:
                cluster.nginx.stop()
            cluster.nginx = Nginx([x.port for x in cluster.nodes]).start()

        topics = ["environment", "data", "energy", "finance"]
        pick = reader_mix(rule_ids, topics)
        start_nodes(node_counts[0])
        # warm-up: each worker opens its searcher and pools
        run_phase(cluster.nginx.port, 10, 8, pick)
        if "read" not in skip:
            report["read"] = run_phase(cluster.nginx.port, args.duration, args.clients, pick)
            print("read:", report["read"], flush=True)
        if "mixed" not in skip:
            with Session(engine) as s:
                audit_before = s.scalar(select(func.count()).select_from(AuditEntry))
            editors = [
                (cluster.tokens[PROVINCES[i % len(PROVINCES)]], editor_mix(PROVINCES[i % len(PROVINCES)], f"e{i}"))
                for i in range(args.editors)
            ]
            mixed = run_phase(cluster.nginx.port, args.duration, args.mixed_readers, pick, editors)
            deadline = time.monotonic() + 120
            for node in cluster.nodes:
                while time.monotonic() < deadline:
                    status, body = http("GET", f"{node.url}/readyz")
                    if status == 200 and body["checks"]["search_index"]["pending"] == 0:
                        break
                    time.sleep(0.5)
            with Session(engine) as s:
                rows, problems = audit.verify(s)
                written = s.scalar(select(func.count()).select_from(Rule).where(Rule.id.like("%/load-e%")))
                audited = s.scalar(
                    select(func.count()).select_from(AuditEntry).where(AuditEntry.target.like("%/load-e%"))
                )
            drift = []
            for node in cluster.nodes:
                backend = WhooshBackend(node.env["REGISTRY_INDEX"])
                drift.append(services.check_index(engine, backend, repair=False).total)
                backend.close()
            lock_lines = sum(
                node.log_text().lower().count(w)
                for node in cluster.nodes
                for w in ("database is locked", "is locked by another", "deadlock")
            )
            deferred = sum(node.log_text().count("search index not updated after a write") for node in cluster.nodes)
            mixed["after"] = {
                "audit_rows_added": rows - audit_before,
                "audit_chain_problems": len(problems),
                "rules_written": written,
                "audit_rows_for_them": audited,
                "index_drift_per_node": drift,
                "lock_errors_in_logs": lock_lines,
                "writes_indexed_later": deferred,
            }
            report["mixed"] = mixed
            print("mixed:", mixed, flush=True)
        if "nodes" not in skip:
            report["nodes"] = {}
            for n in node_counts:
                start_nodes(n)
                run_phase(cluster.nginx.port, 5, 8, pick)
                r = run_phase(cluster.nginx.port, args.duration, args.clients, pick)
                report["nodes"][n] = {
                    k: r[k] for k in ("requests", "rps", "p50_ms", "p95_ms", "p99_ms", "server_errors")
                }
                print(f"{n} node(s):", report["nodes"][n], flush=True)
                if r["server_errors"]:  # what the nodes said, before their folder goes
                    report["nodes"][n]["errors_sample"] = r["errors_sample"]
                    for node in cluster.nodes:
                        print(f"--- {node.log} (last lines)", *node.log_text().splitlines()[-25:], sep="\n", flush=True)
        engine.dispose()
    finally:
        cluster.stop()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
        shutil.rmtree(work, ignore_errors=True)
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "load.json").write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=2, default=str))
    bad = report.get("mixed", {}).get("server_errors", 0) or any(
        report.get("mixed", {}).get("after", {}).get("index_drift_per_node", [])
    )
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
