"""The authorisation matrix, generated from the app's route table (ASVS 8.2.1-8.2.3, 8.4.1, 16.3.2).

Every state-changing route (API and pages: POST, PUT, PATCH, DELETE) is tried by every kind of
actor — anonymous, viewer, editor of the target's jurisdiction, editor of another jurisdiction,
demonstration-zone editor, admin — against a target in CN-SH and one in CN-JS (so each editor
meets an own and a foreign target). A route without a row in ``EXPECT`` fails the test.
A refused request changes no table (digest of every table equal before and after) and adds
exactly one ``write_denied`` audit row; an allowed one answers its success status.
Runs on SQLite, and on PostgreSQL with TEST_DATABASE_URL.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, select

from app.registry import innovations as register
from app.registry import writes
from app.registry.db import session_factory, write_session
from app.registry.models import AuditEntry, Innovation, Rule, User
from tests.security.conftest import PASSWORD, document, table_digests

ACTORS = ("anonymous", "reader", "ed-sh", "ed-js", "ed-dz", "boss")
TARGETS = ("CN-SH", "CN-JS")
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
_seq = itertools.count(1)

INNOVATION = """---
title: 示例登记事项{n}
category: 测试
year: 2021
promoted_nationally:
related_rules: []
source_url: https://example.org/innovation-{n}
verified: false
---
用于权限测试的示例登记（测试用）。
"""


def _role(actor: str, target: str) -> str:
    """The actor's role with respect to the target (for messages)."""
    if actor in ("ed-sh", "ed-js"):
        return "editor of the target's jurisdiction" if actor == f"ed-{target[-2:].lower()}" else "editor of another"
    return {"anonymous": "anonymous", "reader": "viewer", "ed-dz": "demonstration-zone editor", "boss": "admin"}[actor]


def rule_writer(actor: str, target: str) -> bool:
    return actor == "boss" or actor == f"ed-{target[-2:].lower()}"


def innovation_writer(actor: str, target: str) -> bool:
    return actor in ("boss", "ed-dz")


def admin_only(actor: str, target: str) -> bool:
    return actor == "boss"


def everyone(actor: str, target: str) -> bool:
    return True


@dataclass
class Case:
    """One way of calling a route: who may, how to build the request, what success looks like."""

    allowed: Callable[[str, str], bool]
    build: Callable[..., tuple[str, dict]]  # (ctx, actor, target, allowed) -> (path, request kwargs)
    success: tuple[int, ...]
    web: bool = False
    public: bool = False  # changes no registry data for anyone (sign-in, reads over POST)
    after: Callable[..., None] | None = None
    skip_tables: tuple[str, ...] = field(default=())
    #: success statuses that depend on the actor (e.g. a sign-in without an account: 401)
    success_for: dict[str, tuple[int, ...]] = field(default_factory=dict)
    #: a page answers an anonymous write with a redirect to the sign-in page (a fragment: 403)
    anonymous_redirect: bool = True


class Ctx:
    """The shared app, its clients (one per actor, signed in on the site) and fresh targets."""

    def __init__(self, app):
        self.app = app
        self.engine = app.extensions["registry_engine"]
        self.acc = app.extensions["test_accounts"]
        self.api = app.test_client()
        self.web: dict[str, object] = {}
        for actor in ACTORS:
            self.web[actor] = app.test_client()
            self.sign_in(actor)
        self.base = {t: self.new_rule(t) for t in TARGETS}

    def sign_in(self, actor: str) -> None:
        client = self.web[actor]
        client.get("/signin")
        if actor != "anonymous":
            r = client.post("/signin", data={"csrf_token": self.csrf(actor), "name": actor, "password": PASSWORD})
            assert r.status_code == 303
            client.get("/signin")  # a page with a form: the new session's CSRF token

    def csrf(self, actor: str) -> str:
        with self.web[actor].session_transaction() as sess:
            return sess["csrf"]

    def auth(self, actor: str) -> dict:
        return {} if actor == "anonymous" else self.acc[actor].auth

    def admin(self):  # type: ignore[no-untyped-def]
        with session_factory(self.engine)() as s:
            return s.scalars(select(User).where(User.name == "boss")).one()

    def new_rule(self, target: str) -> str:
        """A fresh rule, written through the registry's use case (its index update waits in the outbox)."""
        with write_session(self.engine) as s:
            return writes.add_rule(s, self.admin(), document(target), f"matrix-{next(_seq)}").rule_id

    def current(self, rule_id: str) -> str:
        with session_factory(self.engine)() as s:
            return s.get(Rule, rule_id).versions[-1].id

    def next_effective(self, rule_id: str) -> str:
        with session_factory(self.engine)() as s:
            return f"{s.get(Rule, rule_id).versions[-1].start.year + 1}-01-01"

    def new_innovation(self) -> str:
        n = next(_seq)
        with write_session(self.engine) as s:
            return register.add_innovation(s, self.admin(), INNOVATION.format(n=n), f"matrix-innovation-{n}").slug

    def revision(self, slug: str) -> str:
        with session_factory(self.engine)() as s:
            return str(s.get(Innovation, slug).revision)

    def target_rule(self, target: str, allowed: bool) -> str:
        """A rule of ``target``: a fresh one when the write will change it, else the shared base rule."""
        return self.new_rule(target) if allowed else self.base[target]

    def target_innovation(self, allowed: bool) -> str:
        return self.new_innovation() if allowed else "sample-innovation"


# ---------------------------------------------------------------- request builders


def api_add_rule(ctx, actor, target, allowed):
    return "/api/v1/rules", {
        "json": {"document": document(target), "slug": f"matrix-{next(_seq)}"},
        "headers": ctx.auth(actor),
    }


def api_add_version(ctx, actor, target, allowed):
    rid = ctx.target_rule(target, allowed)
    return f"/api/v1/rules/{rid}/versions", {
        "json": {"document": document(target, effective=ctx.next_effective(rid))},
        "headers": {**ctx.auth(actor), "If-Match": ctx.current(rid)},
    }


def api_repeal(ctx, actor, target, allowed):
    rid = ctx.target_rule(target, allowed)
    return f"/api/v1/rules/{rid}/repeal", {
        "json": {"repealed": "2030-01-01"},
        "headers": {**ctx.auth(actor), "If-Match": ctx.current(rid)},
    }


def api_put_hard_rule(ctx, actor, target, allowed):
    hid = f"matrix-hard-{next(_seq)}"
    body = {
        "id": hid,
        "title": "示例统一限值（测试）",
        "parameter": "env.water.cod.max_concentration",
        "scope": "A级",
        "target": 40,
        "jurisdictions": [target],
        "source_url": "https://example.org/hard-rule",
    }
    return f"/api/v1/hard-rules/{hid}", {"json": body, "headers": ctx.auth(actor)}


def api_add_innovation(ctx, actor, target, allowed):
    n = next(_seq)
    return "/api/v1/innovations", {
        "json": {"document": INNOVATION.format(n=n), "slug": f"matrix-innovation-{n}"},
        "headers": ctx.auth(actor),
    }


def api_put_innovation(ctx, actor, target, allowed):
    slug = ctx.target_innovation(allowed)
    return f"/api/v1/innovations/{slug}", {
        "json": {"document": INNOVATION.format(n=f"{slug}-corrected")},
        "headers": {**ctx.auth(actor), "If-Match": ctx.revision(slug)},
    }


def api_delete_innovation(ctx, actor, target, allowed):
    slug = ctx.target_innovation(allowed)
    return f"/api/v1/innovations/{slug}", {"headers": {**ctx.auth(actor), "If-Match": ctx.revision(slug)}}


def api_compliance(ctx, actor, target, allowed):
    body = {"jurisdictions": [target], "facts": {"env.water.cod.max_concentration": 30}}
    return "/api/v1/compliance-check", {"json": body, "headers": ctx.auth(actor)}


def web_signin(ctx, actor, target, allowed):
    return "/signin", {"data": {"csrf_token": ctx.csrf(actor), "name": actor, "password": PASSWORD}}


def web_resign(ctx, actor, target):
    ctx.sign_in(actor)


def web_signout(ctx, actor, target, allowed):
    return "/signout", {"data": {"csrf_token": ctx.csrf(actor)}}


def web_edit_version(ctx, actor, target, allowed):
    rid = ctx.target_rule(target, allowed)
    form = {
        "csrf_token": ctx.csrf(actor),
        "action": "version",
        "document": document(target, effective=ctx.next_effective(rid)),
        "if_match": ctx.current(rid),
    }
    return f"/rules/{rid}/edit", {"data": form}


def web_edit_repeal(ctx, actor, target, allowed):
    rid = ctx.target_rule(target, allowed)
    form = {"csrf_token": ctx.csrf(actor), "action": "repeal", "repealed": "2030-01-01", "if_match": ctx.current(rid)}
    return f"/rules/{rid}/edit", {"data": form}


def web_edit_preview(ctx, actor, target, allowed):
    rid = ctx.base[target]  # a preview writes nothing, so the shared rule serves every cell
    return f"/rules/{rid}/edit/preview", {"data": {"csrf_token": ctx.csrf(actor), "body": "## 第一条 目的\n\n示例。"}}


def web_compliance(ctx, actor, target, allowed):
    form = {
        "csrf_token": ctx.csrf(actor),
        "jurisdictions": target,
        "fact_key": "env.water.cod.max_concentration",
        "fact_value": "30",
        "fact_scope": "A级",
    }
    return "/compliance", {"data": form}


def _innovation_form(ctx, actor, n) -> dict:
    return {
        "csrf_token": ctx.csrf(actor),
        "title": f"示例登记事项{n}",
        "category": "测试",
        "year": "2021",
        "promoted_nationally": "",
        "related_rules": "",
        "source_url": f"https://example.org/innovation-{n}",
        "summary": "用于权限测试的示例登记（测试用）。",
    }


def web_new_innovation(ctx, actor, target, allowed):
    n = next(_seq)
    return "/innovations/new", {"data": {**_innovation_form(ctx, actor, n), "slug": f"matrix-web-innovation-{n}"}}


def web_edit_innovation(ctx, actor, target, allowed):
    slug = ctx.target_innovation(allowed)
    form = {**_innovation_form(ctx, actor, f"{slug}-corrected"), "if_match": ctx.revision(slug)}
    return f"/innovations/{slug}/edit", {"data": form}


def web_delete_innovation(ctx, actor, target, allowed):
    slug = ctx.target_innovation(allowed)
    return f"/innovations/{slug}/delete", {"data": {"csrf_token": ctx.csrf(actor), "if_match": ctx.revision(slug)}}


#: (method, route as in app.url_map) → the ways of calling it. Every state-changing route needs a row.
EXPECT: dict[tuple[str, str], list[Case]] = {
    ("POST", "/api/v1/rules"): [Case(rule_writer, api_add_rule, (201,))],
    ("POST", "/api/v1/rules/<path:rule_id>/versions"): [Case(rule_writer, api_add_version, (201,))],
    ("POST", "/api/v1/rules/<path:rule_id>/repeal"): [Case(rule_writer, api_repeal, (200,))],
    ("PUT", "/api/v1/hard-rules/<hard_rule_id>"): [Case(admin_only, api_put_hard_rule, (201,))],
    ("POST", "/api/v1/innovations"): [Case(innovation_writer, api_add_innovation, (201,))],
    ("PUT", "/api/v1/innovations/<string:slug>"): [Case(innovation_writer, api_put_innovation, (200,))],
    ("DELETE", "/api/v1/innovations/<string:slug>"): [Case(innovation_writer, api_delete_innovation, (204,))],
    ("POST", "/api/v1/compliance-check"): [Case(everyone, api_compliance, (200,), public=True)],
    ("POST", "/signin"): [
        Case(
            everyone,
            web_signin,
            (303,),
            web=True,
            public=True,
            skip_tables=("web_sessions",),
            after=web_resign,
            success_for={"anonymous": (401,)},  # no such account: a failed sign-in, audited as such
        )
    ],
    ("POST", "/signout"): [
        Case(everyone, web_signout, (303,), web=True, public=True, skip_tables=("web_sessions",), after=web_resign)
    ],
    ("POST", "/rules/<path:rule_id>/edit"): [
        Case(rule_writer, web_edit_version, (303,), web=True),
        Case(rule_writer, web_edit_repeal, (303,), web=True),
    ],
    # the edit form's server-side preview: only who may edit the rule, and it writes nothing
    ("POST", "/rules/<path:rule_id>/edit/preview"): [
        Case(rule_writer, web_edit_preview, (200,), web=True, public=True, anonymous_redirect=False)
    ],
    ("POST", "/compliance"): [Case(everyone, web_compliance, (200,), web=True, public=True)],
    ("POST", "/innovations/new"): [Case(innovation_writer, web_new_innovation, (303,), web=True)],
    ("POST", "/innovations/<slug>/edit"): [Case(innovation_writer, web_edit_innovation, (303,), web=True)],
    ("POST", "/innovations/<slug>/delete"): [Case(innovation_writer, web_delete_innovation, (303,), web=True)],
}


def _problem(r) -> str:
    """What a failed response says (the error envelope, or a page's error lines)."""
    text = r.get_data(as_text=True)
    if r.is_json:
        return text[:400]
    import re

    found = re.findall(r'data-field="([^"]*)">(.*?)</span>|<li>(.*?)</li>|role="alert"><p>(.*?)</p>', text, re.S)
    return " | ".join(" ".join(x for x in groups if x) for groups in found)[:600] or text[-400:]


def _state_changing_routes(app) -> set[tuple[str, str]]:
    return {
        (method, rule.rule) for rule in app.url_map.iter_rules() for method in (rule.methods or set()) & WRITE_METHODS
    }


def _audit_count(engine, action: str) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)).scalar()


def test_every_state_changing_route_has_a_row(shared):
    routes = _state_changing_routes(shared)
    assert routes - EXPECT.keys() == set(), "new state-changing routes: add them to EXPECT"
    assert EXPECT.keys() - routes == set(), "EXPECT lists routes the app no longer has"


@pytest.mark.parametrize("target", TARGETS)  # one test per target, so `make test -n 2` runs them side by side
def test_authorisation_matrix(shared, target):
    ctx = Ctx(shared)
    engine = ctx.engine
    cells = 0
    for (method, route), cases in sorted(EXPECT.items()):
        for case, actor in itertools.product(cases, ACTORS):
            allowed = case.allowed(actor, target)
            where = f"{method} {route} by {actor} ({_role(actor, target)}) on {target}"
            path, kwargs = case.build(ctx, actor, target, allowed)
            client = ctx.web[actor] if case.web else ctx.api
            skip = ("audit_log", "web_sessions", *case.skip_tables)
            before = table_digests(engine, skip=skip)
            denied_before = _audit_count(engine, "write_denied")
            r = client.open(path, method=method, **kwargs)
            cells += 1
            if allowed:
                success = case.success_for.get(actor, case.success)
                assert r.status_code in success, (where, r.status_code, _problem(r))
                if case.public:
                    assert table_digests(engine, skip=skip) == before, f"{where}: a public route changed data"
                else:
                    assert table_digests(engine, skip=skip) != before, f"{where}: allowed but nothing written"
                assert _audit_count(engine, "write_denied") == denied_before, where
            else:
                if case.web and actor == "anonymous" and case.anonymous_redirect:
                    assert r.status_code == 303 and "/signin" in r.headers["Location"], (where, r.status_code)
                else:
                    expected = 401 if actor == "anonymous" and not case.web else 403
                    assert r.status_code == expected, (where, r.status_code, r.get_data(as_text=True)[:400])
                assert table_digests(engine, skip=skip) == before, f"{where}: refused but data changed"
                assert _audit_count(engine, "write_denied") == denied_before + 1, f"{where}: refusal not audited"
            if case.after:
                case.after(ctx, actor, target)
    assert cells == sum(len(c) for c in EXPECT.values()) * len(ACTORS)


def test_moving_a_rule_or_setting_server_owned_fields_is_refused(shared):
    ctx = Ctx(shared)
    engine = ctx.engine
    rid = ctx.base["CN-SH"]
    boss = ctx.acc["boss"].auth
    skip = ("audit_log", "web_sessions")
    before = table_digests(engine, skip=skip)
    effective = ctx.next_effective(rid)
    attempts = [
        # a new version that moves the rule to another jurisdiction (even an admin may not)
        (f"/api/v1/rules/{rid}/versions", {"document": document("CN-JS", effective=effective)}),
        # server-owned fields in the body
        *[
            ("/api/v1/rules", {"document": document("CN-SH"), "slug": f"owned-{k}", k: v})
            for k, v in (("id", "cn-sh/data/other"), ("revision", 7), ("created_by", "boss"), ("audit", []))
        ],
        # ... or in the front matter
        *[
            ("/api/v1/rules", {"document": document("CN-SH", extra=f"{k}: {v}\n"), "slug": f"owned-fm-{k}"})
            for k, v in (("id", "cn-sh/data/other"), ("revision", 7), ("created_by", "boss"), ("version", "x"))
        ],
    ]
    for path, body in attempts:
        r = ctx.api.post(path, json=body, headers={**boss, "If-Match": ctx.current(rid)})
        assert r.status_code == 400, (path, body.keys(), r.status_code, r.get_data(as_text=True)[:300])
    # a hard rule's revision is the server's: sending one is refused
    r = ctx.api.put(
        "/api/v1/hard-rules/dz-cod-common-limit",
        json={
            "id": "dz-cod-common-limit",
            "title": "示例",
            "parameter": "env.water.cod.max_concentration",
            "target": 40,
            "jurisdictions": ["CN-SH"],
            "source_url": "https://example.org/hard-rule",
            "revision": 99,
        },
        headers={**boss, "If-Match": "1"},
    )
    assert r.status_code == 400 and "revision" in r.get_json()["error"].get("fields", {}), r.get_json()
    assert table_digests(engine, skip=skip) == before


@pytest.mark.parametrize("kind", ["version", "hard-rule"])
def test_concurrent_amendments_exactly_one_wins(shared, kind):
    ctx = Ctx(shared)
    boss = ctx.acc["boss"].auth
    if kind == "version":
        rid = ctx.new_rule("CN-SH")
        if_match = ctx.current(rid)
        path = f"/api/v1/rules/{rid}/versions"
        bodies = [{"document": document("CN-SH", effective=f"{2030 + i}-01-01", days=20 + i)} for i in range(2)]
        method, wins = "POST", 201
    else:
        hid = f"matrix-race-{next(_seq)}"
        path = f"/api/v1/hard-rules/{hid}"
        body = {
            "id": hid,
            "title": "示例统一限值（测试）",
            "parameter": "env.water.cod.max_concentration",
            "scope": "A级",
            "target": 40,
            "jurisdictions": ["CN-SH"],
            "source_url": "https://example.org/hard-rule",
        }
        assert ctx.api.put(path, json=body, headers=boss).status_code == 201
        if_match = "1"
        bodies = [{**body, "target": 30 + i} for i in range(2)]
        method, wins = "PUT", 200
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def amend(body):
        client = shared.test_client()
        barrier.wait()
        r = client.open(path, method=method, json=body, headers={**boss, "If-Match": if_match})
        statuses.append(r.status_code)

    threads = [threading.Thread(target=amend, args=(b,)) for b in bodies]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [wins, 409]
