"""Atom (RFC 4287) feeds: /feeds/changes.atom and /feeds/alignment.atom (SPEC §4 "Feeds").

Built from plain event dataclasses with ``xml.etree`` (which escapes all text); deterministic:
the same events give the same bytes. Entry ids are ``urn:uuid:`` v5 UUIDs of the event's identity,
so they never change once published. ``updated`` of the feed is the newest entry's, so nothing
depends on the clock.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import quote
from xml.etree import ElementTree as ET

from app.corpus.dates import CST  # dates without a time are midnight in CST (SPEC §3 "today")
from app.harmonization.hard_rules import AlignmentEvent
from app.labels import word

ATOM_NS = "http://www.w3.org/2005/Atom"
#: Namespace for the v5 UUIDs of entry ids (fixed forever: changing it would change every id).
ID_NAMESPACE = uuid.UUID("6f1c5a0e-6f38-5c9b-9d62-9b7d2a1e4c11")
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
DEFAULT_LIMIT = 100

CHANGE_KINDS = ("added", "corrected", "repealed")

ET.register_namespace("", ATOM_NS)


@dataclass(frozen=True)
class ChangeEvent:
    """A version added, corrected in place, or repealed.

    ``date`` is the legal date (the version's effective date, or the repeal date);
    ``recorded_at`` when the registry recorded the change (from the audit log), if known.
    """

    kind: str  # added | corrected | repealed
    rule_id: str
    version: str
    title: str
    jurisdiction: str
    topic: str
    date: dt.date
    recorded_at: dt.datetime | None = None
    summary: str | None = None


def _timestamp(d: dt.date | dt.datetime | None) -> str:
    if d is None:
        d = EPOCH
    if not isinstance(d, dt.datetime):
        d = dt.datetime(d.year, d.month, d.day, tzinfo=CST)
    if d.tzinfo is None:
        d = d.replace(tzinfo=dt.UTC)  # naive datetimes are UTC, as the audit log stores them
    return d.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _entry_id(*parts: str) -> str:
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, chr(31).join(parts))}"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def _feed(
    feed_id: str, title: str, self_url: str, alternate_url: str | None, entries: list[dict], updated: dt.datetime | None
) -> str:
    root = ET.Element(f"{{{ATOM_NS}}}feed")
    _sub(root, "id", feed_id)
    _sub(root, "title", title)
    stamps = [e["updated"] for e in entries]
    _sub(root, "updated", max(stamps) if stamps else _timestamp(updated))
    _sub(root, "link", rel="self", href=self_url, type="application/atom+xml")
    if alternate_url:
        _sub(root, "link", rel="alternate", href=alternate_url, type="text/html")
    author = _sub(root, "author")
    _sub(author, "name", "长三角规则协同登记簿 YRD rule registry")
    for e in entries:
        entry = _sub(root, "entry")
        _sub(entry, "id", e["id"])
        _sub(entry, "title", e["title"])
        _sub(entry, "updated", e["updated"])
        if e.get("link"):
            _sub(entry, "link", rel="alternate", href=e["link"], type="text/html")
        for term in e.get("categories", ()):
            _sub(entry, "category", term=term)
        _sub(entry, "summary", e["summary"], type="text")
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def default_rule_link(base_url: str) -> Callable[[str], str]:
    """``version id -> <base_url>/rules/<version>`` with the id percent-encoded (``/`` and ``@`` kept)."""
    base = base_url.rstrip("/")
    return lambda version: f"{base}/rules/{quote(version, safe='/@')}"


def changes_feed(
    events: Iterable[ChangeEvent],
    *,
    base_url: str,
    self_url: str,
    jurisdiction: str | None = None,
    topic: str | None = None,
    updated: dt.datetime | None = None,
    limit: int = DEFAULT_LIMIT,
    rule_link: Callable[[str], str] | None = None,
) -> str:
    """The changes feed, newest first, optionally filtered by jurisdiction and topic.
    ``updated`` is used only when there is no entry (default: the epoch)."""
    link = rule_link or default_rule_link(base_url)
    j = jurisdiction.upper() if jurisdiction else None
    chosen = [e for e in events if (j is None or e.jurisdiction.upper() == j) and (topic is None or e.topic == topic)]
    chosen.sort(key=lambda e: (_timestamp(e.recorded_at or e.date), e.date, e.version, e.kind), reverse=True)
    entries = []
    for e in chosen[:limit]:
        summary = e.summary or f"{word('change', e.kind)} {e.version}（{e.date.isoformat()}）"
        entries.append(
            {
                "id": _entry_id("change", e.kind, e.version, e.date.isoformat(), _timestamp(e.recorded_at)),
                "title": f"[{word('change', e.kind)}] {e.title}",
                "updated": _timestamp(e.recorded_at or e.date),
                "link": link(e.version),
                "categories": [e.kind, e.jurisdiction, e.topic],
                "summary": summary,
            }
        )
    title = "规则变更 Rule changes" + "".join(f" · {x}" for x in (j, topic) if x)
    return _feed(_entry_id("feed", "changes", j or "", topic or ""), title, self_url, base_url, entries, updated)


def alignment_feed(
    events: Iterable[AlignmentEvent],
    *,
    base_url: str,
    self_url: str,
    updated: dt.datetime | None = None,
    limit: int = DEFAULT_LIMIT,
    hard_rule_link: Callable[[str], str] | None = None,
) -> str:
    """The alignment feed: a version that breaks or restores a jurisdiction's alignment with a hard
    rule (events from ``hard_rules.alignment_changes``), newest first."""
    base = base_url.rstrip("/")
    link = hard_rule_link or (lambda hid: f"{base}/hard-rules/{quote(hid, safe='')}")
    chosen = sorted(events, key=lambda e: (e.date, e.hard_rule_id, e.jurisdiction), reverse=True)
    entries = []
    for e in chosen[:limit]:
        source = f"{e.version}（{e.article}）" if e.version else "无约束值"
        value = "—" if e.value is None else str(e.value).lower() if isinstance(e.value, bool) else f"{e.value:g}"
        target = str(e.target).lower() if isinstance(e.target, bool) else f"{e.target:g}"
        entries.append(
            {
                "id": _entry_id("alignment", e.hard_rule_id, e.jurisdiction, e.date.isoformat(), e.kind),
                "title": f"[{word('alignment_change', e.kind)}] {word('jurisdiction', e.jurisdiction)} · {e.hard_rule_title}",
                "updated": _timestamp(e.date),
                "link": link(e.hard_rule_id),
                "categories": [e.kind, e.jurisdiction, e.hard_rule_id],
                "summary": (
                    f"{e.date.isoformat()}：{word('status', e.before)} → {word('status', e.after)}；"
                    f"约束值 {value}，目标 {target}；{source}"
                ),
            }
        )
    return _feed(
        _entry_id("feed", "alignment"),
        "硬规则一致性变化 Hard-rule alignment changes",
        self_url,
        base_url,
        entries,
        updated,
    )
