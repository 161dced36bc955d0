"""Property tests: random histories -> matrix cells and hard-rule statuses (four values: aligned,
divergent, missing, unknown — SPEC §8.3) equal the brute-force oracle in histories.py, and the
one-pass and per-cell computations agree."""

from __future__ import annotations

import importlib.util
import pathlib
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.harmonization import hard_rule_status, matrix, scoreboard
from tests.harmonization_reference import matrix_naive, statuses_naive


def _load_histories():
    path = pathlib.Path(__file__).with_name("histories.py")
    spec = importlib.util.spec_from_file_location("harmonization_histories", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


H = _load_histories()
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(history=H.histories(), hard_rules=H.hard_rules_for(), on=H.dates)
def test_matrix_cells_equal_the_oracle(history, hard_rules, on):
    records, held = history
    doc = matrix("environment", H.PARAMS, records, hard_rules, as_of=on, coverage=held)
    assert doc["jurisdictions"] == H.PROVINCES
    seen = set()
    for row in doc["rows"]:
        p = H.PMAP[row["key"]]
        assert p.topic == "environment"
        seen.add((row["key"], row["scope"]))
        present = {}
        for j in H.PROVINCES:
            expected = H.oracle_binding(records, p.key, row["scope"], j, on, p.stricter)
            cell = row["values"][j]
            if expected is None:
                assert cell is None or (cell["status"] == "missing" and cell["value"] is None)
                continue
            present[j] = expected[0]
            assert (cell["value"], cell["rule_id"], cell["version"], cell["article"]) == expected[:4]
            assert cell.get("conflict", False) == expected[4]
        values = list(present.values())
        ref = H.oracle_reference(values, p.stricter)
        assert row["strictest"]["value"] == ref
        assert row["strictest"]["jurisdictions"] == [j for j in H.PROVINCES if j in present and present[j] == ref]
        for j in present:
            assert row["values"][j]["status"] == ("strictest" if present[j] == ref else "less_strict")
        assert row["status"] == H.oracle_row_status(values, len(H.PROVINCES))
        if p.stricter == "true" or not values:
            assert row["spread"] is None
        else:
            assert abs(row["spread"] - (max(values) - min(values))) < 1e-9
        for j in H.PROVINCES:
            targeting = [
                h for h in hard_rules if h.parameter == p.key and h.scope == row["scope"] and j in h.jurisdictions
            ]
            cell = row["values"][j]
            if not targeting:
                assert cell is None or "alignment" not in cell
            else:
                b = H.oracle_binding(records, p.key, row["scope"], j, on, p.stricter)
                covered = H.oracle_official(held, j, p.topic, on)
                statuses = {H.oracle_alignment(b, h.target, p.stricter, covered) for h in targeting}
                want = "divergent" if "divergent" in statuses else statuses.pop()
                assert cell["alignment"] == want
    for j in H.PROVINCES:
        assert doc["coverage"][j]["official"] == H.oracle_official(held, j, "environment", on)
    # every (key, scope) with a value binding a province on D has a row; every topic parameter has one
    for r in records:
        if H.PMAP[r.key].topic != "environment":
            continue
        if H.oracle_binding(records, r.key, r.scope, "CN-SH", on, "lower") is None and all(
            H.oracle_binding(records, r.key, r.scope, j, on, "lower") is None for j in H.PROVINCES
        ):
            continue
        assert (r.key, r.scope) in seen
    assert {k for k, _ in seen} == {p.key for p in H.PARAMS if p.topic == "environment"}


@SETTINGS
@given(
    history=H.histories(),
    hard_rules=H.hard_rules_for(),
    on=H.dates,
    cols=st.lists(st.sampled_from(H.ISSUERS), min_size=1, max_size=4, unique=True),
)
def test_one_pass_matrix_equals_per_cell_matrix(history, hard_rules, on, cols):
    records, held = history
    for topic in ("environment", "energy"):
        fast = matrix(topic, H.PARAMS, records, hard_rules, jurisdictions=cols, as_of=on, coverage=held)
        slow = matrix_naive(topic, H.PARAMS, records, hard_rules, jurisdictions=cols, as_of=on, coverage=held)
        assert fast == slow


@SETTINGS
@given(history=H.histories(), hard_rules=H.hard_rules_for(), on=H.dates)
def test_hard_rule_statuses_equal_the_oracle(history, hard_rules, on):
    records, held = history
    for hr in hard_rules:
        p = H.PMAP[hr.parameter]
        item = hard_rule_status(hr, H.PARAMS, records, on, timeline=True, coverage=held)
        assert list(item["status"]) == list(hr.jurisdictions)
        expected = {}
        for j in hr.jurisdictions:
            b = H.oracle_binding(records, hr.parameter, hr.scope, j, on, p.stricter)
            expected[j] = H.oracle_status(records, held, hr, j, on)
            cell = item["status"][j]
            assert cell["status"] == expected[j]
            assert cell["value"] == (b[0] if b else None)
            assert cell["article"] == (b[3] if b else None)
        assert expected == statuses_naive(hr, p, records, on, held)
        n_aligned = sum(s == "aligned" for s in expected.values())
        assert item["aligned_share"] == n_aligned / len(hr.jurisdictions)
        if n_aligned == len(hr.jurisdictions):
            assert item["deadline_status"] == "met"
        elif hr.deadline is None or on <= hr.deadline:
            assert item["deadline_status"] == "on_track"
        else:
            assert item["deadline_status"] == "overdue"
        # the timeline: one point per relevant value change date up to D, plus each coverage change
        # that changed a status (SPEC §8.3), each point equal to the oracle
        points = item["timeline"]
        assert [pt["date"] for pt in points] == [d.isoformat() for d in H.oracle_timeline_dates(records, held, hr, on)]
        for pt in points[:5]:
            import datetime as dt

            d = dt.date.fromisoformat(pt["date"])
            for j in hr.jurisdictions:
                assert pt["status"][j] == H.oracle_status(records, held, hr, j, d)


@settings(max_examples=60, deadline=None)
@given(history=H.histories(), hard_rules=H.hard_rules_for(), on=H.dates)
def test_scoreboard_deficit_equals_the_oracle(history, hard_rules, on):
    records, held = history
    board = scoreboard(hard_rules, H.PARAMS, records, on, coverage=held)["jurisdictions"]
    for j in H.PROVINCES:
        listed = [h for h in hard_rules if j in h.jurisdictions]
        if not listed:
            assert j not in board
            continue
        counts = {"aligned": 0, "divergent": 0, "missing": 0, "unknown": 0}
        for h in listed:
            counts[H.oracle_status(records, held, h, j, on)] += 1
        n = len(listed)
        assert board[j]["applicable"] == n
        assert {k: board[j][k] for k in counts} == counts
        assert abs(board[j]["deficit"] - (counts["divergent"] + counts["missing"]) / n) < 1e-12
        if counts["unknown"] * 4 > n:
            assert board[j]["rating"] == "incomplete"
        else:
            assert board[j]["rating"] in ("green", "amber", "red")


@settings(max_examples=60, deadline=None)
@given(history=H.histories(), on=H.dates, data=st.data())
def test_result_does_not_depend_on_record_order(history, on, data):
    records, held = history
    shuffled = data.draw(st.permutations(records))
    held_shuffled = data.draw(st.permutations(held))
    assert matrix("environment", H.PARAMS, records, as_of=on, coverage=held) == matrix(
        "environment", H.PARAMS, shuffled, as_of=on, coverage=held_shuffled
    )
