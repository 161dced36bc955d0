"""Harmonization: binding values, the topic matrix, hard rules, scoreboard, compliance, and the
feeds, chart and annual report built on them. Pure Python over dataclasses (no Flask, no
SQLAlchemy); ``services.py`` (written separately) fetches ``ValueRecord``s from the database and
calls these functions.

Modules
-------
``strictness``   the ONE place that knows ``stricter: lower | higher | equal | true``
``coverage``     the ONE place that knows official coverage (SPEC §8.3): ``HeldVersion``, ``Coverage``,
                 and the four statuses aligned | divergent | missing | unknown
``values``       ``ValueRecord``, ``ParameterDef``, ``HardRuleDef``, ``Binding``; ``ValueIndex``
                 (records grouped once by ``(key, scope)``) and ``binding_values``;
                 ``as_parameter_defs`` / ``as_hard_rule_defs`` build the
                 inputs from corpus documents (``app.corpus.documents``) or rows with the same fields
``matrix``       GET /matrix;  ``hard_rules``: GET /hard-rules[/<id>], timeline, alignment events
``scoreboard``   GET /scoreboard;  ``compliance``: POST /compliance-check
``feeds``        Atom XML for /feeds/changes.atom and /feeds/alignment.atom
``charts``       server-generated SVG (progress over time, deficit bars), no JavaScript
``report``       what the annual report (年度体检) says, as data (the web layer renders it)

Domain rules (SPEC §2 "Binding values and alignment", §5 "Matrix") and the choices made where the
SPEC is silent
--------------------------------------------------------------------------------------------------
* **In force on D**: ``valid_from <= D < valid_to`` (``valid_to`` exclusive: the next version's
  start or the repeal date; None = open).
* **Binds J**: ``J in record.binds`` (the rule's ``applies_to``) or the rule's jurisdiction is
  ``CN``. ``YRD``/``YRD-DZ`` rules bind a province only through ``applies_to``.
* **Binding value** of J for ``(key, scope)`` on D: the strictest of the values in force that bind
  J. Scopes never mix: ``(key, None)`` and ``(key, "A级")`` are different rows.
* **Citation tie-break** (several records hold the binding value): the jurisdiction's own rule
  first, then the most recently effective version, then rule id, version id and article id
  ascending. The answer never depends on input order.
* **equal parameters**: ``a`` is at least as strict as ``b`` only when ``a == b``. When the values
  binding one jurisdiction differ, no single value satisfies them all: the binding is marked
  ``conflict`` (the cell carries ``"conflict": true``) and cites the record first in tie-break
  order. In the matrix, ``strictest`` for an ``equal`` row is the *prevailing* value (held by most
  columns; ties: the smallest), and the other cells are ``less_strict``. In compliance,
  ``strictest`` is null when the jurisdictions require different values.
* **yes/no (``true``)**: ``True`` is stricter than ``False``; ``spread`` is null.
* **Matrix rows**: a row for every ``(key, scope)`` of the topic's parameters that has a value in
  force on D binding at least one column, or that a hard rule targets; a parameter with neither
  still gets one ``(key, null)`` row with every cell empty, so no parameter of the topic silently
  disappears. Rows follow the parameter order given (``parameters.yaml``), then scope (null
  first, then sorted). A row with no value at all has status ``partial`` (vacuously: the values
  present are equal and some columns have none).
* **Missing cells** are ``null`` (SPEC shape ``{…}|null``), except on rows a hard rule targets for
  jurisdictions it lists, where the cell is ``{value: null, status: "missing", rule_id: null,
  version: null, article: null, alignment: "missing"|"unknown"}`` so pages can colour it.
* **Official coverage** (SPEC §8.3, ``coverage.py``): J has it for a topic on D when a ``full_text``
  version of that topic binding J (``applies_to``; CN binds all) is in force on D — whether or not
  that version states any value. No value + coverage = ``missing``; no value, no coverage =
  ``unknown``. A version without ``provenance`` is not official text. The topic is the
  *parameter's* topic, matched against the *rule's* topic. ``alignment`` is
  only on cells of jurisdictions a targeting hard rule lists; with several targeting hard rules a
  cell is ``divergent`` if below any target.
* **Hard-rule timeline**: one point per date up to ``as_of`` on which a version that binds a listed
  jurisdiction (or a CN version) of the hard rule's ``(parameter, scope)`` took effect or stopped
  being in force, plus each date on which a full_text version of the parameter's topic binding a
  listed jurisdiction took effect or stopped *and* some listed status differs from the day before
  (missing ↔ unknown). The end of official coverage counts like its start.
* **Scoreboard**: ``deficit`` = (divergent + missing) ÷ applicable; ``unknown`` is outside the
  deficit; ``rating`` is ``incomplete`` when unknown > ¼ of applicable (checked before the colour).
* **deadline_status**: ``met`` when every listed jurisdiction is aligned, else ``on_track`` up to
  and including the deadline day (or with no deadline), else ``overdue``.
* Output dicts are JSON-ready: dates are ISO strings, codes upper case.
"""

from app.harmonization.compliance import compliance_check
from app.harmonization.hard_rules import (
    AlignmentEvent,
    alignment_changes,
    hard_rule_detail,
    hard_rule_status,
    hard_rules_status,
    progress_series,
)
from app.harmonization.matrix import matrix
from app.harmonization.scoreboard import scoreboard
from app.harmonization.values import (
    DEFAULT_JURISDICTIONS,
    Binding,
    HardRuleDef,
    ParameterDef,
    ValueIndex,
    ValueRecord,
    binding_values,
)

__all__ = [
    "DEFAULT_JURISDICTIONS",
    "AlignmentEvent",
    "Binding",
    "HardRuleDef",
    "ParameterDef",
    "ValueIndex",
    "ValueRecord",
    "alignment_changes",
    "binding_values",
    "compliance_check",
    "hard_rule_detail",
    "hard_rule_status",
    "hard_rules_status",
    "matrix",
    "progress_series",
    "scoreboard",
]
