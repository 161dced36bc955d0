"""The writer's YAML scalars read back as the same value (export → load must be lossless)."""

from __future__ import annotations

import datetime as dt

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from app.corpus.frontmatter import load_yaml
from app.corpus.writer import scalar


@settings(max_examples=500, deadline=None)  # a property of the text, not of time (a busy machine ran past 200 ms)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_floats_round_trip_and_are_never_exponent_text(value):
    text = scalar(value)
    assert "e" not in text.lower()
    assert yaml.safe_load(text) == value


@settings(max_examples=500, deadline=None)  # a property of the text, not of time (a busy machine ran past 200 ms)
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=60))
def test_strings_round_trip_through_the_corpus_loader(value):
    data, _ = load_yaml(f"x: {scalar(value)}\n", "t.yaml")
    assert (data["x"] or "") == value or str(data["x"]) == value


def test_dates_booleans_ints_and_empty():
    assert scalar(dt.date(2023, 3, 28)) == "2023-03-28"
    assert scalar(True) == "true" and scalar(False) == "false"
    assert scalar(40) == "40" and scalar(40.0) == "40"
    assert scalar(None) == ""
    assert scalar("true") == "'true'" and scalar("10-1") == "10-1"


def test_scientific_notation_in_a_document_gets_a_hint():
    from marshmallow import ValidationError

    from app.corpus.schemas import ParameterEntrySchema

    try:
        ParameterEntrySchema().load({"key": "k", "value": "5e-05", "article": 1})
    except ValidationError as err:
        assert "plain decimal" in str(err.messages)
    else:
        raise AssertionError("5e-05 as text was accepted")
