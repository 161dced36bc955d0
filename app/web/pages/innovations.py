"""The innovations browser (SPEC §7) and the register's forms (SPEC §8.5: new, edit, delete).

The registry catalogues only innovations it found a public source for; the page states how many
of the reported total (154) are catalogued and for how many of the reported promoted (57) the
promotion is known, and never pads the list. Signed-in admins and demonstration-zone editors
add, correct and delete innovations through the same validated, audited services as the API
(``registry.innovations``). The form is ``app.web.forms.InnovationForm``: field errors in the page's
language, then the CSV/XLSX import's own row reader, so the form and the import validate alike;
every form carries the CSRF token.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext

from app.accounts.permissions import can_write_innovations
from app.corpus.innovation_table import document_cells
from app.errors import deny_write
from app.exceptions import Conflict, CorpusError, NotFound, PermissionDenied, RegistryError, ValidationError
from app.extensions import apply_index_updates, db, engine
from app.registry import innovations as register
from app.registry import repository
from app.registry.db import write_session
from app.registry.mapping import innovation_document
from app.registry.models import Innovation
from app.web import bp
from app.web.forms import InnovationForm
from app.web.i18n import error_text, url_quote
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


def _register_user():  # type: ignore[no-untyped-def]
    """The signed-in user allowed to write innovations; None when not signed in; 403 (an error page
    saying who may) otherwise."""
    user = current_user()
    if user is None:
        return None
    if not can_write_innovations(user):
        abort(403)
    return user


def _signin_redirect():  # type: ignore[no-untyped-def]
    if request.method == "POST":
        deny_write("not signed in")
    return redirect(url_for("web.signin", next=request.full_path.rstrip("?")), code=303)


def _render_form(mode: str, form: InnovationForm, status: int = 200, row=None, user=None, **view):  # type: ignore[no-untyped-def]
    view.setdefault("message", None)
    view.setdefault("detail", None)
    view.setdefault("problems", [])
    return render_template("innovations/form.html", mode=mode, form=form, row=row, user=user, **view), status


def _submit(mode: str, user, row=None):  # type: ignore[no-untyped-def]
    """Check the posted form, turn it into an innovation document as the CSV/XLSX import does, and
    write it through the register's service; the form again, with every problem on its field, when
    anything is wrong (nothing is written then)."""
    form = InnovationForm(request.form).setup()
    not_saved = gettext("Nothing was saved: correct the fields marked below.")
    if not form.check():
        return _render_form(mode, form, 400, row, user, message=not_saved)
    try:
        document = form.document()
        with write_session(engine()) as s:
            if mode == "new":
                written = register.add_innovation(s, user, document, form.slug.data or None)
            else:
                written = register.update_innovation(s, user, row.slug, document, form.if_match.data)
    except CorpusError as err:
        return _render_form(mode, form, 400, row, user, message=not_saved, problems=form.put_problems(err))
    except Conflict as err:
        message = gettext(
            "Nothing was saved: the innovation changed in the meantime. Reload the page and make your change again."
        )
        return _render_form(mode, form, 409, row, user, message=message, detail=error_text(err))
    except PermissionDenied:
        raise
    except RegistryError as err:
        return _render_form(mode, form, 400, row, user, message=gettext("Nothing was saved."), detail=error_text(err))
    apply_index_updates()
    return redirect(url_for("web.innovations") + "#" + url_quote(written.slug), code=303)


@bp.route("/innovations/new", methods=["GET", "POST"])
def innovation_new():  # type: ignore[no-untyped-def]
    user = _register_user()
    if user is None:
        return _signin_redirect()
    if request.method == "POST":
        return _submit("new", user)
    return _render_form("new", InnovationForm(data={"verified": "false"}).setup(), user=user)


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
    cells["verified"] = "true" if row.verified else "false"
    form = InnovationForm(data={**cells, "if_match": str(row.revision)}).setup()
    return _render_form("edit", form, row=row, user=user)


@bp.route("/innovations/<slug>/delete", methods=["GET", "POST"])
def innovation_delete(slug: str):  # type: ignore[no-untyped-def]
    user = _register_user()
    if user is None:
        return _signin_redirect()
    row = _stored(slug)
    message, detail, status = None, None, 200
    if request.method == "POST":
        try:
            with write_session(engine()) as s:
                register.delete_innovation(s, user, row.slug, request.form.get("if_match"))
        except Conflict as err:
            message = gettext(
                "Nothing was deleted: the innovation changed in the meantime. Reload the page and decide again."
            )
            detail, status = error_text(err), 409
        else:
            apply_index_updates()
            return redirect(url_for("web.innovations"), code=303)
    if_match = request.form.get("if_match") if request.method == "POST" else row.revision
    return render_template(
        "innovations/delete.html", row=row, user=user, message=message, detail=detail, if_match=if_match
    ), status
