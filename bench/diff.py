"""Benchmark of the diff engine (not a test; prints figures).

    .venv/bin/python bench/diff.py [--seed N] [--repeat R]

Builds, from a seeded generator, two rules of 100 articles (~30k characters) and two
of 300 (~90k): B is A amended (articles reworded, numbers and modal verbs changed,
articles inserted, deleted, moved, split and merged).  It times:

* ``diff_rules(A, B)`` (alignment + word-level ops + typed differences, everything);
* a difflib aligner in the same process: ``difflib.SequenceMatcher(None, a, b).ratio()``
  over every article pair + the same greedy assignment (alignment only, no inline diff);
* a 4-rule N-way ``compare_rules(A, [B, C, D])`` against one pairwise ``diff_rules`` (the two
  timed alternately, after one warm-up call each, so that both see the same machine load).

Targets (docs/decisions.md "Foundations: Article alignment"): full pairwise diff >= 100x faster than the
difflib aligner; 4-rule compare within 3x of one pairwise diff.
"""

from __future__ import annotations

import argparse
import difflib
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.corpus.structure import article_id
from app.diff import RuleSide, SideArticle, compare_rules, diff_rules
from app.diff.align import ALIGN_THRESHOLD
from app.diff.normalize import normalize_text

SUBJECTS = ["市人民政府", "区人民政府", "市生态环境部门", "市场监督管理部门", "数据主管部门", "地方金融管理部门",
            "公共管理和服务机构", "排污单位", "重点用能单位", "金融组织"]  # fmt: skip
VERBS = ["应当", "可以", "不得", "必须", "有权"]
OBJECTS = ["建立健全数据安全管理制度", "加强对大气污染防治工作的监督管理", "公布排放标准和监测结果", "编制公共数据目录",
           "开展节能评估和审查", "报送年度风险评估报告", "落实信息公开责任", "组织开展执法检查", "建立投诉举报处理机制",
           "推进长三角区域协同治理", "制定应急预案并定期演练", "完善信用评价和分类监管制度"]  # fmt: skip
TAILS = ["，并向社会公布", "，具体办法由市人民政府制定", "，确保数据真实、准确、完整", "，接受社会监督",
         "，所需经费列入同级财政预算", "，做好相关服务保障工作"]  # fmt: skip
NUMS = ["十五个工作日", "三十日", "五十万元", "二十万元", "百分之十", "50mg/L", "3.5mg/L", "六十日", "三年", "一百人"]


def _sentence(rng: random.Random) -> str:
    s = f"{rng.choice(SUBJECTS)}{rng.choice(VERBS)}{rng.choice(OBJECTS)}{rng.choice(TAILS)}"
    if rng.random() < 0.5:
        s += f"，期限为{rng.choice(NUMS)}"
    if rng.random() < 0.3:
        s += f"；违反规定的，处{rng.choice(NUMS)}以上{rng.choice(NUMS)}以下罚款"
    return s + "。"


def _article(rng: random.Random, target: int) -> str:
    parts: list[str] = []
    while sum(map(len, parts)) < target:
        parts.append(_sentence(rng))
    return "".join(parts)


def make_rule(rng: random.Random, rid: str, n: int, chars: int) -> RuleSide:
    texts = [_article(rng, int(rng.gauss(chars / n, chars / n / 4))) for _ in range(n)]
    return side(rid, texts)


def side(rid: str, texts: list[str]) -> RuleSide:
    arts = [SideArticle(article_id(rid, str(k + 1)), str(k + 1), f"第{k + 1}条", t) for k, t in enumerate(texts)]
    return RuleSide(rid, f"{rid}@2024-01-01", rid, arts, [])


def amend(rng: random.Random, rule: RuleSide, rid: str) -> RuleSide:
    """A amended: ~30% reworded, 5% deleted, 5% inserted, 3 moved, 2 split, 2 merged."""
    texts = [a.text for a in rule.articles]
    out: list[str] = []
    k = 0
    while k < len(texts):
        t, r = texts[k], rng.random()
        if r < 0.05:
            k += 1
            continue  # deleted
        if r < 0.10:
            out.append(_article(rng, len(t)))  # a new article
        if r < 0.40:  # reworded: change a number, a modal verb, a clause
            t = t.replace(rng.choice(NUMS), rng.choice(NUMS), 1).replace(rng.choice(VERBS), rng.choice(VERBS), 1)
            cut = rng.randrange(len(t))
            t = t[:cut] + rng.choice(TAILS) + t[cut:]
        if r > 0.98 and len(t) > 200:  # split
            mid = t.find("。", len(t) // 2) + 1 or len(t) // 2
            out.extend([t[:mid], t[mid:]])
        elif r > 0.96 and k + 1 < len(texts):  # merged with the next
            out.append(t + texts[k + 1])
            k += 1
        else:
            out.append(t)
        k += 1
    for _ in range(3):  # moves
        i, j = rng.randrange(len(out)), rng.randrange(len(out))
        out.insert(j, out.pop(i))
    return side(rid, out)


def difflib_align(a: RuleSide, b: RuleSide) -> int:
    """The baseline: SequenceMatcher.ratio() over every article pair, then greedy assignment."""
    na = [normalize_text(x.text) for x in a.articles]
    nb = [normalize_text(x.text) for x in b.articles]
    cands = []
    for i, s in enumerate(na):
        sm = difflib.SequenceMatcher(None, autojunk=False)
        sm.set_seq2(s)
        for j, t in enumerate(nb):
            sm.set_seq1(t)
            score = sm.ratio() * 100
            if score >= ALIGN_THRESHOLD:
                cands.append((score, i, j))
    cands.sort(key=lambda c: -c[0])
    used_a: set[int] = set()
    used_b: set[int] = set()
    for _, i, j in cands:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
    return len(used_a)


def cases(seed: int = 20250101):
    """The benchmark's rules, in the order main() builds them: (n, A, B, C, D) for n = 100, 300.
    (tests/diff/test_compare_equivalence.py pins compare_rules's output on them.)"""
    rng = random.Random(seed)
    for n, chars in ((100, 30_000), (300, 90_000)):
        a = make_rule(rng, f"cn-sh/bench/r{n}", n, chars)
        b = amend(rng, a, f"cn-zj/bench/r{n}b")
        c = amend(rng, a, f"cn-js/bench/r{n}c")
        d = amend(rng, a, f"cn-ah/bench/r{n}d")
        yield n, a, b, c, d


def timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def timed_pair(fn1, fn2, repeat: int) -> tuple[float, float]:
    """Medians of ``fn1`` and ``fn2`` timed alternately (after one untimed call of each), so
    that both see the same machine load and the ratio of the two is not skewed by a busy moment."""
    fn1()
    fn2()
    t1, t2 = [], []
    for _ in range(repeat):
        t = time.perf_counter()
        fn1()
        t1.append(time.perf_counter() - t)
        t = time.perf_counter()
        fn2()
        t2.append(time.perf_counter() - t)
    return statistics.median(t1), statistics.median(t2)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=20250101)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    print(f"python {sys.version.split()[0]}, seed {args.seed}, median of {args.repeat} runs")
    for n, a, b, c, d in cases(args.seed):
        size_a = sum(len(x.text) for x in a.articles)
        size_b = sum(len(x.text) for x in b.articles)
        t_diff, t_cmp = timed_pair(
            lambda a=a, b=b: diff_rules(a, b), lambda a=a, b=b, c=c, d=d: compare_rules(a, [b, c, d]), args.repeat
        )
        s = diff_rules(a, b)["summary"]
        t_difflib = timed(lambda a=a, b=b: difflib_align(a, b), 1 if n > 100 else min(args.repeat, 2))
        print(f"\n{n} articles: A {len(a.articles)} articles / {size_a} chars, B {len(b.articles)} / {size_b}")
        print(f"  summary {s}")
        print(f"  diff_rules (full pairwise diff)      {t_diff * 1000:9.1f} ms")
        print(f"  difflib aligner (alignment only)     {t_difflib * 1000:9.1f} ms   ratio {t_difflib / t_diff:7.1f}x")
        print(
            f"  compare_rules, 4 rules (A vs B,C,D)  {t_cmp * 1000:9.1f} ms   {t_cmp / t_diff:5.2f}x one pairwise diff"
        )


if __name__ == "__main__":
    main()
