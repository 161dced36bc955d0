"""The innovations browser (SPEC §7) and the register's forms (SPEC §8.5: new, edit, delete).

The registry catalogues only innovations it found a public source for; the page states how many
of the reported total (154) are catalogued and for how many of the reported promoted (57) the
promotion is known, and never pads the list. Signed-in admins and demonstration-zone editors
add, correct and delete innovations through the same validated, audited services as the API
(``registry.innovations``); every form carries a CSRF token.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import LazyString, lazy_gettext

from app.accounts.permissions import DEMONSTRATION_ZONE, can_write_innovations
from app.corpus.innovation_table import document_cells, row_to_document
from app.errors import deny_write
from app.exceptions import Conflict, CorpusError, NotFound, PermissionDenied, RegistryError, ValidationError
from app.extensions import apply_index_updates, db, engine
from app.registry import innovations as register
from app.registry import repository
from app.registry.db import write_session
from app.registry.mapping import innovation_document
from app.registry.models import Innovation
from app.web import bp
from app.web.i18n import url_quote
from app.web.security import current_user

PROMOTED_VALUES = {"true": True, "false": False, "unknown": None}


def innovations_doc(s) -> tuple[dict, dict]:  # type: ignore[no-untyped-def]
    """``(document, filters)`` for ``?category=&promoted=true|false|unknown&q=``: the
    ``list_innovations`` document with ``items`` filtered (``unknown`` = promotion status not known)."""
    category = (request.args.get("category") or "").strip() or None
    promoted_raw = (request.args.get("promoted") or "").strip().lower()
    q = (request.args.get("q") or "").strip() or None
    if promoted_raw and promoted_raw not in PROMOTED_VALUES:
        raise ValidationError("promoted is true, false or unknown", fields={"promoted": ["true, false or unknown"]})
    promoted = PROMOTED_VALUES.get(promoted_raw) if promoted_raw in ("true", "false") else None
    doc = repository.list_innovations(s, category=category, promoted=promoted, q=q)
    if promoted_raw == "unknown":
        doc["items"] = [i for i in doc["items"] if i["promoted_nationally"] is None]
        doc["total"] = len(doc["items"])
    return doc, {"category": category, "promoted": promoted_raw or None, "q": q}


@bp.route("/innovations")
def innovations():  # type: ignore[no-untyped-def]
    s = db()
    doc, filters = innovations_doc(s)
    everything = repository.list_innovations(s)
    categories: dict[str, int] = {}
    for item in everything["items"]:
        categories[item["category"]] = categories.get(item["category"], 0) + 1
    query = {k: v for k, v in filters.items() if v}
    return render_template(
        "innovations/list.html",
        doc=doc,
        filters=filters,
        query=query,
        catalogued=everything["total"],
        categories=sorted(categories.items()),
        known={"known": everything["promotion_known"], "promoted": everything["promoted_known"]},
        reported=everything["reported"],
        can_edit=can_write_innovations(current_user()),
    )


# ---------------------------------------------------------------- the register's forms (SPEC §8.5)

#: Form fields in SPEC §2 order: (name, label, input kind).
FORM_FIELDS: tuple[tuple[str, LazyString, str], ...] = (
    ("title", lazy_gettext("Title"), "text"),
    ("title_en", lazy_gettext("English title"), "text"),
    ("category", lazy_gettext("Category"), "text"),
    ("year", lazy_gettext("Year"), "number"),
    ("batch", lazy_gettext("Batch"), "text"),
    ("number", lazy_gettext("Number (where a source gives one)"), "text"),
    ("promoted_nationally", lazy_gettext("Promoted nationally"), "tristate"),
    ("promotion_notice", lazy_gettext("Promotion notice"), "text"),
    ("promotion_date", lazy_gettext("Promotion date"), "date"),
    ("related_rules", lazy_gettext("Related rules (rule ids, one per line)"), "lines"),
    ("source_url", lazy_gettext("Source URL"), "url"),
    ("verified", lazy_gettext("Verified (title and facts checked against a public source)"), "checkbox"),
    ("summary", lazy_gettext("Summary (in our own words)"), "textarea"),
)


def _register_user():  # type: ignore[no-untyped-def]
    """The signed-in user allowed to write innovations; None when not signed in; 403 otherwise."""
    user = current_user()
    if user is None:
        return None
    if not can_write_innovations(user):
        abort(
            403,
            description=f"{user.name} may not write innovations (admins and {DEMONSTRATION_ZONE} editors may)",
        )
    return user


def _signin_redirect():  # type: ignore[no-untyped-def]
    if request.method == "POST":
        deny_write("not signed in")
    return redirect(url_for("web.signin", next=request.full_path.rstrip("?")), code=303)


def _form_cells() -> dict[str, str]:
    cells = {name: (request.form.get(name) or "").replace("\r\n", "\n") for name, *_ in FORM_FIELDS}
    cells["verified"] = "true" if request.form.get("verified") else "false"
    return cells


def _field_errors(err: CorpusError) -> dict[str, list[str]]:
    """Problems by form field; those of no field (or a field the form has not) under ``document``."""
    names = {name for name, *_ in FORM_FIELDS} | {"slug"}
    out: dict[str, list[str]] = {}
    for p in err.problems:
        out.setdefault(p.field if p.field in names else "document", []).append(p.reason)
    return out


def _render_form(mode: str, cells: dict, errors: dict, message: str | None, status: int, row=None, user=None):  # type: ignore[no-untyped-def]
    return (
        render_template(
            "innovations/form.html",
            mode=mode,
            cells=cells,
            errors=errors,
            message=message,
            row=row,
            user=user,
            fields=FORM_FIELDS,
            if_match=request.form.get("if_match") if request.method == "POST" else (row.revision if row else None),
        ),
        status,
    )


def _submit(mode: str, user, row=None):  # type: ignore[no-untyped-def]
    """Validate the posted form like an innovation file and write it; the form again on any problem."""
    cells = _form_cells()
    slug = (request.form.get("slug") or "").strip() or None
    if mode == "new":
        cells["slug"] = slug or ""
    try:
        _, document = row_to_document({k: v for k, v in cells.items() if k != "slug"}, "form")
        with write_session(engine()) as s:
            if mode == "new":
                written = register.add_innovation(s, user, document, slug)
            else:
                written = register.update_innovation(s, user, row.slug, document, request.form.get("if_match"))
    except CorpusError as err:
        return _render_form(mode, cells, _field_errors(err), err.message, 400, row, user)
    except Conflict as err:
        return _render_form(mode, cells, {}, err.message, 409, row, user)
    except PermissionDenied:
        raise
    except RegistryError as err:
        return _render_form(mode, cells, {k: list(v) for k, v in err.fields.items()}, err.message, 400, row, user)
    apply_index_updates()
    return redirect(url_for("web.innovations") + "#" + url_quote(written.slug), code=303)


@bp.route("/innovations/new", methods=["GET", "POST"])
def innovation_new():  # type: ignore[no-untyped-def]
    user = _register_user()
    if user is None:
        return _signin_redirect()
    if request.method == "POST":
        return _submit("new", user)
    return _render_form("new", {"verified": "false"}, {}, None, 200, None, user)


def _stored(slug: str) -> Innovation:
    row = db().get(Innovation, slug)
    if row is None:
        raise NotFound(f"no innovation with id {slug!r}")
    return row


@bp.route("/innovations/<slug>/edit", methods=["GET", "POST"])
def innovation_edit(slug: str):  # type: ignore[no-untyped-def]
    user = _register_user()
    if user is None:
        return _signin_redirect()
    row = _stored(slug)
    if request.method == "POST":
        return _submit("edit", user, row)
    cells = document_cells(innovation_document(row))
    cells["related_rules"] = "\n".join(row.related_rules or [])
    return _render_form("edit", cells, {}, None, 200, row, user)


@bp.route("/innovations/<slug>/delete", methods=["GET", "POST"])
def innovation_delete(slug: str):  # type: ignore[no-untyped-def]
    user = _register_user()
    if user is None:
        return _signin_redirect()
    row = _stored(slug)
    message, status = None, 200
    if request.method == "POST":
        try:
            with write_session(engine()) as s:
                register.delete_innovation(s, user, row.slug, request.form.get("if_match"))
        except Conflict as err:
            message, status = err.message, 409
        else:
            apply_index_updates()
            return redirect(url_for("web.innovations"), code=303)
    if_match = request.form.get("if_match") if request.method == "POST" else row.revision
    return render_template("innovations/delete.html", row=row, user=user, message=message, if_match=if_match), status
