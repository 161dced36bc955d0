"""Benchmark: the topic matrix (4 jurisdictions x 200 parameters) and a scoreboard of 100 hard
rules over seeded 10-year histories, one-pass vs. naive.

    .venv/bin/python bench/harmonization.py [--seed 7] [--repeat 3]

Two comparisons:
1. SQL (app/registry/models.py in an in-memory SQLite): "one SQL query per cell" (versions in
   force on D for (key, scope), then the jurisdiction filter and strictest pick in Python) against
   "one query for every parameter value, then the one-pass functions of app.harmonization".
2. Pure Python: ``matrix_naive`` / ``statuses_naive`` (every cell scans every record) against
   ``matrix`` / ``scoreboard`` (records grouped once by (key, scope)).
Both pairs must give identical answers; the script asserts it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import pathlib
import random
import statistics
import sys
import time
from collections import defaultdict

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from sqlalchemy import and_, create_engine, exists, insert, or_, select
from sqlalchemy.orm import Session, aliased

from app.corpus.jurisdictions import PROVINCES
from app.corpus.structure import article_id
from app.harmonization import (
    HardRuleDef,
    ParameterDef,
    ValueRecord,
    matrix,
    scoreboard,
    strictness,
)
from app.harmonization.coverage import Coverage
from app.harmonization.matrix import _row, column_coverage
from app.harmonization.scoreboard import year_before
from app.harmonization.values import choose_binding
from tests.harmonization_reference import matrix_naive, statuses_naive

TOPIC = "environment"
AS_OF = dt.date(2025, 6, 30)
N_PARAMS = 200
N_HARD_RULES = 100


def synthesize(seed: int):
    """Seeded parameters, rule histories 2015-2025 and hard rules."""
    rnd = random.Random(seed)
    params = []
    for i in range(N_PARAMS):
        stricter = rnd.choice(["lower", "lower", "higher", "equal", "true"])
        params.append(
            ParameterDef(f"p.{i:03d}", f"参数{i}", f"param {i}", TOPIC, "" if stricter == "true" else "mg/L", stricter)
        )
    records: list[ValueRecord] = []
    issuers = [*PROVINCES, "CN", "YRD-DZ"]
    for p in params:
        scopes = [None, "A级"] if rnd.random() < 0.2 else [None]
        for issuer in issuers:
            if issuer in ("CN", "YRD-DZ") and rnd.random() < 0.5:
                continue
            binds = ["CN"] if issuer == "CN" else (rnd.sample(PROVINCES[:3], 3) if issuer == "YRD-DZ" else [issuer])
            rule_id = f"{issuer.lower()}/{TOPIC}/{p.key}"
            n_versions = rnd.randint(1, 4)
            starts = sorted({dt.date(2015, 1, 1) + dt.timedelta(days=rnd.randint(0, 3650)) for _ in range(n_versions)})
            repealed = starts[-1] + dt.timedelta(days=rnd.randint(200, 1500)) if rnd.random() < 0.15 else None
            for n, start in enumerate(starts):
                end = starts[n + 1] if n + 1 < len(starts) else repealed
                for scope in scopes:
                    value = (
                        rnd.choice([True, False]) if p.stricter == "true" else float(rnd.choice([10, 20, 30, 40, 50]))
                    )
                    records.append(
                        ValueRecord(
                            p.key,
                            scope,
                            value,
                            issuer,
                            binds,
                            rule_id,
                            f"{rule_id}@{start}",
                            article_id(rule_id, str(rnd.randint(1, 20))),
                            start,
                            end,
                        )
                    )
    hard_rules = []
    for i in range(N_HARD_RULES):
        p = rnd.choice(params)
        target = True if p.stricter == "true" else float(rnd.choice([20, 30, 40]))
        hard_rules.append(
            HardRuleDef(
                f"hr-{i:03d}",
                f"硬规则{i}",
                p.key,
                None,
                target,
                rnd.sample(PROVINCES, rnd.randint(2, 4)),
                "YRD-DZ",
                "统一",
                dt.date(2020, 1, 1) + dt.timedelta(days=rnd.randint(0, 2500)),
                "https://e.org",
            )
        )
    return params, records, hard_rules


def timed(fn, repeat):
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


# ------------------------------------------------------------------------------------ SQLite


def build_database(params, records, hard_rules):
    from app.registry import models as m

    engine = create_engine("sqlite://")
    m.Base.metadata.create_all(engine)
    now = dt.datetime(2025, 1, 1)
    rules, versions, values = {}, {}, []
    for r in records:
        rules[r.rule_id] = {"id": r.rule_id, "jurisdiction": r.jurisdiction_of_rule, "topic": TOPIC}
        versions.setdefault(
            r.version,
            {
                "id": r.version,
                "rule_id": r.rule_id,
                "start": r.valid_from,
                "title": r.rule_id,
                "jurisdiction": r.jurisdiction_of_rule,
                "topic": TOPIC,
                "kind": "local_standard",
                "effective": r.valid_from,
                "repealed": None,
                "applies_to": list(r.binds),
                "source_url": "https://e.org",
                "body": "",
                "preamble": "",
                "content_hash": "0" * 64,
                "created_at": now,
                "_end": r.valid_to,
            },
        )
    # the version's end is the next version's start, except the last one, which ends at its repeal date
    by_rule = defaultdict(list)
    for v in versions.values():
        by_rule[v["rule_id"]].append(v)
    for vs in by_rule.values():
        vs.sort(key=lambda v: v["start"])
        vs[-1]["repealed"] = vs[-1]["_end"]
    for seq, r in enumerate(records):
        values.append(
            {
                "version_id": r.version,
                "seq": seq,
                "key": r.key,
                "scope": r.scope,
                "num_value": None if isinstance(r.value, bool) else r.value,
                "bool_value": r.value if isinstance(r.value, bool) else None,
                "stated_value": str(r.value),
                "stated_unit": None,
                "article": r.article_id.split("#art-")[1],
            }
        )
    with Session(engine) as s:
        s.execute(
            insert(m.Parameter),
            [
                {
                    "key": p.key,
                    "label_zh": p.label_zh,
                    "label_en": p.label_en,
                    "topic": p.topic,
                    "unit": p.unit,
                    "stricter": p.stricter,
                }
                for p in params
            ],
        )
        s.execute(insert(m.Rule), list(rules.values()))
        s.execute(insert(m.RuleVersion), [{k: v for k, v in d.items() if k != "_end"} for d in versions.values()])
        s.execute(insert(m.ParameterValue), values)
        s.commit()
    return engine


def _record_from_row(row, valid_to):
    pv, rv = row
    binds = list(rv.applies_to) if rv.applies_to else [rv.jurisdiction]
    return ValueRecord(
        pv.key,
        pv.scope,
        pv.value,
        rv.jurisdiction,
        binds,
        rv.rule_id,
        rv.id,
        article_id(rv.rule_id, pv.article),
        rv.start,
        valid_to,
    )


def load_all_records(session):
    """The fast path's single query: every parameter value with its version; validity in Python."""
    from app.registry import models as m

    rows = session.execute(
        select(m.ParameterValue, m.RuleVersion).join(m.RuleVersion, m.RuleVersion.id == m.ParameterValue.version_id)
    ).all()
    starts = defaultdict(list)
    for _, rv in rows:
        starts[rv.rule_id].append(rv.start)
    nexts = {}
    for rule_id, ss in starts.items():
        ss = sorted(set(ss))
        for a, b in zip(ss, [*ss[1:], None], strict=True):
            nexts[(rule_id, a)] = b
    out = []
    for row in rows:
        rv = row[1]
        nxt = nexts[(rv.rule_id, rv.start)]
        out.append(_record_from_row(row, nxt if nxt is not None else rv.repealed))
    return out


def cell_query(session, key, scope, on):
    """The naive path: one SQL query per cell — values of (key, scope) in versions in force on D."""
    from app.registry import models as m

    later = aliased(m.RuleVersion)
    newer_in_force = exists().where(
        and_(later.rule_id == m.RuleVersion.rule_id, later.start > m.RuleVersion.start, later.start <= on)
    )
    q = (
        select(m.ParameterValue, m.RuleVersion)
        .join(m.RuleVersion, m.RuleVersion.id == m.ParameterValue.version_id)
        .where(
            m.ParameterValue.key == key,
            m.ParameterValue.scope.is_(None) if scope is None else m.ParameterValue.scope == scope,
            m.RuleVersion.start <= on,
            or_(m.RuleVersion.repealed.is_(None), m.RuleVersion.repealed > on),
            ~newer_in_force,
        )
    )
    return [_record_from_row(row, None) for row in session.execute(q).all()]


def sql_naive_matrix(session, params, hard_rules, cols, on):
    from app.registry import models as m

    rows = []
    targeted = {(h.parameter, h.scope) for h in hard_rules}
    for p in params:
        if p.topic != TOPIC:
            continue
        scopes = session.execute(
            select(m.ParameterValue.scope).where(m.ParameterValue.key == p.key).distinct()
        ).scalars()
        kept = []
        for scope in sorted(
            set(scopes) | {s for k, s in targeted if k == p.key}, key=lambda s: (s is not None, s or "")
        ):
            cells = {}
            for j in cols:
                cand = [r for r in cell_query(session, p.key, scope, on) if r.binds_jurisdiction(j)]
                cells[j] = choose_binding(cand, j, p.stricter)
            if any(cells.values()) or (p.key, scope) in targeted:
                kept.append((scope, cells))
        if not kept:
            kept = [(None, dict.fromkeys(cols))]
        rows.extend(
            _row(p, scope, cells, cols, [h for h in hard_rules if h.row == (p.key, scope)]) for scope, cells in kept
        )
    return {
        "topic": TOPIC,
        "as_of": on.isoformat(),
        "jurisdictions": cols,
        "rows": rows,
        "coverage": column_coverage(Coverage(), TOPIC, cols, on),  # synthetic data: no official text
    }


def sql_naive_scoreboard(session, params, hard_rules, on):
    pmap = {p.key: p for p in params}
    counts = {}
    for d in (on, year_before(on)):
        for hr in hard_rules:
            stricter = pmap[hr.parameter].stricter
            for j in hr.jurisdictions:
                cand = [r for r in cell_query(session, hr.parameter, hr.scope, d) if r.binds_jurisdiction(j)]
                b = choose_binding(cand, j, stricter)
                st = strictness.alignment(b.value if b else None, hr.target, stricter)
                app_, al = counts.get((d, j), (0, 0))
                counts[(d, j)] = (app_ + 1, al + (st == strictness.ALIGNED))
    return {j: (a, al) for (d, j), (a, al) in counts.items() if d == on}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    params, records, hard_rules = synthesize(args.seed)
    print(
        f"synthetic data: {len(params)} parameters, {len(records)} value records "
        f"({len({r.version for r in records})} versions), {len(hard_rules)} hard rules; as_of {AS_OF}"
    )

    # pure Python
    t_fast, fast_m = timed(
        lambda: matrix(TOPIC, params, records, hard_rules, jurisdictions=PROVINCES, as_of=AS_OF), args.repeat
    )
    t_naive, naive_m = timed(
        lambda: matrix_naive(TOPIC, params, records, hard_rules, jurisdictions=PROVINCES, as_of=AS_OF), 1
    )
    assert fast_m == naive_m, "one-pass and per-cell matrices differ"
    t_sb, board = timed(lambda: scoreboard(hard_rules, params, records, AS_OF), args.repeat)
    pmap = {p.key: p for p in params}

    def naive_board():
        out = {}
        for d in (AS_OF, year_before(AS_OF)):
            for hr in hard_rules:
                for j, st in statuses_naive(hr, pmap[hr.parameter].stricter, records, d).items():
                    a, al = out.get((d, j), (0, 0))
                    out[(d, j)] = (a + 1, al + (st == strictness.ALIGNED))
        return {j: v for (d, j), v in out.items() if d == AS_OF}

    t_sb_naive, nb = timed(naive_board, 1)
    assert {j: (v["applicable"], v["aligned"]) for j, v in board["jurisdictions"].items()} == nb
    print("\npure Python (records in memory)")
    print(
        f"  matrix 4 x {N_PARAMS}:      one-pass {t_fast * 1000:8.1f} ms   per-cell scan {t_naive * 1000:8.1f} ms"
        f"   ratio {t_naive / t_fast:6.1f}x"
    )
    print(
        f"  scoreboard {N_HARD_RULES} rules: one-pass {t_sb * 1000:8.1f} ms   per-cell scan {t_sb_naive * 1000:8.1f} ms"
        f"   ratio {t_sb_naive / t_sb:6.1f}x"
    )

    # SQLite through the registry models
    try:
        engine = build_database(params, records, hard_rules)
    except ImportError as exc:  # pragma: no cover - models not there yet
        print(f"\nSQLite comparison skipped: {exc}")
        return
    with Session(engine) as s:

        def fast_sql_matrix():
            return matrix(TOPIC, params, load_all_records(s), hard_rules, jurisdictions=PROVINCES, as_of=AS_OF)

        def fast_sql_board():
            return scoreboard(hard_rules, params, load_all_records(s), AS_OF)

        t1, m1 = timed(fast_sql_matrix, args.repeat)
        t2, m2 = timed(lambda: sql_naive_matrix(s, params, hard_rules, PROVINCES, AS_OF), 1)
        assert m1 == m2 == fast_m, "SQL one-pass and SQL per-cell matrices differ"
        t3, b1 = timed(fast_sql_board, args.repeat)
        t4, b2 = timed(lambda: sql_naive_scoreboard(s, params, hard_rules, AS_OF), 1)
        assert {j: (v["applicable"], v["aligned"]) for j, v in b1["jurisdictions"].items()} == b2
        assert b1 == board
    n_cells = sum(len(r["values"]) for r in fast_m["rows"])
    print(f"\nin-memory SQLite via app/registry/models.py ({n_cells} matrix cells)")
    print(
        f"  matrix 4 x {N_PARAMS}:      1 query + one-pass {t1 * 1000:8.1f} ms   1 query per cell {t2 * 1000:8.1f} ms"
        f"   ratio {t2 / t1:6.1f}x"
    )
    print(
        f"  scoreboard {N_HARD_RULES} rules: 1 query + one-pass {t3 * 1000:8.1f} ms   1 query per cell {t4 * 1000:8.1f} ms"
        f"   ratio {t4 / t3:6.1f}x"
    )
    print("\nall four computations agree.")


if __name__ == "__main__":
    main()
