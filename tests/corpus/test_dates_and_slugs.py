"""The strict date parser, China time and the slug pattern (app/corpus/dates.py, app/corpus/slugs.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from marshmallow import ValidationError as MarshmallowError

from app.corpus import dates, schemas
from app.corpus.innovation_table import row_to_document
from app.corpus.loader import RULE_FILE_RE
from app.corpus.officialtext import OfficialTextError, split_flk_front_matter
from app.corpus.slugs import SLUG_RE, is_slug
from app.exceptions import CorpusError
from app.registry.repository import split_id


@pytest.mark.parametrize(
    ("text", "value"),
    [("2023-03-01", dt.date(2023, 3, 1)), ("2024-02-29", dt.date(2024, 2, 29)), ("0001-01-01", dt.date(1, 1, 1))],
)
def test_parse_date_reads_yyyy_mm_dd(text, value):
    assert dates.parse_date(text) == value


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2023-02-30", "'2023-02-30' is not a real date (YYYY-MM-DD)"),
        ("2023-13-01", "'2023-13-01' is not a real date (YYYY-MM-DD)"),
        ("20230301", "'20230301' is not a date; write YYYY-MM-DD (e.g. 2023-03-28)"),  # fromisoformat takes it
        ("2023-W09-3", "is not a date"),  # an ISO week date: fromisoformat takes it too
        ("２０２３-０３-０１", "is not a date"),  # full-width digits
        ("2023-03-01T00:00", "is not a date"),
        ("2023-03-01\n", "is not a date"),
        (" 2023-03-01", "is not a date"),
        ("2023/03/01", "is not a date"),
        ("", "is not a date"),
        (20230301, "is not a date"),
        (None, "is not a date"),
        (dt.datetime(2023, 3, 1), "is not a date"),
    ],
)
def test_parse_date_refuses_with_a_message_naming_the_value(value, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        dates.parse_date(value)


def test_parse_date_passes_a_date_through():
    assert dates.parse_date(dt.date(2023, 3, 1)) == dt.date(2023, 3, 1)


def test_today_is_china_standard_time():
    assert dates.CST.utcoffset(None) == dt.timedelta(hours=8)
    now = dt.datetime.now(dt.UTC)
    assert dates.today() in {(now + dt.timedelta(hours=8)).date(), (now + dt.timedelta(hours=8, seconds=5)).date()}


def test_every_date_reader_in_corpus_refuses_what_the_parser_refuses():
    with pytest.raises(MarshmallowError):
        schemas.DateField().deserialize("20230301")
    assert schemas.DateField().deserialize("2023-03-01") == dt.date(2023, 3, 1)
    with pytest.raises(OfficialTextError, match="'20200101' is not a date"):
        split_flk_front_matter('---\ntitle: "x"\npublish: "20200101"\n---\n')
    meta, _ = split_flk_front_matter('---\ntitle: "x"\npublish: "2020-01-01 00:00:00"\n---\n')
    assert meta is not None and meta.publish == dt.date(2020, 1, 1)
    with pytest.raises(Exception, match="the part after @ must be a date"):
        split_id("cn-sh/data/x@20230301")
    assert split_id("CN-SH/data/x@2023-03-01") == ("cn-sh/data/x", dt.date(2023, 3, 1))


@pytest.mark.parametrize("slug", ["a", "sample-wwtp", "0-9", "x" * 80])
def test_slugs_accepted(slug):
    assert is_slug(slug) and SLUG_RE.match(slug)


@pytest.mark.parametrize("slug", ["", "abc\n", "abc\r\n", "\nabc", "Abc", "a_b", "a b", "a/b", "x" * 81, "数据"])
def test_slugs_refused(slug):
    assert not is_slug(slug) and SLUG_RE.match(slug) is None


def test_a_slug_with_a_line_break_is_refused_wherever_the_corpus_reads_one():
    assert RULE_FILE_RE.match("abc.md") and RULE_FILE_RE.match("abc@2023-01-01.md")
    for name in ("abc.md\n", "abc\n.md", "abc\n@2023-01-01.md", "abc@2023-01-01.md\n", "abc@20230101.md"):
        assert RULE_FILE_RE.match(name) is None, name
    errors = schemas.HardRuleSchema().validate({"id": "a\nb"})
    assert errors["id"] == ["must match [a-z0-9-]{1,80}"]
    with pytest.raises(CorpusError) as err:
        row_to_document({"slug": "a\nb", "title": "x", "category": "y"}, "row 2")
    assert "row 2: slug: must match [a-z0-9-]{1,80}" in [str(p) for p in err.value.problems]
