"""Read and validate a corpus directory (SPEC §2) into documents, reporting every problem at once.

Pure: files in, ``Corpus`` out, or ``CorpusError`` listing each problem as
``<file>:<line>: <field>: <reason>``. Nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Container, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from marshmallow import ValidationError as MarshmallowError

from app.corpus import frontmatter, safefiles, schemas
from app.corpus.dates import DATE_PATTERN, parse_date
from app.corpus.documents import (
    Corpus,
    HardRuleDocument,
    InnovationDocument,
    JurisdictionDef,
    ParameterDef,
    ParameterEntry,
    ReportedCount,
    RuleDocument,
    TopicDef,
)
from app.corpus.slugs import SLUG_PATTERN
from app.corpus.structure import parse_body
from app.exceptions import CorpusError, Problem, problem
from app.units import UnitError, convert

RULE_FILE_RE = re.compile(rf"^(?P<slug>{SLUG_PATTERN})(?:@(?P<date>{DATE_PATTERN}))?\.md\Z")
_INNOVATION_FILE_RE = re.compile(rf"({SLUG_PATTERN})\.md")
_HARD_RULE_FILE_RE = re.compile(rf"({SLUG_PATTERN})\.yaml")


@dataclass
class References:
    """The reference vocabularies a document is checked against."""

    jurisdictions: dict[str, JurisdictionDef]
    topics: dict[str, TopicDef]
    parameters: dict[str, ParameterDef]


def _problems_from(err: MarshmallowError, file: str, lines: dict, prefix: tuple = ()) -> list[Problem]:
    out = []
    for path, msg in schemas.flatten_errors(err.messages):
        full = (*prefix, *path)
        line = None
        for n in range(len(full), -1, -1):
            if full[:n] in lines:
                line = lines[full[:n]]
                break
        field = ".".join(str(p) for p in path) or None
        if path and path[0] == "parameters" and len(path) >= 2:
            field = f"parameters[{path[1]}]" + ("." + ".".join(str(p) for p in path[2:]) if len(path) > 2 else "")
        out.append(problem(file, msg, line, field))
    return out


def canonical_value(entry: ParameterEntry, pdef: ParameterDef) -> float | bool:
    """The entry's value in the parameter's canonical unit (raises UnitError)."""
    if pdef.is_boolean:
        return bool(entry.value)
    unit = entry.unit if entry.unit not in (None, "") else pdef.unit
    return convert(float(entry.value), unit, pdef.unit)


def check_parameters(doc: RuleDocument, refs: References, lines: dict) -> list[Problem]:
    """Check each parameter entry: known key, value type, convertible unit, existing article."""
    problems: list[Problem] = []
    seen: set[tuple[str, str | None]] = set()
    for i, p in enumerate(doc.parameters):
        field = f"parameters[{i}]"
        pdef = refs.parameters.get(p.key)
        line = lines.get(("parameters", i), p.line)
        if pdef is None:
            problems.append(
                problem(
                    doc.path,
                    "unknown parameter key %(key)r (add it to parameters.yaml)",
                    line,
                    field + ".key",
                    key=p.key,
                )
            )
        else:
            if pdef.is_boolean and not isinstance(p.value, bool):
                problems.append(problem(doc.path, "a yes/no parameter takes true or false", line, field + ".value"))
            elif not pdef.is_boolean and isinstance(p.value, bool):
                problems.append(
                    problem(doc.path, "must be a number in %(unit)s", line, field + ".value", unit=pdef.unit)
                    if pdef.unit
                    else problem(doc.path, "must be a number", line, field + ".value")
                )
            elif pdef.is_boolean and p.unit not in (None, ""):
                problems.append(problem(doc.path, "a yes/no parameter has no unit", line, field + ".unit"))
            else:
                try:
                    canonical_value(p, pdef)
                except UnitError:
                    problems.append(
                        problem(
                            doc.path,
                            "unit %(unit)r cannot be converted to %(canonical)r (the canonical unit of %(key)s)",
                            line,
                            field + ".unit",
                            unit=p.unit,
                            canonical=pdef.unit,
                            key=p.key,
                        )
                    )
        if p.article is None:
            if doc.provenance == "full_text":
                problems.append(
                    problem(
                        doc.path,
                        "article is required in a full_text document (only a summary may leave it unstated)",
                        line,
                        field + ".article",
                    )
                )
        elif doc.body.article(p.article) is None:
            problems.append(
                problem(
                    doc.path,
                    "article %(article)s is not in the body (no ## 第…条 heading for it)",
                    line,
                    field + ".article",
                    article=p.article,
                )
            )
        if (p.key, p.scope) in seen:
            problems.append(
                problem(
                    doc.path,
                    "parameter %(key)s (scope %(scope)r) is given twice",
                    line,
                    field,
                    key=p.key,
                    scope=p.scope,
                )
            )
        seen.add((p.key, p.scope))
    return problems


def parse_rule_document(
    data: bytes,
    path: str,
    refs: References,
    *,
    rule_id: str | None = None,
    file_date: dt.date | None = None,
) -> RuleDocument:
    """Validate one rule document (a file, or a document sent to the write API). Raises CorpusError.

    ``path`` is the corpus-relative path used in messages; ``rule_id`` and
    ``file_date`` come from the path when the document is a corpus file.
    """
    meta, lines, body_text, offset = frontmatter.split_document(data, path)
    try:
        fm = schemas.RuleFrontMatterSchema().load(meta)
    except MarshmallowError as err:
        raise CorpusError(_problems_from(err, path, lines)) from None
    problems: list[Problem] = []
    jur = fm["jurisdiction"].upper()
    if jur not in refs.jurisdictions:
        problems.append(
            problem(
                path,
                "unknown jurisdiction code %(code)r",
                lines.get(("jurisdiction",)),
                "jurisdiction",
                code=fm["jurisdiction"],
            )
        )
    if fm["topic"] not in refs.topics:
        problems.append(problem(path, "unknown topic code %(code)r", lines.get(("topic",)), "topic", code=fm["topic"]))
    applies = None
    if fm["applies_to"] is not None:
        applies = [c.upper() for c in fm["applies_to"]]
        for c in applies:
            if c not in refs.jurisdictions:
                problems.append(
                    problem(
                        path, "unknown jurisdiction code %(code)r", lines.get(("applies_to",)), "applies_to", code=c
                    )
                )
    body, body_problems = parse_body(body_text, file=path, line_offset=offset)
    problems.extend(body_problems)
    params = [
        ParameterEntry(
            key=p["key"],
            value=p["value"],
            unit=p["unit"],
            article=p["article"],
            scope=p["scope"],
            line=lines.get(("parameters", i)),
        )
        for i, p in enumerate(fm["parameters"] or [])
    ]
    doc = RuleDocument(
        path=path,
        rule_id=rule_id or "",
        title=fm["title"],
        title_en=fm["title_en"],
        jurisdiction=jur,
        topic=fm["topic"],
        kind=fm["kind"],
        doc_number=fm["doc_number"],
        issuer=fm["issuer"],
        adopted=fm["adopted"],
        published=fm["published"],
        effective=fm["effective"],
        repealed=fm["repealed"],
        supersedes=fm["supersedes"],
        applies_to=applies,
        source_url=fm["source_url"],
        provenance=fm["provenance"],
        articles_total=fm["articles_total"],
        parameters=params,
        body_text=body_text,
        body=body,
        sha256=frontmatter.sha256(data),
    )
    if not body.articles and doc.provenance != "summary":
        problems.append(
            problem(
                path,
                "no articles found (articles are '## 第…条' headings; only a summary may hold a preamble alone)",
                offset + 1,
                "body",
            )
        )
    if doc.articles_total is not None and len(body.articles) > doc.articles_total:
        problems.append(
            problem(
                path,
                "the body holds %(n)s articles but articles_total is %(total)s",
                lines.get(("articles_total",)),
                "articles_total",
                n=len(body.articles),
                total=doc.articles_total,
            )
        )
    problems.extend(check_parameters(doc, refs, lines))
    if doc.effective and doc.adopted and doc.effective < doc.adopted:
        problems.append(
            problem(path, "effective is before adopted; check both dates", lines.get(("effective",)), "effective")
        )
    if doc.repealed and doc.repealed < doc.start:
        problems.append(
            problem(path, "repealed is before the version took effect", lines.get(("repealed",)), "repealed")
        )
    if file_date is not None and doc.start != file_date:
        which = "effective" if doc.effective else "the earliest known date (published, else adopted)"
        problems.append(
            Problem(
                path,
                f"{which} is {doc.start.isoformat()} but the file name says @{file_date.isoformat()}; rename the file or fix the date",
                lines.get(("effective",)),
                "effective",
            )
        )
    if problems:
        raise CorpusError(problems)
    return doc


def _read(path: Path, rel: str) -> bytes:
    """The bytes of one corpus file: a regular file (no symbolic link, FIFO or device), at most 1 MB.

    The size is checked before reading, so a planted huge file or endless device costs no memory.
    """
    try:
        return safefiles.read_bounded(path, frontmatter.MAX_FILE_BYTES)
    except safefiles.FileRefused as exc:
        reason = exc.reason
        if "over the limit" in reason:
            size = path.stat().st_size
            reason = f"file is {size} bytes; the limit is 1 MB (split the document)"
        raise CorpusError(Problem(rel, reason)) from None


def _load_list(root: Path, name: str, schema: schemas.Schema, problems: list[Problem]) -> list[tuple[dict, int | None]]:
    path = root / name
    if not path.is_file() and not path.is_symlink():
        problems.append(problem(name, "reference file is missing"))
        return []
    try:
        text = frontmatter.decode(_read(path, name), name)
        data, lines = frontmatter.load_yaml(text, name)
    except CorpusError as err:
        problems.extend(err.problems)
        return []
    if not isinstance(data, list):
        problems.append(problem(name, "must be a top-level YAML list", 1))
        return []
    out = []
    for i, item in enumerate(data):
        if not isinstance(item, dict):
            problems.append(problem(name, "each entry must be a mapping", lines.get((i,))))
            continue
        try:
            out.append((schema.load(item), lines.get((i,))))
        except MarshmallowError as err:
            problems.extend(_problems_from(err, name, lines, prefix=(i,)))
    return out


def read_references(root: Path, problems: list[Problem]) -> References:
    jurs: dict[str, JurisdictionDef] = {}
    for d, line in _load_list(root, "jurisdictions.yaml", schemas.JurisdictionSchema(), problems):
        code = d["code"].upper()
        if code in jurs:
            problems.append(Problem("jurisdictions.yaml", f"duplicate code {code}", line, "code"))
        jurs[code] = JurisdictionDef(code, d["name_zh"], d["name_en"], d["level"], (d["parent"] or "").upper() or None)
    for j in jurs.values():
        if j.parent and j.parent not in jurs:
            problems.append(
                Problem("jurisdictions.yaml", f"unknown parent code {j.parent!r} of {j.code}", None, "parent")
            )
    topics: dict[str, TopicDef] = {}
    for d, line in _load_list(root, "topics.yaml", schemas.TopicSchema(), problems):
        if d["code"] in topics:
            problems.append(Problem("topics.yaml", f"duplicate code {d['code']}", line, "code"))
        topics[d["code"]] = TopicDef(d["code"], d["name_zh"], d["name_en"])
    params: dict[str, ParameterDef] = {}
    for d, line in _load_list(root, "parameters.yaml", schemas.ParameterDefSchema(), problems):
        if d["key"] in params:
            problems.append(Problem("parameters.yaml", f"duplicate key {d['key']}", line, "key"))
        if topics and d["topic"] not in topics:
            problems.append(Problem("parameters.yaml", f"unknown topic code {d['topic']!r}", line, "topic"))
        unit = d["unit"] or ""
        if d["stricter"] == "true" and unit:
            problems.append(
                problem("parameters.yaml", 'a yes/no parameter (stricter: "true") has unit ""', line, "unit")
            )
        params[d["key"]] = ParameterDef(
            d["key"], d["label_zh"], d["label_en"], d["topic"], unit, d["stricter"], d["addressee"] or "enterprise"
        )
    return References(jurs, topics, params)


def _files(root: Path, sub: str) -> Iterable[Path]:
    base = root / sub
    if not base.is_dir():
        return []
    # every entry but folders: a symbolic link, FIFO or device is refused by _read, never skipped silently
    return sorted(p for p in base.rglob("*") if p.is_symlink() or not p.is_dir())


def read_rules(root: Path, refs: References, problems: list[Problem]) -> list[RuleDocument]:
    docs: list[RuleDocument] = []
    by_slug: dict[tuple[str, str, str], list[tuple[str, dt.date | None]]] = {}
    for path in _files(root, "rules"):
        rel = path.relative_to(root).as_posix()
        parts = PurePosixPath(rel).parts
        if path.is_symlink():
            problems.append(problem(rel, "symbolic links are not read; copy the file in"))
            continue
        if len(parts) != 4:
            problems.append(
                problem(rel, "rule files go at rules/<jurisdiction>/<topic>/<slug>.md or <slug>@<YYYY-MM-DD>.md")
            )
            continue
        _, jdir, tdir, name = parts
        m = RULE_FILE_RE.match(name)
        if not m:
            problems.append(
                Problem(rel, f"file name must be <slug>.md or <slug>@<YYYY-MM-DD>.md with slug {SLUG_PATTERN}")
            )
            continue
        if jdir != jdir.lower():
            problems.append(Problem(rel, f"jurisdiction folder must be lower-case ({jdir.lower()})"))
            continue
        if jdir.upper() not in refs.jurisdictions:
            problems.append(Problem(rel, f"unknown jurisdiction code {jdir!r} in the path"))
            continue
        if tdir not in refs.topics:
            problems.append(Problem(rel, f"unknown topic code {tdir!r} in the path"))
            continue
        file_date = None
        if m["date"]:
            try:
                file_date = parse_date(m["date"])
            except ValueError:
                problems.append(Problem(rel, f"the date @{m['date']} in the file name does not exist"))
                continue
        rule_id = f"{jdir}/{tdir}/{m['slug']}"
        by_slug.setdefault((jdir, tdir, m["slug"]), []).append((rel, file_date))
        try:
            doc = parse_rule_document(_read(path, rel), rel, refs, rule_id=rule_id, file_date=file_date)
        except CorpusError as err:
            problems.extend(err.problems)
            continue
        if doc.jurisdiction.lower() != jdir:
            problems.append(
                Problem(rel, f"jurisdiction {doc.jurisdiction} does not match the folder {jdir}/", None, "jurisdiction")
            )
            continue
        if doc.topic != tdir:
            problems.append(Problem(rel, f"topic {doc.topic} does not match the folder {tdir}/", None, "topic"))
            continue
        docs.append(doc)
    for files in by_slug.values():
        plain = [f for f, d in files if d is None]
        dated = [f for f, d in files if d is not None]
        if plain and dated:
            problems.append(
                Problem(
                    plain[0],
                    f"{plain[0]} and {dated[0]} coexist; an amended rule keeps every version as <slug>@<date>.md",
                )
            )
    # versions of one rule: unique start dates, repealed only on the latest
    by_rule: dict[str, list[RuleDocument]] = {}
    for d in docs:
        by_rule.setdefault(d.rule_id, []).append(d)
    for versions in by_rule.values():
        versions.sort(key=lambda d: d.start)
        for a, b in itertools.pairwise(versions):
            if a.start == b.start:
                problems.append(Problem(b.path, f"duplicate version id {b.version_id} (also {a.path})"))
        for d in versions[:-1]:
            if d.repealed:
                problems.append(problem(d.path, "repealed may be set only on the latest version", None, "repealed"))
    ids = set(by_rule)
    for d in docs:
        if d.supersedes and d.supersedes not in ids:
            problems.append(
                Problem(
                    d.path, f"supersedes {d.supersedes!r}, which is not a rule id in the corpus", None, "supersedes"
                )
            )
    return docs


def parse_innovation_document(data: bytes, rel: str, slug: str, rule_ids: Container[str]) -> InnovationDocument:
    """Validate one innovation document (a file, or a document sent to the write API). Raises CorpusError.

    ``rel`` names the document in messages; ``rule_ids`` are the rule ids ``related_rules`` may name.
    Every problem is reported at once (``<rel>:<line>: <field>: <reason>``).
    """
    meta, lines, body, _offset = frontmatter.split_document(data, rel)
    try:
        d = schemas.InnovationSchema().load(meta)
    except MarshmallowError as err:
        raise CorpusError(_problems_from(err, rel, lines)) from None
    problems = [
        problem(
            rel,
            "related rule %(id)r is not a rule id in the corpus",
            lines.get(("related_rules",)),
            "related_rules",
            id=r,
        )
        for r in d["related_rules"] or []
        if r not in rule_ids
    ]
    if problems:
        raise CorpusError(problems)
    return InnovationDocument(
        slug=slug,
        path=rel,
        title=d["title"],
        title_en=d["title_en"],
        category=d["category"],
        year=d["year"],
        batch=d["batch"],
        number=d["number"],
        promoted_nationally=d["promoted_nationally"],
        promotion_notice=d["promotion_notice"],
        promotion_date=d["promotion_date"],
        related_rules=list(d["related_rules"] or []),
        source_url=d["source_url"],
        verified=bool(d["verified"]),
        summary=body.strip("\n"),
        sha256=frontmatter.sha256(data),
    )


def read_innovations(
    root: Path, rule_ids: set[str], problems: list[Problem]
) -> tuple[list[InnovationDocument], list[ReportedCount]]:
    items: list[InnovationDocument] = []
    counts: list[ReportedCount] = []
    for path in _files(root, "innovations"):
        rel = path.relative_to(root).as_posix()
        if path.name == "reported_counts.yaml":
            for d, _line in _load_list(
                root, "innovations/reported_counts.yaml", schemas.ReportedCountSchema(), problems
            ):
                counts.append(
                    ReportedCount(d["as_of"], d["total"], d["source_url"], d["promoted_nationally"], d["note"])
                )
            continue
        m = _INNOVATION_FILE_RE.fullmatch(path.name)
        if path.parent != root / "innovations" or not m:
            problems.append(Problem(rel, f"innovation files go at innovations/<slug>.md with slug {SLUG_PATTERN}"))
            continue
        try:
            items.append(parse_innovation_document(_read(path, rel), rel, m[1], rule_ids))
        except CorpusError as err:
            problems.extend(err.problems)
    counts.sort(key=lambda c: c.as_of)
    return items, counts


def parse_hard_rule(data: dict, lines: dict, rel: str, refs: References, expected_id: str | None) -> HardRuleDocument:
    """Validate one hard rule (a file, or JSON sent to PUT /hard-rules/<id>). Raises CorpusError."""
    try:
        d = schemas.HardRuleSchema().load(data)
    except MarshmallowError as err:
        raise CorpusError(_problems_from(err, rel, lines)) from None
    problems = []
    if expected_id is not None and d["id"] != expected_id:
        problems.append(
            Problem(rel, f"id {d['id']!r} must equal the file name ({expected_id})", lines.get(("id",)), "id")
        )
    pdef = refs.parameters.get(d["parameter"])
    if pdef is None:
        problems.append(
            Problem(rel, f"unknown parameter key {d['parameter']!r}", lines.get(("parameter",)), "parameter")
        )
    elif pdef.is_boolean != isinstance(d["target"], bool):
        want = "true or false" if pdef.is_boolean else f"a number in {pdef.unit}"
        problems.append(Problem(rel, f"target must be {want}", lines.get(("target",)), "target"))
    jurs = [c.upper() for c in d["jurisdictions"]]
    for c in [*jurs, *([d["lead"].upper()] if d["lead"] else [])]:
        if c not in refs.jurisdictions:
            problems.append(
                Problem(rel, f"unknown jurisdiction code {c!r}", lines.get(("jurisdictions",)), "jurisdictions")
            )
    if problems:
        raise CorpusError(problems)
    return HardRuleDocument(
        id=d["id"],
        title=d["title"],
        title_en=d["title_en"],
        parameter=d["parameter"],
        scope=d["scope"],
        target=d["target"] if isinstance(d["target"], bool) else float(d["target"]),
        jurisdictions=jurs,
        lead=d["lead"].upper() if d["lead"] else None,
        deliverable=d["deliverable"],
        deliverable_en=d["deliverable_en"],
        deadline=d["deadline"],
        source_url=d["source_url"],
        path=rel,
    )


def read_hard_rules(root: Path, refs: References, problems: list[Problem]) -> list[HardRuleDocument]:
    out = []
    for path in _files(root, "hard_rules"):
        rel = path.relative_to(root).as_posix()
        m = _HARD_RULE_FILE_RE.fullmatch(path.name)
        if path.parent != root / "hard_rules" or not m:
            problems.append(Problem(rel, f"hard rules go at hard_rules/<id>.yaml with id {SLUG_PATTERN}"))
            continue
        try:
            raw = _read(path, rel)
            data, lines = frontmatter.load_yaml(frontmatter.decode(raw, rel), rel)
            if not isinstance(data, dict):
                raise CorpusError(problem(rel, "a hard rule is a YAML mapping", 1))
            doc = parse_hard_rule(data, lines, rel, refs, m[1])
        except CorpusError as err:
            problems.extend(err.problems)
            continue
        doc.sha256 = frontmatter.sha256(raw)
        out.append(doc)
    return out


def read_corpus(root: Path) -> Corpus:
    """Read and validate the whole corpus under ``root``; raise CorpusError listing every problem."""
    root = Path(root)
    if not root.is_dir():
        raise CorpusError(problem(str(root), "corpus directory not found"))
    problems: list[Problem] = []
    refs = read_references(root, problems)
    if problems:
        # Every document is checked against these vocabularies: stop here rather than bury the
        # real error under hundreds of follow-on "unknown key" problems.
        problems.sort(key=lambda p: (p.file, p.line or 0))
        raise CorpusError(
            problems, f"{len(problems)} problem(s) in the reference files; fix them first; nothing was written"
        )
    rules = read_rules(root, refs, problems)
    innovations, counts = read_innovations(root, {d.rule_id for d in rules}, problems)
    hard_rules = read_hard_rules(root, refs, problems)
    for p in sorted(root.iterdir()):
        if p.name.startswith(".") or p.name in {
            "jurisdictions.yaml",
            "topics.yaml",
            "parameters.yaml",
            "official_texts.yaml",  # the manifest of official texts (SPEC §8.2), read by `registry import`
            "rules",
            "innovations",
            "hard_rules",
            "README.md",
        }:
            continue
        problems.append(problem(p.name, "unexpected file or folder in the corpus root"))
    if problems:
        problems.sort(key=lambda p: (p.file, p.line or 0))
        raise CorpusError(problems)
    return Corpus(
        jurisdictions=list(refs.jurisdictions.values()),
        topics=list(refs.topics.values()),
        parameters=list(refs.parameters.values()),
        rules=sorted(rules, key=lambda d: (d.rule_id, d.start)),
        innovations=sorted(innovations, key=lambda i: i.slug),
        reported_counts=counts,
        hard_rules=sorted(hard_rules, key=lambda h: h.id),
    )


def references_of(corpus: Corpus) -> References:
    return References(
        {j.code: j for j in corpus.jurisdictions},
        {t.code: t for t in corpus.topics},
        {p.key: p for p in corpus.parameters},
    )
