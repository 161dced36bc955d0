"""JSON that is safe to embed: Chinese as is, but <, > and & written as \\u escapes (SPEC §4)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from flask.json.provider import DefaultJSONProvider


def json_default(o: Any) -> Any:
    if isinstance(o, dt.date):
        return o.isoformat()
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def dumps_safe(obj: Any, *, indent: int | None = None) -> str:
    text = json.dumps(obj, ensure_ascii=False, default=json_default, indent=indent)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class SafeJSONProvider(DefaultJSONProvider):
    sort_keys = False

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        return dumps_safe(obj)
