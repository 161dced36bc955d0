"""The search query language (SPEC §5): parse a query string into a small tree.

Grammar (operators in upper case; everything else is a word)::

    query   := or
    or      := and ("OR" and)*
    and     := unary ("AND"? unary)*          -- juxtaposition means AND
    unary   := ("NOT" | "-") unary | "(" or ")" | "…phrase…" | field ":" value | word

- A word matches as an exact substring of the normalised text (width, case and
  traditional characters folded, see :mod:`app.search.analyzer`): ``污染物排放``
  finds ``大气污染物排放限值`` but not ``排放污染物``. A trailing ``*`` is
  accepted and changes nothing (every word already matches inside longer words).
- ``"…"`` (also ``“…”``) is a phrase: its text, spaces included, as one substring.
- ``field:value`` for the public fields only (``jurisdiction``, ``topic``, ``kind``,
  ``doc_number``, ``year``); values are whole and case-insensitive
  (``jurisdiction:cn-sh``); ``doc_number:"沪府令 12号"`` quotes a value with spaces.
  A name that is a non-public field (``text:``, ``rule_id:``…) is refused; any
  other ``x:y`` is an ordinary word (``目的：`` is text).
- Refused with :class:`app.exceptions.QueryError`: a leading wildcard (``*排放``),
  a ``*`` inside a word, more than ``MAX_QUERY_CHARS`` characters, more than
  ``MAX_TERMS`` words and fields, and nesting (brackets, NOT) deeper than ``MAX_DEPTH``.

>>> parse_query('污染物 "排放 限值" -罚款 jurisdiction:cn-sh')
And(children=(Word(text='污染物'), Word(text='排放 限值'), Not(child=Word(text='罚款')), Field(name='jurisdiction', value='CN-SH')))
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.exceptions import QueryError
from app.search.analyzer import normalize
from app.search.schema import PRIVATE_FIELDS, PUBLIC_FIELDS

MAX_QUERY_CHARS = 256
MAX_TERMS = 32
MAX_DEPTH = 8

_QUOTES = '"“”＂'
_WILDCARDS = "*＊"
_LEADING_WILDCARDS = "*＊?？"
_FIELD_RE = re.compile(r"^([A-Za-z_]+)[:：](.*)$", re.S)


@dataclass(frozen=True)
class Word:
    """A normalised word or phrase that must occur as a substring."""

    text: str


@dataclass(frozen=True)
class Field:
    """``name:value`` on a public field; ``value`` is already in the column's form."""

    name: str
    value: str | int


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


Node = Word | Field | Not | And | Or
MATCH_ALL = And(())


def field_value(name: str, raw: str) -> str | int:
    """The value a field term compares with the column (see :class:`Field`).

    >>> field_value("jurisdiction", "cn-sh"), field_value("topic", "Data"), field_value("year", "２０２４")
    ('CN-SH', 'data', 2024)
    """
    value = normalize(raw).strip()
    if name == "year":
        if not value.isdigit():
            raise QueryError.of("year:%(value)s is not a year", fields={"q": "year must be a number"}, value=raw)
        return int(value)
    if name == "jurisdiction":
        return value.upper()
    return value  # topic, kind, doc_number: normalize() already lower-cased Latin letters


# -- lexer -------------------------------------------------------------------------------------------

_LP, _RP, _OR, _AND, _NOT, _WORD, _FIELD = "(", ")", "OR", "AND", "NOT", "word", "field"


def _read_quoted(q: str, i: int) -> tuple[str, int]:
    """Text after the quote at ``q[i]`` up to the next quote (or the end); and the index after it."""
    j = i + 1
    while j < len(q) and q[j] not in _QUOTES:
        j += 1
    return q[i + 1 : j], j + 1


def _word_token(raw: str) -> tuple[str, str]:
    if raw[0] in _LEADING_WILDCARDS:
        raise QueryError.of("leading wildcards are not supported: %(word)s", fields={"q": "leading wildcard"}, word=raw)
    stripped = raw.rstrip(_WILDCARDS)
    if any(c in _WILDCARDS for c in stripped):
        raise QueryError.of(
            "wildcards are only allowed at the end of a word: %(word)s", fields={"q": "wildcard"}, word=raw
        )
    return (_WORD, stripped)


def _lex(q: str) -> list[tuple]:
    tokens: list[tuple] = []
    depth = 0
    i, n = 0, len(q)
    while i < n:
        c = q[i]
        if c.isspace():
            i += 1
        elif c == "(":
            tokens.append((_LP,))
            depth += 1
            i += 1
        elif c == ")" and depth:
            tokens.append((_RP,))
            depth -= 1
            i += 1
        elif c in _QUOTES:
            text, i = _read_quoted(q, i)
            tokens.append((_WORD, text))
        elif c == "-" and i + 1 < n and not q[i + 1].isspace() and q[i + 1] != ")":
            tokens.append((_NOT,))
            i += 1
        else:
            j = i
            while j < n and not q[j].isspace() and q[j] not in _QUOTES:
                j += 1
            raw = q[i:j]
            closing = 0
            while depth - closing > 0 and raw.endswith(")") and len(raw) > 1:
                raw = raw[:-1]
                closing += 1
            i = j
            if raw in (_OR, _AND, _NOT):
                tokens.append((raw,))
            elif m := _FIELD_RE.match(raw):
                name, value = m.group(1).lower(), m.group(2)
                if name in PUBLIC_FIELDS:
                    if not value and i < n and q[i] in _QUOTES:
                        value, i = _read_quoted(q, i)
                    if not value.strip():
                        raise QueryError.of(
                            "%(field)s: needs a value", fields={"q": f"{name}: needs a value"}, field=name
                        )
                    tokens.append((_FIELD, name, field_value(name, value)))
                elif name in PRIVATE_FIELDS:
                    raise QueryError.of(
                        "%(field)s is not a searchable field; use one of %(names)s",
                        fields={"q": f"unknown field {name}"},
                        field=name,
                        names=", ".join(sorted(PUBLIC_FIELDS)),
                    )
                else:
                    tokens.append(_word_token(raw))
            else:
                tokens.append(_word_token(raw))
            tokens.extend([(_RP,)] * closing)
            depth -= closing
    return tokens


# -- parser ------------------------------------------------------------------------------------------


class _Parser:
    def __init__(self, tokens: list[tuple]):
        self.tokens = tokens
        self.i = 0
        self.terms = 0

    def peek(self) -> str | None:
        return self.tokens[self.i][0] if self.i < len(self.tokens) else None

    def take(self) -> tuple:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def parse_or(self, depth: int) -> Node:
        parts = [self.parse_and(depth)]
        while self.peek() == _OR:
            self.take()
            if self.peek() in (None, _RP, _OR):
                raise QueryError.of("OR needs a term on both sides", fields={"q": "dangling OR"})
            parts.append(self.parse_and(depth))
        if len(parts) > 1 and any(p == MATCH_ALL for p in parts):
            raise QueryError.of("OR needs a term on both sides", fields={"q": "dangling OR"})
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def parse_and(self, depth: int) -> Node:
        parts: list[Node] = []
        while self.peek() not in (None, _RP, _OR):
            if self.peek() == _AND:
                self.take()
                continue
            node = self.parse_unary(depth)
            if node is not None:
                parts.append(node)
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def parse_unary(self, depth: int) -> Node | None:
        kind = self.peek()
        if kind == _NOT:
            self.take()
            self._check_depth(depth + 1)
            if self.peek() in (None, _RP, _OR, _AND):
                raise QueryError.of("NOT needs a term after it", fields={"q": "dangling NOT"})
            child = self.parse_unary(depth + 1)
            return None if child is None else Not(child)
        if kind == _LP:
            self.take()
            self._check_depth(depth + 1)
            node = self.parse_or(depth + 1)
            if self.peek() == _RP:
                self.take()
            return node
        tok = self.take()
        if kind == _FIELD:
            self._count()
            return Field(tok[1], tok[2])
        text = " ".join(normalize(tok[1]).split())
        if not text:
            return None
        self._count()
        return Word(text)

    def _check_depth(self, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise QueryError.of(
                "query is nested deeper than %(n)s levels", fields={"q": "too deeply nested"}, n=MAX_DEPTH
            )

    def _count(self) -> None:
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise QueryError.of("query has more than %(n)s terms", fields={"q": "too many terms"}, n=MAX_TERMS)


def _simplify(node: Node) -> Node:
    if isinstance(node, Not):
        child = _simplify(node.child)
        return child.child if isinstance(child, Not) else Not(child)
    if isinstance(node, And | Or):
        flat: list[Node] = []
        for child in map(_simplify, node.children):
            if type(child) is type(node):
                flat.extend(child.children)  # type: ignore[union-attr]
            else:
                flat.append(child)
        if len(flat) == 1:
            return flat[0]
        return type(node)(tuple(flat))
    return node


def parse_query(q: str) -> Node:
    """Parse a query string; an empty query gives :data:`MATCH_ALL`.

    >>> parse_query("能耗 OR 碳排放")
    Or(children=(Word(text='能耗'), Word(text='碳排放')))
    """
    if len(q) > MAX_QUERY_CHARS:
        raise QueryError.of("query is longer than %(n)s characters", fields={"q": "too long"}, n=MAX_QUERY_CHARS)
    parser = _Parser(_lex(q))
    node = parser.parse_or(0)
    while parser.peek() is not None:  # a stray ")" at top level: read on
        parser.take()
        node = And((node, parser.parse_or(0)))
    return _simplify(node)


def positive_words(node: Node) -> list[str]:
    """The words a match may contain (those not under NOT), longest first: for snippets and scoring.

    >>> positive_words(parse_query("排放 -罚款 (限值 OR 标准)"))
    ['排放', '限值', '标准']
    """
    out: list[str] = []

    def walk(n: Node) -> None:
        if isinstance(n, Word):
            if n.text not in out:
                out.append(n.text)
        elif isinstance(n, And | Or):
            for c in n.children:
                walk(c)

    walk(node)
    return sorted(out, key=len, reverse=True)
