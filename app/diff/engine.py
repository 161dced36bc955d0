"""``diff_rules`` and ``compare_rules``: the SPEC §4 ``/diff`` and ``/compare`` documents.

Definitions (SPEC §5 leaves these to us; this is the contract):

* A **pair** is one aligned group: 1:1 (``kind`` ``same`` when the normalised texts are
  equal, else ``changed``), 1:n (``split``: one A article covered by several
  consecutive B articles) or n:1 (``merged``).  Pairs are listed in A order.
  ``similarity`` is ``fuzz.ratio`` of the normalised texts (split/merged: of the texts
  alignment scored, cross-references removed, parts joined
  with ``\\n``) divided by 100, rounded to 4 places.
* ``summary``: ``unchanged``/``changed``/``split``/``merged`` count pairs by kind (they
  partition ``pairs``); ``added`` = ``len(only_in_b)``, ``removed`` = ``len(only_in_a)``.
  ``moved`` and ``renumbered`` describe position, independently of kind:
  take the pairs in A order and their first B index; one longest increasing
  subsequence of those B indices is the order both sides agree on.  A pair outside
  it is **moved**.  A pair inside it whose first A article and first B article have
  different numbers is **renumbered** (so an article that moved is not also counted
  as renumbered, and an insertion that shifts every later number renumbers them all).
* ``ops`` are word-level (:mod:`app.diff.inline`) on normalised text; the ``a_text`` of
  all ops joined is the pair's normalised A text (likewise B).
* ``differences[i]`` is the i-th maximal run of non-equal ops, typed by
  :mod:`app.diff.classify`.
* ``parameters``: one row per ``(key, scope)`` present on either side, sorted by key
  then scope (``None`` first); ``status`` ``same`` (equal value and unit), ``divergent``
  (both present, value or unit differs), ``only_in_a``, ``only_in_b``; ``a``/``b`` are
  ``{value, unit, article}`` or ``None``.  When one side has several values for one
  ``(key, scope)``, the first (in the side's order) is compared.

Compare reuses the same alignment: the baseline is prepared once — normalised texts,
scoring texts and bigram counts for alignment, units and their encoding for inline diffs,
the classifier's phrase spans — and aligned against each other rule; ``rows`` has one row
per baseline article.  Compare builds no ``ops`` lists, positions or parameter rows (its
document has none), and a 1:1 pair of texts already diffed for an earlier rule of the same
compare reuses that cell's similarity and differences.  The result is exactly what the
pairwise diff of the same two rules gives for those pairs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz

from app.diff.align import Alignment, AlignSide, align_articles, longest_increasing
from app.diff.classify import Classifier
from app.diff.inline import Codec, Op, group_changes, inline_ops
from app.diff.normalize import normalize_text
from app.diff.sides import RuleSide
from app.diff.tokens import tokenize

__all__ = ["compare_rules", "diff_rules"]


@dataclass
class _Shared:
    """What the sides of one diff or compare share: the unit codec, and normalised and scoring
    texts by text (an article the other rule left unchanged is normalised once)."""

    codec: Codec = field(default_factory=Codec)
    norm: dict[str, str] = field(default_factory=dict)
    scoring: dict[str, str] = field(default_factory=dict)

    def normalize(self, text: str) -> str:
        out = self.norm.get(text)
        if out is None:
            out = self.norm[text] = normalize_text(text)
        return out


@dataclass
class _Prepared:
    """One side's per-article work, each piece computed on first use and kept (compare reuses
    the baseline's for every other rule)."""

    side: RuleSide
    norm: list[str]
    shared: _Shared
    _tokens: dict[int, list[str]] = field(default_factory=dict)
    _codes: dict[int, str] = field(default_factory=dict)
    _spans: dict[int, dict] = field(default_factory=dict)
    _align: AlignSide | None = None

    @classmethod
    def of(cls, side: RuleSide, shared: _Shared) -> _Prepared:
        return cls(side, [shared.normalize(a.text) for a in side.articles], shared)

    @property
    def codec(self) -> Codec:
        return self.shared.codec

    def align(self) -> AlignSide:
        if self._align is None:
            self._align = AlignSide(self.norm, self.shared.scoring)
        return self._align

    def tokens(self, i: int) -> list[str]:
        toks = self._tokens.get(i)
        if toks is None:
            toks = self._tokens[i] = tokenize(self.norm[i])
        return toks

    def joined_code(self, idx: list[int]) -> str | None:
        """The codec's encoding of :meth:`joined_tokens` (None for joined parts: encoded on use)."""
        if len(idx) > 1:
            return None
        code = self._codes.get(idx[0])
        if code is None:
            code = self._codes[idx[0]] = self.codec.encode(self.tokens(idx[0]))
        return code

    def spans(self, idx: list[int]) -> dict | None:
        """The classifier's phrase-span cache of one article (None for joined parts)."""
        return self._spans.setdefault(idx[0], {}) if len(idx) == 1 else None

    def joined(self, idx: list[int]) -> str:
        return self.norm[idx[0]] if len(idx) == 1 else "\n".join(self.norm[i] for i in idx)

    def joined_tokens(self, idx: list[int]) -> list[str] | None:
        """Tokens of :meth:`joined` (cached per article; None for joined parts: tokenised on use)."""
        return self.tokens(idx[0]) if len(idx) == 1 else None


def _head(side: RuleSide) -> dict:
    return {"id": side.id, "version": side.version, "title": side.title}


def _ops_json(ops: list[Op]) -> list[dict]:
    return [{"op": o.op, "a_text": o.a_text, "b_text": o.b_text} for o in ops]


def _pair_core(
    pa: _Prepared, pb: _Prepared, a_idx: list[int], b_idx: list[int], score: float
) -> tuple[str, float, list[Op], list[dict]]:
    """(kind, similarity, ops, differences) of one aligned group."""
    a_text = pa.joined(a_idx)
    b_text = pb.joined(b_idx)
    if len(a_idx) > 1:
        kind = "merged"
    elif len(b_idx) > 1:
        kind = "split"
    else:
        kind = "same" if a_text == b_text else "changed"
    if a_text == b_text:
        ops = inline_ops(a_text, b_text)
        differences: list[dict] = []
    else:
        ops = inline_ops(
            a_text,
            b_text,
            pa.joined_tokens(a_idx),
            pb.joined_tokens(b_idx),
            codec=pa.codec,
            a_code=pa.joined_code(a_idx),
            b_code=pb.joined_code(b_idx),
        )
        clf = Classifier(a_text, b_text, pa.spans(a_idx), pb.spans(b_idx))
        differences = [clf.difference(c) for c in group_changes(ops)]
    if len(a_idx) == 1 and len(b_idx) == 1:
        # Alignment scores texts without cross-references; report the similarity of the texts shown.
        score = 100.0 if a_text == b_text else fuzz.ratio(a_text, b_text)
    return kind, round(score / 100.0, 4), ops, differences


def _pair_body(pa: _Prepared, pb: _Prepared, a_idx: list[int], b_idx: list[int], score: float) -> dict:
    kind, similarity, ops, differences = _pair_core(pa, pb, a_idx, b_idx, score)
    return {
        "a_articles": [pa.side.articles[i].id for i in a_idx],
        "b_articles": [pb.side.articles[j].id for j in b_idx],
        "kind": kind,
        "similarity": similarity,
        "ops": _ops_json(ops),
        "differences": differences,
    }


def _positions(pa: _Prepared, pb: _Prepared, al: Alignment) -> tuple[int, int]:
    """(renumbered, moved) counts (definitions in the module docstring)."""
    seq = [g.b[0] for g in al.groups]  # groups are in A order
    keep = longest_increasing(seq)
    moved = renumbered = 0
    for p, g in enumerate(al.groups):
        if p not in keep:
            moved += 1
        elif pa.side.articles[g.a[0]].number != pb.side.articles[g.b[0]].number:
            renumbered += 1
    return renumbered, moved


def _param_entry(p) -> dict:
    return {"value": p.value, "unit": p.unit, "article": p.article_id}


def _same_value(x, y) -> bool:
    if isinstance(x, bool) or isinstance(y, bool):
        return x is y or (x == y and type(x) is type(y))
    return abs(float(x) - float(y)) <= 1e-9 * max(1.0, abs(float(x)), abs(float(y)))


def diff_parameters(a: RuleSide, b: RuleSide) -> list[dict]:
    """The ``parameters`` rows of a diff (see module docstring)."""
    first_a: dict[tuple[str, str | None], object] = {}
    first_b: dict[tuple[str, str | None], object] = {}
    for p in a.parameters:
        first_a.setdefault((p.key, p.scope), p)
    for p in b.parameters:
        first_b.setdefault((p.key, p.scope), p)
    rows = []
    for key, scope in sorted(set(first_a) | set(first_b), key=lambda k: (k[0], k[1] is not None, k[1] or "")):
        pa, pb = first_a.get((key, scope)), first_b.get((key, scope))
        if pa is None:
            status = "only_in_b"
        elif pb is None:
            status = "only_in_a"
        elif _same_value(pa.value, pb.value) and (pa.unit or "") == (pb.unit or ""):
            status = "same"
        else:
            status = "divergent"
        rows.append(
            {
                "key": key,
                "scope": scope,
                "a": _param_entry(pa) if pa is not None else None,
                "b": _param_entry(pb) if pb is not None else None,
                "status": status,
            }
        )
    return rows


def _diff_prepared(pa: _Prepared, pb: _Prepared) -> dict:
    al = align_articles(pa.align(), pb.align())
    pairs = [_pair_body(pa, pb, g.a, g.b, g.score) for g in al.groups]
    renumbered, moved = _positions(pa, pb, al)
    kinds = [p["kind"] for p in pairs]
    return {
        "a": _head(pa.side),
        "b": _head(pb.side),
        "summary": {
            "added": len(al.only_b),
            "removed": len(al.only_a),
            "renumbered": renumbered,
            "moved": moved,
            "split": kinds.count("split"),
            "merged": kinds.count("merged"),
            "changed": kinds.count("changed"),
            "unchanged": kinds.count("same"),
        },
        "pairs": pairs,
        "only_in_a": [pa.side.articles[i].id for i in al.only_a],
        "only_in_b": [pb.side.articles[j].id for j in al.only_b],
        "parameters": diff_parameters(pa.side, pb.side),
    }


def diff_rules(a: RuleSide, b: RuleSide) -> dict:
    """Diff two rule versions; returns the SPEC §4 ``/diff`` document (JSON-ready dict).

    Example::

        d = diff_rules(a, b)
        d["summary"]  # {'added': 1, 'removed': 0, 'renumbered': 3, 'moved': 0, ...}
        d["pairs"][0]["differences"]  # [{'type': 'deadline', 'a_text': '十五个工作日', ...}]
    """
    shared = _Shared()
    return _diff_prepared(_Prepared.of(a, shared), _Prepared.of(b, shared))


def compare_rules(baseline: RuleSide, others: list[RuleSide]) -> dict:
    """N-way compare: align every other rule's articles to the baseline's (SPEC §4 ``/compare``).

    ``rows`` has one row per baseline article, in order; ``cells`` maps each other
    rule's id to ``{articles, similarity, differences}`` (the aligned articles of that
    rule) or ``None`` when it has no counterpart.  A baseline article that is one of
    several merged into one article of the other rule shares that cell with the other
    merged baseline articles.  ``extra`` lists each rule's articles aligned to no
    baseline article.  ``summary[rule_id]``: ``aligned`` (cells with no differences),
    ``differing`` (cells with differences), ``missing`` (``None`` cells) — these three
    add up to the number of rows — and ``extra`` (``len(extra[rule_id])``).
    Cells are keyed by rule id; when two of ``others`` share a rule id (two versions
    of one rule), their version ids are used as keys instead.
    """
    shared = _Shared()
    pb = _Prepared.of(baseline, shared)
    done: dict[tuple[str, str], tuple[float, list[dict]]] = {}  # 1:1 texts -> (similarity, differences)
    ids = [o.id for o in others]
    keys = [o.version if ids.count(o.id) > 1 else o.id for o in others]
    rows = [{"baseline_article": art.id, "cells": {}} for art in baseline.articles]
    extra: dict[str, list[str]] = {}
    summary: dict[str, dict[str, int]] = {}
    for key, other in zip(keys, others, strict=True):
        po = _Prepared.of(other, shared)
        al = align_articles(pb.align(), po.align())
        counts = {"aligned": 0, "differing": 0, "missing": 0, "extra": len(al.only_b)}
        for g in al.groups:
            key_texts = (pb.norm[g.a[0]], po.norm[g.b[0]]) if len(g.a) == len(g.b) == 1 else None
            hit = done.get(key_texts) if key_texts is not None else None
            if hit is not None:
                similarity, differences = hit[0], [dict(d) for d in hit[1]]
            else:
                _kind, similarity, _ops, differences = _pair_core(pb, po, g.a, g.b, g.score)
                if key_texts is not None:
                    done[key_texts] = (similarity, differences)
            cell = {
                "articles": [other.articles[j].id for j in g.b],
                "similarity": similarity,
                "differences": differences,
            }
            for i in g.a:
                rows[i]["cells"][key] = cell
                counts["differing" if cell["differences"] else "aligned"] += 1
        for i in al.only_a:
            rows[i]["cells"][key] = None
            counts["missing"] += 1
        extra[key] = [other.articles[j].id for j in al.only_b]
        summary[key] = counts
    return {
        "baseline": _head(baseline),
        "rules": [_head(o) for o in others],
        "rows": rows,
        "extra": extra,
        "summary": summary,
    }
