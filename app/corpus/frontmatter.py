"""Reading corpus files safely: bytes checks, front matter split, YAML with line numbers.

The registry never guesses an encoding or executes YAML: a file must be plain
UTF-8 with LF line ends, no BOM, under 1 MB, and its YAML may use no anchors,
aliases, explicit tags or keys written twice. Dates stay strings here; the schemas check them.

Example::

    >>> data, lines, body, offset = split_document(b"---\\ntitle: x\\n---\\n# x\\n", "a.md")
    >>> data["title"], lines[("title",)], offset
    ('x', 2, 3)
"""

from __future__ import annotations

import hashlib
from typing import Any

import yaml

from app.exceptions import CorpusError, Problem, problem

MAX_FILE_BYTES = 1_000_000  # SPEC §2: a file over 1 MB is refused
MAX_YAML_DEPTH = 32  # lists and mappings inside each other; the corpus format uses 3

LinePath = tuple[Any, ...]


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps timestamps as strings (the schemas validate dates with line numbers)."""


# Drop the implicit timestamp resolver so "2023-02-30" reaches the schema as text.
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode(data: bytes, file: str) -> str:
    """Check the raw bytes of a corpus file and return its text, or raise CorpusError."""
    if len(data) == 0 or not data.strip():
        raise CorpusError(problem(file, "file is empty"))
    if len(data) > MAX_FILE_BYTES:
        raise CorpusError(
            problem(file, "file is %(size)s bytes; the limit is 1 MB (split the document)", size=len(data))
        )
    if b"\x00" in data:
        raise CorpusError(problem(file, "binary file (contains NUL bytes); corpus files are UTF-8 text"))
    if data.startswith(b"\xef\xbb\xbf"):
        raise CorpusError(problem(file, "starts with a UTF-8 byte-order mark (BOM); save it as UTF-8 without BOM", 1))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CorpusError(
            problem(
                file,
                "not valid UTF-8 (GB18030/GBK or another encoding?); convert the file to UTF-8",
                line,
            )
        ) from None
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        raise CorpusError(problem(file, "has CR or CRLF line ends; use LF (Unix) line ends", line))
    return text


def _scan_events(text: str, file: str, line_offset: int) -> list[Problem]:
    """Refuse anchors, aliases and explicit tags, which the corpus format does not allow."""
    problems: list[Problem] = []
    depth = 0
    try:
        for ev in yaml.parse(text, Loader=_Loader):
            line = ev.start_mark.line + 1 + line_offset
            if isinstance(ev, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_YAML_DEPTH:  # refused before the rest is read: deep YAML costs quadratic time
                    problems.append(
                        problem(file, "YAML nested deeper than %(depth)s levels", line, depth=MAX_YAML_DEPTH)
                    )
                    break
            elif isinstance(ev, yaml.CollectionEndEvent):
                depth -= 1
            if isinstance(ev, yaml.AliasEvent):
                problems.append(problem(file, "YAML aliases (*name) are not allowed; write the value out", line))
            elif getattr(ev, "anchor", None):
                problems.append(problem(file, "YAML anchors (&name) are not allowed; write the value out", line))
            elif isinstance(ev, yaml.ScalarEvent | yaml.SequenceStartEvent | yaml.MappingStartEvent):
                tag = ev.tag
                implicit = ev.implicit if isinstance(ev, yaml.ScalarEvent) else (ev.implicit,)
                if tag and tag != "!" and not any(implicit):
                    problems.append(
                        problem(
                            file, "explicit YAML tag %(tag)r is not allowed (tags are never executed)", line, tag=tag
                        )
                    )
    except yaml.YAMLError as exc:
        problems.append(_yaml_problem(exc, file, line_offset))
    return problems


def _yaml_problem(exc: yaml.YAMLError, file: str, line_offset: int) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 + line_offset if mark is not None else None
    reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return problem(file, "malformed YAML: %(reason)s", line, reason=reason)


def _lines(node: yaml.Node, path: LinePath, out: dict[LinePath, int], offset: int) -> None:
    out[path] = node.start_mark.line + 1 + offset
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            key = k.value if isinstance(k, yaml.ScalarNode) else None
            out[(*path, key)] = k.start_mark.line + 1 + offset
            _lines_children(v, (*path, key), out, offset)
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            _lines(v, (*path, i), out, offset)


def _lines_children(node: yaml.Node, path: LinePath, out: dict[LinePath, int], offset: int) -> None:
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
        saved = out.get(path)
        _lines(node, path, out, offset)
        if saved is not None:
            out[path] = saved


def _duplicate_keys(node: yaml.Node | None, file: str, offset: int) -> list[Problem]:
    """A key written twice in one mapping: YAML would silently keep the last value; the registry refuses."""
    problems: list[Problem] = []
    stack = [node] if node is not None else []
    while stack:
        n = stack.pop()
        if isinstance(n, yaml.MappingNode):
            seen: set[str] = set()
            for k, v in n.value:
                if isinstance(k, yaml.ScalarNode):
                    if k.value in seen:
                        line = k.start_mark.line + 1 + offset
                        problems.append(
                            problem(file, "key %(key)r appears twice; keep one", line, k.value, key=k.value)
                        )
                    seen.add(k.value)
                stack.append(v)
        elif isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)
    return problems


def load_yaml(text: str, file: str, line_offset: int = 0) -> tuple[Any, dict[LinePath, int]]:
    """Parse YAML safely; return (data, line numbers by key path). Raises CorpusError."""
    problems = _scan_events(text, file, line_offset)
    if problems:
        raise CorpusError(problems)
    try:
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise CorpusError(_yaml_problem(exc, file, line_offset)) from None
    problems = _duplicate_keys(node, file, line_offset)
    if problems:
        raise CorpusError(problems)
    lines: dict[LinePath, int] = {}
    if node is not None:
        _lines(node, (), lines, line_offset)
    return data, lines


def split_document(data: bytes, file: str) -> tuple[dict, dict[LinePath, int], str, int]:
    """Split a Markdown document with YAML front matter.

    Returns (front matter mapping, line numbers, body text, number of lines before the body).
    """
    text = decode(data, file)
    if not text.startswith("---\n"):
        raise CorpusError(problem(file, "no YAML front matter: the file must start with a line '---'", 1))
    end = text.find("\n---\n", 3)
    if end == -1:
        if text.endswith("\n---"):
            end = len(text) - 4
        else:
            raise CorpusError(problem(file, "front matter is not closed by a line '---'", 1))
    fm_text = text[4 : end + 1]
    body = text[end + 5 :]
    offset = fm_text.count("\n") + 2  # the two '---' lines
    meta, lines = load_yaml(fm_text, file, line_offset=1)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise CorpusError(problem(file, "front matter must be a YAML mapping of field: value", 2))
    return meta, lines, body, offset
