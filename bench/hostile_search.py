#!/usr/bin/env python3
"""Hostile search benchmark: normal-query latency alone, then while hostile clients hammer the search API.

Not a test. Loads the bundled corpus (rules_corpus/) into a scratch SQLite database and index, serves
the registry with ``registry serve`` on a free loopback port (a subprocess, so the clients' work does
not share its interpreter), then:

1. each hostile request of tests/fuzz/hostile_queries.py once: status and latency (max vs SEARCH_TIME_LIMIT);
2. baseline: one client sends ``--requests`` normal queries in turn, p50/p95/max;
3. the same normal client while ``--hostile`` client processes send hostile requests in a loop;
   goal: normal p95 under load within 2x the baseline p95;
4. control: the same number of load clients sending ordinary queries (what any load costs on this machine).

Everything is bounded (request counts, a 30 s timeout per request) and stops by itself; the server
and the client processes are ended by their own ids.

    .venv/bin/python bench/hostile_search.py                 # 300 normal requests, 2 load clients
    .venv/bin/python bench/hostile_search.py --requests 1000 --hostile 8
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fuzz.hostile_queries import HOSTILE, NORMAL  # noqa: E402

REGISTRY = ROOT / ".venv" / "bin" / "registry"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(base: str, params: dict) -> tuple[int, float]:
    url = f"{base}/api/v1/search?{urllib.parse.urlencode(params, doseq=True)}"
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as err:
        err.read()
        status = err.code
    return status, time.perf_counter() - t0


def _pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(p / 100 * (len(s) - 1)))]


def _load_client(base: str, stop, counts, hostile: bool) -> None:  # type: ignore[no-untyped-def]
    n = 0
    while not stop.is_set():
        params = HOSTILE[n % len(HOSTILE)][1] if hostile else NORMAL[n % len(NORMAL)]
        status, _ = _get(base, params)
        with counts.get_lock():
            counts[0] += 1
            if status >= 500:
                counts[1] += 1
        n += 1


def _normal_run(base: str, requests: int) -> tuple[list[float], int]:
    times, errors = [], 0
    for i in range(requests):
        status, elapsed = _get(base, NORMAL[i % len(NORMAL)])
        times.append(elapsed)
        errors += status != 200
    return times, errors


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--requests", type=int, default=300, help="normal requests per phase")
    ap.add_argument("--hostile", type=int, default=2, help="load client processes in phases 3 and 4")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="hostile-search-"))
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{work / 'registry.sqlite3'}",
        "REGISTRY_INDEX": str(work / "index"),
        "REGISTRY_CORPUS": str(ROOT / "rules_corpus"),
        "SECRET_KEY": "bench",
    }
    server = subprocess.Popen(
        [str(REGISTRY), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"{base}/api/v1/stats", timeout=2).read()
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise SystemExit("the server did not start within 300 s")
        for params in NORMAL:  # warm the index and caches
            _get(base, params)

        print(f"# hostile search, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores")
        print(f"\n## 1. {len(HOSTILE)} hostile requests, once each")
        by_status: dict[int, int] = {}
        slowest = []
        for name, params in HOSTILE:
            status, elapsed = _get(base, params)
            by_status[status] = by_status.get(status, 0) + 1
            slowest.append((elapsed, name, status))
        slowest.sort(reverse=True)
        print(f"statuses: {json.dumps(by_status, sort_keys=True)}")
        print("slowest: " + ", ".join(f"{n} {s} {t * 1000:.0f} ms" for t, n, s in slowest[:5]))
        hostile_max = slowest[0][0]

        print(f"\n## 2. baseline: {args.requests} normal requests, one client")
        alone, err_alone = _normal_run(base, args.requests)
        p50a, p95a = statistics.median(alone), _pct(alone, 95)
        print(f"p50 {p50a * 1000:.1f} ms, p95 {p95a * 1000:.1f} ms, max {max(alone) * 1000:.1f} ms, errors {err_alone}")

        results = {}
        for phase, hostile in ((3, True), (4, False)):
            kind = "hostile" if hostile else "normal (control: the same load made of ordinary queries)"
            print(f"\n## {phase}. the same while {args.hostile} {kind} clients run")
            ctx = mp.get_context("spawn")
            stop = ctx.Event()
            counts = ctx.Array("l", [0, 0])
            clients = [
                ctx.Process(target=_load_client, args=(base, stop, counts, hostile)) for _ in range(args.hostile)
            ]
            for c in clients:
                c.start()
            time.sleep(1.0)
            t0 = time.perf_counter()
            loaded, err_loaded = _normal_run(base, args.requests)
            duration = time.perf_counter() - t0
            stop.set()
            for c in clients:
                c.join(60)
                if c.is_alive():
                    c.terminate()
            p50l, p95l = statistics.median(loaded), _pct(loaded, 95)
            print(
                f"p50 {p50l * 1000:.1f} ms, p95 {p95l * 1000:.1f} ms, max {max(loaded) * 1000:.1f} ms, "
                f"errors {err_loaded}"
            )
            print(f"load requests meanwhile: {counts[0]} ({counts[0] / duration:.0f}/s), 5xx: {counts[1]}")
            results[hostile] = p95l
        ratio = results[True] / p95a
        print(
            f"\nnormal p95 under hostile load / alone: {ratio:.2f}x (goal <= 2x: {'met' if ratio <= 2 else 'NOT met'})"
        )
        print(
            f"normal p95 under hostile load / under the same number of normal clients: {results[True] / results[False]:.2f}x"
        )
        print(f"slowest hostile request alone: {hostile_max * 1000:.0f} ms (SEARCH_TIME_LIMIT 2.0 s)")
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
