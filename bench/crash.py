"""Crash rounds: SIGKILL a serving node (gunicorn) and a running `registry import` at random moments
while editors write; after each kill the database is checked and the node restarted (its index must
equal the database). `make soak` runs 50 rounds; results go to docs/reliability.md ("Crash").

    .venv/bin/python bench/crash.py --rounds 50 [--database-url postgresql+psycopg://root@127.0.0.1:5432/test]

Without --database-url a scratch SQLite file is used. The baseline in the same run is the database
as loaded before the first round: every round must end with it plus every acknowledged write.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from tests.conftest import FIXTURE_CORPUS  # noqa: E402
from tests.serving.crashing import crash_round  # noqa: E402
from tests.serving.nodes import Cluster  # noqa: E402


def scratch_database(base: str | None, workdir: Path) -> tuple[str, callable]:
    if not base:
        return f"sqlite:///{workdir / 'crash.sqlite3'}", lambda: None
    schema = f"crash_{uuid.uuid4().hex[:10]}"
    with create_engine(base).begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"

    def drop() -> None:
        eng = create_engine(base)
        with eng.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        eng.dispose()

    return f"{base}{sep}options=-csearch_path%3D{schema}", drop


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--database-url", default=None, help="PostgreSQL base URL (a scratch schema is made)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workers", default="2")
    parser.add_argument(
        "--max-wait",
        type=float,
        default=20.0,
        help="kill at a random moment up to this many seconds in (some imports finish)",
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    workdir = Path(tempfile.mkdtemp(prefix="registry-crash-"))
    url, drop = scratch_database(args.database_url, workdir)
    cluster = Cluster(url, workdir, FIXTURE_CORPUS, settings={"WEB_WORKERS": args.workers}).prepare()
    node = cluster.add_node("crash").start()
    t0 = time.monotonic()
    failed = 0
    totals = {"acked_writes": 0, "acked_imports": 0, "unacked": 0}
    try:
        for i in range(args.rounds):
            r = crash_round(cluster, node, f"r{i}", rng, max_wait=args.max_wait)
            for k in totals:
                totals[k] += getattr(r, k)
            status = "ok" if not r.problems else "FAILED"
            failed += bool(r.problems)
            print(
                f"round {i + 1:>3}: killed after {r.killed_after:.2f}s, {r.acked_writes} writes and "
                f"{r.acked_imports} imported texts acknowledged, {r.unacked} in flight; {status}",
                flush=True,
            )
            for p in r.problems:
                print(f"    {p}", flush=True)
    finally:
        cluster.stop()
        drop()
        shutil.rmtree(workdir, ignore_errors=True)
    backend = "PostgreSQL" if args.database_url else "SQLite"
    print(
        f"\n{dt.date.today()} {backend}: {args.rounds} rounds, {failed} failed; {totals['acked_writes']} acknowledged "
        f"writes, {totals['acked_imports']} acknowledged imported texts, {totals['unacked']} writes in flight at a "
        f"kill; {time.monotonic() - t0:.0f}s"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
