"""Text normalisation and the character grams the index is built from.

Everything searchable goes through :func:`normalize` at index time and at query
time, so both sides see the same characters:

- full-width and half-width forms fold together (NFKC, one character at a time),
- traditional characters become simplified ones (OpenCC ``t2s``, per character),
- Latin letters are lower-cased, and every kind of whitespace becomes a space.

The mapping is applied character by character and never changes the length of
the text, so an offset found in the normalised text is the same offset in the
original text (snippets rely on this), and normalising a substring gives a
substring of the normalised whole (so exact-substring search stays exact):

>>> normalize("５０毫克／升，臺灣 ABC")
'50毫克/升,台湾 abc'

The index stores, per text unit, the set of its characters (:func:`unigrams`)
and the set of its adjacent character pairs (:func:`bigrams`); whitespace never
takes part in a gram:

>>> sorted(bigrams("污染物排放"))
['排放', '染物', '污染', '物排']
"""

from __future__ import annotations

import threading
import unicodedata

from opencc import OpenCC

# First code point handed to OpenCC (CJK radicals and everything above; below it
# there is nothing to convert from traditional to simplified).
_CJK_START = 0x2E80


class _FoldTable(dict):
    """A ``str.translate`` table filled on first sight of each code point."""

    def __init__(self) -> None:
        super().__init__()
        self._cc = OpenCC("t2s")
        self._lock = threading.Lock()

    def __missing__(self, code: int) -> str:
        c = chr(code)
        folded = unicodedata.normalize("NFKC", c)
        if len(folded) != 1:  # ㎎ -> "mg", … -> "...": keep the length, keep the character
            folded = c
        lower = folded.lower()
        if len(lower) == 1:
            folded = lower
        if folded.isspace():
            folded = " "
        elif ord(folded) >= _CJK_START:
            with self._lock:  # OpenCC's converter keeps state between calls
                simplified = self._cc.convert(folded)
            if len(simplified) == 1:
                folded = simplified
        self[code] = folded
        return folded


_TABLE = _FoldTable()


def normalize(text: str) -> str:
    """Fold width, case, whitespace and traditional characters; keeps the length.

    >>> normalize("Ｈｅｌｌｏ\\t發展")
    'hello 发展'
    """
    return text.translate(_TABLE)


def unigrams(norm: str) -> set[str]:
    """The distinct non-space characters of normalised text.

    >>> sorted(unigrams("排放 放"))
    ['排', '放']
    """
    chars = set(norm)
    chars.discard(" ")
    return chars


def bigrams(norm: str) -> set[str]:
    """The distinct pairs of adjacent characters of normalised text, none containing a space.

    >>> sorted(bigrams("50mg/l"))
    ['/l', '0m', '50', 'g/', 'mg']
    """
    grams = set(map(str.__add__, norm, norm[1:]))
    if " " in norm:
        return {g for g in grams if " " not in g}
    return grams


def word_grams(word: str) -> tuple[str, list[str]]:
    """The grams a unit holding the normalised query ``word`` must have: its bigrams, else its characters.

    Returns the kind (``"bi"`` or ``"uni"``, the Whoosh field names) and the sorted grams:

    >>> word_grams("污染物"), word_grams("省"), word_grams("a b")
    (('bi', ['染物', '污染']), ('uni', ['省']), ('uni', ['a', 'b']))
    """
    grams = bigrams(word)
    if grams:
        return "bi", sorted(grams)
    return "uni", sorted(unigrams(word))
