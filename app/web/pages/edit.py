"""Officials maintain their rules on the site: a new version (as fields, or as the corpus document in
the advanced mode), or a repeal, of a rule in their jurisdiction.

Every submission goes through the same validated, audited use cases as the API (``registry.writes``),
each in one write transaction, so a refusal leaves nothing written. Who may write is asked of
``accounts.permissions.can_write`` only; the pages show the edit actions to those users alone
(``can_edit_rule`` in templates). CSRF on every form (``app.web.security``). The articles' preview
is rendered on the server through the page sanitiser (``render_markdown``); the editor's script is
a static file (CSP allows no inline script).
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.datastructures import MultiDict

from app.accounts.permissions import can_write
from app.corpus import writer
from app.corpus.dates import parse_date
from app.corpus.structure import chinese_article_label, parse_body
from app.errors import deny_write
from app.exceptions import Conflict, CorpusError, PermissionDenied, RegistryError
from app.extensions import apply_index_updates, db, engine
from app.registry import mapping, repository, writes
from app.registry.db import write_session
from app.web import bp
from app.web.forms import MAX_PARAMETER_ROWS, RuleVersionForm
from app.web.i18n import error_text, problem_line, problem_reason, url_quote
from app.web.security import current_user

#: The buttons of the version form (``action``): what the page does with the posted fields.
ACTIONS = ("structured", "preview", "add_parameter", "remove_parameter", "version", "repeal")


@bp.app_template_global()
def can_edit_rule(jurisdiction: str) -> bool:
    """Whether the signed-in user may write rules of ``jurisdiction`` (shows or hides edit actions)."""
    return can_write(current_user(), jurisdiction)


def _writer_for(rule_id: str):  # type: ignore[no-untyped-def]
    """(user, rule, latest version) for a signed-in user allowed to write this rule; None when
    nobody is signed in; 403 (an error page naming who may) otherwise."""
    user = current_user()
    if user is None:
        return None
    rule = repository.get_rule(db(), repository.split_id(rule_id)[0])
    if not can_write(user, rule.jurisdiction):
        abort(403)
    return user, rule, rule.versions[-1]


def _signin_redirect():  # type: ignore[no-untyped-def]
    if request.method == "POST":
        deny_write("not signed in")
    return redirect(url_for("web.signin", next=request.full_path.rstrip("?")), code=303)


def _version_form(formdata: MultiDict | None, latest) -> RuleVersionForm:  # type: ignore[no-untyped-def]
    data = RuleVersionForm.data_of(mapping.version_document(latest), latest.id)
    form = RuleVersionForm(formdata, data=data) if formdata is None else RuleVersionForm(formdata)
    return form.setup(mapping.references(db()).parameters)


def preview_of(body: str) -> dict:
    """How the registry reads a body: its articles (label, heading, text) under their chapters,
    the preamble, and what the structure parser objects to."""
    parsed, problems = parse_body(body.replace("\r\n", "\n"))
    chapters = {c.id: c for c in parsed.chapters}
    return {
        "title": parsed.title,
        "preamble": parsed.preamble,
        "articles": [
            {
                "label": a.label,
                "heading": a.heading,
                "text": a.text,
                "chapter": " · ".join(chapters[a.chapter].path) if a.chapter in chapters else "",
            }
            for a in parsed.articles
        ],
        "problems": [problem_reason(p) for p in problems],
        "next_label": next_article_label(parsed.articles),
    }


def next_article_label(articles) -> str:  # type: ignore[no-untyped-def]
    """The heading label of an article after the last one (第五条 after 第四条 or 第四条之一)."""
    numbers = [int(a.number.split("-")[0]) for a in articles if a.number.split("-")[0].isdigit()]
    return chinese_article_label(str(max(numbers, default=0) + 1))


@bp.route("/rules/<path:rule_id>/edit", methods=["GET", "POST"])
def edit_rule(rule_id: str):  # type: ignore[no-untyped-def]
    found = _writer_for(rule_id)
    if found is None:
        return _signin_redirect()
    user, rule, latest = found
    action = None
    if request.method == "POST":
        action = "remove_parameter" if "remove_parameter" in request.form else request.form.get("action", "structured")
    structured = action in (None, "structured", "preview", "add_parameter", "remove_parameter")
    form = _version_form(request.form if request.method == "POST" and structured else None, latest)
    document = request.form.get("document") if action == "version" else None
    if document is None:
        document = writer.render_rule(mapping.version_document(latest))
    view = {"problems": [], "message": None, "detail": None, "preview": None, "mode": "structured", "status": 200}
    if action == "version":
        view["mode"] = "advanced"
    if action == "preview":
        view["preview"] = preview_of(form.body.data or "")
    elif action == "add_parameter":
        if len(form.parameters.entries) < MAX_PARAMETER_ROWS:
            form.parameters.append_entry()
        form.setup(form.parameter_defs)
    elif action == "remove_parameter":
        index = request.form.get("remove_parameter", "")
        if index.isdigit() and int(index) < len(form.parameters.entries):
            form.parameters.entries.pop(int(index))
    elif action in ("structured", "version", "repeal"):
        done = _submit(action, user, rule, latest, form, document, view)
        if done is not None:
            return done
    elif action is not None and action not in ACTIONS:
        abort(400)
    return (
        render_template(
            "edit/rule.html",
            rule=rule,
            latest=latest,
            user=user,
            form=form,
            document=document,
            next_label=next_article_label(parse_body(form.body.data or "")[0].articles),
            **{k: v for k, v in view.items() if k != "status"},
        ),
        view["status"],
    )


def _submit(action, user, rule, latest, form: RuleVersionForm, document: str, view: dict):  # type: ignore[no-untyped-def]
    """Write the new version (fields or document) or the repeal; the redirect to the written version,
    or None with ``view`` saying what went wrong (nothing is written then): a message in the page's
    language, and the registry's own words (English, marked so) where it refused."""
    if_match = request.form.get("if_match", "")
    not_saved = gettext("Nothing was saved: correct the fields marked below.")
    try:
        if action == "structured":
            if not form.check(latest.start):
                view.update(message=not_saved, status=400)
                return None
            document = form.document(mapping.version_document(latest))
        if action == "repeal":
            raw = (request.form.get("repealed") or "").strip()
            try:
                repealed = parse_date(raw)
            except ValueError:
                view.update(message=gettext("The repeal date is not a real date; write it as YYYY-MM-DD."), status=400)
                return None
            with write_session(engine()) as s:
                v = writes.repeal_rule(s, user, rule.id, repealed, if_match)
        else:
            with write_session(engine()) as s:
                v = writes.add_version(s, user, rule.id, document.replace("\r\n", "\n"), if_match)
    except CorpusError as err:
        if action == "structured":
            view.update(message=not_saved, problems=form.put_problems(err.problems), status=400)
        else:
            view.update(message=not_saved, problems=[problem_line(p) for p in err.problems], status=400)
        return None
    except Conflict as err:
        view.update(
            message=gettext(
                "Nothing was saved: the rule changed in the meantime. Reload the page and make your change again."
            ),
            detail=error_text(err),
            status=409,
        )
        return None
    except PermissionDenied:
        raise  # 403 (e.g. the version binds a jurisdiction the user may not write): the error page, audited
    except RegistryError as err:
        view.update(message=gettext("Nothing was saved."), detail=error_text(err), status=400)
        return None
    apply_index_updates()
    return redirect("/rules/" + url_quote(v.id), code=303)


@bp.route("/rules/<path:rule_id>/edit/preview", methods=["POST"])
def edit_preview(rule_id: str):  # type: ignore[no-untyped-def]
    """The articles' preview for the editor's script: a fragment rendered on the server."""
    found = _writer_for(rule_id)
    if found is None:
        abort(403)
    return render_template("edit/_preview.html", preview=preview_of(request.form.get("body") or ""))
