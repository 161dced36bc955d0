"""The slug: the last part of a rule id and the id of an innovation or a hard rule (SPEC §2).

The one definition of its pattern (docs/decisions.md "One definition of each domain fact"). Every
check anchors it with ``\\Z``, never ``$``: ``$`` also matches before a final newline, so
``re.match(r"^[a-z0-9-]{1,80}$", "abc\\n")`` accepts a slug with a line break in it.

>>> is_slug("sample-wwtp"), is_slug("abc\\n"), is_slug("Abc"), is_slug("x" * 81)
(True, False, False, False)
"""

from __future__ import annotations

import re

__all__ = ["SLUG_ERROR", "SLUG_MAX", "SLUG_PATTERN", "SLUG_RE", "is_slug"]

#: The longest slug.
SLUG_MAX = 80
#: A slug, unanchored, for building larger patterns (``<slug>@<date>.md``) and for messages.
SLUG_PATTERN = rf"[a-z0-9-]{{1,{SLUG_MAX}}}"
#: A whole slug and nothing else (``SLUG_RE.match(s)`` is a full match).
SLUG_RE = re.compile(rf"^{SLUG_PATTERN}\Z")
#: What to tell someone whose slug is refused.
SLUG_ERROR = f"must match {SLUG_PATTERN}"


def is_slug(value: object) -> bool:
    """True when ``value`` is a string that is a slug, whole."""
    return isinstance(value, str) and SLUG_RE.match(value) is not None
