"""Article alignment by content (SPEC §5; docs/decisions.md "Foundations: Article alignment").

Input: the normalised texts of the articles of side A and side B, in order.
Output: :class:`Group` s (1:1 pairs, splits 1:n, merges n:1) and the unaligned
articles of each side, such that every article index appears exactly once.

Steps:

1. **Identical texts** are paired first, in order (the common case when a rule is
   amended: most articles do not change).  This is what greedy on scores would do
   anyway — an identical pair scores 100 — and it keeps the scoring step small.
2. **Ratio pairs**: ``fuzz.ratio`` (normalised Indel similarity, 0..100) of every remaining
   A article against every remaining B article, with ``score_cutoff`` =
   :data:`ALIGN_THRESHOLD`.  The reference design names ``process.cdist``; cdist needs numpy,
   which is not installed, so the rows are scored with ``process.extract`` (the same
   C scorer, one call per A article).  Pairs scoring at least :data:`RATIO_SURE` are
   assigned greedily on descending score; ties (within :data:`TIE_EPSILON`) go to the
   pair whose relative positions are closest, then to the earlier article.  Greedy is
   exact for the cases that matter here (a clear best counterpart) and needs no scipy.
3. **Bigram pairs** (independently drafted texts: two provinces' rules on one subject
   share few long runs, so true counterparts score 25–45 on ``fuzz.ratio``), over the
   articles still unaligned on both sides:

   a. each is a TF-IDF vector of character bigrams (punctuation removed; IDF over these
      unaligned articles of both sides, so boilerplate such as 违反本条例规定/责令改正/罚款
      weighs little and subject words such as 秸秆/岸电/清算 much); similarity is the cosine;
   b. greedy on descending cosine over the pairs with cosine >= :data:`BIGRAM_THRESHOLD`
      and the ratio pairs of step 2 below :data:`RATIO_SURE` (a penalty template shared
      by two unrelated articles scores 50–65 on ratio; the cosine decides between them);
   c. *anchored*: the remaining pairs with cosine >= :data:`ANCHORED_THRESHOLD`, greedy on
      descending cosine, each accepted only when it keeps the order of the aligned
      articles around it (the B article lies strictly between the partners of the A
      article's nearest neighbours on one longest order-preserving chain of the pairs).

   An amended version of one rule rarely reaches this step (its articles pair in 1–2);
   the bigram pairs are what a cross-province comparison adds.
4. **Splits**: an A article whose text is covered by several *consecutive* B articles
   — each of them unaligned or aligned to that A article, each found inside the A
   text (``fuzz.partial_ratio`` ≥ :data:`COVER_THRESHOLD`) — becomes one 1:n group
   when the joined B texts are more similar to it than its 1:1 partner was (by
   :data:`SPLIT_MARGIN`) and at least :data:`ALIGN_THRESHOLD` similar.  Only B
   articles in the gap between the neighbouring aligned pairs are tried, so the
   cost stays linear in the number of unaligned articles.
5. **Merges**: the same with the sides swapped.

Example: A = [甲, 乙, 丙], B = [乙', 甲, 丙₁, 丙₂] gives groups ([0],[1]) same,
([1],[0]) changed, ([2],[2,3]) split.
"""

from __future__ import annotations

import bisect
import itertools
import math
import operator
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import LCSseq

__all__ = [
    "ALIGN_THRESHOLD",
    "COVER_THRESHOLD",
    "AlignSide",
    "Alignment",
    "Group",
    "align_articles",
    "longest_increasing",
]

#: Minimum fuzz.ratio (0..100) for two articles to be the same article.
ALIGN_THRESHOLD = 50.0
#: fuzz.ratio at which an article between two identical pairs is paired with the article in
#: the same place on the other side without further scoring (step 2's fast path).
DIAGONAL_THRESHOLD = 80.0
#: fuzz.ratio at or above which a pair is taken on its ratio alone (the same article, amended);
#: pairs between ALIGN_THRESHOLD and this compete with bigram pairs, ordered by bigram cosine.
RATIO_SURE = 65.0
#: TF-IDF character-bigram cosine (0..1) at which two unaligned articles are counterparts wherever
#: they stand (independently drafted texts on one subject).
BIGRAM_THRESHOLD = 0.2
#: The lower cosine accepted for a pair that keeps the order of the aligned articles around it.
ANCHORED_THRESHOLD = 0.15
#: Minimum fuzz.partial_ratio for a short article to count as part of a longer one (split/merge).
COVER_THRESHOLD = 70.0
#: How much better (ratio points) a split/merge must fit than the 1:1 pair it replaces.
SPLIT_MARGIN = 3.0
#: Scores this close are ties, broken by position.
TIE_EPSILON = 0.5
#: Shorter pieces than this (normalised characters) are never taken as parts of a split/merge.
MIN_PART_CHARS = 6


@dataclass
class Group:
    """Aligned articles: indices into side A and side B, and their similarity (0..100)."""

    a: list[int]
    b: list[int]
    score: float

    @property
    def kind(self) -> str:
        if len(self.b) > 1:
            return "split"
        if len(self.a) > 1:
            return "merged"
        return "pair"


@dataclass
class Alignment:
    groups: list[Group]  # ordered by the first A index
    only_a: list[int]
    only_b: list[int]


def _ratio_candidates(
    a_texts: list[str], b_texts: list[str], a_idx: list[int], b_idx: list[int]
) -> list[tuple[float, float, int, int]]:
    """(score, position distance, i, j) for every pair with ``fuzz.ratio`` >= ALIGN_THRESHOLD."""
    if not a_idx or not b_idx:
        return []
    na, nb = max(len(a_texts), 1), max(len(b_texts), 1)
    choices = [b_texts[j] for j in b_idx]
    cands: list[tuple[float, float, int, int]] = []
    for i in a_idx:
        for _choice, score, k in process.extract(
            a_texts[i], choices, scorer=fuzz.ratio, limit=None, score_cutoff=ALIGN_THRESHOLD
        ):
            j = b_idx[k]
            cands.append((score, abs(i / na - j / nb), i, j))
    return cands


def _diagonal(
    a_texts: list[str], b_texts: list[str], groups: list[Group], used_a: set[int], used_b: set[int]
) -> list[Group]:
    """Step 2's fast path: amended articles sitting where they were.

    Between two consecutive identical pairs (in order), the unaligned articles of the gap
    are paired with each other when ``fuzz.ratio`` >= :data:`DIAGONAL_THRESHOLD`, without
    scoring them against the rest of the rule: the k-th with the k-th when both sides of
    the gap hold as many articles, else greedily over the pairs inside the gap.  This is
    the common case of a version diff and spares most of the all-pairs scoring; what is
    left (articles that moved, rewritten ones) goes to the full scoring.
    """
    pairs = sorted((g.a[0], g.b[0]) for g in groups)
    keep = sorted(longest_increasing([j for _i, j in pairs]))
    chain = [(-1, -1)] + [pairs[p] for p in keep] + [(len(a_texts), len(b_texts))]
    new = []
    for (i0, j0), (i1, j1) in itertools.pairwise(chain):
        gap_a = [i for i in range(i0 + 1, i1) if i not in used_a]
        gap_b = [j for j in range(j0 + 1, j1) if j not in used_b]
        if not gap_a or not gap_b:
            continue
        if len(gap_a) == len(gap_b):
            cands = [(fuzz.ratio(a_texts[i], b_texts[j], score_cutoff=DIAGONAL_THRESHOLD), 0.0, i, j)
                     for i, j in zip(gap_a, gap_b, strict=True)]  # fmt: skip
        else:  # an insertion or deletion in the gap: every pair inside it
            choices = [b_texts[j] for j in gap_b]
            cands = [(score, abs((i - i0) / (i1 - i0) - (gap_b[k] - j0) / (j1 - j0)), i, gap_b[k])
                     for i in gap_a
                     for _c, score, k in process.extract(a_texts[i], choices, scorer=fuzz.ratio, limit=None,
                                                         score_cutoff=DIAGONAL_THRESHOLD)]  # fmt: skip
        new.extend(_greedy([c for c in cands if c[0]], used_a, used_b))
    return new


def _greedy(cands: list[tuple[float, float, int, int]], used_a: set[int], used_b: set[int]) -> list[Group]:
    """Greedy assignment on descending score (ties within TIE_EPSILON: closest positions first)."""
    # Bucket scores so near-equal scores tie and position decides.
    cands.sort(key=lambda c: (-round(c[0] / TIE_EPSILON), c[1], c[2], c[3]))
    groups = []
    for score, _dist, i, j in cands:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        groups.append(Group([i], [j], score))
    return groups


def _gap_candidates(partner_of: dict[int, int], n_other: int, j: int, n_self: int) -> range:
    """Indices on the other side lying between the partners of j's nearest aligned neighbours."""
    lo, hi = 0, n_other - 1
    for k in range(j - 1, -1, -1):
        if k in partner_of:
            lo = partner_of[k]
            break
    for k in range(j + 1, n_self):
        if k in partner_of:
            hi = partner_of[k]
            break
    if lo > hi:
        lo, hi = hi, lo
    return range(max(lo, 0), min(hi, n_other - 1) + 1)


def _find_splits(
    big: list[str], small: list[str], groups: list[Group], big_side: str, free_small: set[int]
) -> list[Group]:
    """Groups where one article of ``big`` is covered by several consecutive ``small`` articles.

    ``big_side`` is ``"a"`` (splits) or ``"b"`` (merges); groups are in (a, b) orientation.
    """
    # One-to-one partners, in the orientation big -> small.
    pair_of_big: dict[int, Group] = {}
    small_partner: dict[int, int] = {}  # small index -> big index
    for g in groups:
        if len(g.a) == 1 and len(g.b) == 1:
            bi, si = (g.a[0], g.b[0]) if big_side == "a" else (g.b[0], g.a[0])
            pair_of_big[bi] = g
            small_partner[si] = bi
    busy_big = {bi for g in groups if len(g.a) + len(g.b) > 2 for bi in (g.a if big_side == "a" else g.b)}
    # Attribute each free small article to the big article that covers it best.
    claims: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for s in sorted(free_small):
        if len(small[s]) < MIN_PART_CHARS:
            continue
        best, best_score = -1, 0.0
        text = small[s]
        n = len(text)
        for bi in _gap_candidates(small_partner, len(big), s, len(small)):
            if bi in busy_big or n > len(big[bi]):
                continue
            if text in big[bi]:  # partial_ratio is 100: no later candidate can beat it
                best, best_score = bi, 100.0
                break
            # Exact pruning: every window partial_ratio scores shares at most L = LCS(text, big)
            # units with text, so it scores at most 200·L / (n + L) < COVER_THRESHOLD when
            # 13·L < 7·n.  The LCS is one bit-parallel call, far cheaper than partial_ratio on a
            # long needle (≈ 1 ms), and rules out most candidates.
            if 13 * LCSseq.similarity(text, big[bi]) < 7 * n:
                continue
            score = fuzz.partial_ratio(text, big[bi], score_cutoff=COVER_THRESHOLD)
            if score > best_score:
                best, best_score = bi, score
        if best >= 0:
            claims[best].append((s, best_score))
    new_groups: list[Group] = []
    for bi, claimed in sorted(claims.items()):
        one = pair_of_big.get(bi)
        members = {s for s, _ in claimed}
        anchor = None
        if one is not None:
            anchor = one.b[0] if big_side == "a" else one.a[0]
            members.add(anchor)
        # Keep the consecutive run that holds the 1:1 partner (else the longest run).
        runs: list[list[int]] = []
        for s in sorted(members):
            if runs and s == runs[-1][-1] + 1:
                runs[-1].append(s)
            else:
                runs.append([s])
        run = next((r for r in runs if anchor in r), None) if anchor is not None else max(runs, key=len)
        if run is None or len(run) < 2:
            continue
        joined = "\n".join(small[s] for s in run)
        score = fuzz.ratio(big[bi], joined)
        base = one.score if one is not None else 0.0
        if score < ALIGN_THRESHOLD or score < base + SPLIT_MARGIN:
            continue
        if one is not None:
            groups.remove(one)
        for s in run:
            free_small.discard(s)
        new_groups.append(Group([bi], run, score) if big_side == "a" else Group(run, [bi], score))
    return new_groups


# Cross-references (违反本条例第三十七条第二款规定) open most penalty articles; their numbers
# differ between versions and provinces while the phrase inflates every penalty-to-penalty
# score.  They are reduced to 违反本条例规定 for scoring only (ops use the full text).
_NON_WORD_RE = re.compile(r"\W+")
_XREF_RE = re.compile(
    r"第[零一二三四五六七八九十百千两\d]+条(?:之[零一二三四五六七八九十\d]+)?(?:第[零一二三四五六七八九十\d]+[款项])*(?:[、，和或者至]+第[零一二三四五六七八九十百千两\d]+[条款项](?:第[零一二三四五六七八九十\d]+[款项])*)*"
)


def scoring_text(text: str) -> str:
    """The text alignment scores on: a normalised text with cross-references removed.

    >>> scoring_text("违反本条例第三十七条第二款、第三十九条规定的，处罚款。")
    '违反本条例规定的，处罚款。'
    """
    return _XREF_RE.sub("", text)


def _bigram_counts(text: str) -> Counter[str]:
    """Character-bigram counts of a scoring text, punctuation removed."""
    t = _NON_WORD_RE.sub("", text)
    return Counter(map(operator.add, t, t[1:]))


class AlignSide:
    """The alignment inputs of one side, computed once: scoring texts (:func:`scoring_text`)
    and, on first use, each article's bigram counts.  :func:`align_articles` accepts one in
    place of a list of texts, so compare prepares its baseline once for every other rule.
    ``memo`` (normalised text -> scoring text) may be shared by the sides of one call: an
    article left unchanged by the other rule is then reduced once."""

    __slots__ = ("_bigrams", "texts")

    def __init__(self, norm_texts: list[str], memo: dict[str, str] | None = None):
        if memo is None:
            self.texts = [scoring_text(t) for t in norm_texts]
        else:
            texts = []
            for t in norm_texts:
                st = memo.get(t)
                if st is None:
                    st = memo[t] = scoring_text(t)
                texts.append(st)
            self.texts = texts
        self._bigrams: dict[int, Counter[str]] = {}

    def bigrams(self, i: int) -> Counter[str]:
        c = self._bigrams.get(i)
        if c is None:
            c = self._bigrams[i] = _bigram_counts(self.texts[i])
        return c


def _bigram_vectors(counts: list[Counter[str]]) -> list[dict[str, float]]:
    """L2-normalised TF-IDF vectors of character bigrams (punctuation removed), IDF over the
    articles whose ``counts`` are given (:func:`_bigram_counts`).

    Weights are ``(1 + ln tf) * (ln((N + 1) / (df + 1)) + 1)``: a bigram found in most of the
    articles (违反, 规定, 责令, 罚款) weighs little, a rare one (岸电, 秸秆, 清算) much.
    """
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    n = len(counts)
    idf = {g: math.log((n + 1) / (k + 1)) + 1.0 for g, k in df.items()}
    out = []
    for c in counts:
        v = {g: (1.0 + math.log(k)) * idf[g] for g, k in c.items()}
        norm = math.sqrt(sum(w * w for w in v.values())) or 1.0
        out.append({g: w / norm for g, w in v.items()})
    return out


def _bigram_candidates(
    a_side: AlignSide, b_side: AlignSide, free_a: list[int], free_b: list[int]
) -> dict[tuple[int, int], float]:
    """Cosine of every (free A, free B) pair scoring at least ANCHORED_THRESHOLD (inverted index)."""
    vecs = _bigram_vectors([a_side.bigrams(i) for i in free_a] + [b_side.bigrams(j) for j in free_b])
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for j, v in zip(free_b, vecs[len(free_a) :], strict=True):
        for g, w in v.items():
            postings[g].append((j, w))
    out: dict[tuple[int, int], float] = {}
    for i, u in zip(free_a, vecs[: len(free_a)], strict=True):
        acc: dict[int, float] = defaultdict(float)
        for g, w in u.items():
            for j, wb in postings.get(g, ()):
                acc[j] += w * wb
        for j, c in acc.items():
            if c >= ANCHORED_THRESHOLD - 1e-12:
                out[(i, j)] = min(c, 1.0)
    return out


def _bigram_pass(
    a_side: AlignSide,
    b_side: AlignSide,
    groups: list[Group],
    weak: list[tuple[int, int]],
    used_a: set[int],
    used_b: set[int],
) -> list[Group]:
    """Steps 3b and 3c of the module docstring: pairs of still unaligned articles by bigram cosine."""
    a_texts, b_texts = a_side.texts, b_side.texts
    free_a = [i for i in range(len(a_texts)) if i not in used_a]
    free_b = [j for j in range(len(b_texts)) if j not in used_b]
    if not free_a or not free_b:
        return []
    cos = _bigram_candidates(a_side, b_side, free_a, free_b)
    na, nb = max(len(a_texts), 1), max(len(b_texts), 1)
    weak_pairs = set(weak)

    def ordered(pairs) -> list[tuple[float, float, int, int]]:
        c = [(cos[p], abs(p[0] / na - p[1] / nb), p[0], p[1]) for p in pairs]
        c.sort(key=lambda x: (-round(x[0] * 100 / TIE_EPSILON), x[1], x[2], x[3]))
        return c

    new: list[Group] = []

    def accept(i: int, j: int) -> None:
        used_a.add(i)
        used_b.add(j)
        new.append(Group([i], [j], fuzz.ratio(a_texts[i], b_texts[j])))

    # 3b. Clear counterparts wherever they stand; a weak-ratio pair needs the minimum cosine only.
    for _c, _d, i, j in ordered(p for p, c in cos.items() if c >= BIGRAM_THRESHOLD or p in weak_pairs):
        if i not in used_a and j not in used_b:
            accept(i, j)
    # 3c. Anchored: a lower cosine is enough when the pair keeps the order of the aligned
    # articles around it (the skeleton: one longest order-preserving chain of 1:1 pairs).
    pairs = sorted((g.a[0], g.b[0]) for g in groups + new)
    keep = longest_increasing([j for _i, j in pairs])
    sk_a = [pairs[p][0] for p in sorted(keep)]
    sk_b = [pairs[p][1] for p in sorted(keep)]
    if not sk_a:
        return new
    for _c, _d, i, j in ordered(p for p in cos if p[0] not in used_a and p[1] not in used_b):
        if i in used_a or j in used_b:
            continue
        k = bisect.bisect_left(sk_a, i)
        lo = sk_b[k - 1] if k > 0 else -1
        hi = sk_b[k] if k < len(sk_b) else len(b_texts)
        if lo < j < hi:
            accept(i, j)
            sk_a.insert(k, i)
            sk_b.insert(k, j)
    return new


def align_articles(a: list[str] | AlignSide, b: list[str] | AlignSide) -> Alignment:
    """Align two lists of normalised article texts (see module docstring); either may be
    given as an :class:`AlignSide` prepared beforehand (the result is the same)."""
    a_side = a if isinstance(a, AlignSide) else AlignSide(a)
    b_side = b if isinstance(b, AlignSide) else AlignSide(b)
    a_texts, b_texts = a_side.texts, b_side.texts
    groups: list[Group] = []
    by_text: dict[str, list[int]] = defaultdict(list)
    for j, t in enumerate(b_texts):
        by_text[t].append(j)
    used_a: set[int] = set()
    used_b: set[int] = set()
    rest_a: list[int] = []
    for i, t in enumerate(a_texts):
        js = by_text.get(t)
        if js:
            j = js.pop(0)
            used_a.add(i)
            used_b.add(j)
            groups.append(Group([i], [j], 100.0))
        else:
            rest_a.append(i)
    groups.extend(_diagonal(a_texts, b_texts, groups, used_a, used_b))
    rest_a = [i for i in rest_a if i not in used_a]
    rest_b = [j for j in range(len(b_texts)) if j not in used_b]
    groups.extend(_greedy(_ratio_candidates(a_texts, b_texts, rest_a, rest_b), used_a, used_b))

    def free() -> tuple[set[int], set[int]]:
        return (
            set(range(len(a_texts))) - {i for g in groups for i in g.a},
            set(range(len(b_texts))) - {j for g in groups for j in g.b},
        )

    free_a, free_b = free()
    if free_b:
        groups.extend(_find_splits(a_texts, b_texts, groups, "a", free_b))
        free_a, free_b = free()
    if free_a:
        groups.extend(_find_splits(b_texts, a_texts, groups, "b", free_a))
        free_a, free_b = free()
    # Bigram pass over what is left; 1:1 ratio pairs below RATIO_SURE are put back and
    # compete in it (ordered by cosine) with the pairs it finds.
    weak = [g for g in groups if g.kind == "pair" and g.score < RATIO_SURE]
    if (free_a and free_b) or weak:
        for g in weak:
            groups.remove(g)
        used_a = {i for g in groups for i in g.a}
        used_b = {j for g in groups for j in g.b}
        groups.extend(_bigram_pass(a_side, b_side, groups, [(g.a[0], g.b[0]) for g in weak], used_a, used_b))
        free_a, free_b = free()
    # Splits/merges only ever absorb free articles or their own 1:1 partner, so every
    # index is still in exactly one group or one "only" list.
    groups.sort(key=lambda g: (g.a[0], g.b[0]))
    return Alignment(groups, sorted(free_a), sorted(free_b))


def longest_increasing(seq: list[int]) -> set[int]:
    """Positions (into ``seq``) of one longest strictly increasing subsequence, O(n log n).

    >>> sorted(longest_increasing([0, 2, 1, 3]))  # the values 0, 1, 3
    [0, 2, 3]
    """
    tails: list[int] = []  # seq values
    tails_pos: list[int] = []
    prev = [-1] * len(seq)
    for p, v in enumerate(seq):
        k = bisect.bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
            tails_pos.append(p)
        else:
            tails[k] = v
            tails_pos[k] = p
        prev[p] = tails_pos[k - 1] if k > 0 else -1
    out: set[int] = set()
    p = tails_pos[-1] if tails_pos else -1
    while p >= 0:
        out.add(p)
        p = prev[p]
    return out
