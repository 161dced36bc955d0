"""The rule list, the rule page, and the rules' stable ELI-style addresses with their schema.org data.

Every rule has a human-readable address after the European Legislation Identifier pattern, made
from its id (``<jurisdiction>/<topic>/<slug>``) and its version's date:

- ``/eli/cn-sh/environment/sample-wwtp`` — the rule: the version in force (``?as_of=`` as on
  ``/rules/<id>``);
- ``/eli/cn-sh/environment/sample-wwtp/2023-03-01`` — one version (the date of its id);
- ``/eli/cn-sh/environment/sample-wwtp/2023-03-01/art_10`` (``art_10-1`` for 第十条之一) — one
  article: redirects to the version's address with ``#art-10``.

The rule and version addresses answer the same page as ``/rules/<id>[@date]``; every rule page
names the version's ELI address as its canonical link and carries a schema.org ``Legislation``
description (JSON-LD, a data block the browser does not run, so the strict CSP stays as it is).
"""

from __future__ import annotations

import re
from typing import Any

from flask import redirect, render_template, request
from flask_babel import gettext
from markupsafe import Markup

from app import labels
from app.corpus.dates import parse_date
from app.exceptions import NotFound, NotInForce
from app.extensions import db
from app.registry import repository
from app.web import bp
from app.web.i18n import date as format_date
from app.web.i18n import url_quote
from app.web.pages.home import as_of_arg

ART_RE = re.compile(r"art_(\d{1,4}(?:-\d{1,3})?)\Z")


def eli_path(ident: str, article: str | None = None) -> str:
    """The ELI-style path of a rule id or version id (``rule@date``), or of one article of a
    version (``article``: its number, ``10`` or ``10-1``).

    >>> eli_path("cn-sh/environment/sample-wwtp@2023-03-01", "10-1")
    '/eli/cn-sh/environment/sample-wwtp/2023-03-01/art_10-1'
    >>> eli_path("cn-sh/environment/sample-wwtp")
    '/eli/cn-sh/environment/sample-wwtp'
    """
    rule_id, _, date = ident.partition("@")
    path = "/eli/" + url_quote(rule_id) + (f"/{date}" if date else "")
    return path + (f"/art_{article}" if article and date else "")


def legislation_jsonld(doc: dict, base_url: str) -> dict[str, Any]:
    """schema.org ``Legislation`` for one rule version (the page's ``doc``): its identifier, dates,
    jurisdiction, kind and legal force on the page's date, and ``isBasedOn`` the version it revises
    (and, for a summary, the public source it summarises). Only stored facts; nothing inferred."""
    base = base_url.rstrip("/")
    own = base + eli_path(doc["version"])
    node: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "@id": own,
        "url": own,
        "name": doc["title"],
        "inLanguage": "zh-CN",
        "legislationIdentifier": [doc["version"], *([doc["doc_number"]] if doc.get("doc_number") else [])],
        "legislationDateVersion": doc["effective"],
        "legislationJurisdiction": {
            "@type": "AdministrativeArea",
            "identifier": doc["jurisdiction"],
            "name": labels.word("jurisdiction", doc["jurisdiction"], "zh"),
        },
        "legislationType": labels.word("kind", doc["kind"], "zh"),
        "legislationLegalForce": "InForce" if doc["status"] == "in_force" else "NotInForce",
        "isPartOf": {"@type": "Legislation", "@id": base + eli_path(doc["id"]), "name": doc["title"]},
    }
    if doc.get("title_en"):
        node["alternateName"] = doc["title_en"]
    if doc.get("adopted"):
        node["legislationDate"] = doc["adopted"]
    if doc.get("published"):
        node["datePublished"] = doc["published"]
    if doc.get("issuer"):
        node["legislationPassedBy"] = {"@type": "Organization", "name": doc["issuer"]}
    based_on: list[Any] = []
    earlier = [v for v in doc.get("versions", []) if v["effective"] < doc["effective"]]
    if earlier:
        previous = max(earlier, key=lambda v: v["effective"])
        based_on.append({"@type": "Legislation", "@id": base + eli_path(previous["version"])})
    if doc.get("supersedes") and "@" in doc["supersedes"]:
        based_on.append({"@type": "Legislation", "@id": base + eli_path(doc["supersedes"])})
    if doc.get("provenance") == "summary" and doc.get("source_url"):
        based_on.append(doc["source_url"])
    elif doc.get("source_url"):
        node["sameAs"] = doc["source_url"]
    if based_on:
        node["isBasedOn"] = based_on if len(based_on) > 1 else based_on[0]
    return node


bp.add_app_template_global(eli_path, "eli_path")


# ---------------------------------------------------------------- the pages


@bp.route("/rules")
def rules():  # type: ignore[no-untyped-def]
    s = db()
    as_of = as_of_arg()
    jur = repository.check_code(s, request.args.get("jurisdiction") or None)
    topic = repository.check_code(s, request.args.get("topic") or None, "topic")
    listing = repository.list_rules(s, as_of=as_of, jurisdiction=jur, topic=topic, per_page=1000)
    return render_template(
        "rules/list.html",
        listing=listing,
        as_of=as_of,
        jurisdiction=jur,
        topic=topic,
        jurisdictions=repository.jurisdictions(s),
        topics=repository.topics(s),
    )


def _rule_page(ident: str):  # type: ignore[no-untyped-def]
    """The page of a rule (its version in force on ``as_of``; when none is, its latest version
    begun by then, else its first, with a notice) or of one version."""
    s = db()
    as_of = as_of_arg()
    notice = None
    try:
        doc = repository.show(s, ident, as_of)
    except NotInForce:
        rule = repository.get_rule(s, repository.split_id(ident)[0])
        begun = [v for v in rule.versions if v.start <= as_of]
        shown = max(begun, key=lambda v: v.start) if begun else min(rule.versions, key=lambda v: v.start)
        doc = repository.show(s, shown.id, as_of)
        notice = gettext(
            "No version of this rule is in force on %(date)s; this is its version of %(version_date)s.",
            date=format_date(as_of),
            version_date=format_date(doc["effective"]),
        )
    listing = repository.list_rules(s, as_of=as_of, per_page=1000)
    jsonld = legislation_jsonld(doc, request.host_url)
    return render_template(
        "rules/rule.html",
        doc=doc,
        as_of=as_of,
        all_rules=listing["items"],
        notice=notice,
        canonical=jsonld["url"],
        jsonld=Markup(jsonld_script(jsonld)),
    )


def jsonld_script(node: dict) -> str:
    """The ``<script type="application/ld+json">`` block: JSON with <, >, & and ' escaped, so no
    text in it can end the element."""
    from flask import json

    body = (
        json.dumps(node, ensure_ascii=False, sort_keys=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("'", "\\u0027")
    )
    return f'<script type="application/ld+json">{body}</script>'


@bp.route("/rules/<path:ident>")
def rule(ident: str):  # type: ignore[no-untyped-def]
    return _rule_page(ident)


def _eli_ident(jurisdiction: str, topic: str, slug: str, date: str | None = None) -> str:
    if date is not None:
        try:
            parse_date(date)
        except ValueError:
            raise NotFound(f"{date!r} is not a version date (YYYY-MM-DD)") from None
    return f"{jurisdiction}/{topic}/{slug}" + (f"@{date}" if date else "")


@bp.route("/eli/<jurisdiction>/<topic>/<slug>")
def eli_rule(jurisdiction: str, topic: str, slug: str):  # type: ignore[no-untyped-def]
    return _rule_page(_eli_ident(jurisdiction, topic, slug))


@bp.route("/eli/<jurisdiction>/<topic>/<slug>/<date>")
def eli_version(jurisdiction: str, topic: str, slug: str, date: str):  # type: ignore[no-untyped-def]
    return _rule_page(_eli_ident(jurisdiction, topic, slug, date))


@bp.route("/eli/<jurisdiction>/<topic>/<slug>/<date>/<article>")
def eli_article(jurisdiction: str, topic: str, slug: str, date: str, article: str):  # type: ignore[no-untyped-def]
    m = ART_RE.match(article)
    if not m:
        raise NotFound(f"{article!r} is not an article address (art_<n>, e.g. art_10 or art_10-1)")
    ident = _eli_ident(jurisdiction, topic, slug, date)
    doc = repository.show(db(), ident, as_of_arg())
    number = m.group(1)
    if number not in {str(a["number"]) for a in doc["articles"]}:
        raise NotFound(f"{doc['version']} has no article {number}")
    return redirect(f"{eli_path(doc['version'])}#art-{number}", code=301)
