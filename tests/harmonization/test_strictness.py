"""strictness: every direction, as a table of (a, b, stricter) -> expected."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.harmonization import strictness as s


@pytest.mark.parametrize(
    ("a", "b", "stricter", "at_least", "strictly"),
    [
        (30, 50, "lower", True, True),
        (50, 30, "lower", False, False),
        (40, 40.0, "lower", True, False),
        (15, 13, "higher", True, True),
        (13, 15, "higher", False, False),
        (13, 13, "higher", True, False),
        (True, False, "true", True, True),
        (False, True, "true", False, False),
        (True, True, "true", True, False),
        (False, False, "true", True, False),
        (40, 40.0, "equal", True, False),
        (40, 50, "equal", False, False),
        (50, 40, "equal", False, False),
    ],
)
def test_is_at_least_as_strict_table(a, b, stricter, at_least, strictly):
    assert s.is_at_least_as_strict(a, b, stricter) is at_least
    # strictly more demanding: at least as strict one way and not the other (never for equal)
    assert (s.is_at_least_as_strict(a, b, stricter) and not s.is_at_least_as_strict(b, a, stricter)) is strictly


@pytest.mark.parametrize(
    ("values", "stricter", "expected"),
    [
        ([50, 30, 40], "lower", 30),
        ([50, 30, 40], "higher", 50),
        ([False, True, False], "true", True),
        ([False, False], "true", False),
        ([40, 40.0], "equal", 40),
        ([40, 50], "equal", None),
        ([], "lower", None),
    ],
)
def test_strictest(values, stricter, expected):
    assert s.strictest(values, stricter) == expected


def test_prevailing_for_equal_is_the_most_common_then_smallest():
    assert s.prevailing([40, 50, 50], "equal") == 50
    assert s.prevailing([50, 40], "equal") == 40
    assert s.prevailing([], "equal") is None
    assert s.prevailing([50, 30], "lower") == 30


def test_spread_is_decimal_and_null_for_yes_no():
    assert s.spread([0.1, 0.3], "lower") == 0.2
    assert s.spread([True, False], "true") is None
    assert s.spread([], "higher") is None


@pytest.mark.parametrize(
    ("binding", "target", "stricter", "expected"),
    [
        (30, 40, "lower", "aligned"),
        (40, 40, "lower", "aligned"),
        (50, 40, "lower", "divergent"),
        (15, 13, "higher", "aligned"),
        (12, 13, "higher", "divergent"),
        (True, True, "true", "aligned"),
        (False, True, "true", "divergent"),
        (False, False, "true", "aligned"),
        (40, 40, "equal", "aligned"),
        (30, 40, "equal", "divergent"),
        (None, 40, "lower", "missing"),
    ],
)
def test_alignment(binding, target, stricter, expected):
    assert s.alignment(binding, target, stricter) == expected


def test_normalize_stricter_accepts_unquoted_yaml_true():
    assert s.normalize_stricter(True) == "true"
    assert s.normalize_stricter(" Lower ") == "lower"
    with pytest.raises(ValueError):
        s.normalize_stricter("looser")
    with pytest.raises(ValueError):
        s.normalize_stricter(False)


def test_tightens():
    assert s.tightens(None, 40, "lower") == "new"
    assert s.tightens(30, 40, "lower") == "same"
    assert s.tightens(50, 40, "lower") == "stricter"
    assert s.tightens(40, None, "lower") == "same"
    assert s.tightens(40, 50, "equal") == "stricter"


def test_value_types():
    assert s.check_value_type(True, "true")
    assert not s.check_value_type(1, "true")
    assert s.check_value_type(1, "lower")
    assert not s.check_value_type(True, "lower")
    assert not s.check_value_type(float("nan"), "lower")
    assert not s.check_value_type("40", "lower")


numbers = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(values=st.lists(numbers, min_size=1, max_size=8), stricter=st.sampled_from(["lower", "higher"]))
def test_strictest_is_at_least_as_strict_as_every_value(values, stricter):
    best = s.strictest(values, stricter)
    assert best in values
    assert all(s.is_at_least_as_strict(best, v, stricter) for v in values)
    assert sorted(values, key=lambda v: s.strictness_key(v, stricter))[0] == best


@settings(max_examples=200, deadline=None)
@given(a=numbers, b=numbers, c=numbers, stricter=st.sampled_from(["lower", "higher", "equal"]))
def test_order_is_reflexive_and_transitive(a, b, c, stricter):
    assert s.is_at_least_as_strict(a, a, stricter)
    if s.is_at_least_as_strict(a, b, stricter) and s.is_at_least_as_strict(b, c, stricter):
        assert s.is_at_least_as_strict(a, c, stricter)
