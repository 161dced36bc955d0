#!/usr/bin/env python3
"""Search benchmark: the registry's search backends side by side against the fixed FTS5 baseline.

Not a test. Builds the Whoosh index and the PostgreSQL search tables with
``app.search`` from one corpus, writes the same articles (normalised, without
titles) and queries for ``../shared/bench/fts5_baseline.py`` (see its README),
runs all of them in this run (each backend's queries in a fresh worker process),
checks that every backend's totals and facet counts agree with FTS5's query by
query, and prints build time (and its ratio to FTS5's), index size, per-worker
memory, p50/p95 per class, each backend's ratio to FTS5 per class and their
geometric mean, and how soon a write is visible to a search.

    .venv/bin/python bench/search.py --corpus synthetic --size 10000
    .venv/bin/python bench/search.py --corpus synthetic --size 100000
    .venv/bin/python bench/search.py --corpus real            # ../shared/lawtexts, read at run time
    .venv/bin/python bench/search.py --size 500000 --backends postgres --repeat 3   # PostgreSQL at scale

``--backends`` picks the engines (default ``whoosh,postgres``); the PostgreSQL
tables go to a schema ``bench_<corpus>`` of ``--pg-url`` (``BENCH_DATABASE_URL``,
default the local test server), dropped at the end of the run unless ``--keep``.

The real texts are read with ``app.corpus.officialtext.read_official_text``
(whose ``body`` is ``app.corpus.structure.parse_body`` of the corpus-format
body). The loader is pluggable: ``--loader module:function`` names a function
``(root: Path) -> Iterable[list[ArticleDoc]]`` (one list per rule), e.g. one
that runs ``registry import`` into a scratch database and reads the docs back
through the registry. Outputs go to ``bench/out/`` (gitignored; never commit the texts).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import math
import os
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.corpus.structure import article_id  # noqa: E402
from app.exceptions import QueryError  # noqa: E402
from app.search import ArticleDoc, Searcher, SearchIndex, SearchRequest  # noqa: E402
from app.search.analyzer import normalize  # noqa: E402

SHARED = ROOT.parent / "shared"
BASELINE = SHARED / "bench" / "fts5_baseline.py"
AS_OF = dt.date(2026, 1, 1)

# -- synthetic corpus ---------------------------------------------------------------------------------

JURISDICTIONS = ["CN-SH", "CN-JS", "CN-ZJ", "CN-AH", "CN-BJ", "CN-GD", "CN-SD", "CN-HB"]
TOPICS = ["environment", "data", "finance", "energy", "market"]
CN_NUM = "一二三四五六七八九十"
SUBJECTS = [
    "排放污染物的企业事业单位",
    "数据处理者",
    "金融机构",
    "重点用能单位",
    "经营者",
    "个人信息处理者",
    "县级以上人民政府",
    "生态环境主管部门",
    "市场监督管理部门",
    "地方金融组织",
    "网络运营者",
    "建设单位",
]
DEPTS = [
    "生态环境主管部门",
    "市场监督管理部门",
    "网信部门",
    "地方金融监督管理部门",
    "节能主管部门",
    "县级以上人民政府",
    "发展改革部门",
    "公安机关",
]
OBLIGATIONS = [
    "建立健全内部管理制度",
    "按照国家有关规定报送统计数据",
    "履行数据安全保护义务",
    "采取措施防止污染物排放超过标准",
    "开展数据出境安全评估",
    "定期公开能耗数据",
    "遵守审慎经营规则",
    "配合监督检查",
    "依法取得排污许可证",
    "落实安全生产责任制",
    "保护个人信息权益",
    "制定突发环境事件应急预案",
]
POLLUTANTS = ["化学需氧量", "氨氮", "总磷", "二氧化硫", "氮氧化物", "颗粒物", "挥发性有机物"]
UNITS = ["毫克/升", "毫克/立方米", "吨标准煤", "千瓦时", "万元", "分贝", "个工作日"]
TERMS = ["重点排污单位", "公共数据", "地方金融组织", "能耗强度", "数据出境", "个人信息", "污染物排放总量"]
TOPIC_WORDS = {
    "environment": ["大气污染防治", "污染物排放", "排污许可", "环境影响评价", "生态保护红线", "水污染防治"],
    "data": ["数据安全", "公共数据", "数据出境安全评估", "个人信息保护", "数据交易", "算法推荐"],
    "finance": ["金融机构", "小额贷款", "融资担保", "非法集资", "审慎经营", "金融风险"],
    "energy": ["能耗", "节约能源", "能源消费总量", "可再生能源", "碳排放", "用能权交易"],
    "market": ["市场主体", "公平竞争", "反垄断", "消费者权益", "产品质量", "标准化"],
}


def _num(rng: random.Random) -> str:
    n = rng.choice([rng.randint(1, 500), rng.randint(1, 50), round(rng.uniform(0.1, 20), 1)])
    s = str(n)
    return s.translate(str.maketrans("0123456789.", "０１２３４５６７８９．")) if rng.random() < 0.1 else s


def _sentence(rng: random.Random, topic: str) -> str:
    k = rng.randrange(7)
    tw = rng.choice(TOPIC_WORDS[topic])
    if k == 0:
        return f"{rng.choice(SUBJECTS)}应当{rng.choice(OBLIGATIONS)}。"
    if k == 1:
        return f"{rng.choice(POLLUTANTS)}排放浓度不得超过{_num(rng)}{rng.choice(UNITS)}。"
    if k == 2:
        a = rng.randint(1, 20)
        return (
            f"违反本条例第{rng.choice(CN_NUM)}十{rng.choice(CN_NUM)}条规定的，由{rng.choice(DEPTS)}责令改正，"
            f"处{a}万元以上{a * rng.randint(2, 10)}万元以下罚款。"
        )
    if k == 3:
        return f"本条例所称{rng.choice(TERMS)}，是指{rng.choice(SUBJECTS)}在{tw}活动中形成的{rng.choice(TERMS)}。"
    if k == 4:
        return f"{rng.choice(DEPTS)}负责本行政区域内{tw}的监督管理工作。"
    if k == 5:
        return f"{rng.choice(SUBJECTS)}开展{tw}活动，应当{rng.choice(OBLIGATIONS)}，并在{_num(rng)}个工作日内报告。"
    return f"鼓励{rng.choice(SUBJECTS)}参与长三角区域{tw}合作，推动{rng.choice(TOPIC_WORDS[topic])}标准统一。"


def synthetic_rules(size: int, seed: int = 20261122) -> Iterator[list[ArticleDoc]]:
    """Seeded rules of 20-80 articles (150-400 characters each) until ``size`` articles."""
    rng = random.Random(seed)
    made = 0
    r = 0
    while made < size:
        r += 1
        j = rng.choices(JURISDICTIONS, weights=[4, 4, 4, 3, 2, 2, 2, 1])[0]
        topic = rng.choice(TOPICS)
        n = min(rng.randint(20, 80), size - made)
        year = rng.randint(2005, 2025)
        start = dt.date(year, rng.randint(1, 12), 1)
        rule_id = f"{j.lower()}/{topic}/r{r:05d}"
        title = f"{j}{rng.choice(TOPIC_WORDS[topic])}条例{r}"
        common = dict(
            title=title,
            title_en=f"Regulation {r}",
            doc_number=f"第{r}号",
            jurisdiction=j,
            topic=topic,
            kind=rng.choice(["regulation", "rule"]),
            year=year,
            valid_from=start,
            valid_to=None,
        )
        docs = [ArticleDoc(rule_id, start.isoformat(), None, "", "", **common)]
        for a in range(1, n + 1):
            target = rng.randint(150, 400)
            parts: list[str] = []
            while sum(map(len, parts)) < target:
                parts.append(_sentence(rng, topic))
            text = "".join(parts)[:target]
            docs.append(ArticleDoc(rule_id, start.isoformat(), article_id(rule_id, str(a)), f"第{a}条", text, **common))
        made += n
        yield docs


# -- real texts -------------------------------------------------------------------------------------

FOLDERS = {
    "shanghai": "CN-SH",
    "zhejiang": "CN-ZJ",
    "beijing": "CN-BJ",
    "shandong": "CN-SD",
    "henan": "CN-HA",
    "guangdong": "CN-GD",
    "chongqing": "CN-CQ",
}
REAL_TOPICS = [
    ("environment", "污染|环境|生态|水|大气|森林|野生|湿地|海洋"),
    ("data", "数据|信息|数字|网络|电子"),
    ("finance", "金融|贷款|融资|资金|税"),
    ("energy", "能源|节约|电力|节能|煤"),
    ("market", "市场|消费|产品|质量|价格|企业|营商"),
]
_DATE_RE = re.compile(r"\((\d{4})-(\d{2})-(\d{2})\)$")


def _real_topic(title: str) -> str:
    for topic, pattern in REAL_TOPICS:
        if re.search(pattern, title):
            return topic
    return "other"


def load_lawtexts(root: Path) -> Iterator[list[ArticleDoc]]:
    """Every file under ``root`` as one rule with one version in force (so both engines see every article)."""
    from app.corpus.officialtext import read_official_text

    for folder, j in FOLDERS.items():
        for path in sorted((root / folder).glob("*.md")):
            try:
                official = read_official_text(path)
            except Exception as exc:  # a text the importer refuses is reported, not fatal
                print(f"skip {path.name}: {exc}", file=sys.stderr)
                continue
            m = _DATE_RE.search(path.stem)
            start = dt.date(int(m[1]), int(m[2]), int(m[3])) if m else dt.date(2000, 1, 1)
            title = official.title or path.stem
            rule_id = f"{j.lower()}/{path.stem}"
            common = dict(
                title=title,
                title_en="",
                doc_number="",
                jurisdiction=j,
                topic=_real_topic(title),
                kind="regulation",
                year=start.year,
                valid_from=start,
                valid_to=None,
            )
            docs = [ArticleDoc(rule_id, start.isoformat(), None, "", "", **common)]
            for art in official.body.articles:
                docs.append(
                    ArticleDoc(
                        rule_id, start.isoformat(), article_id(rule_id, art.number), art.label, art.text, **common
                    )
                )
            yield docs


# -- queries ----------------------------------------------------------------------------------------

QUERIES = {
    "synthetic": [
        *(
            {"class": "single", "words": [w]}
            for w in ["罚款", "能耗", "数据出境安全评估", "污染物排放", "个人信息", "毫克/升"]
        ),
        *(
            {"class": "and", "words": w}
            for w in [
                ["数据", "安全"],
                ["罚款", "公安机关"],
                ["排放", "标准", "报告"],
                ["金融机构", "审慎经营"],
                ["能耗", "统计数据"],
            ]
        ),
        *(
            {"class": "phrase", "words": [w]}
            for w in [
                "排放浓度不得超过",
                "万元以上",
                "负责本行政区域内",
                "应当履行数据安全保护义务",
                "长三角区域公平竞争合作",
            ]
        ),
        {"class": "filtered", "words": ["数据"], "jurisdiction": "CN-SH", "topic": "data"},
        {"class": "filtered", "words": ["罚款"], "jurisdiction": "CN-ZJ", "topic": "environment"},
        {"class": "filtered", "words": ["能耗", "报告"], "jurisdiction": "CN-JS", "topic": "energy"},
        {"class": "filtered", "words": ["金融风险"], "jurisdiction": "CN-AH", "topic": "finance"},
        {"class": "filtered", "words": ["标准化"], "jurisdiction": "CN-SH", "topic": "market"},
    ],
    "real": [
        *({"class": "single", "words": [w]} for w in ["罚款", "能耗", "数据", "污染物排放", "个人信息", "监督管理"]),
        *(
            {"class": "and", "words": w}
            for w in [
                ["罚款", "责令改正"],
                ["数据", "安全"],
                ["环境", "保护", "监测"],
                ["个人信息", "同意"],
                ["排放", "标准"],
            ]
        ),
        *(
            {"class": "phrase", "words": [w]}
            for w in ["县级以上人民政府", "处一万元以上", "依照有关法律、法规的规定", "本条例自", "生态环境主管部门"]
        ),
        {"class": "filtered", "words": ["数据"], "jurisdiction": "CN-SH", "topic": "data"},
        {"class": "filtered", "words": ["罚款"], "jurisdiction": "CN-ZJ", "topic": "environment"},
        {"class": "filtered", "words": ["节能"], "jurisdiction": "CN-SD", "topic": "energy"},
        {"class": "filtered", "words": ["金融"], "jurisdiction": "CN-BJ", "topic": "finance"},
        {"class": "filtered", "words": ["营商环境"], "jurisdiction": "CN-HA", "topic": "market"},
    ],
}


def to_request(q: dict, per_page: int = 10) -> SearchRequest:
    words = [normalize(w) for w in q["words"]]
    text = " ".join(f'"{w}"' if q["class"] == "phrase" else w for w in words)
    return SearchRequest(
        q=text,
        jurisdictions=[q["jurisdiction"]] if q.get("jurisdiction") else [],
        topic=q.get("topic"),
        as_of=AS_OF,
        per_page=per_page,
    )


# -- the worker (a fresh process: its memory is what one web worker needs) -------------------------

BACKENDS = ("whoosh", "postgres")


def _rss_mb() -> tuple[float, float]:
    status = Path("/proc/self/status").read_text()
    get = lambda k: int(re.search(rf"^{k}:\s+(\d+)", status, re.M)[1]) / 1024  # noqa: E731
    return round(get("VmRSS"), 1), round(get("VmHWM"), 1)


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    k = (len(xs) - 1) * p / 100
    f = int(k)
    c = min(f + 1, len(xs) - 1)
    return xs[f] + (xs[c] - xs[f]) * (k - f)


def _visibility_docs() -> list[ArticleDoc]:
    common = ("t", "", "", "CN-SH", "data", "regulation", 2026, dt.date(2026, 1, 1))
    return [
        ArticleDoc("bench/visibility", "1", None, "", "", *common),
        ArticleDoc("bench/visibility", "1", "bench/visibility#art-1", "第1条", f"本条用于{MARKER}。", *common),
    ]


MARKER = "可见性测试标记"


#: The timed worker's bound per search (seconds); a search past it is counted as refused (``timeouts``)
#: and its time is the bound's. The registry's own bound is SEARCH_TIME_LIMIT (2 s by default).
WORKER_TIME_LIMIT = float(os.environ.get("BENCH_SEARCH_TIME_LIMIT", "30"))


def _open_backend(kind: str, target: str):
    """The searcher a worker keeps: Whoosh's Searcher on an index folder, or the PostgreSQL backend on a URL."""
    if kind == "whoosh":
        searcher = Searcher(Path(target), time_limit=WORKER_TIME_LIMIT)
        searcher.refresh()
        return searcher
    from sqlalchemy import create_engine

    from app.search.postgres_backend import PostgresBackend

    backend = PostgresBackend(create_engine(target, pool_size=1), time_limit=WORKER_TIME_LIMIT)
    backend.search(SearchRequest(q="", per_page=1, as_of=AS_OF))  # opens the connection
    return backend


def _write_and_find(kind: str, target: str, searcher) -> dict:
    """A write, then the first search that sees it (a Whoosh worker refreshes on its next search)."""
    docs = _visibility_docs()
    if kind == "whoosh":
        index = SearchIndex(Path(target), lock_timeout=30).open()
        t = time.perf_counter()
        index.replace_rule("bench/visibility", docs)
        commit_s = time.perf_counter() - t
        found = searcher.search(SearchRequest(q=MARKER, as_of=AS_OF)).total
        visible_s = time.perf_counter() - t
        index.delete_rule("bench/visibility")
    else:
        from app.search.interfaces import IndexChanges

        t = time.perf_counter()
        searcher.apply(IndexChanges(rules={"bench/visibility": docs}))
        commit_s = time.perf_counter() - t
        found = searcher.search(SearchRequest(q=MARKER, as_of=AS_OF)).total
        visible_s = time.perf_counter() - t
        searcher.apply(IndexChanges(rules={"bench/visibility": []}))
    return {"commit_s": round(commit_s, 3), "visible_s": round(visible_s, 3), "found": found}


def worker(kind: str, target: str, queries_path: Path, repeat: int) -> dict:
    queries = [json.loads(line) for line in queries_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rss_start = _rss_mb()[0]
    t0 = time.perf_counter()
    searcher = _open_backend(kind, target)
    load_s = time.perf_counter() - t0
    lat: dict[str, list[float]] = {}
    results = []
    timeouts: dict[str, int] = {}
    for r in range(repeat + 1):  # round 0 warms up and records the results, as the baseline does
        for q in queries:
            req = to_request(q)
            t = time.perf_counter()
            try:
                res = searcher.search(req)
            except QueryError as err:  # past the worker's time limit: refused, as the registry refuses it
                if err.code != "query_timeout":
                    raise
                ms = (time.perf_counter() - t) * 1000
                if r == 0:
                    results.append({"query": q, "total": None, "facets": None, "hits": None, "top": [], "snippet": ""})
                else:
                    timeouts[q["class"]] = timeouts.get(q["class"], 0) + 1
                    lat.setdefault(q["class"], []).append(ms)
                continue
            ms = (time.perf_counter() - t) * 1000
            if r == 0:
                n, facets = res.article_counts()
                results.append(
                    {
                        "query": q,
                        "total": n,
                        "facets": facets,
                        "hits": res.total,
                        "top": [h["id"] for h in res.hits],
                        "snippet": res.hits[0]["snippet"] if res.hits else "",
                    }
                )
            else:
                lat.setdefault(q["class"], []).append(ms)
    rss, hwm = _rss_mb()
    return {
        "load_s": round(load_s, 3),
        "rss_start_mb": rss_start,
        "rss_mb": rss,
        "peak_rss_mb": hwm,
        "classes": {
            c: {
                "p50_ms": round(pct(x, 50), 3),
                "p95_ms": round(pct(x, 95), 3),
                "n": len(x),
                "timeouts": timeouts.get(c, 0),
            }
            for c, x in lat.items()
        },
        "results": results,
        "write": _write_and_find(kind, target, searcher),
    }


# -- the run ----------------------------------------------------------------------------------------


def du_mb(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20, 1)


def load_callable(spec: str):
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def _pg_schema_url(base: str, schema: str) -> str:
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


def build_whoosh(work: Path, docs: list[ArticleDoc], args) -> tuple[dict, str]:
    index_dir = work / "index"
    index = SearchIndex(index_dir, lock_timeout=30)
    build: dict = {}
    if not args.reuse_index or not index_dir.exists():
        t, cpu = time.perf_counter(), time.process_time()
        n = index.rebuild(docs, [], limitmb=args.limitmb, procs=args.procs)
        build_s = time.perf_counter() - t
        build = {
            "build_s": round(build_s, 1),
            "cpu_s": round(time.process_time() - cpu, 1),
            "docs_per_s": round(n / build_s),
            "docs": n,
            "procs": args.procs,
        }
    build["index_mb"] = du_mb(index_dir)
    return build, str(index_dir)


def build_postgres(name: str, docs: list[ArticleDoc], args) -> tuple[dict, str]:
    """A schema of its own (``bench_<corpus>``), migrated, then one ``PostgresBackend.rebuild``."""
    from sqlalchemy import create_engine, text

    from app.registry.db import upgrade
    from app.search.postgres_backend import PostgresBackend

    schema = "bench_" + re.sub(r"\W", "_", name)
    url = _pg_schema_url(args.pg_url, schema)
    admin = create_engine(args.pg_url)
    with admin.begin() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_namespace WHERE nspname = :s"), {"s": schema}).first()
        if exists and not args.reuse_index:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        if not exists or not args.reuse_index:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    engine = create_engine(url)
    build: dict = {}
    if not (exists and args.reuse_index):
        upgrade(engine)
        t, cpu = time.perf_counter(), time.process_time()
        n = PostgresBackend(engine, lock_timeout=30).rebuild(docs, [])
        build_s = time.perf_counter() - t
        # cpu_s: this (client) process only; the server's work shows in build_s
        build = {
            "build_s": round(build_s, 1),
            "cpu_s": round(time.process_time() - cpu, 1),
            "docs_per_s": round(n / build_s),
            "docs": n,
        }
    with engine.connect() as conn:
        size = conn.execute(
            text(
                "SELECT pg_total_relation_size('search_units') + pg_total_relation_size('search_versions'), "
                "pg_relation_size('ix_search_units_grams')"
            )
        ).one()
    build["index_mb"] = round(size[0] / 2**20, 1)
    build["gin_mb"] = round(size[1] / 2**20, 1)
    engine.dispose()
    return build, url


def _reachable(url: str) -> bool:
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except OperationalError:
        return False
    finally:
        engine.dispose()


def _drop_schema(base: str, schema: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def run(args) -> dict:
    out = Path(args.out)
    name = f"synthetic-{args.size}" if args.corpus == "synthetic" else "real"
    work = out / name
    work.mkdir(parents=True, exist_ok=True)
    if args.corpus == "synthetic":
        rules = list(synthetic_rules(args.size))
    else:
        rules = list(load_callable(args.loader)(Path(args.lawtexts)))
    docs = [d for rule in rules for d in rule]
    articles = [d for d in docs if d.article_id is not None and d.in_force_on(AS_OF)]
    print(f"{name}: {len(rules)} rules, {len(articles)} articles in force, {len(docs)} docs", flush=True)
    backends = [b for b in args.backends.split(",") if b]
    unknown = set(backends) - set(BACKENDS)
    if unknown:
        raise SystemExit(f"--backends: unknown {', '.join(sorted(unknown))}; known: {', '.join(BACKENDS)}")

    builds: dict[str, dict] = {}
    targets: dict[str, str] = {}
    for kind in list(backends):
        if kind == "postgres" and not _reachable(args.pg_url):
            print(f"postgres: skipped, no server at {args.pg_url} (--pg-url / BENCH_DATABASE_URL)", flush=True)
            backends.remove(kind)
            continue
        build, target = build_whoosh(work, docs, args) if kind == "whoosh" else build_postgres(name, docs, args)
        builds[kind], targets[kind] = build, target
        print(f"{kind} build: {build}", flush=True)

    docs_path, queries_path = work / "DOCS.jsonl", work / "QUERIES.jsonl"
    with docs_path.open("w", encoding="utf-8") as f:
        for d in articles:
            f.write(
                json.dumps(
                    {"id": d.article_id, "text": normalize(d.text), "jurisdiction": d.jurisdiction, "topic": d.topic},
                    ensure_ascii=False,
                )
                + "\n"
            )
    del rules, docs, articles
    queries = QUERIES[args.corpus]
    with queries_path.open("w", encoding="utf-8") as f:
        for q in queries:
            f.write(json.dumps(q | {"words": [normalize(w) for w in q["words"]]}, ensure_ascii=False) + "\n")

    ours = {}
    for kind in backends:
        cmd = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--worker",
            kind,
            targets[kind],
            str(queries_path),
            "--repeat",
            str(args.repeat),
        ]
        ours[kind] = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    (work / "baseline.sqlite3").unlink(missing_ok=True)
    base = json.loads(
        subprocess.run(
            [
                sys.executable,
                str(BASELINE),
                "--docs",
                str(docs_path),
                "--queries",
                str(queries_path),
                "--repeat",
                str(args.repeat),
                "--db",
                str(work / "baseline.sqlite3"),
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    if "postgres" in targets and not args.keep:
        _drop_schema(args.pg_url, "bench_" + re.sub(r"\W", "_", name))
    report = compare(name, builds, ours, base)
    (work / "result.json").write_text(
        json.dumps({"build": builds, "ours": ours, "fts5": base, "report": report}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    return report


CLASSES = ("single", "and", "phrase", "filtered")


def compare(name: str, builds: dict[str, dict], ours: dict[str, dict], base: dict) -> dict:
    """Each backend against FTS5: totals and facets query by query, p50/p95 per class side by side, ratios."""
    disagreements: dict[str, list] = {}
    ratios: dict[str, dict[str, float]] = {}
    geo: dict[str, float] = {}
    for kind, res in ours.items():
        disagreements[kind] = [
            {"query": a["query"], kind: [a["total"], a["facets"]], "fts5": [b["total"], b["facets"]]}
            for a, b in zip(res["results"], base["results"], strict=True)
            if a["total"] != b["total"] or a["facets"] != b["facets"]
        ]
        ratios[kind] = {c: res["classes"][c]["p50_ms"] / max(base["classes"][c]["p50_ms"], 1e-3) for c in CLASSES}
        geo[kind] = math.exp(statistics.fmean(math.log(r) for r in ratios[kind].values()))
    kinds = list(ours)
    lines = [f"### {name}", ""]
    lines.append(
        f"- {len(base['results'])} queries; disagreements with FTS5 on totals/facets: "
        + ", ".join(f"{k} {len(disagreements[k])}" for k in kinds)
    )
    lines.append(f"- FTS5 build {base['build_s']} s, {base['index_mb']} MB")
    for k in kinds:
        b, o = builds[k], ours[k]
        ratio = f", {b['build_s'] / max(base['build_s'], 1e-3):.1f}× FTS5's build" if "build_s" in b else ""
        lines.append(
            f"- {k}: build {b.get('docs', '?')} text units in {b.get('build_s', '?')} s "
            f"({b.get('docs_per_s', '?')} units/s{ratio}; {b.get('cpu_s', '?')} s CPU in the building process), "
            f"index {b['index_mb']} MB; "
            f"worker load {o['load_s']} s, RSS {o['rss_mb']} MB (peak {o['peak_rss_mb']} MB, "
            f"{o['rss_start_mb']} MB before opening); write visible after {o['write']['visible_s']} s "
            f"(commit {o['write']['commit_s']} s, found {o['write']['found']})"
        )
    lines += [
        "",
        "| class | "
        + " | ".join(f"{k} p50 / p95 ms" for k in kinds)
        + " | fts5 p50 / p95 ms | "
        + " | ".join(f"{k} ÷ fts5 p50" for k in kinds)
        + " |",
        "|---|" + "---|" * (2 * len(kinds) + 1),
    ]
    for c in CLASSES:
        cells = [
            f"{ours[k]['classes'][c]['p50_ms']:.2f} / {ours[k]['classes'][c]['p95_ms']:.2f}"
            + (
                f" ({ours[k]['classes'][c]['timeouts']} past the limit)"
                if ours[k]["classes"][c].get("timeouts")
                else ""
            )
            for k in kinds
        ]
        b = base["classes"][c]
        lines.append(
            f"| {c} | {' | '.join(cells)} | {b['p50_ms']:.2f} / {b['p95_ms']:.2f} | "
            + " | ".join(f"{ratios[k][c]:.2f}×" for k in kinds)
            + " |"
        )
    lines.append(
        "| **geometric mean** |"
        + " |" * (len(kinds) + 1)
        + " "
        + " | ".join(f"**{geo[k]:.2f}×**" for k in kinds)
        + " |"
    )
    lines += ["", "| query | class | matching articles | rule hits |", "|---|---|---|---|"]
    first = ours[kinds[0]]
    for a in first["results"]:
        q = a["query"]
        f = f" ({q['jurisdiction']}, {q['topic']})" if q.get("jurisdiction") else ""
        lines.append(f"| {' '.join(q['words'])}{f} | {q['class']} | {a['total']} | {a['hits']} |")
    text = "\n".join(lines)
    for k in kinds:
        for d in disagreements[k]:
            text += f"\n\nDISAGREEMENT {json.dumps(d, ensure_ascii=False)}"
    print(text, flush=True)
    return {"ratios": ratios, "geomean": geo, "disagreements": disagreements, "markdown": text}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", choices=["synthetic", "real"], default="synthetic")
    ap.add_argument("--size", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--lawtexts", default=str(SHARED / "lawtexts"))
    ap.add_argument("--loader", default="bench.search:load_lawtexts")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out"))
    ap.add_argument("--backends", default="whoosh,postgres", help="comma-separated: whoosh, postgres")
    ap.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_DATABASE_URL") or "postgresql+psycopg://root@127.0.0.1:5432/test",
        help="PostgreSQL for the postgres backend (a schema bench_<corpus> is created in it)",
    )
    ap.add_argument("--limitmb", type=int, default=256)
    ap.add_argument("--procs", type=int, default=1, help="Whoosh indexing processes (1: the registry's own writer)")
    ap.add_argument("--reuse-index", action="store_true", help="skip the builds when the indexes exist")
    ap.add_argument("--keep", action="store_true", help="keep the PostgreSQL schema (for --reuse-index)")
    ap.add_argument("--worker", nargs=3, metavar=("BACKEND", "TARGET", "QUERIES"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        kind, target, queries = args.worker
        print(json.dumps(worker(kind, target, Path(queries), args.repeat), ensure_ascii=False))
        return
    run(args)


if __name__ == "__main__":
    main()
