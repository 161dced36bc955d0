"""Write documents back in the corpus format (SPEC §2 "Export"), deterministically.

The same documents always give byte-identical text: UTF-8, LF, no BOM,
Chinese written as is, front-matter keys in SPEC order, no timestamps. The
body is written exactly as it was read. ``content_hash`` of the rendering is
what the registry compares to tell a correction from an unchanged file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from decimal import Decimal
from pathlib import Path

import yaml

from app.corpus import safefiles
from app.corpus.documents import (
    INNOVATION_FIELDS,
    RULE_FIELDS,
    Corpus,
    HardRuleDocument,
    InnovationDocument,
    ParameterEntry,
    RuleDocument,
)
from app.exceptions import ValidationError


def scalar(value: object) -> str:
    """One YAML scalar, quoted only when plain text would be read back differently."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
            return str(int(value))
        # positional, never "5e-05": YAML 1.1 (PyYAML) reads exponent forms without a dot as text
        text = format(Decimal(repr(value)), "f")
        return text if "." in text else text + ".0"
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    dumped = yaml.safe_dump(text, allow_unicode=True, default_flow_style=True, width=10**9)
    dumped = dumped.removesuffix("\n").removesuffix("\n...")
    return dumped


def _flow_list(values: list[str]) -> str:
    return "[" + ", ".join(scalar(v) for v in values) + "]"


def _article_ref(number: str) -> str:
    return number if number.isdigit() else scalar(number)


def _parameter_lines(params: list[ParameterEntry]) -> list[str]:
    lines = ["parameters:"]
    for p in params:
        lines.append(f"  - key: {scalar(p.key)}")
        lines.append(f"    value: {scalar(p.value)}")
        if p.unit not in (None, ""):
            lines.append(f"    unit: {scalar(p.unit)}")
        if p.article is not None:
            lines.append(f"    article: {_article_ref(p.article)}")
        if p.scope:
            lines.append(f"    scope: {scalar(p.scope)}")
    return lines


def render_rule(doc: RuleDocument) -> str:
    """The corpus file text of one rule version."""
    lines = ["---"]
    for key in RULE_FIELDS:
        value = getattr(doc, key)
        if key == "parameters":
            if value:
                lines.extend(_parameter_lines(value))
            continue
        if key == "effective" and value is None:
            lines.append("effective:")  # an unknown effective date is stated, not silently dropped
            continue
        if value in (None, "", []):
            continue
        if key == "applies_to":
            lines.append(f"applies_to: {_flow_list(value)}")
        else:
            lines.append(f"{key}: {scalar(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n" + doc.body_text


def render_innovation(item: InnovationDocument) -> str:
    lines = ["---"]
    for key in INNOVATION_FIELDS:
        value = getattr(item, key)
        if key == "promoted_nationally":
            lines.append(f"promoted_nationally: {scalar(value)}".rstrip())
            continue
        if value in (None, "", []):
            continue
        lines.append(f"{key}: {_flow_list(value) if key == 'related_rules' else scalar(value)}")
    lines.append("---")
    summary = item.summary.strip("\n")
    return "\n".join(lines) + "\n" + (summary + "\n" if summary else "")


def render_hard_rule(h: HardRuleDocument) -> str:
    out = [
        f"id: {scalar(h.id)}",
        f"title: {scalar(h.title)}",
    ]
    if h.title_en:
        out.append(f"title_en: {scalar(h.title_en)}")
    out.append(f"parameter: {scalar(h.parameter)}")
    if h.scope:
        out.append(f"scope: {scalar(h.scope)}")
    out.append(f"target: {scalar(h.target)}")
    out.append(f"jurisdictions: {_flow_list(h.jurisdictions)}")
    for key in ("lead", "deliverable", "deliverable_en", "deadline", "source_url"):
        value = getattr(h, key)
        if value not in (None, ""):
            out.append(f"{key}: {scalar(value)}")
    return "\n".join(out) + "\n"


def _yaml_list(records: list[dict]) -> str:
    out: list[str] = []
    for rec in records:
        first = True
        for k, v in rec.items():
            if v in (None, "") and k not in ("code", "key", "unit"):
                continue
            out.append(("- " if first else "  ") + f"{k}: {scalar(v)}")
            first = False
    return "\n".join(out) + "\n"


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def rule_path(doc: RuleDocument, dated: bool) -> str:
    j, t, slug = doc.rule_id.split("/")
    name = f"{slug}@{doc.start.isoformat()}.md" if dated else f"{slug}.md"
    return f"rules/{j}/{t}/{name}"


def render_corpus(corpus: Corpus) -> dict[str, str]:
    """Every file of the corpus layout: relative path → text."""
    files: dict[str, str] = {}
    files["jurisdictions.yaml"] = _yaml_list(
        [
            {"code": j.code, "name_zh": j.name_zh, "name_en": j.name_en, "level": j.level, "parent": j.parent}
            for j in sorted(corpus.jurisdictions, key=lambda j: j.code)
        ]
    )
    files["topics.yaml"] = _yaml_list(
        [
            {"code": t.code, "name_zh": t.name_zh, "name_en": t.name_en}
            for t in sorted(corpus.topics, key=lambda t: t.code)
        ]
    )
    files["parameters.yaml"] = _yaml_list(
        [
            {
                "key": p.key,
                "label_zh": p.label_zh,
                "label_en": p.label_en,
                "topic": p.topic,
                "unit": p.unit,
                "stricter": p.stricter,
                "addressee": None if p.addressee == "enterprise" else p.addressee,  # the default is not written
            }
            for p in sorted(corpus.parameters, key=lambda p: p.key)
        ]
    )
    versions: dict[str, int] = {}
    for d in corpus.rules:
        versions[d.rule_id] = versions.get(d.rule_id, 0) + 1
    for d in corpus.rules:
        files[rule_path(d, dated=versions[d.rule_id] > 1)] = render_rule(d)
    for i in corpus.innovations:
        files[f"innovations/{i.slug}.md"] = render_innovation(i)
    if corpus.reported_counts:
        files["innovations/reported_counts.yaml"] = _yaml_list(
            [
                {
                    "as_of": c.as_of,
                    "total": c.total,
                    "promoted_nationally": c.promoted_nationally,
                    "source_url": c.source_url,
                    "note": c.note,
                }
                for c in corpus.reported_counts
            ]
        )
    for h in corpus.hard_rules:
        files[f"hard_rules/{h.id}.yaml"] = render_hard_rule(h)
    return files


def write_corpus(corpus: Corpus, target: Path) -> list[str]:
    """Write the corpus under ``target`` (created if needed); return the relative paths written.

    Every file is written by a rename inside ``target``: a symbolic link planted in the folder (at a
    file's place or as one of its folders) is refused with a ValidationError naming it, never
    followed out of the folder.  All paths are checked before the first byte is written.
    """
    files = render_corpus(corpus)
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    problems = []
    for rel in sorted(files):
        path = target / rel
        try:
            safefiles.contained(target, path.parent)
        except safefiles.FileRefused as exc:
            problems.append(exc.reason)
            continue
        if path.is_symlink() or (path.exists() and not path.is_file()):
            problems.append(f"{path} is a symbolic link or not a regular file; nothing is written through it")
    if problems:
        raise ValidationError("export refused: " + "; ".join(problems[:5]), code="unsafe_export_target")
    for rel, text in sorted(files.items()):
        try:
            safefiles.write_new_file(target, target / rel, text.encode("utf-8"), replace=True)
        except safefiles.FileRefused as exc:
            raise ValidationError(f"export refused: {exc.reason}", code="unsafe_export_target") from None
    return sorted(files)
