"""Map the registry's exception tree to HTTP: a JSON envelope under /api/, HTML pages elsewhere (SPEC §4).

Error pages speak the page's language and offer a way onward (a search box; under ``/rules/`` the
rule's versions when the rule exists). They never show a file path, a stack trace or the English
message meant for the API: the page says what happened in words of the catalogue.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, g, jsonify, render_template, request
from flask_babel import gettext, lazy_gettext
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from app.exceptions import (
    AuthenticationRequired,
    Conflict,
    CorpusError,
    NotFound,
    PayloadTooLarge,
    PermissionDenied,
    RegistryError,
    SchemaNotCurrent,
    SearchIndexError,
    ValidationError,
)

STATUS = [
    (AuthenticationRequired, 401),
    (PermissionDenied, 403),
    (NotFound, 404),
    (Conflict, 409),
    (PayloadTooLarge, 413),
    (SearchIndexError, 503),
    (SchemaNotCurrent, 503),
    (CorpusError, 400),
    (ValidationError, 400),
]


def status_of(err: RegistryError) -> int:
    for cls, status in STATUS:
        if isinstance(err, cls):
            return status
    return 400


def envelope(code: str, message: str, fields: dict | None = None) -> dict:
    body: dict = {"error": {"code": code, "message": message}}
    if fields:
        body["error"]["fields"] = fields
    return body


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path.startswith("/feeds/")


def registry_error_response(err: RegistryError) -> tuple[Response, int] | tuple[str, int]:
    status = status_of(err)
    fields = {k: v if isinstance(v, list) else [str(v)] for k, v in dict(err.fields).items()}
    if isinstance(err, CorpusError):
        for p in err.problems:
            fields.setdefault(p.field or "document", []).append(str(p))
    if _wants_json():
        resp = jsonify(envelope(err.code, err.message, fields or None))
        if status == 401:
            resp.headers["WWW-Authenticate"] = 'Bearer realm="registry"'
        return resp, status
    return error_page(status, err.code, fields), status


def http_error_response(error: HTTPException):  # type: ignore[no-untyped-def]
    status = error.code or 500
    code = {
        400: "bad_request",
        401: "unauthorized",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        409: "conflict",
        413: "payload_too_large",
        415: "unsupported_media_type",
        422: "bad_request",
        429: "too_many_requests",
    }.get(status, "error")
    fields = None
    data = getattr(error, "data", None) or {}
    if "messages" in data:  # webargs validation (flask-smorest answers 422; we answer 400 with fields)
        fields = {}
        for _location, msgs in data["messages"].items():
            if isinstance(msgs, dict):
                fields.update({k: v if isinstance(v, list) else [str(v)] for k, v in msgs.items()})
        status = 400
    message = {
        400: "the request is not valid",
        404: "no such page or resource",
        405: "method not allowed here",
        413: "the request body is too large",
        429: f"too many requests ({error.description}); try again later (see Retry-After)",
    }.get(status, error.description or error.name)
    if _wants_json():
        return jsonify(envelope(code, message, fields)), status
    page_code = "csrf" if status == 400 and "CSRF" in (error.description or "") else code
    return error_page(status, page_code, fields or {}), status


# ---------------------------------------------------------------- error pages

#: (heading, what happened) per status, in the page's language.
PAGE_TEXT = {
    400: (
        lazy_gettext("The request is not valid"),
        lazy_gettext("Something in the address or the form could not be read."),
    ),
    401: (lazy_gettext("Sign-in needed"), lazy_gettext("Sign in to do this.")),
    403: (lazy_gettext("Not allowed"), lazy_gettext("Your account may not do this.")),
    404: (lazy_gettext("Not found"), lazy_gettext("There is nothing at this address.")),
    405: (lazy_gettext("Not possible here"), lazy_gettext("This address does not accept this kind of request.")),
    409: (
        lazy_gettext("Changed in the meantime"),
        lazy_gettext("What you sent no longer matches what the registry holds."),
    ),
    413: (lazy_gettext("Too large"), lazy_gettext("What you sent is larger than the registry accepts.")),
    500: (
        lazy_gettext("Something went wrong"),
        lazy_gettext(
            "The registry could not answer this request. Try again later; if it keeps happening, tell its administrators."
        ),
    ),
    503: (lazy_gettext("Not available"), lazy_gettext("The registry cannot answer at the moment.")),
}


def _detail(status: int, code: str, rule: dict | None) -> str | None:
    """A sentence on this particular error, where the page knows one."""
    if code == "csrf":
        return gettext(
            "The form had expired or did not come from this site, so nothing was saved. What you typed is kept"
            " in this browser: open the form again and restore it."
        )
    if code == "database_not_migrated":
        return gettext("The database schema is not up to date; an administrator must run `registry db upgrade`.")
    if code == "not_in_force" and rule:
        return gettext("This rule has no version in force on the date asked for; its versions are listed below.")
    if status == 404 and request.path.startswith(("/rules/", "/eli/")) and not rule:
        return gettext("The registry holds no rule with this id. Search for it, or browse the rule list.")
    if status == 404 and rule and request.path.startswith("/eli/"):
        return gettext("This address names no version or article of this rule; its versions are listed below.")
    if status == 404 and rule:
        return gettext("This rule has no such version; its versions are listed below.")
    if status == 403 and rule:
        return gettext(
            "Rules of %(jurisdiction)s may be changed by administrators and by editors of %(jurisdiction)s.",
            jurisdiction=rule["jurisdiction_name"],
        )
    if status == 403 and request.path.startswith("/innovations"):
        return gettext(
            "The innovation register may be changed by administrators and by editors of the demonstration zone."
        )
    if status == 409:
        return gettext("Reload the page to see the current state, then make your change again.")
    return None


def _rule_versions(status: int) -> dict | None:
    """The rule named by a ``/rules/<id>…`` or ``/eli/<jurisdiction>/<topic>/<slug>/…`` address, with its
    versions; None elsewhere or when there is none."""
    if status not in (400, 403, 404, 409) or not request.path.startswith(("/rules/", "/eli/")):
        return None
    from app.corpus.dates import today
    from app.extensions import db
    from app.registry import repository
    from app.web.i18n import label

    if request.path.startswith("/eli/"):
        ident = "/".join(request.path.removeprefix("/eli/").split("/")[:3])
    else:
        ident = request.path.removeprefix("/rules/").removesuffix("/edit")
    try:
        rule = repository.get_rule(db(), repository.split_id(ident)[0])
        versions = [repository.version_summary(rule, v, today()) for v in rule.versions]
    except Exception:  # a malformed or unknown id, or a database that cannot answer: nothing to offer
        return None
    by_id = {v.id: v for v in rule.versions}
    for v in versions:
        v["repealed"] = by_id[v["version"]].repealed
    return {
        "id": rule.id,
        "title": versions[-1]["title"],
        "jurisdiction_name": label(rule.jurisdiction, "jurisdiction"),
        "versions": versions,
    }


def error_page(status: int, code: str, fields: dict | None = None) -> str:
    """The HTML error page: heading and explanation in the page's language, the names of the fields
    to check, the rule's versions under ``/rules/``, and a search box."""
    rule = _rule_versions(status)
    heading, explanation = PAGE_TEXT.get(status, PAGE_TEXT[500] if status >= 500 else PAGE_TEXT[400])
    if status == 404 and rule:
        explanation = None  # the rule is there: the detail says which version is not
    return render_template(
        "error.html",
        status=status,
        heading=heading,
        explanation=explanation,
        detail=_detail(status, code, rule),
        fields=sorted(fields or {}),
        rule=rule,
        # a form sent to a page that shows it (the editors' forms) can be opened again from here
        form_url=request.path if code == "csrf" and "GET" in getattr(request.url_rule, "methods", ()) else None,
    )


WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def deny_write(reason: str) -> None:
    """Mark this request as a refused write (e.g. no CSRF token, not signed in): it is audited."""
    g.write_denied = reason


def _audit_denied_write(resp: Response) -> Response:
    """Every refused write leaves one audit row (``write_denied``), in a transaction of its own.

    Refused: 401 or 403 to a write, and writes marked by :func:`deny_write`. The refused write's
    own transaction was rolled back, so the row records the attempt only; it is chained like every
    other row and carries no before/after hashes, as nothing changed. Sign-in answers are audited
    by the sign-in page itself (``signin_failed``).
    """
    if request.method not in WRITE_METHODS or request.endpoint == "web.signin":
        return resp
    reason = g.pop("write_denied", None)
    if reason is None and resp.status_code not in (401, 403):
        return resp
    user = g.get("writer") or g.get("user")  # the API's token holder, or the signed-in user
    actor = user.name if user is not None else "anonymous"
    from app.extensions import engine
    from app.registry import audit
    from app.registry.db import write_session

    try:
        with write_session(engine()) as s:
            audit.lock(s)
            audit.append(
                s,
                actor=str(actor)[:80],
                action="write_denied",
                target=request.path[:240],
                detail={
                    "method": request.method,
                    "status": resp.status_code,
                    "reason": reason or _reason(resp),
                    "address": request.remote_addr,
                },
            )
    except SQLAlchemyError as err:  # the refusal stands even when it cannot be recorded
        current_app.logger.error("could not audit a refused write to %s: %s", request.path, err)
    return resp


def _reason(resp: Response) -> str:
    if resp.is_json:
        return str((resp.get_json(silent=True) or {}).get("error", {}).get("message", ""))[:500]
    return {401: "not authenticated", 403: "not allowed"}.get(resp.status_code, "refused")


def init_app(app: Flask) -> None:
    app.register_error_handler(RegistryError, registry_error_response)
    app.register_error_handler(HTTPException, http_error_response)
    app.after_request(_audit_denied_write)
