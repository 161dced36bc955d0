"""THE unit conversion module of the registry (the corpus loader and harmonization both use it).

Parameters are stored in their canonical unit (``parameters.yaml``); a rule may state a value in any
unit of the same group, and ``convert`` turns it into the canonical one::

    >>> convert(0.03, "g/L", "mg/L")
    30.0
    >>> convert(1.5, "万吨标准煤", "tce")
    15000.0
    >>> convert(3, "天", "日")
    3.0

Design:

* ``UNIT_GROUPS`` maps a group name to ``{unit: factor}``, where ``factor`` is how many of the
  group's base unit one ``unit`` is (a ``Decimal``). Two units convert only within one group.
* Spellings are normalised first (NFKC, so ``µ`` (micro sign) becomes ``μ``, ``m³`` becomes ``m3`` and
  ``％`` becomes ``%``; surrounding whitespace is dropped; ``ug`` is an alias of ``μg``).
* Arithmetic is done in ``Decimal`` on the value's shortest decimal representation, so decimal
  scalings are exact: 0.03 g/L is exactly 30 mg/L, not 30.000000000000004.
* Deliberately *not* convertible: 天/日 ↔ 个工作日 (working days are not calendar days), 小时 ↔ 天
  (a 日 in Chinese law counts from the next day, not as 24 hours), 年 ↔ 月, 个 ↔ 次, and any unit ↔
  ``""`` (the unit of yes/no parameters).
* The same unit is always the identity, even for a spelling this module does not know (a
  parameter whose canonical unit is, say, ``mg/Nm3`` still accepts values stated in ``mg/Nm3``).
"""

from __future__ import annotations

import math
import unicodedata
from decimal import Decimal, InvalidOperation, localcontext

from app.exceptions import ValidationError


class UnitError(ValidationError):
    """A value cannot be converted between the two units (different groups, or unknown unit)."""

    code = "bad_unit"


_D = Decimal

#: group name -> {unit spelling (normalised) -> how many base units one of it is}.
#: The first unit of each group is its base (factor 1).
UNIT_GROUPS: dict[str, dict[str, Decimal]] = {
    "water_concentration": {"mg/L": _D(1), "g/L": _D(1000), "μg/L": _D("0.001")},
    "air_concentration": {"μg/m3": _D(1), "mg/m3": _D(1000), "g/m3": _D(1000000)},
    "percent": {"%": _D(1)},
    "energy": {
        "tce": _D(1),
        "吨标准煤": _D(1),
        "万tce": _D(10000),
        "万吨标准煤": _D(10000),
        "kgce": _D("0.001"),
        "千克标准煤": _D("0.001"),
        "亿tce": _D(100000000),
        "亿吨标准煤": _D(100000000),
    },
    "energy_intensity": {"tce/万元": _D(1), "吨标准煤/万元": _D(1), "kgce/万元": _D("0.001")},
    "mass": {
        "t": _D(1),
        "吨": _D(1),
        "万t": _D(10000),
        "万吨": _D(10000),
        "kg": _D("0.001"),
        "千克": _D("0.001"),
        "公斤": _D("0.001"),
        "亿t": _D(100000000),
        "亿吨": _D(100000000),
    },
    "money": {"元": _D(1), "千元": _D(1000), "万元": _D(10000), "亿元": _D(100000000)},
    "days": {"天": _D(1), "日": _D(1)},
    "working_days": {"个工作日": _D(1)},
    "years": {"年": _D(1)},
    "months": {"月": _D(1)},
    "hours": {"小时": _D(1)},
    "electricity": {
        "kWh": _D(1),
        "千瓦时": _D(1),
        "万kWh": _D(10000),
        "万千瓦时": _D(10000),
        "MWh": _D(1000),
        "GWh": _D(1000000),
        "亿kWh": _D(100000000),
        "亿千瓦时": _D(100000000),
    },
    "power": {
        "kW": _D(1),
        "千瓦": _D(1),
        "MW": _D(1000),
        "兆瓦": _D(1000),
        "万kW": _D(10000),
        "万千瓦": _D(10000),
        "GW": _D(1000000),
    },
    "volume": {
        "m3": _D(1),
        "立方米": _D(1),
        "万m3": _D(10000),
        "万立方米": _D(10000),
        "亿m3": _D(100000000),
        "亿立方米": _D(100000000),
    },
    "flow": {
        "m3/d": _D(1),
        "立方米/日": _D(1),
        "万m3/d": _D(10000),
        "万立方米/日": _D(10000),
    },
    "bacteria": {"MPN/L": _D(1), "个/L": _D(1)},
    "pue": {"PUE": _D(1)},
    "people": {"人": _D(1)},
    "multiple": {"倍": _D(1)},
    "categories": {"类": _D(1)},
    "count": {"个": _D(1)},
    "times": {"次": _D(1)},
    "yes_no": {"": _D(1)},
}

#: Other spellings accepted for a unit (after NFKC); mapped to the spelling used in UNIT_GROUPS.
UNIT_ALIASES: dict[str, str] = {
    "ug/L": "μg/L",
    "ug/l": "μg/L",
    "μg/l": "μg/L",
    "mg/l": "mg/L",
    "g/l": "g/L",
    "ug/m3": "μg/m3",
    "工作日": "个工作日",
    "个月": "月",
    "kwh": "kWh",
    "万kwh": "万kWh",
    "kw": "kW",
    "mw": "MW",
    "吨标煤": "吨标准煤",
    "万吨标煤": "万吨标准煤",
    "吨标煤/万元": "吨标准煤/万元",
}

_GROUP_OF: dict[str, str] = {unit: group for group, units in UNIT_GROUPS.items() for unit in units}


def normalize_unit(unit: str | None) -> str:
    """The canonical spelling of ``unit``: ``"µg/m³"`` -> ``"μg/m3"``; ``None`` -> ``""``."""
    if unit is None:
        return ""
    text = unicodedata.normalize("NFKC", unit).strip()
    return UNIT_ALIASES.get(text, text)


def unit_group(unit: str | None) -> str | None:
    """The name of the group ``unit`` belongs to, or None when this module does not know it."""
    return _GROUP_OF.get(normalize_unit(unit))


def is_known_unit(unit: str | None) -> bool:
    return unit_group(unit) is not None


def convertible(from_unit: str | None, to_unit: str | None) -> bool:
    """True when ``convert`` between the two units would succeed (for a finite value)."""
    a, b = normalize_unit(from_unit), normalize_unit(to_unit)
    return a == b or (_GROUP_OF.get(a) is not None and _GROUP_OF.get(a) == _GROUP_OF.get(b))


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """``value`` stated in ``from_unit``, expressed in ``to_unit``.

    Raises ``UnitError`` when the units are in different groups, when one is unknown (and they
    differ), or when the value is not a finite number. ``""`` (yes/no) converts only to ``""`` and
    returns the value unchanged (booleans are accepted only there).

    Example: ``convert(0.03, "g/L", "mg/L") == 30.0`` exactly; ``convert(5, "天", "个工作日")`` raises.
    """
    a, b = normalize_unit(from_unit), normalize_unit(to_unit)
    if isinstance(value, bool):
        if a == b == "":
            return value
        raise UnitError(
            f"a yes/no value has no unit (got {from_unit!r} -> {to_unit!r})",
            fields={"unit": from_unit},
        )
    if a == "" or b == "":
        if a == b:
            return value
        raise UnitError(
            f'cannot convert between {from_unit!r} and {to_unit!r}: unit "" is for yes/no values only',
            fields={"unit": from_unit},
        )
    if not isinstance(value, int | float) or not math.isfinite(value):
        raise UnitError(f"not a finite number: {value!r}", fields={"value": repr(value)})
    if a == b:
        return float(value)
    group_a, group_b = _GROUP_OF.get(a), _GROUP_OF.get(b)
    if group_a is None or group_b is None:
        unknown = from_unit if group_a is None else to_unit
        raise UnitError(
            f"unknown unit {unknown!r}; known units: {', '.join(sorted(_GROUP_OF))}",
            fields={"unit": unknown},
        )
    if group_a != group_b:
        raise UnitError(
            f"cannot convert {from_unit!r} ({group_a}) to {to_unit!r} ({group_b})",
            fields={"unit": from_unit},
        )
    try:
        with localcontext() as ctx:
            ctx.prec = 34
            exact = Decimal(repr(float(value))) * UNIT_GROUPS[group_a][a] / UNIT_GROUPS[group_b][b]
            result = float(exact)
    except (InvalidOperation, OverflowError) as exc:  # pragma: no cover - defensive
        raise UnitError(f"cannot convert {value!r}: {exc}", fields={"value": repr(value)}) from exc
    if not math.isfinite(result):
        raise UnitError(f"{value!r} {from_unit} is out of range in {to_unit}", fields={"value": repr(value)})
    return result


__all__ = [
    "UNIT_ALIASES",
    "UNIT_GROUPS",
    "UnitError",
    "convert",
    "convertible",
    "is_known_unit",
    "normalize_unit",
    "unit_group",
]
