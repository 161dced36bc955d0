"""The site's forms, built with WTForms: a rule version as fields, and an innovation of the register.

Each form turns into the corpus document it stands for, and the page hands that document to the
same service as the API (``registry.writes``, ``registry.innovations``), which validates it exactly
like a corpus file, all or nothing, audited. The forms check first what they can say on a field in
the page's language (a date that does not exist, a value that is not a number, an article the text
does not have); what only the registry can tell comes back from the service and is put on its field.

CSRF stays with ``app.web.security`` (one mechanism: the session token every form posts as
``csrf_token``), so WTForms' own CSRF is off.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Mapping

from flask_babel import gettext, lazy_gettext
from wtforms import Form, FormField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields import FieldList
from wtforms.meta import DefaultMeta
from wtforms.validators import StopValidation, ValidationError

from app.corpus import writer
from app.corpus.dates import parse_date
from app.corpus.documents import INNOVATION_FIELDS, KINDS, ParameterDef, ParameterEntry, RuleDocument
from app.corpus.innovation_table import row_to_document
from app.corpus.slugs import is_slug
from app.corpus.structure import parse_body
from app.exceptions import CorpusError, Problem
from app.web.i18n import label, lang, localized, problem_reason

NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)\Z")
TRUE_FALSE = {"true": True, "false": False}
MAX_PARAMETER_ROWS = 200


class _Meta(DefaultMeta):
    """No WTForms CSRF (``app.web.security`` owns it); WTForms' own few messages in the page's language."""

    csrf = False

    @property
    def locales(self) -> list[str]:  # type: ignore[override]
        return [lang()]


class BaseForm(Form):
    Meta = _Meta


# ---------------------------------------------------------------- field checks in the page's language


def real_date(form: Form, field) -> None:  # type: ignore[no-untyped-def]
    """Empty, or a date written YYYY-MM-DD that exists (the one date parser, ``app.corpus.dates``)."""
    raw = (field.data or "").strip()
    field.data = raw
    if not raw:
        return
    try:
        parse_date(raw)
    except ValueError:
        raise StopValidation(gettext("%(value)s is not a real date; write it as YYYY-MM-DD", value=raw)) from None


def web_address(form: Form, field) -> None:  # type: ignore[no-untyped-def]
    raw = (field.data or "").strip()
    field.data = raw
    if raw and not re.match(r"https?://[^\s/]+\.[^\s]+\Z", raw):
        raise ValidationError(gettext("Write the full web address, starting with http:// or https://"))


def required(form: Form, field) -> None:  # type: ignore[no-untyped-def]
    field.data = (field.data or "").strip()
    if not field.data:
        raise StopValidation(gettext("This field is required"))


def _date_or_none(raw: str | None) -> dt.date | None:
    return parse_date(raw) if raw else None


# ---------------------------------------------------------------- a rule version


class ParameterRowForm(BaseForm):
    """One quantitative provision: parameter, value, unit as stated, article, scope."""

    key = SelectField(lazy_gettext("Parameter"), validate_choice=False)
    value = StringField(lazy_gettext("Value"))
    unit = StringField(lazy_gettext("Unit as stated"))
    article = StringField(lazy_gettext("Article"))
    scope = StringField(lazy_gettext("Scope"))

    def is_blank(self) -> bool:
        return not any((f.data or "").strip() for f in (self.key, self.value, self.unit, self.article, self.scope))


class RuleVersionForm(BaseForm):
    """A new version of a rule as fields; jurisdiction and topic stay those of the rule."""

    if_match = HiddenField()
    title = StringField(lazy_gettext("Title"), [required])
    title_en = StringField(lazy_gettext("English title"))
    kind = SelectField(lazy_gettext("Kind"), validate_choice=False)
    doc_number = StringField(lazy_gettext("Document number"))
    issuer = StringField(lazy_gettext("Issuer"))
    adopted = StringField(lazy_gettext("Adopted on"), [real_date])
    published = StringField(lazy_gettext("Published on"), [real_date])
    effective = StringField(lazy_gettext("Effective from"), [real_date])
    repealed = StringField(lazy_gettext("Expires (repealed on)"), [real_date])
    source_url = StringField(lazy_gettext("Source URL"), [required, web_address])
    provenance = SelectField(lazy_gettext("Provenance"), validate_choice=False)
    parameters = FieldList(FormField(ParameterRowForm), max_entries=MAX_PARAMETER_ROWS)
    body = TextAreaField(lazy_gettext("Text (Markdown: “## 第…条” headings are articles)"), [required])

    def setup(self, parameter_defs: Mapping[str, ParameterDef]) -> RuleVersionForm:
        """Fill the choices (codes as words in the page's language); returns the form."""
        self.parameter_defs = dict(parameter_defs)
        self.kind.choices = [(k, label(k, "kind")) for k in KINDS]
        self.provenance.choices = [
            ("", gettext("not stated")),
            ("summary", label("summary", "provenance")),
            ("full_text", label("full_text", "provenance")),
        ]
        keys = [("", "—")] + [
            (p.key, f"{localized(p, 'label')} ({p.unit or gettext('yes/no')})")
            for p in sorted(self.parameter_defs.values(), key=lambda p: (p.topic, p.key))
        ]
        for row in self.parameters:
            row.form.key.choices = keys
        self.key_choices = keys
        return self

    # -- reading a stored version, writing a document

    @staticmethod
    def data_of(doc: RuleDocument, if_match: str) -> dict:
        """The form's data for a stored version (what GET shows)."""
        return {
            "if_match": if_match,
            "title": doc.title,
            "title_en": doc.title_en or "",
            "kind": doc.kind,
            "doc_number": doc.doc_number or "",
            "issuer": doc.issuer or "",
            "adopted": _iso(doc.adopted),
            "published": _iso(doc.published),
            "effective": _iso(doc.effective),
            "repealed": _iso(doc.repealed),
            "source_url": doc.source_url,
            "provenance": doc.provenance or "",
            "parameters": [
                {
                    "key": p.key,
                    "value": writer.scalar(p.value),
                    "unit": p.unit or "",
                    "article": p.article or "",
                    "scope": p.scope or "",
                }
                for p in doc.parameters
            ],
            "body": doc.body_text,
        }

    def filled_rows(self) -> list[ParameterRowForm]:
        """The parameter rows with anything typed in them (an empty row is ignored)."""
        return [row.form for row in self.parameters if not row.form.is_blank()]

    def check(self, current_start: dt.date) -> bool:
        """Validate every field, then what depends on several: a version date after the current
        version's, expiry after it, parameter values of the parameter's kind, articles in the text."""
        ok = self.validate()
        dates = {}
        for name in ("adopted", "published", "effective", "repealed"):
            field = getattr(self, name)
            dates[name] = None if field.errors else _date_or_none(field.data)
        start = dates["effective"] or dates["published"] or dates["adopted"]
        if not any(getattr(self, n).errors for n in ("adopted", "published", "effective")):
            if start is None:
                self.effective.errors.append(
                    gettext("Give the effective date (or, when unknown, a published or adopted date)")
                )
            elif start <= current_start:
                target = (
                    self.effective if dates["effective"] else (self.published if dates["published"] else self.adopted)
                )
                target.errors.append(
                    gettext(
                        "A new version must take effect after the current one (%(date)s)",
                        date=current_start.isoformat(),
                    )
                )
        if dates["repealed"] and start and dates["repealed"] <= start and not self.repealed.errors:
            self.repealed.errors.append(gettext("The expiry date must come after the effective date"))
        articles = {a.number for a in parse_body(self.body.data or "")[0].articles}
        if self.body.data and not articles and not self.body.errors:
            self.body.errors.append(gettext("The text has no article: write each as a “## 第一条 …” heading"))
        for row in self.filled_rows():
            self._check_row(row, articles)
        return ok and not self.has_errors()

    def has_errors(self) -> bool:
        """Any error on any field, parameter rows included (their checks run after ``validate``)."""
        own = any(f.errors for f in self if f.name != "parameters")
        return own or any(f.errors for row in self.parameters for f in row.form)

    def _check_row(self, row: ParameterRowForm, articles: set[str]) -> None:
        for f in (row.key, row.value, row.unit, row.article, row.scope):
            f.data = (f.data or "").strip()
        pdef = self.parameter_defs.get(row.key.data)
        if pdef is None:
            row.key.errors.append(gettext("Choose a parameter"))
        value = row.value.data.lower()
        if not value:
            row.value.errors.append(gettext("This field is required"))
        elif pdef is not None and pdef.is_boolean:
            if value not in TRUE_FALSE:
                row.value.errors.append(gettext("A yes/no parameter takes true or false"))
            elif row.unit.data:
                row.unit.errors.append(gettext("A yes/no parameter has no unit"))
        elif not NUMBER.match(value):
            row.value.errors.append(gettext("%(value)s is not a number", value=row.value.data))
        if row.article.data and row.article.data not in articles:
            row.article.errors.append(
                gettext(
                    "The text has no article %(number)s (write its number: 4 for 第四条, 10-1 for 第十条之一)",
                    number=row.article.data,
                )
            )
        elif self.provenance.data == "full_text":
            row.article.errors.append(gettext("An official text states the article of every value"))

    def document(self, base: RuleDocument) -> str:
        """The corpus document of the new version: the fields over ``base`` (the current version,
        whose jurisdiction, topic, applies_to, supersedes and articles_total are kept)."""
        params = []
        for row in self.filled_rows():
            raw = row.value.data.lower()
            value: float | bool = TRUE_FALSE[raw] if raw in TRUE_FALSE else _number(raw)
            params.append(
                ParameterEntry(
                    row.key.data, value, row.unit.data or None, row.article.data or None, row.scope.data or None
                )
            )
        body = (self.body.data or "").replace("\r\n", "\n").replace("\r", "\n")
        doc = dataclasses.replace(
            base,
            title=self.title.data,
            title_en=_text(self.title_en.data),
            kind=self.kind.data,
            doc_number=_text(self.doc_number.data),
            issuer=_text(self.issuer.data),
            adopted=_date_or_none(self.adopted.data),
            published=_date_or_none(self.published.data),
            effective=_date_or_none(self.effective.data),
            repealed=_date_or_none(self.repealed.data),
            source_url=self.source_url.data,
            provenance=self.provenance.data or None,
            parameters=params,
            body_text=body if body.endswith("\n") else body + "\n",
        )
        return writer.render_rule(doc)

    def put_problems(self, problems: Iterable[Problem]) -> list[str]:
        """Put the registry's problems on their fields (``parameters[0].value`` → that row's value);
        returns those that belong to no field of the form."""
        rest = []
        for p in problems:
            field = _field_of(self, p.field)
            if field is None:
                rest.append(problem_reason(p))
            else:
                field.errors = [*field.errors, problem_reason(p)]
        return rest


#: Front-matter fields the rule form shows (a problem on another one is listed above the form).
RULE_FORM_FIELDS = (
    "title",
    "title_en",
    "kind",
    "doc_number",
    "issuer",
    "adopted",
    "published",
    "effective",
    "repealed",
    "source_url",
    "provenance",
)


def _field_of(form: RuleVersionForm, name: str | None):  # type: ignore[no-untyped-def]
    """The form field a registry problem names (``parameters[0].unit`` → row 0's unit), or None."""
    if not name:
        return None
    m = re.fullmatch(r"parameters\[(\d+)\](?:\.(\w+))?", name)
    if m:
        rows = form.filled_rows()
        i = int(m[1])
        if i >= len(rows):
            return None
        return getattr(rows[i], m[2] or "key", None) or rows[i].key
    return getattr(form, name) if name in RULE_FORM_FIELDS else None


def _iso(d: dt.date | None) -> str:
    return d.isoformat() if d else ""


def _text(raw: str | None) -> str | None:
    raw = (raw or "").strip()
    return raw or None


def _number(raw: str) -> float | int:
    f = float(raw)
    return int(f) if "." not in raw and f == int(f) else f


# ---------------------------------------------------------------- an innovation of the register


class InnovationForm(BaseForm):
    """An innovation (SPEC §2 fields in order); turned into its document by the CSV/XLSX import's
    own row reader (``corpus.innovation_table.row_to_document``), so both validate alike."""

    if_match = HiddenField()
    slug = StringField(lazy_gettext("Id (optional; default from the English title or pinyin)"))
    title = StringField(lazy_gettext("Title"), [required])
    title_en = StringField(lazy_gettext("English title"))
    category = StringField(lazy_gettext("Category"), [required])
    year = StringField(lazy_gettext("Year"))
    batch = StringField(lazy_gettext("Batch"))
    number = StringField(lazy_gettext("Number (where a source gives one)"))
    promoted_nationally = SelectField(lazy_gettext("Promoted nationally"), validate_choice=False)
    promotion_notice = StringField(lazy_gettext("Promotion notice"))
    promotion_date = StringField(lazy_gettext("Promotion date"), [real_date])
    related_rules = TextAreaField(lazy_gettext("Related rules (rule ids, one per line)"))
    source_url = StringField(lazy_gettext("Source URL"), [required, web_address])
    verified = SelectField(
        lazy_gettext("Verified (title and facts checked against a public source)"), validate_choice=False
    )
    summary = TextAreaField(lazy_gettext("Summary (in our own words)"))

    FIELDS = (*INNOVATION_FIELDS, "summary")

    def setup(self) -> InnovationForm:
        self.promoted_nationally.choices = [
            ("", gettext("unknown")),
            ("true", gettext("yes")),
            ("false", gettext("no")),
        ]
        self.verified.choices = [("false", gettext("no")), ("true", gettext("yes"))]
        return self

    def check(self) -> bool:
        ok = self.validate()
        year = (self.year.data or "").strip()
        self.year.data = year
        if year and not re.fullmatch(r"\d{4}", year):
            self.year.errors = [*self.year.errors, gettext("Write the year as 4 digits, e.g. 2021")]
        slug = (self.slug.data or "").strip()
        self.slug.data = slug
        if slug and not is_slug(slug):
            self.slug.errors = [
                *self.slug.errors,
                gettext("Lower-case letters, digits and hyphens only (at most 80), e.g. cross-border-permits"),
            ]
        return ok and not self.errors

    def cells(self) -> dict[str, str]:
        """The form as the cells of an import row (text, ``\\n`` line ends)."""
        return {name: (getattr(self, name).data or "").replace("\r\n", "\n") for name in self.FIELDS}

    def document(self) -> str:
        """The innovation's document, validated as an import row is (CorpusError with every problem)."""
        return row_to_document(self.cells(), "form")[1]

    def put_problems(self, err: CorpusError) -> list[str]:
        rest = []
        for p in err.problems:
            field = getattr(self, p.field, None) if p.field in (*self.FIELDS, "slug") else None
            if field is None:
                rest.append(problem_reason(p))
            else:
                field.errors = [*field.errors, problem_reason(p)]
        return rest
