"""Inline (word-level) diff of two normalised texts: ops and their grouping into changes.

The texts are cut into units (:func:`app.diff.tokens.tokenize`); each distinct unit is
mapped to one private-use character (diff-match-patch's ``linesToChars`` trick applied
to units instead of lines); diff-match-patch diffs the encoded strings and its semantic
clean-up merges fragmented edits; the result is decoded back into text.  Because a
unit is atomic, a number is always replaced whole.

Example::

    >>> [(o.op, o.a_text, o.b_text) for o in inline_ops("排放浓度不得超过50mg/L", "排放浓度不得超过30mg/L")]
    [('equal', '排放浓度不得超过', '排放浓度不得超过'), ('replace', '50mg/L', '30mg/L')]

``ops`` cover both texts exactly: joining every ``a_text`` gives the first text and
joining every ``b_text`` the second (``insert`` has ``a_text == ""``, ``delete`` has
``b_text == ""``).
"""

from __future__ import annotations

from dataclasses import dataclass

from diff_match_patch import diff_match_patch
from rapidfuzz.distance import Indel

from app.diff.tokens import tokenize

__all__ = ["Change", "Codec", "Op", "group_changes", "inline_ops"]

_PUA_START = 0xE000  # Basic Multilingual Plane private use area: 6,400 code points
_PUA_SIZE = 6400
_SPUA_START = 0xF0000  # then Supplementary Private Use Area-A


@dataclass(frozen=True)
class Op:
    op: str  # equal | insert | delete | replace
    a_text: str
    b_text: str


@dataclass(frozen=True)
class Change:
    """One maximal run of non-equal ops, with its offsets in both normalised texts."""

    a_text: str
    b_text: str
    a_start: int
    a_end: int
    b_start: int
    b_end: int


def _dmp() -> diff_match_patch:
    dmp = diff_match_patch()
    # No timeout: results must not depend on machine speed (tests compare exact ops).
    # Articles are a few hundred units, so the O(ND) worst case stays in milliseconds.
    dmp.Diff_Timeout = 0
    return dmp


_DMP = _dmp()


def _core_diff(ea: str, eb: str) -> list:
    """A minimal insert/delete diff of two encoded strings, as diff-match-patch tuples.

    rapidfuzz's Indel (LCS) opcodes (C++) instead of diff-match-patch's pure-Python bisect:
    the same edit model (insertions and deletions, fewest edited units), about 10x faster on
    a long, much-changed article pair.  diff-match-patch's merge and semantic clean-up run
    on the result as before.
    """
    diffs: list = []
    for tag, i1, i2, j1, j2 in Indel.opcodes(ea, eb):
        if tag == "equal":
            diffs.append((0, ea[i1:i2]))
            continue
        if i2 > i1:
            diffs.append((-1, ea[i1:i2]))
        if j2 > j1:
            diffs.append((1, eb[j1:j2]))
    _DMP.diff_cleanupMerge(diffs)
    return diffs


def _char(n: int) -> str:
    return chr(_PUA_START + n) if n < _PUA_SIZE else chr(_SPUA_START + n - _PUA_SIZE)


def _encode_pair(a_tokens: list[str], b_tokens: list[str]) -> tuple[str, str, dict[str, str]]:
    """Both token lists as strings of one private-use character per distinct unit, and the
    decoding table (character -> unit).  One dict pass, then C-level joins."""
    table = {tok: _char(n) for n, tok in enumerate(dict.fromkeys(a_tokens + b_tokens))}
    units = {ch: tok for tok, ch in table.items()}
    get = table.__getitem__
    return "".join(map(get, a_tokens)), "".join(map(get, b_tokens)), units


class Codec:
    """A unit -> character table shared by many inline diffs (one diff or one compare).

    :func:`inline_ops` otherwise numbers the units of each pair afresh; with a codec a text
    is encoded once however many pairs it is part of (compare's baseline articles), and
    encoding is one C-level join.  The ops are the same: every later step (LCS opcodes,
    diff-match-patch's clean-ups, single-character folding) looks at the encoded
    characters only through equality and length — each is one private-use character,
    never alphanumeric, space or line break — so which character a unit gets does not
    matter.
    """

    __slots__ = ("_get", "table", "units")

    def __init__(self) -> None:
        self.table: dict[str, str] = {}
        self.units: dict[str, str] = {}  # character -> unit
        self._get = self.table.__getitem__

    def encode(self, tokens: list[str]) -> str:
        try:
            return "".join(map(self._get, tokens))
        except KeyError:
            table, units = self.table, self.units
            for tok in dict.fromkeys(tokens):
                if tok not in table:
                    ch = table[tok] = _char(len(table))
                    units[ch] = tok
            return "".join(map(self._get, tokens))


def _decode(chars: str, units: dict[str, str]) -> str:
    return "".join(map(units.__getitem__, chars))


def _is_han(unit: str) -> bool:
    return len(unit) == 1 and ("\u4e00" <= unit <= "\u9fff" or "\u3400" <= unit <= "\u4dbf")


def _absorb_single_chars(diffs: list, units: dict[str, str]) -> None:
    """Fold a one-Han-character equality between two edits into them (in place).

    Chinese words are mostly two characters and there is no segmenter here, so
    ``加强`` → ``强化`` would otherwise read as delete 加, keep 强, insert 化.  After
    folding it is one replacement; diff-match-patch's semantic clean-up keeps such
    equalities because it measures edits in characters, not words.
    """
    changed = False
    for k in range(1, len(diffs) - 1):
        sign, chunk = diffs[k]
        if (
            sign == 0
            and len(chunk) == 1
            and diffs[k - 1][0] != 0
            and diffs[k + 1][0] != 0
            and _is_han(_decode(chunk, units))
        ):
            diffs[k] = (-1, chunk)
            diffs.insert(k + 1, (1, chunk))
            changed = True
            break
    if changed:
        _DMP.diff_cleanupMerge(diffs)
        _absorb_single_chars(diffs, units)


def inline_ops(
    a: str,
    b: str,
    a_tokens: list[str] | None = None,
    b_tokens: list[str] | None = None,
    *,
    codec: Codec | None = None,
    a_code: str | None = None,
    b_code: str | None = None,
) -> list[Op]:
    """Word-level ops turning normalised text ``a`` into ``b`` (see module docstring).

    ``a_tokens``/``b_tokens`` may pass precomputed :func:`tokenize` results (compare
    reuses the baseline's).  With a shared :class:`Codec`, ``a_code``/``b_code`` may pass
    the texts' encodings by that codec (computed here when omitted); the ops are the same.
    """
    if a == b:
        return [Op("equal", a, b)] if a else []
    if codec is None:
        ea, eb, units = _encode_pair(
            a_tokens if a_tokens is not None else tokenize(a), b_tokens if b_tokens is not None else tokenize(b)
        )
    else:
        ea = a_code if a_code is not None else codec.encode(a_tokens if a_tokens is not None else tokenize(a))
        eb = b_code if b_code is not None else codec.encode(b_tokens if b_tokens is not None else tokenize(b))
        units = codec.units
    diffs = _core_diff(ea, eb)
    _DMP.diff_cleanupSemantic(diffs)
    _absorb_single_chars(diffs, units)
    ops: list[Op] = []
    pending_a: list[str] = []
    pending_b: list[str] = []

    def flush() -> None:
        if pending_a or pending_b:
            at, bt = "".join(pending_a), "".join(pending_b)
            kind = "replace" if at and bt else ("delete" if at else "insert")
            ops.append(Op(kind, at, bt))
            pending_a.clear()
            pending_b.clear()

    for sign, chunk in diffs:
        text = _decode(chunk, units)
        if sign == 0:
            flush()
            ops.append(Op("equal", text, text))
        elif sign < 0:
            pending_a.append(text)
        else:
            pending_b.append(text)
    flush()
    return ops


def group_changes(ops: list[Op]) -> list[Change]:
    """The maximal runs of non-equal ops, with offsets (one :class:`Change` per run)."""
    changes: list[Change] = []
    ai = bi = 0
    run: list[Op] = []
    start = (0, 0)

    def close() -> None:
        if run:
            at = "".join(o.a_text for o in run)
            bt = "".join(o.b_text for o in run)
            changes.append(Change(at, bt, start[0], start[0] + len(at), start[1], start[1] + len(bt)))
            run.clear()

    for op in ops:
        if op.op == "equal":
            close()
        else:
            if not run:
                start = (ai, bi)
            run.append(op)
        ai += len(op.a_text)
        bi += len(op.b_text)
    close()
    return changes
