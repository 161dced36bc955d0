"""Query-string and body schemas of the API (``<Thing>QueryArgsSchema``), validated before a view runs."""

from __future__ import annotations

from marshmallow import EXCLUDE, INCLUDE, RAISE, Schema, fields, validate

from app.corpus.documents import KINDS
from app.corpus.schemas import IsoDate
from app.corpus.slugs import SLUG_ERROR, SLUG_PATTERN, SLUG_RE

#: marshmallow formats validator messages, so the pattern's braces are doubled
_SLUG_ERROR_FORMAT = SLUG_ERROR.replace("{", "{{").replace("}", "}}")
#: At most this many jurisdiction codes in one request (there are seven; more is an attempt to make work).
MAX_CODES = 20


class _Args(Schema):
    class Meta:
        unknown = EXCLUDE


class AsOfArgsSchema(_Args):
    as_of = IsoDate(load_default=None, metadata={"description": "Date D (YYYY-MM-DD); default today (UTC+8)"})


class RulesQueryArgsSchema(AsOfArgsSchema):
    jurisdiction = fields.String(load_default=None)
    topic = fields.String(load_default=None)
    kind = fields.String(load_default=None, validate=validate.OneOf(KINDS))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


class SearchQueryArgsSchema(AsOfArgsSchema):
    q = fields.String(load_default="", validate=validate.Length(max=2000))
    jurisdiction = fields.List(
        fields.String(validate=validate.Length(max=20)),
        load_default=list,
        validate=validate.Length(max=MAX_CODES, error=f"at most {MAX_CODES} jurisdiction codes"),
    )
    topic = fields.String(load_default=None)
    kind = fields.String(load_default=None, validate=validate.OneOf(KINDS))
    sort = fields.String(load_default="relevance", validate=validate.OneOf(["relevance", "date"]))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=200))


class DiffQueryArgsSchema(AsOfArgsSchema):
    a = fields.String(required=True)
    b = fields.String(required=True)


class CompareQueryArgsSchema(AsOfArgsSchema):
    baseline = fields.String(required=True)
    rules = fields.String(required=True, metadata={"description": "comma-separated rule or version ids"})


class MatrixQueryArgsSchema(AsOfArgsSchema):
    topic = fields.String(required=True)
    jurisdiction = fields.List(
        fields.String(validate=validate.Length(max=20)),
        load_default=list,
        validate=validate.Length(max=MAX_CODES, error=f"at most {MAX_CODES} jurisdiction codes"),
    )


class InnovationsQueryArgsSchema(_Args):
    category = fields.String(load_default=None)
    year = fields.Integer(load_default=None, validate=validate.Range(1990, 2100))
    promoted = fields.Boolean(load_default=None)
    q = fields.String(load_default=None, validate=validate.Length(max=200))


class RuleSummarySchema(Schema):
    id = fields.String()
    version = fields.String()
    title = fields.String()
    title_en = fields.String(allow_none=True)
    jurisdiction = fields.String()
    topic = fields.String()
    kind = fields.String()
    status = fields.String()
    effective = fields.String()
    effective_known = fields.Boolean()


class RuleListSchema(Schema):
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    items = fields.List(fields.Nested(RuleSummarySchema))


class ParagraphItemSchema(Schema):
    number = fields.Integer()
    text = fields.String()


class ParagraphSchema(Schema):
    number = fields.Integer()
    text = fields.String()
    items = fields.List(fields.Nested(ParagraphItemSchema))


class ArticleSchema(Schema):
    id = fields.String()
    number = fields.String()
    label = fields.String()
    heading = fields.String()
    text = fields.String()
    chapter = fields.String(allow_none=True)
    chapter_path = fields.List(fields.String())
    paragraphs = fields.List(fields.Nested(ParagraphSchema))


class ChapterSchema(Schema):
    id = fields.String()
    heading = fields.String()
    level = fields.String()
    path = fields.List(fields.String())


class RuleParameterSchema(Schema):
    key = fields.String()
    label_zh = fields.String(allow_none=True)
    label_en = fields.String(allow_none=True)
    value = fields.Raw()
    unit = fields.String(allow_none=True)
    stated_value = fields.String()
    stated_unit = fields.String(allow_none=True)
    article = fields.String(allow_none=True)  # null: the summary's source does not state the article
    scope = fields.String(allow_none=True)
    verified_in_text = fields.Boolean(allow_none=True)  # full_text versions: value found in its article


class VersionRefSchema(Schema):
    version = fields.String()
    effective = fields.String()
    effective_known = fields.Boolean()
    repealed = fields.String(allow_none=True)
    status = fields.String()


class RuleDetailSchema(RuleSummarySchema):
    doc_number = fields.String(allow_none=True)
    issuer = fields.String(allow_none=True)
    adopted = fields.String(allow_none=True)
    published = fields.String(allow_none=True)
    repealed = fields.String(allow_none=True)
    supersedes = fields.String(allow_none=True)
    applies_to = fields.List(fields.String())
    source_url = fields.String()
    provenance = fields.String(allow_none=True)
    articles_total = fields.Integer(allow_none=True)  # article count of the official text
    as_of = fields.String()
    preamble = fields.String()
    chapters = fields.List(fields.Nested(ChapterSchema))
    articles = fields.List(fields.Nested(ArticleSchema))
    parameters = fields.List(fields.Nested(RuleParameterSchema))
    versions = fields.List(fields.Nested(VersionRefSchema))


class InnovationSchema(Schema):
    id = fields.String()
    title = fields.String()
    title_en = fields.String(allow_none=True)
    category = fields.String()
    year = fields.Integer(allow_none=True)
    batch = fields.String(allow_none=True)
    number = fields.String(allow_none=True)
    promoted_nationally = fields.Boolean(allow_none=True)
    promotion_notice = fields.String(allow_none=True)
    related_rules = fields.List(fields.String())
    source_url = fields.String()
    verified = fields.Boolean()
    summary = fields.String()
    revision = fields.Integer(metadata={"description": "bumped on each correction; send it as If-Match"})
    promotion_date = fields.String(allow_none=True)
    promotion_batch = fields.Nested(
        "PromotionBatchSchema", allow_none=True, metadata={"description": "null when the promotion list is unknown"}
    )


class PromotionBatchSchema(Schema):
    notice = fields.String(allow_none=True, metadata={"description": "the national promotion list that named it"})
    date = fields.String(allow_none=True, metadata={"description": "that list's date (YYYY-MM-DD)"})


class ReportedSchema(Schema):
    as_of = fields.String()
    total = fields.Integer()
    promoted_nationally = fields.Integer(allow_none=True)
    source_url = fields.String()


class InnovationListSchema(Schema):
    total = fields.Integer()
    reported = fields.Nested(ReportedSchema, allow_none=True)
    promotion_known = fields.Integer(metadata={"description": "catalogued items whose promotion status is known"})
    promoted_known = fields.Integer(metadata={"description": "catalogued items known to be promoted nationally"})
    items = fields.List(fields.Nested(InnovationSchema))


class InnovationDocumentSchema(Schema):
    """Body of PUT /innovations/<id>: the innovation file text (SPEC §2); unknown fields are refused."""

    class Meta:
        unknown = "raise"

    document = fields.String(
        required=True,
        validate=validate.Length(min=1, error="must not be empty"),
        metadata={"description": "front matter + Markdown summary, as an innovations/<slug>.md file"},
    )


class InnovationCreateSchema(InnovationDocumentSchema):
    """Body of POST /innovations: the document, and optionally its id."""

    slug = fields.String(
        load_default=None,
        validate=validate.Regexp(SLUG_RE, error=_SLUG_ERROR_FORMAT),
        metadata={"description": "the innovation id; default: from title_en, else the title's pinyin"},
    )


class InnovationWrittenSchema(Schema):
    id = fields.String()
    revision = fields.Integer()
    indexed = fields.Boolean(metadata={"description": "false when the search index was busy (update kept queued)"})


class RuleDocumentSchema(Schema):
    """Body of POST /rules/<id>/versions: the rule file text (SPEC §2); unknown fields are refused."""

    class Meta:
        unknown = "raise"

    document = fields.String(
        required=True,
        validate=validate.Length(min=1, error="must not be empty"),
        metadata={"description": "front matter + Markdown body, as a rules/<j>/<topic>/<slug>.md file"},
    )


class RuleCreateSchema(RuleDocumentSchema):
    """Body of POST /rules: the document, and optionally the slug of the new rule id."""

    slug = fields.String(
        load_default=None,
        validate=validate.Regexp(SLUG_RE, error=_SLUG_ERROR_FORMAT),
        metadata={"description": "the rule id's last part; default: from title_en, else the title's pinyin"},
    )


class RepealSchema(Schema):
    """Body of POST /rules/<id>/repeal."""

    class Meta:
        unknown = "raise"

    repealed = IsoDate(
        required=True,
        error_messages={"invalid": "not a real date (YYYY-MM-DD)"},
        metadata={"description": "the date the rule stops being in force"},
    )


class RuleWrittenSchema(Schema):
    id = fields.String()
    version = fields.String()
    repealed = fields.String(metadata={"description": "repeal only: the date written"})
    indexed = fields.Boolean(metadata={"description": "false when the search index was busy (update kept queued)"})


class _Declared(fields.Raw):
    """A body field declared (type, required) for the OpenAPI document, passed on as sent.

    Its content is checked by the corpus validator the body goes to, so a write is refused with
    the same problems as the corpus file it stands for (docs/decisions.md "Registry use cases");
    a missing required field is reported there too, not here.
    """

    def __init__(self, openapi: dict, *, required: bool = False, description: str = "") -> None:
        super().__init__(required=required, allow_none=True, metadata={**openapi, "description": description})

    def _validate_missing(self, value):  # type: ignore[no-untyped-def]
        return None


class HardRuleBodySchema(Schema):
    """Body of PUT /hard-rules/<id>: the hard rule as JSON, the fields of a hard_rules/<id>.yaml file."""

    class Meta:
        unknown = RAISE

    id = _Declared({"type": "string", "pattern": f"^{SLUG_PATTERN}$"}, required=True, description="equals <id>")
    title = _Declared({"type": "string"}, required=True)
    title_en = _Declared({"type": "string", "nullable": True}, description="our English translation of title")
    parameter = _Declared({"type": "string"}, required=True, description="a parameter key")
    scope = _Declared({"type": "string", "nullable": True})
    target = _Declared(
        {"oneOf": [{"type": "number"}, {"type": "boolean"}]},
        required=True,
        description="in the parameter's unit; true/false for a yes/no parameter",
    )
    jurisdictions = _Declared({"type": "array", "items": {"type": "string"}, "minItems": 1}, required=True)
    lead = _Declared({"type": "string", "nullable": True}, description="the leading jurisdiction's code")
    deliverable = _Declared({"type": "string", "nullable": True})
    deliverable_en = _Declared(
        {"type": "string", "nullable": True}, description="our English translation of deliverable"
    )
    deadline = _Declared({"type": "string", "format": "date", "nullable": True})
    source_url = _Declared({"type": "string", "format": "uri"}, required=True)


class HardRuleWrittenSchema(Schema):
    id = fields.String()
    revision = fields.Integer(metadata={"description": "send it as If-Match to replace the hard rule"})


class ErrorBodySchema(Schema):
    code = fields.String(required=True, metadata={"description": "machine-readable reason, e.g. bad_request"})
    message = fields.String(required=True)
    problems = fields.Dict(
        data_key="fields",
        keys=fields.String(),
        metadata={"description": "problems by field name (validation errors)"},
    )


class ErrorEnvelopeSchema(Schema):
    """Every error of the API (SPEC §4): {"error": {code, message, fields?}}."""

    error = fields.Nested(ErrorBodySchema, required=True)


# ---- documented shapes of the read responses built as dicts by the services (documentation only:
# ``alt_response`` never reshapes what a view returns). Open: fields not listed here are allowed.


class _Open(Schema):
    class Meta:
        unknown = INCLUDE


class SearchResultSchema(_Open):
    total = fields.Integer()
    hits = fields.List(fields.Dict())
    facets = fields.Dict()


class DiffResultSchema(_Open):
    pass


class CompareResultSchema(_Open):
    pass


class MatrixResultSchema(_Open):
    pass


class HardRuleListSchema(_Open):
    as_of = fields.String()
    items = fields.List(fields.Dict())


class HardRuleDetailSchema(_Open):
    id = fields.String()
    title = fields.String()


class ScoreboardResultSchema(_Open):
    as_of = fields.String()
    jurisdictions = fields.Dict(keys=fields.String(), values=fields.Dict())


class StatsResultSchema(_Open):
    rules = fields.Integer()
    versions = fields.Integer()


class ComplianceResultSchema(_Open):
    pass
