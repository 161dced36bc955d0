"""marshmallow schemas for every corpus record (SPEC §2), shared by the loader and the write API.

Schemas check shape and types only; cross-references (codes, parameter keys,
articles, versions) are checked by ``loader.py``, which sees the whole corpus.
"""

from __future__ import annotations

import datetime as dt
import re

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from app.corpus.dates import parse_date
from app.corpus.documents import ADDRESSEES, KINDS, PROVENANCES
from app.corpus.slugs import SLUG_ERROR, SLUG_RE
from app.exceptions import N_

CODE_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,6})*\Z")
STRICTER = ("lower", "higher", "equal", "true")
#: marshmallow's own messages the corpus schemas can give, for the catalogues (pages translate them)
MARSHMALLOW_MESSAGES = (
    N_("Missing data for required field."),
    N_("Unknown field."),
    N_("Field may not be null."),
    N_("Not a valid list."),
    N_("Not a valid integer."),
    N_("Not a valid string."),
    N_("Invalid input type."),
)
_SLUG_ERROR = SLUG_ERROR.replace("{", "{{").replace("}", "}}")  # marshmallow formats the message


class IsoDate(fields.Date):
    """A date written YYYY-MM-DD that exists in the calendar, read by the one date parser
    (app.corpus.dates.parse_date; marshmallow's own Date would also take 20230301)."""

    default_error_messages = {  # noqa: RUF012 - marshmallow's own pattern
        "invalid": N_("not a real date; write YYYY-MM-DD (e.g. 2023-03-28)"),
        "format": N_("not a real date; write YYYY-MM-DD"),
    }

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return parse_date(value if isinstance(value, dt.date) else str(value))
        except ValueError:
            raise self.make_error("invalid") from None


class DateField(IsoDate):
    """An IsoDate in a corpus document, where empty means unknown."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value in ("", None):
            return None
        return super()._deserialize(value, attr, data, **kwargs)


class Text(fields.String):
    """A non-blank string; empty strings become None when allowed."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ValidationError("must be text")
        out = str(value).strip()
        if not out:
            if self.allow_none:
                return None
            raise ValidationError("must not be empty")
        return out


class Url(Text):
    def _deserialize(self, value, attr, data, **kwargs):
        out = super()._deserialize(value, attr, data, **kwargs)
        if out is not None and not re.match(r"^https?://[^\s]+$", out):
            raise ValidationError("must be an http(s) URL")
        return out


class Scalar(fields.Raw):
    """A number, or the YAML booleans true/false (the loader checks which one the parameter takes)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool | int | float):
            return value
        if isinstance(value, str) and re.fullmatch(r"[-+]?\d+(\.\d*)?[eE][-+]?\d+", value.strip()):
            raise ValidationError(f"must be a number: write {value} as a plain decimal (YAML reads this form as text)")
        raise ValidationError("must be a number, or true/false for a yes/no parameter")


class ArticleRef(fields.Raw):
    """An article number: an integer, or "N-M" for 第N条之M."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise ValidationError('must be an article number such as 4 or "10-1"')
        if isinstance(value, int) and value > 0:
            return str(value)
        if isinstance(value, str) and re.fullmatch(r"[1-9]\d*(-[1-9]\d*)?", value.strip()):
            return value.strip()
        raise ValidationError('must be an article number such as 4 or "10-1"')


class CodeList(fields.List):
    def __init__(self, **kwargs):
        super().__init__(Text(), **kwargs)


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class ParameterEntrySchema(_Strict):
    key = Text(required=True)
    value = Scalar(required=True)
    unit = fields.String(load_default=None, allow_none=True)
    article = ArticleRef(load_default=None, allow_none=True)  # required in full_text documents (loader)
    scope = Text(load_default=None, allow_none=True)


class RuleFrontMatterSchema(_Strict):
    title = Text(required=True)
    title_en = Text(load_default=None, allow_none=True)
    jurisdiction = Text(required=True)
    topic = Text(required=True)
    kind = Text(required=True, validate=validate.OneOf(KINDS, error="must be one of: " + ", ".join(KINDS)))
    doc_number = Text(load_default=None, allow_none=True)
    issuer = Text(load_default=None, allow_none=True)
    adopted = DateField(load_default=None, allow_none=True)
    published = DateField(load_default=None, allow_none=True)
    effective = DateField(load_default=None, allow_none=True)
    repealed = DateField(load_default=None, allow_none=True)
    supersedes = Text(load_default=None, allow_none=True)
    applies_to = CodeList(load_default=None, allow_none=True)
    source_url = Url(required=True)
    provenance = Text(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(PROVENANCES, error=N_("must be full_text or summary")),
    )
    articles_total = fields.Integer(
        load_default=None, allow_none=True, strict=True, validate=validate.Range(1, error=N_("must be at least 1"))
    )
    parameters = fields.List(fields.Nested(ParameterEntrySchema), load_default=list, allow_none=True)

    @validates_schema
    def _one_date(self, data, **kwargs):
        if not (data.get("effective") or data.get("published") or data.get("adopted")):
            raise ValidationError("at least one of effective, published, adopted is required", "effective")


class InnovationSchema(_Strict):
    title = Text(required=True)
    title_en = Text(load_default=None, allow_none=True)
    category = Text(required=True)
    year = fields.Integer(load_default=None, allow_none=True, strict=True, validate=validate.Range(1990, 2100))
    batch = Text(load_default=None, allow_none=True)
    number = Text(load_default=None, allow_none=True)
    promoted_nationally = fields.Boolean(load_default=None, allow_none=True, truthy={True}, falsy={False})
    promotion_notice = Text(load_default=None, allow_none=True)
    promotion_date = DateField(load_default=None, allow_none=True)
    related_rules = CodeList(load_default=list, allow_none=True)
    source_url = Url(required=True)
    verified = fields.Boolean(load_default=False, allow_none=True, truthy={True}, falsy={False})


class ReportedCountSchema(_Strict):
    as_of = DateField(required=True, allow_none=False)
    total = fields.Integer(required=True, strict=True, validate=validate.Range(0))
    promoted_nationally = fields.Integer(load_default=None, allow_none=True, strict=True)
    source_url = Url(required=True)
    note = Text(load_default=None, allow_none=True)


class HardRuleSchema(_Strict):
    id = Text(required=True, validate=validate.Regexp(SLUG_RE, error=_SLUG_ERROR))
    title = Text(required=True)
    title_en = Text(load_default=None, allow_none=True)
    parameter = Text(required=True)
    scope = Text(load_default=None, allow_none=True)
    target = Scalar(required=True)
    jurisdictions = CodeList(required=True, validate=validate.Length(min=1, error=N_("list at least one")))
    lead = Text(load_default=None, allow_none=True)
    deliverable = Text(load_default=None, allow_none=True)
    deliverable_en = Text(load_default=None, allow_none=True)
    deadline = DateField(load_default=None, allow_none=True)
    source_url = Url(required=True)


class JurisdictionSchema(_Strict):
    code = Text(required=True, validate=validate.Regexp(CODE_RE, error="not a jurisdiction code"))
    name_zh = Text(required=True)
    name_en = Text(load_default=None, allow_none=True)
    level = Text(load_default=None, allow_none=True)
    parent = Text(load_default=None, allow_none=True)


class TopicSchema(_Strict):
    code = Text(
        required=True, validate=validate.Regexp(re.compile(r"^[a-z][a-z0-9_-]{0,30}\Z"), error="not a topic code")
    )
    name_zh = Text(required=True)
    name_en = Text(load_default=None, allow_none=True)


class StricterField(fields.Raw):
    def _deserialize(self, value, attr, data, **kwargs):
        if value is True:  # an unquoted YAML true means "true" (SPEC §2)
            return "true"
        if value in STRICTER:
            return value
        raise ValidationError('must be one of lower, higher, equal, "true"')


class ParameterDefSchema(_Strict):
    key = Text(required=True, validate=validate.Regexp(re.compile(r"^[a-z0-9_.-]{1,120}\Z"), error="not a key"))
    label_zh = Text(required=True)
    label_en = Text(load_default=None, allow_none=True)
    topic = Text(required=True)
    unit = fields.String(load_default="", allow_none=True)
    stricter = StricterField(required=True)
    addressee = Text(
        load_default="enterprise",
        allow_none=True,
        validate=validate.OneOf(ADDRESSEES, error=N_("must be enterprise or government")),
    )


def flatten_errors(messages, path: tuple = ()) -> list[tuple[tuple, str]]:
    """marshmallow's nested error dict → [(path, message)]; paths index into the loaded data."""
    out: list[tuple[tuple, str]] = []
    if isinstance(messages, dict):
        for k, v in messages.items():
            sub = path if k == "_schema" else (*path, k)
            out.extend(flatten_errors(v, sub))
    elif isinstance(messages, list):
        for m in messages:
            out.extend(flatten_errors(m, path))
    else:
        msg = str(messages)
        msg = {
            "Unknown field.": "unknown field (not in the corpus format; see SPEC §2)",
            "Missing data for required field.": "required field is missing",
            "Field may not be null.": N_("must not be empty"),
            "Not a valid integer.": "must be a whole number",
            "Not a valid boolean.": "must be true or false",
            "Not a valid list.": "must be a list",
        }.get(msg, msg)
        out.append((path, msg))
    return out
