"""Article alignment by content (SPEC §5; DECISIONS "Article alignment").

Input: the normalised texts of the articles of side A and side B, in order.
Output: :class:`Group` s (1:1 pairs, splits 1:n, merges n:1) and the unaligned
articles of each side, such that every article index appears exactly once.

Steps:

1. **Identical texts** are paired first, in order (the common case when a rule is
   amended: most articles do not change).  This is what greedy on scores would do
   anyway — an identical pair scores 100 — and it keeps the scoring step small.
2. **Scores**: ``fuzz.ratio`` (normalised Indel similarity, 0..100) of every remaining
   A article against every remaining B article, with ``score_cutoff`` =
   :data:`ALIGN_THRESHOLD`.  DECISIONS names ``process.cdist``; cdist needs numpy,
   which is not installed, so the rows are scored with ``process.extract`` (the same
   C scorer, one call per A article).
3. **Assignment**: greedy on descending score; ties (within
   :data:`TIE_EPSILON`) go to the pair whose relative positions are closest,
   then to the earlier article.  Greedy is exact for the cases that matter here
   (a clear best counterpart) and needs no scipy.
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

import re
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process

__all__ = ["ALIGN_THRESHOLD", "COVER_THRESHOLD", "Alignment", "Group", "align_articles", "longest_increasing"]

#: Minimum fuzz.ratio (0..100) for two articles to be the same article.
ALIGN_THRESHOLD = 50.0
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


def _assign(a_texts: list[str], b_texts: list[str], a_idx: list[int], b_idx: list[int]) -> list[Group]:
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
    # Bucket scores so near-equal scores tie and position decides.
    cands.sort(key=lambda c: (-round(c[0] / TIE_EPSILON), c[1], c[2], c[3]))
    used_a: set[int] = set()
    used_b: set[int] = set()
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
    busy_big = {
        bi for g in groups if len(g.a) + len(g.b) > 2 for bi in (g.a if big_side == "a" else g.b)
    }
    # Attribute each free small article to the big article that covers it best.
    claims: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for s in sorted(free_small):
        if len(small[s]) < MIN_PART_CHARS:
            continue
        best, best_score = -1, 0.0
        for bi in _gap_candidates(small_partner, len(big), s, len(small)):
            if bi in busy_big or len(small[s]) > len(big[bi]):
                continue
            score = fuzz.partial_ratio(small[s], big[bi], score_cutoff=COVER_THRESHOLD)
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
_XREF_RE = re.compile(r"第[零一二三四五六七八九十百千两\d]+条(?:之[零一二三四五六七八九十\d]+)?(?:第[零一二三四五六七八九十\d]+[款项])*(?:[、，和或者至]+第[零一二三四五六七八九十百千两\d]+[条款项](?:第[零一二三四五六七八九十\d]+[款项])*)*")


def scoring_text(text: str) -> str:
    """The text alignment scores on: a normalised text with cross-references removed.

    >>> scoring_text("违反本条例第三十七条第二款、第三十九条规定的，处罚款。")
    '违反本条例规定的，处罚款。'
    """
    return _XREF_RE.sub("", text)


def align_articles(a_texts: list[str], b_texts: list[str]) -> Alignment:
    """Align two lists of normalised article texts (see module docstring)."""
    a_texts = [scoring_text(t) for t in a_texts]
    b_texts = [scoring_text(t) for t in b_texts]
    groups: list[Group] = []
    by_text: dict[str, list[int]] = defaultdict(list)
    for j, t in enumerate(b_texts):
        by_text[t].append(j)
    taken_b: set[int] = set()
    rest_a: list[int] = []
    for i, t in enumerate(a_texts):
        js = by_text.get(t)
        if js:
            j = js.pop(0)
            taken_b.add(j)
            groups.append(Group([i], [j], 100.0))
        else:
            rest_a.append(i)
    rest_b = [j for j in range(len(b_texts)) if j not in taken_b]
    groups.extend(_assign(a_texts, b_texts, rest_a, rest_b))

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
    # Splits/merges only ever absorb free articles or their own 1:1 partner, so every
    # index is still in exactly one group or one "only" list.
    groups.sort(key=lambda g: (g.a[0], g.b[0]))
    return Alignment(groups, sorted(free_a), sorted(free_b))


def longest_increasing(seq: list[int]) -> set[int]:
    """Positions (into ``seq``) of one longest strictly increasing subsequence, O(n log n).

    >>> sorted(longest_increasing([0, 2, 1, 3]))
    [0, 1, 3]
    """
    import bisect

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
