"""The ONE place that knows what ``stricter: lower | higher | equal | true`` means (SPEC §2).

Nothing else in the registry compares parameter values; matrix, hard rules, scoreboard and
compliance all ask this module.

* ``lower``  – a lower value is more demanding (a discharge limit): 30 is stricter than 50.
* ``higher`` – a higher value is more demanding (a reduction target): 15 % is stricter than 13 %.
* ``true``   – a yes/no duty: ``True`` is stricter than ``False``.
* ``equal``  – only identical values are aligned; there is no order.  ``a`` is "at least as strict
  as" ``b`` only when ``a == b``; ``strictest`` of differing values is ``None`` (a conflict: no
  single value satisfies both), and ``prevailing`` (used by the matrix) is the value held by most
  holders (ties: the smallest value), so the outliers can be flagged.

Values are already in the parameter's canonical unit (``app.units``), so equality is exact.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Literal

Value = float | int | bool
Stricter = Literal["lower", "higher", "equal", "true"]

STRICTER_VALUES: tuple[str, ...] = ("lower", "higher", "equal", "true")

#: Hard-rule alignment of one jurisdiction (SPEC §2 "Binding values and alignment").
ALIGNED, DIVERGENT, MISSING = "aligned", "divergent", "missing"


def normalize_stricter(stricter: object) -> str:
    """``"lower"`` etc. as given; an unquoted YAML ``true`` (a bool) means ``"true"`` (SPEC §2).

    >>> normalize_stricter(True)
    'true'
    """
    if stricter is True:
        return "true"
    if isinstance(stricter, str) and stricter.strip().lower() in STRICTER_VALUES:
        return stricter.strip().lower()
    raise ValueError(f"stricter must be one of {', '.join(STRICTER_VALUES)}, got {stricter!r}")


def is_yes_no(stricter: str) -> bool:
    return normalize_stricter(stricter) == "true"


def is_at_least_as_strict(a: Value, b: Value, stricter: str) -> bool:
    """True when value ``a`` is at least as demanding as ``b``.

    >>> is_at_least_as_strict(30, 50, "lower"), is_at_least_as_strict(13, 15, "higher")
    (True, False)
    >>> is_at_least_as_strict(True, False, "true"), is_at_least_as_strict(40, 40.0, "equal")
    (True, True)
    """
    s = normalize_stricter(stricter)
    if s == "lower":
        return a <= b
    if s == "higher":
        return a >= b
    if s == "true":
        return bool(a) or not bool(b)
    return a == b


def strictness_key(value: Value, stricter: str) -> tuple:
    """A sort key putting the strictest value first (for ``equal``: by value, which is arbitrary
    but deterministic)."""
    s = normalize_stricter(stricter)
    if s == "lower":
        return (value,)
    if s == "higher":
        return (-value,)
    if s == "true":
        return (not bool(value),)
    return (isinstance(value, bool), value)


def strictest(values: Iterable[Value], stricter: str) -> Value | None:
    """The most demanding of ``values``; ``None`` when there are none.

    For ``equal`` it is the single value when all are equal and ``None`` otherwise (a conflict).

    >>> strictest([50, 30, 40], "lower"), strictest([50, 30], "higher"), strictest([False, True], "true")
    (30, 50, True)
    >>> strictest([40, 50], "equal") is None
    True
    """
    s = normalize_stricter(stricter)
    vals = list(values)
    if not vals:
        return None
    if s == "equal":
        first = vals[0]
        return first if all(v == first for v in vals) else None
    if s == "true":
        return any(bool(v) for v in vals)
    return min(vals) if s == "lower" else max(vals)


def prevailing(values: Sequence[Value], stricter: str) -> Value | None:
    """The reference value a matrix row flags the others against.

    For ``lower``/``higher``/``true`` it is ``strictest``. For ``equal`` (no order) it is the value
    held most often, ties broken by the smallest value; ``None`` when there are no values.

    >>> prevailing([40, 50, 50], "equal"), prevailing([40, 50], "equal")
    (50, 40)
    """
    s = normalize_stricter(stricter)
    if not values:
        return None
    if s != "equal":
        return strictest(values, s)
    counts = Counter(values)
    best = max(counts.values())
    return min((v for v, n in counts.items() if n == best), key=lambda v: strictness_key(v, s))


def all_equal(values: Iterable[Value]) -> bool:
    vals = list(values)
    return all(v == vals[0] for v in vals[1:])


def spread(values: Iterable[Value], stricter: str) -> float | None:
    """max − min in the canonical unit, computed in decimal (0.3 − 0.1 is 0.2); ``None`` for yes/no
    parameters or when there are no values.
    """
    if is_yes_no(stricter):
        return None
    vals = [v for v in values if not isinstance(v, bool)]
    if not vals:
        return None
    return float(Decimal(repr(float(max(vals)))) - Decimal(repr(float(min(vals)))))


def alignment(binding: Value | None, target: Value, stricter: str) -> str:
    """``aligned`` when the binding value is at least as strict as the hard rule's target,
    ``divergent`` when less strict, ``missing`` when there is no binding value (SPEC §2).
    """
    if binding is None:
        return MISSING
    return ALIGNED if is_at_least_as_strict(binding, target, stricter) else DIVERGENT


def tightens(now: Value | None, new: Value | None, stricter: str) -> str:
    """What adding a requirement ``new`` to the current strictest ``now`` does, for an expansion:
    ``new`` (nothing was required before), ``stricter`` (``now`` does not satisfy ``new``; for
    ``equal``: a different value), or ``same``.
    """
    if new is None:
        return "same"
    if now is None:
        return "new"
    return "same" if is_at_least_as_strict(now, new, stricter) else "stricter"


def check_value_type(value: object, stricter: str) -> bool:
    """True when ``value`` has the right type for the parameter: a bool for yes/no parameters, a
    finite int or float (not a bool) otherwise."""
    if is_yes_no(stricter):
        return isinstance(value, bool)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return value == value and value not in (float("inf"), float("-inf"))
