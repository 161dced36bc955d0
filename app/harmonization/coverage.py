"""Official coverage and the four alignment statuses (SPEC §8.3).

The ONE place that knows what the registry holds for a jurisdiction on a topic, and so whether an
absent value is a gap in the jurisdiction's rules or a gap in the registry:

* J has **official coverage** of a topic on D when a ``full_text`` rule version of that topic
  applying to J (``applies_to``; rules of ``CN`` apply to all) is in force on D.
* A hard-rule status, a timeline point or a matrix cell's ``alignment`` without a binding value is
  ``missing`` when J has official coverage of the parameter's topic, else ``unknown``. With a value,
  ``aligned`` / ``divergent`` come from ``strictness`` (which alone knows what "stricter" means).

``HeldVersion`` is one stored rule version (whatever its parameters); ``Coverage`` groups them once by
topic so every question scans only its topic's versions. Pure Python: no Flask, no SQLAlchemy.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.corpus import validity
from app.corpus.jurisdictions import NATIONAL
from app.harmonization import strictness

#: Provenance values (SPEC §2); a version that states none is counted as ``unspecified``.
FULL_TEXT, SUMMARY, UNSPECIFIED = "full_text", "summary", "unspecified"
HELD_KINDS: tuple[str, ...] = (FULL_TEXT, SUMMARY, UNSPECIFIED)

#: The fourth status: no value, and no official text on the topic either (SPEC §8.3).
UNKNOWN = "unknown"
STATUSES: tuple[str, ...] = (strictness.ALIGNED, strictness.DIVERGENT, strictness.MISSING, UNKNOWN)

#: The compliance check's ``coverage`` of an entry without a binding value (SPEC §8.4).
COVERAGE_FULL_TEXT, COVERAGE_NONE = "full_text", "none"


@dataclass(frozen=True)
class HeldVersion:
    """One rule version the registry holds: its topic, whom it binds, its provenance and validity.

    ``valid_to`` is exclusive (the next version's start or the repeal date; None = open), exactly
    as for ``ValueRecord``. Codes are upper case.
    """

    rule_id: str
    version: str
    topic: str
    jurisdiction_of_rule: str
    binds: Sequence[str]
    provenance: str | None
    valid_from: dt.date
    valid_to: dt.date | None = None

    def in_force(self, on: dt.date) -> bool:
        return validity.in_force_between(self.valid_from, self.valid_to, on)

    def binds_jurisdiction(self, jurisdiction: str) -> bool:
        return self.jurisdiction_of_rule == NATIONAL or jurisdiction in self.binds

    @property
    def official(self) -> bool:
        return self.provenance == FULL_TEXT

    @property
    def held_kind(self) -> str:
        return self.provenance if self.provenance in (FULL_TEXT, SUMMARY) else UNSPECIFIED


class Coverage:
    """Held versions grouped once by topic; official coverage of each (topic, jurisdiction) is
    merged once into disjoint spans, so ``official`` is a binary search."""

    def __init__(self, versions: Iterable[HeldVersion] = ()):
        by_topic: dict[str, list[HeldVersion]] = defaultdict(list)
        for v in versions:
            by_topic[v.topic].append(v)
        self._by_topic = dict(by_topic)
        self._spans: dict[tuple[str, str], tuple[list[dt.date], list[dt.date | None]]] = {}

    def versions(self, topic: str) -> list[HeldVersion]:
        return list(self._by_topic.get(topic, ()))

    def spans(self, jurisdiction: str, topic: str) -> list[tuple[dt.date, dt.date | None]]:
        """The disjoint, sorted periods ``[start, end)`` (end None = open) in which ``jurisdiction``
        has official coverage of ``topic``: the union of its full_text versions' validity."""
        starts, ends = self._merged(jurisdiction, topic)
        return list(zip(starts, ends, strict=True))

    def _merged(self, jurisdiction: str, topic: str) -> tuple[list[dt.date], list[dt.date | None]]:
        key = (topic, jurisdiction)
        if key not in self._spans:
            intervals = sorted(
                (
                    (v.valid_from, v.valid_to)
                    for v in self._by_topic.get(topic, ())
                    if v.official and v.binds_jurisdiction(jurisdiction)
                ),
                key=lambda iv: iv[0],
            )
            starts: list[dt.date] = []
            ends: list[dt.date | None] = []
            for start, end in intervals:
                if ends and (ends[-1] is None or start <= ends[-1]):  # overlaps or touches: extend
                    last = ends[-1]
                    ends[-1] = None if last is None or end is None else max(last, end)
                else:
                    starts.append(start)
                    ends.append(end)
            self._spans[key] = (starts, ends)
        return self._spans[key]

    def official(self, jurisdiction: str, topic: str, on: dt.date) -> bool:
        """True when a full_text version of ``topic`` binding ``jurisdiction`` is in force on ``on``."""
        starts, ends = self._merged(jurisdiction, topic)
        i = bisect_right(starts, on) - 1
        return i >= 0 and validity.in_force_between(starts[i], ends[i], on)

    def held(self, jurisdiction: str, topic: str, on: dt.date) -> dict[str, int]:
        """``{full_text, summary, unspecified}``: how many rules of ``topic`` binding ``jurisdiction``
        the registry holds in force on ``on``, by provenance (one version per rule is in force)."""
        out = dict.fromkeys(HELD_KINDS, 0)
        for v in self._by_topic.get(topic, ()):
            if v.in_force(on) and v.binds_jurisdiction(jurisdiction):
                out[v.held_kind] += 1
        return out

    def changes(self, jurisdiction: str, topic: str) -> list[dt.date]:
        """The dates on which ``jurisdiction``'s official coverage of ``topic`` starts or ends (sorted);
        on each of them coverage really differs from the day before."""
        out: list[dt.date] = []
        for start, end in self.spans(jurisdiction, topic):
            out.append(start)
            if end is not None:
                out.append(end)
        return out


def as_coverage(coverage: Coverage | Iterable[HeldVersion] | None) -> Coverage:
    """A ``Coverage``; None means the registry holds no version at all (so no official text)."""
    if isinstance(coverage, Coverage):
        return coverage
    return Coverage(coverage or ())


def gap_status(covered: bool) -> str:
    """The status of a jurisdiction with no binding value: ``missing`` when the registry holds its
    official text on the topic, ``unknown`` when it does not."""
    return strictness.MISSING if covered else UNKNOWN


def alignment(binding: strictness.Value | None, target: strictness.Value, stricter: str, covered: bool) -> str:
    """One of aligned | divergent | missing | unknown (SPEC §8.3).

    >>> alignment(None, 40, "lower", True), alignment(None, 40, "lower", False), alignment(30, 40, "lower", False)
    ('missing', 'unknown', 'aligned')
    """
    if binding is None:
        return gap_status(covered)
    return strictness.alignment(binding, target, stricter)


def compliance_coverage(covered: bool) -> str:
    """``full_text`` (the official text on the topic is held and states no such value) or ``none``."""
    return COVERAGE_FULL_TEXT if covered else COVERAGE_NONE


def held_versions_from_documents(documents: Iterable) -> list[HeldVersion]:
    """``HeldVersion``s from corpus ``RuleDocument``s (intervals from ``app.corpus.validity``)."""
    by_rule: dict[str, list] = defaultdict(list)
    for doc in documents:
        by_rule[doc.rule_id].append(doc)
    out = []
    for rule_id in sorted(by_rule):
        for doc, start, end in validity.intervals(sorted(by_rule[rule_id], key=lambda d: d.start)):
            out.append(
                HeldVersion(
                    rule_id=rule_id,
                    version=doc.version_id,
                    topic=doc.topic,
                    jurisdiction_of_rule=doc.jurisdiction.upper(),
                    binds=[j.upper() for j in doc.binds],
                    provenance=doc.provenance,
                    valid_from=start,
                    valid_to=end,
                )
            )
    return out
