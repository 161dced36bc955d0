"""Officials maintain their rules on the site: a new version, or a repeal, of a rule in their jurisdiction.

The same validated, audited use cases as the API (``registry.writes``), each in one write
transaction; the signed-in user's role and jurisdictions decide (``accounts.permissions.can_write``);
CSRF on both forms.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for

from app.accounts.permissions import can_write
from app.corpus import writer
from app.corpus.dates import parse_date
from app.errors import deny_write
from app.exceptions import Conflict, CorpusError, PermissionDenied, RegistryError, ValidationError
from app.extensions import apply_index_updates, db, engine
from app.registry import repository, writes
from app.registry.db import write_session
from app.registry.mapping import version_document
from app.web import bp
from app.web.i18n import url_quote
from app.web.security import current_user


def _writer_for(rule_id: str):  # type: ignore[no-untyped-def]
    """(user, rule, latest version) for a signed-in user allowed to write this rule; else redirect/403."""
    user = current_user()
    if user is None:
        return None
    rule = repository.get_rule(db(), repository.split_id(rule_id)[0])
    if not can_write(user, rule.jurisdiction):
        abort(403, description=f"{user.name} may not write rules of {rule.jurisdiction}")
    return user, rule, rule.versions[-1]


def _signin_redirect():  # type: ignore[no-untyped-def]
    if request.method == "POST":
        deny_write("not signed in")
    return redirect(url_for("web.signin", next=request.full_path.rstrip("?")), code=303)


@bp.route("/rules/<path:rule_id>/edit", methods=["GET", "POST"])
def edit_rule(rule_id: str):  # type: ignore[no-untyped-def]
    found = _writer_for(rule_id)
    if found is None:
        return _signin_redirect()
    user, rule, latest = found
    document = request.form.get("document") if request.method == "POST" else None
    if document is None:
        document = writer.render_rule(version_document(latest))
    problems: list[str] = []
    message = None
    status = 200
    if request.method == "POST":
        action = request.form.get("action", "version")
        if_match = request.form.get("if_match", "")
        try:
            if action == "repeal":
                raw = (request.form.get("repealed") or "").strip()
                try:
                    repealed = parse_date(raw)
                except ValueError:
                    raise ValidationError(f"repealed {raw!r} is not a real date (YYYY-MM-DD)") from None
                with write_session(engine()) as s:
                    v = writes.repeal_rule(s, user, rule.id, repealed, if_match)
            else:
                with write_session(engine()) as s:
                    v = writes.add_version(s, user, rule.id, document.replace("\r\n", "\n"), if_match)
            apply_index_updates()
            return redirect("/rules/" + url_quote(v.id), code=303)
        except CorpusError as err:
            problems = [str(p) for p in err.problems]
            message, status = err.message, 400
        except Conflict as err:
            message, status = err.message, 409
        except PermissionDenied:
            raise  # 403 (e.g. the version binds a jurisdiction the user may not write)
        except RegistryError as err:
            message, status = err.message, 400
    return (
        render_template(
            "edit/rule.html",
            rule=rule,
            latest=latest,
            user=user,
            document=document,
            problems=problems,
            message=message,
        ),
        status,
    )
