"""JSON in and out: written safe to embed (Chinese as is, but <, > and & as \\u escapes, SPEC §4);
read only when nested at most ``MAX_JSON_DEPTH`` levels.

Python's parser recurses once per level, so a body of a few thousand ``[`` would end in a
RecursionError; :func:`check_depth` refuses it first, from a scan that stops at the first
level too deep:

>>> check_depth('{"a": [1, "[[[[", {"b": 2}]}')
>>> check_depth("[" * 1000)
Traceback (most recent call last):
...
app.exceptions.ValidationError: the JSON body is nested deeper than 64 levels
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from flask.json.provider import DefaultJSONProvider

from app.exceptions import ValidationError

#: Deepest nesting of arrays and objects read from a request (the registry's bodies use 4 at most).
MAX_JSON_DEPTH = 64
_STRING_OR_BRACKET = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def json_default(o: Any) -> Any:
    if isinstance(o, dt.date):
        return o.isoformat()
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def dumps_safe(obj: Any, *, indent: int | None = None) -> str:
    text = json.dumps(obj, ensure_ascii=False, default=json_default, indent=indent)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def check_depth(text: str | bytes) -> None:
    """Raise ValidationError (``too_deeply_nested``) when ``text`` nests deeper than MAX_JSON_DEPTH."""
    if isinstance(text, bytes | bytearray):
        text = text.decode("utf-8", errors="replace")
    depth = 0
    for m in _STRING_OR_BRACKET.finditer(text):
        ch = m.group()
        if ch in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise ValidationError(
                    f"the JSON body is nested deeper than {MAX_JSON_DEPTH} levels",
                    code="too_deeply_nested",
                    fields={"body": [f"nested deeper than {MAX_JSON_DEPTH} levels"]},
                )
        elif ch in "]}":
            depth -= 1


class SafeJSONProvider(DefaultJSONProvider):
    sort_keys = False

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        check_depth(s)
        return super().loads(s, **kwargs)

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        return dumps_safe(obj)
