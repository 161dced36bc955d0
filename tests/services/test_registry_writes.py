"""Registry writes at the service level: permission, validation, If-Match, audit and outbox in one go."""

from __future__ import annotations

import datetime as dt

import pytest

from app.accounts import services as accounts
from app.exceptions import Conflict, CorpusError, NotFound, PermissionDenied, ValidationError
from app.registry import audit, writes
from app.registry.models import AuditEntry, IndexOutbox, Rule
from tests.documents import DOC

WWTP = "cn-sh/environment/sample-wwtp"


@pytest.fixture
def users(write):
    return {
        "ed-sh": write(accounts.add_user, "ed-sh", "editor", ["CN-SH"]),
        "boss": write(accounts.add_user, "boss", "admin", []),
        "reader": write(accounts.add_user, "reader", "viewer", []),
    }


def test_add_rule_writes_version_audit_and_outbox(session, write, users, count):
    audit_before, outbox_before = count("audit_log"), count("index_outbox")
    v = write(writes.add_rule, users["ed-sh"], DOC, "sample-open-data")
    assert (v.id, v.rule_id, v.path) == (
        "cn-sh/data/sample-open-data@2024-01-01",
        "cn-sh/data/sample-open-data",
        "rules/cn-sh/data/sample-open-data.md",
    )
    assert [(p.key, p.num_value, p.stated_unit) for p in v.parameter_values] == [
        ("data.sharing.response_days", 15.0, "个工作日")
    ]
    assert (count("audit_log"), count("index_outbox")) == (audit_before + 1, outbox_before + 1)
    last = session.query(AuditEntry).order_by(AuditEntry.id.desc()).first()
    assert (last.actor, last.action, last.target, last.after_hash) == (
        "ed-sh",
        "version_added",
        v.id,
        v.content_hash,
    )
    queued = session.query(IndexOutbox).order_by(IndexOutbox.id.desc()).first()
    assert (queued.kind, queued.target) == ("rule", "cn-sh/data/sample-open-data")


@pytest.mark.parametrize(
    ("who", "document", "slug", "error", "message"),
    [
        ("ed-sh", DOC.replace("CN-SH", "CN-JS"), "x", PermissionDenied, "user ed-sh may not write rules of CN-JS"),
        ("reader", DOC, "x", PermissionDenied, "user reader may not write rules of CN-SH"),
        ("ed-sh", DOC, "Bad Slug", ValidationError, "slug must match [a-z0-9-]{1,80}"),
        ("ed-sh", "", "x", CorpusError, "1 problem found; nothing was written"),
        ("ed-sh", DOC.replace("article: 2", "article: 9"), "x", CorpusError, "nothing was written"),
        ("ed-sh", DOC.replace("topic: data", "topic: environment"), "sample-wwtp", Conflict, f"rule {WWTP} exists"),
    ],
)
def test_refused_rule_writes_name_the_problem_and_write_nothing(
    write, users, count, who, document, slug, error, message
):
    before = (count("rules"), count("rule_versions"), count("audit_log"), count("index_outbox"))
    with pytest.raises(error) as caught:
        write(writes.add_rule, users[who], document, slug)
    assert message in caught.value.message
    assert (count("rules"), count("rule_versions"), count("audit_log"), count("index_outbox")) == before


def test_refused_document_names_the_field(write, users):
    with pytest.raises(CorpusError) as caught:
        write(writes.add_rule, users["ed-sh"], DOC.replace("article: 2", "article: 9"), "x")
    assert [(p.field, p.reason) for p in caught.value.problems] == [
        ("parameters[0].article", "article 9 is not in the body (no ## 第…条 heading for it)")
    ]


def test_add_version_needs_current_if_match_and_a_later_date(session, write, users, count):
    current = f"{WWTP}@2023-03-01"
    doc = (
        "---\ntitle: 示例市污水排放标准\njurisdiction: CN-SH\ntopic: environment\nkind: local_standard\n"
        "effective: 2026-01-01\nsource_url: https://example.org/v3\n---\n# 示例\n\n## 第一条 范围\n\n本标准适用于污水。\n"
    )
    before = count("rule_versions")
    with pytest.raises(ValidationError, match="If-Match header"):
        write(writes.add_version, users["ed-sh"], WWTP, doc, None)
    with pytest.raises(Conflict, match=f"stale If-Match: the current version is {current}"):
        write(writes.add_version, users["ed-sh"], WWTP, doc, f"{WWTP}@2020-01-01")
    with pytest.raises(Conflict, match="must take effect after the current one"):
        write(writes.add_version, users["ed-sh"], WWTP, doc.replace("2026-01-01", "2022-01-01"), current)
    with pytest.raises(NotFound, match="no rule with id 'cn-sh/environment/nope'"):
        write(writes.add_version, users["ed-sh"], "cn-sh/environment/nope", doc, current)
    assert count("rule_versions") == before
    v = write(writes.add_version, users["ed-sh"], WWTP, doc, f'"{current}"')
    assert (v.id, v.path) == (f"{WWTP}@2026-01-01", f"rules/{WWTP}@2026-01-01.md")
    assert count("rule_versions") == before + 1


def test_repeal(session, write, users):
    current = f"{WWTP}@2023-03-01"
    with pytest.raises(ValidationError, match="before the current version took effect"):
        write(writes.repeal_rule, users["ed-sh"], WWTP, dt.date(2020, 1, 1), current)
    v = write(writes.repeal_rule, users["ed-sh"], WWTP, dt.date(2025, 6, 30), current)
    assert v.repealed == dt.date(2025, 6, 30)
    assert session.get(Rule, WWTP).versions[-1].repealed == dt.date(2025, 6, 30)
    with pytest.raises(Conflict, match="already repealed"):
        write(writes.repeal_rule, users["ed-sh"], WWTP, dt.date(2025, 7, 1), current)


def test_put_hard_rule_admin_only_with_revision(write, users, count):
    body = {
        "id": "new-target",
        "title": "示例目标",
        "parameter": "data.sharing.response_days",
        "target": 10,
        "jurisdictions": ["CN-SH", "CN-JS"],
        "source_url": "https://example.org/t",
    }
    with pytest.raises(PermissionDenied, match="only admins may write hard rules"):
        write(writes.put_hard_rule, users["ed-sh"], "new-target", body, None)
    row, created = write(writes.put_hard_rule, users["boss"], "new-target", body, None)
    assert (row.revision, created, row.target_num) == (1, True, 10.0)
    with pytest.raises(ValidationError, match="If-Match with the current revision is required"):
        write(writes.put_hard_rule, users["boss"], "new-target", body, None)
    with pytest.raises(Conflict, match="stale If-Match: the current revision is 1"):
        write(writes.put_hard_rule, users["boss"], "new-target", {**body, "target": 5}, "7")
    row, created = write(writes.put_hard_rule, users["boss"], "new-target", {**body, "target": 5}, '"1"')
    assert (row.revision, created, row.target_num) == (2, False, 5.0)
    before = count("hard_rules")
    with pytest.raises(CorpusError) as caught:
        write(writes.put_hard_rule, users["boss"], "other", {**body, "id": "other", "parameter": "no.such"}, None)
    assert [(p.field, p.reason) for p in caught.value.problems] == [("parameter", "unknown parameter key 'no.such'")]
    assert count("hard_rules") == before


def test_every_write_keeps_the_audit_chain(session, write, users):
    write(writes.add_rule, users["ed-sh"], DOC, "chained")
    write(writes.repeal_rule, users["ed-sh"], WWTP, dt.date(2025, 6, 30), f"{WWTP}@2023-03-01")
    n, problems = audit.verify(session)
    assert problems == [] and n > 0
