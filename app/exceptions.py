"""The registry's one exception tree (the bottom module every package may import).

Only ``app/errors.py`` maps these to HTTP statuses; the CLI maps them to exit codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field


class RegistryError(Exception):
    """Root of every error the registry raises on purpose."""

    code = "registry_error"

    def __init__(self, message: str = "", *, code: str | None = None, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.fields = fields or {}
        self.template: str | None = None  # the message's catalogue entry, when made by ``of``
        self.values: dict[str, object] = {}

    @classmethod
    def of(cls, template: str, *, code: str | None = None, fields: dict | None = None, **values: object):
        """The error whose message is the catalogue message ``template`` filled with ``values``, so a
        page can show it in its language (``QueryError.of("query has more than %(n)s terms", n=64)``)."""
        err = cls(template % values if values else template, code=code, fields=fields)
        err.template, err.values = template, values
        return err


def N_(message: str) -> str:
    """Marks ``message`` for the catalogues (``pybabel extract -k N_``); returns it unchanged. The web
    pages translate it when they show it; the CLI and the API keep the English."""
    return message


@dataclass(frozen=True)
class Problem:
    """One problem found in a corpus file or a submitted document.

    Rendered as ``<file>:<line>: <field>: <reason>`` (SPEC §3); ``line`` and
    ``field`` are omitted when they do not apply. ``template`` and ``args``, when set, are the
    reason's catalogue message (``%(name)s`` placeholders) and its values, so a page can show the
    reason in its language (:func:`problem` makes such a Problem).
    """

    file: str
    reason: str
    line: int | None = None
    field: str | None = None
    template: str | None = dataclass_field(default=None, compare=False, repr=False)
    args: tuple[tuple[str, object], ...] = dataclass_field(default=(), compare=False, repr=False)

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.field}: {self.reason}" if self.field else f"{where}: {self.reason}"


def problem(file: str, template: str, line: int | None = None, field: str | None = None, /, **args: object) -> Problem:
    """A Problem whose reason is the catalogue message ``template`` filled with ``args``
    (``problem(path, "unknown topic code %(code)r", line, "topic", code=c)``)."""
    return Problem(file, template % args if args else template, line, field, template, tuple(args.items()))


class CorpusError(RegistryError):
    """A corpus (or submitted document) failed validation; carries every problem found."""

    code = "invalid_document"

    def __init__(self, problems: list[Problem] | Problem, message: str | None = None):
        self.problems: list[Problem] = [problems] if isinstance(problems, Problem) else list(problems)
        n = len(self.problems)
        super().__init__(message or f"{n} problem{'s' if n != 1 else ''} found; nothing was written")


class ValidationError(RegistryError):
    """Bad input to a command or an API call (not a corpus file)."""

    code = "bad_request"


class NotFound(RegistryError):
    code = "not_found"


class NotInForce(NotFound):
    """The rule exists but has no version in force on the requested date."""

    code = "not_in_force"


class Conflict(RegistryError):
    code = "conflict"


class AuthenticationRequired(RegistryError):
    code = "unauthorized"


class PermissionDenied(RegistryError):
    code = "forbidden"


class PayloadTooLarge(RegistryError):
    code = "payload_too_large"


class SearchIndexError(RegistryError):
    code = "search_index_error"


class SchemaNotCurrent(RegistryError):
    """The database has not been migrated to this code's schema (``registry db upgrade`` fixes it)."""

    code = "database_not_migrated"

    def __init__(self) -> None:
        super().__init__("the database schema is not up to date; run `registry db upgrade`")


class QueryError(ValidationError):
    """A search query the registry refuses (leading wildcard, too long, too deeply nested...)."""

    code = "bad_query"
