"""Use cases behind the officials' pages, on the loaded fixture registry (no Flask): suggested
counterparts read from the database, titles for citations, the years of the annual report and its
data, each against what the corpus holds."""

from __future__ import annotations

import datetime as dt

import pytest

from app.corpus import dates
from app.diff.services import counterparts
from app.exceptions import NotFound, NotInForce
from app.harmonization import services as hs

SH = "cn-sh/environment/sample-wwtp"
JS = "cn-js/environment/sample-wwtp-js"
DZ = "yrd-dz/environment/sample-joint-standard"
DATA = "cn-sh/data/sample-data-rule"
ON = dt.date(2024, 1, 1)


def test_counterparts_read_the_shown_versions_and_their_provisions(session):
    found = counterparts(session, SH, ON)
    assert [c.rule.id for c in found] == [JS, DZ]
    js = found[0]
    assert js.rule.version == f"{JS}@2021-06-30"
    assert js.shared_parameters == ("env.water.cod.max_concentration",)  # both state the COD limit
    assert js.same_kind is True  # two local standards
    assert found[1].shared_parameters == ()


def test_counterparts_of_an_older_version_and_of_a_rule_alone_on_its_topic(session):
    assert [c.rule.id for c in counterparts(session, f"{SH}@2020-01-01", ON)] == [JS, DZ]
    assert counterparts(session, DATA, ON) == []
    assert len(counterparts(session, SH, ON, limit=1)) == 1


def test_counterparts_of_an_unknown_or_not_in_force_rule_are_refused(session):
    with pytest.raises(NotFound):
        counterparts(session, "cn-sh/environment/no-such-rule", ON)
    with pytest.raises(NotInForce):
        counterparts(session, DATA, dt.date(2026, 1, 1))  # repealed 2025-01-01


def test_version_titles(session):
    assert hs.version_titles(session, [f"{SH}@2023-03-01", f"{JS}@2021-06-30", "", "nope@2020-01-01"]) == {
        f"{SH}@2023-03-01": "示例市污水排放标准",
        f"{JS}@2021-06-30": "示例省城镇污水处理厂污染物排放标准",
    }
    assert hs.version_titles(session, []) == {}


def test_report_years_run_from_the_first_stored_version_to_this_year(session):
    years = hs.report_years(session)
    assert years[0] == dates.today().year
    assert years[-1] == 2020  # the earliest version starts on 2020-01-01
    assert years == sorted(years, reverse=True) and len(years) == len(set(years))


def test_annual_report_data_for_2023(session):
    data = hs.annual_report_data(session, 2023)
    assert data["year_end"] == dt.date(2023, 12, 31)
    assert data["hard_rules"] == 1 and data["overdue"] == []
    assert [(e.date, e.jurisdiction, e.kind) for e in data["alignment_events"]] == [
        (dt.date(2023, 3, 1), "CN-SH", "restored")
    ]
    assert [(c.date, c.version, c.kind) for c in data["changes"]] == [
        (dt.date(2023, 3, 1), f"{SH}@2023-03-01", "added")
    ]
    # the same scoreboard as the page shows on 31 December
    assert data["board"]["jurisdictions"] == hs.score(session, dt.date(2023, 12, 31))["jurisdictions"]
