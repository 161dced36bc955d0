"""``registry import`` (SPEC §3, §8.1, §8.2): official texts → corpus documents → loaded versions.

Three outcomes per text, each all or nothing (a bad file never stops the others):

- **imported** — a new rule (``rules/<j>/<topic>/<slug>.md``), or a new version
  of the rule whose title and jurisdiction it shares (``<slug>@<date>.md``; a
  plain ``<slug>.md`` of that rule is renamed to its ``@<date>`` form, ids
  unchanged);
- **attached** — a manifest entry (or ``--rule``) names a bundled rule version:
  the official articles replace its body (an audited correction), provenance
  becomes ``full_text``, every parameter must be stated in its article's text;
- **unchanged** — the same text again: nothing written;

or **refused**, with the reason.  Metadata comes from the flags, else the
manifest entry, else the file itself (flk front matter, title prefix, header
dates) — never guessed: what the file cannot say must be given.

The registry's references and the index of existing rules are read once per
run, not once per file; each file is then one transaction.  No Flask here.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlalchemy import Engine, select

from app.corpus import dates, safefiles, validity, writer
from app.corpus.dates import DATE_PATTERN, parse_date
from app.corpus.documents import Body, RuleDocument
from app.corpus.frontmatter import MAX_FILE_BYTES
from app.corpus.loader import References, parse_rule_document
from app.corpus.officialtext import SUFFIXES, OfficialText, OfficialTextError, make_slug, read_official_text
from app.corpus.slugs import SLUG_ERROR, SLUG_RE
from app.exceptions import CorpusError, Problem, RegistryError, ValidationError
from app.registry import audit
from app.registry.db import session_factory, write_session
from app.registry.mapping import fill_version, references, verification, version_document
from app.registry.models import Rule, RuleVersion
from app.registry.outbox import enqueue

__all__ = [
    "MANIFEST_FIELDS",
    "ImportOptions",
    "ImportReport",
    "Importer",
    "Manifest",
    "ManifestEntry",
    "Refused",
    "build_import_document",
    "collect_files",
    "import_document",
    "import_texts",
    "read_manifest",
]

ACTOR = "registry import"

#: Fields a manifest entry may carry (``note`` is a free comment, ignored).
MANIFEST_FIELDS = (
    "path",
    "title",
    "date",
    "jurisdiction",
    "topic",
    "kind",
    "effective",
    "repealed",
    "source_url",
    "slug",
    "rule",
    "version",
    "sha256",
    "title_en",
)
_IGNORED_FIELDS = ("note",)
_DATE_FIELDS = ("date", "effective", "repealed")

#: flk ``type`` → corpus ``kind``.
FLK_KINDS = {
    "地方性法规": "local_regulation",
    "自治条例": "local_regulation",
    "单行条例": "local_regulation",
    "经济特区法规": "local_regulation",
    "法律": "law",
    "行政法规": "administrative_regulation",
    "地方政府规章": "government_rule",
    "政府规章": "government_rule",
}


class Refused(RegistryError):
    """One text is refused; ``reason`` says why and how to fix it."""

    code = "refused"


# ---------------------------------------------------------------- options and manifest


@dataclass(frozen=True)
class ImportOptions:
    """The command-line flags; each overrides the manifest entry and the file."""

    jurisdiction: str | None = None
    topic: str | None = None
    kind: str | None = None
    title: str | None = None
    title_en: str | None = None
    slug: str | None = None
    effective: dt.date | None = None
    repealed: dt.date | None = None
    source_url: str | None = None
    rule: str | None = None


@dataclass(frozen=True)
class ManifestEntry:
    line: int | None
    path: str | None = None
    title: str | None = None
    date: dt.date | None = None
    jurisdiction: str | None = None
    topic: str | None = None
    kind: str | None = None
    effective: dt.date | None = None
    repealed: dt.date | None = None
    source_url: str | None = None
    slug: str | None = None
    rule: str | None = None
    version: str | None = None  # the version's date (or its full id)
    sha256: str | None = None
    title_en: str | None = None


@dataclass
class Manifest:
    file: str
    entries: list[ManifestEntry]

    def __post_init__(self) -> None:
        self.matched: set[int] = set()  # id() of the entries that matched a text
        self._by_path = {e.path: e for e in self.entries if e.path}
        self._by_title: dict[str, list[ManifestEntry]] = {}
        for e in self.entries:
            if not e.path and e.title:
                self._by_title.setdefault(_squash(e.title), []).append(e)

    def find(self, rel: str, title: str, dates: set[dt.date]) -> ManifestEntry | None:
        """The entry for a text: by ``path`` (relative to the PATH given), else by ``title`` (+ ``date``).

        Raises :class:`Refused` when several entries share the title and no ``date`` tells them apart.
        """
        entry = self._find(rel, title, dates)
        if entry is not None:
            self.matched.add(id(entry))
        return entry

    def names_path(self, rel: str) -> bool:
        return rel in self._by_path

    def unmatched(self) -> list[dict]:
        """The entries no text matched: ``{line, path}`` or ``{line, title}``."""
        return [
            {"line": e.line, **({"path": e.path} if e.path else {"title": e.title})}
            for e in self.entries
            if id(e) not in self.matched
        ]

    def _find(self, rel: str, title: str, dates: set[dt.date]) -> ManifestEntry | None:
        entry = self._by_path.get(rel)
        if entry is not None:
            # matched by path: the entry's title (official_texts.yaml carries one) is not compared, since
            # collections abbreviate titles in file names (《节约能源法》 for 《中华人民共和国节约能源法》)
            return entry
        candidates = self._by_title.get(_squash(title), [])
        if len(candidates) <= 1:
            return candidates[0] if candidates else None
        dated = [e for e in candidates if e.date is not None and e.date in dates]
        if len(dated) == 1:
            return dated[0]
        lines = ", ".join(str(e.line) for e in candidates)
        raise Refused(
            f"{self.file}: {len(candidates)} entries (lines {lines}) have the title {title!r} and no date "
            f"matches this text's dates; give each entry a path or the date of its version"
        )


def _squash(text: str) -> str:
    return re.sub(r"[\s\u3000]+", "", text or "")


def _parse_date(value: str) -> dt.date:
    value = value.strip()
    if not re.fullmatch(DATE_PATTERN, value):
        raise ValueError("must be a date YYYY-MM-DD")
    try:
        return parse_date(value)
    except ValueError:
        raise ValueError("not a real date") from None


def _yaml_rows(text: str, file: str) -> list[tuple[int | None, dict[str, str]]]:
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise CorpusError(
                    Problem(
                        file,
                        "YAML anchors and aliases are not allowed; write each value out",
                        event.start_mark.line + 1,
                    )
                )
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise CorpusError(Problem(file, f"malformed YAML: {reason}", mark.line + 1 if mark else None)) from None
    if root is None:
        return []
    if not isinstance(root, yaml.SequenceNode):
        raise CorpusError(Problem(file, "a manifest is a YAML list of entries (- path: …) or a CSV file", 1))
    rows: list[tuple[int | None, dict[str, str]]] = []
    problems: list[Problem] = []
    for item in root.value:
        line = item.start_mark.line + 1
        if not isinstance(item, yaml.MappingNode):
            problems.append(Problem(file, "each entry must be a mapping (path: …, rule: …)", line))
            continue
        row: dict[str, str] = {}
        for k, v in item.value:
            if not isinstance(k, yaml.ScalarNode) or not isinstance(v, yaml.ScalarNode):
                problems.append(
                    Problem(file, "fields must be plain values, not lists or mappings", k.start_mark.line + 1)
                )
                continue
            if k.value in row:
                problems.append(Problem(file, "field given twice", k.start_mark.line + 1, str(k.value)))
            row[str(k.value)] = "" if v.tag.endswith(":null") and v.value in ("", "~", "null") else str(v.value)
        rows.append((line, row))
    if problems:
        raise CorpusError(problems)
    return rows


def _csv_rows(text: str, file: str) -> list[tuple[int | None, dict[str, str]]]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        return []
    header = [h.strip() for h in header]
    if not any(header):
        raise CorpusError(Problem(file, "the first line must be a header naming the columns (path,rule,…)", 1))
    rows = []
    problems = []
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            problems.append(Problem(file, f"{len(record)} cells but the header names {len(header)} columns", line))
            continue
        rows.append((line, {h: cell.strip() for h, cell in zip(header, record, strict=True)}))
    if problems:
        raise CorpusError(problems)
    return rows


def read_manifest(path: Path, refs: References | None = None) -> Manifest:
    """Read and check a manifest (YAML list, or CSV with a header). Raises :class:`CorpusError`.

    Every problem is reported with the file, line and field: malformed YAML or
    CSV, an unknown field, a date that does not exist, an unknown code, a bad
    slug or sha256, an entry with neither ``path`` nor ``title``, a path given twice.
    """
    path = Path(path)
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CorpusError(Problem(name, f"cannot read the manifest: {exc.strerror or exc}")) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CorpusError(Problem(name, "the manifest is not UTF-8 text; save it as UTF-8")) from None
    text = text.replace("\r\n", "\n")
    rows = _csv_rows(text, name) if path.suffix.lower() == ".csv" else _yaml_rows(text, name)
    problems: list[Problem] = []
    entries: list[ManifestEntry] = []
    seen_paths: dict[str, int | None] = {}
    for line, row in rows:
        values: dict[str, object] = {}
        for key, raw in row.items():
            if key in _IGNORED_FIELDS:
                continue
            if key not in MANIFEST_FIELDS:
                problems.append(Problem(name, f"unknown field (known: {', '.join(MANIFEST_FIELDS)})", line, key))
                continue
            value = raw.strip()
            if value == "":
                continue
            if key in _DATE_FIELDS:
                try:
                    values[key] = _parse_date(value)
                except ValueError as exc:
                    problems.append(Problem(name, f"{value!r}: {exc}", line, key))
                continue
            if key == "version":
                date_part = value.rsplit("@", 1)[-1]
                try:
                    _parse_date(date_part)
                except ValueError as exc:
                    problems.append(Problem(name, f"{value!r}: {exc} (the version's effective date)", line, key))
                    continue
            if key == "jurisdiction":
                value = value.upper()
                if refs is not None and value not in refs.jurisdictions:
                    problems.append(Problem(name, f"unknown jurisdiction code {value!r}", line, key))
                    continue
            if key == "topic" and refs is not None and value not in refs.topics:
                problems.append(Problem(name, f"unknown topic code {value!r}", line, key))
                continue
            if key == "slug" and not SLUG_RE.match(value):
                problems.append(Problem(name, SLUG_ERROR, line, key))
                continue
            if key == "sha256" and not re.fullmatch(r"[0-9a-f]{64}", value):
                problems.append(Problem(name, "must be 64 lower-case hex digits", line, key))
                continue
            if key == "source_url" and not re.fullmatch(r"https?://\S+", value):
                problems.append(Problem(name, f"{value!r} is not an http(s) address", line, key))
                continue
            if key == "path":
                value = value.replace("\\", "/").removeprefix("./")
            values[key] = value
        if not values.get("path") and not values.get("title"):
            problems.append(Problem(name, "an entry needs a path (relative to the PATH given) or a title", line))
            continue
        p = values.get("path")
        if isinstance(p, str):
            if p in seen_paths:
                problems.append(Problem(name, f"path {p!r} is given twice (also line {seen_paths[p]})", line, "path"))
                continue
            seen_paths[p] = line
        entries.append(ManifestEntry(line=line, **values))  # type: ignore[arg-type]
    if problems:
        raise CorpusError(problems, f"the manifest {name} has {len(problems)} problem(s); nothing was imported")
    return Manifest(name, entries)


# ---------------------------------------------------------------- report


@dataclass
class ImportReport:
    imported: list[dict] = field(default_factory=list)
    attached: list[dict] = field(default_factory=list)
    unchanged: list[dict] = field(default_factory=list)
    refused: list[dict] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # texts in a folder that the manifest does not name
    unmatched: list[dict] = field(default_factory=list)  # manifest entries that named no text found

    def as_dict(self) -> dict:
        out: dict = {
            "imported": self.imported,
            "attached": self.attached,
            "unchanged": self.unchanged,
            "refused": self.refused,
        }
        if self.skipped or self.unmatched:
            out["skipped"] = self.skipped
            out["unmatched"] = self.unmatched
        return out


# ---------------------------------------------------------------- files


def collect_files(paths: Iterable[Path]) -> list[tuple[Path, str, bool]]:
    """``(file, path relative to the PATH given, given by name)`` for every official text under ``paths``.

    Folders are read recursively in sorted order; hidden files and folders and
    ``README.md`` files are skipped there (a file given by name is always taken).
    """
    out: list[tuple[Path, str, bool]] = []
    seen: set[Path] = set()
    for given in paths:
        given = Path(given)
        if given.is_dir():
            found = []
            for f in given.rglob("*"):
                rel = f.relative_to(given)
                if any(part.startswith(".") for part in rel.parts) or not f.is_file():
                    continue
                if f.suffix.lower() not in SUFFIXES or f.name.lower() == "readme.md":
                    continue
                found.append((f, rel.as_posix()))
            found.sort(key=lambda x: x[1])
        else:
            found = [(given, given.name)]
        for f, rel in found:
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                out.append((f, rel, not given.is_dir()))
    return out


def _write_new(root: Path, target: Path, data: bytes) -> None:
    """Create ``target`` inside the corpus ``root``: never overwriting, never through a symbolic link."""
    try:
        safefiles.write_new_file(root, target, data)
    except safefiles.FileRefused as exc:
        raise Refused(exc.reason) from None


def _replace(root: Path, target: Path, data: bytes) -> None:
    """Replace ``target`` inside ``root`` by a rename (a planted link at the target or its folder is refused)."""
    try:
        safefiles.write_new_file(root, target, data, replace=True)
    except safefiles.FileRefused as exc:
        raise Refused(exc.reason) from None


# ---------------------------------------------------------------- documents


def build_import_document(
    text_title: str,
    body_markdown: str,
    *,
    jurisdiction: str,
    topic: str,
    kind: str,
    title: str | None,
    title_en: str | None,
    effective: dt.date,
    source_url: str,
    header_dates: list[tuple[str, dt.date]] | None = None,
    published: dt.date | None = None,
    issuer: str | None = None,
    repealed: dt.date | None = None,
) -> str:
    """The corpus file text for an imported official text (provenance full_text).

    ``adopted`` is the earliest 通过 date of the header on or before ``effective``;
    other header dates (修正, 修订, 施行) are not trusted for anything.
    """
    adopted = None
    for event, d in header_dates or []:
        if event == "通过" and d <= effective:
            adopted = d if adopted is None else min(adopted, d)
    doc = RuleDocument(
        path="",
        rule_id="",
        title=title or text_title,
        title_en=title_en,
        jurisdiction=jurisdiction.upper(),
        topic=topic,
        kind=kind,
        issuer=issuer,
        source_url=source_url,
        body_text=body_markdown,
        body=Body(None, "", (), ()),
        adopted=adopted,
        published=published if published is not None and (adopted is None or published >= adopted) else None,
        effective=effective,
        repealed=repealed,
        provenance="full_text",
    )
    return writer.render_rule(doc)


@dataclass
class _Version:
    id: str
    start: dt.date
    path: str | None
    repealed: dt.date | None
    content_hash: str
    kind: str
    title_en: str | None


@dataclass
class _Rule:
    id: str
    jurisdiction: str
    topic: str
    versions: list[_Version]  # by start


def _text_dates(ot: OfficialText, file: Path) -> set[dt.date]:
    """The dates a manifest's ``date`` may name: the file name's, the header's, flk's publish/effective."""
    dates = {d.date for d in ot.dates}
    m = re.search(r"[(（](\d{4}-\d{2}-\d{2})[)）]\.\w+$", file.name)
    if m:
        with contextlib.suppress(ValueError):
            dates.add(parse_date(m[1]))
    if ot.meta is not None:
        dates.update(d for d in (ot.meta.publish, ot.meta.effective) if d is not None)
    return dates


def _problems_text(err: CorpusError) -> str:
    return "; ".join(p.reason if not p.field else f"{p.field}: {p.reason}" for p in err.problems)


class Importer:
    """One ``registry import`` run: references and existing rules read once, then one transaction per file."""

    def __init__(
        self,
        engine: Engine,
        corpus_root: Path,
        options: ImportOptions | None = None,
        manifest: Manifest | None = None,
        *,
        today: dt.date | None = None,
    ):
        self.engine = engine
        self.root = Path(corpus_root)
        self.options = options or ImportOptions()
        self.manifest = manifest
        self.today = today or dates.today()
        self.report = ImportReport()
        with session_factory(engine)() as session:
            self.refs = references(session)
            rows = session.execute(
                select(
                    RuleVersion.id,
                    RuleVersion.rule_id,
                    RuleVersion.title,
                    RuleVersion.jurisdiction,
                    RuleVersion.topic,
                    RuleVersion.kind,
                    RuleVersion.title_en,
                    RuleVersion.start,
                    RuleVersion.path,
                    RuleVersion.repealed,
                    RuleVersion.content_hash,
                ).order_by(RuleVersion.rule_id, RuleVersion.start)
            ).all()
            rule_ids = set(session.scalars(select(Rule.id)))
        self.rules: dict[str, _Rule] = {}
        self.by_title: dict[tuple[str, str], set[str]] = {}
        for r in rows:
            rule = self.rules.setdefault(r.rule_id, _Rule(r.rule_id, r.jurisdiction, r.topic, []))
            rule.versions.append(_Version(r.id, r.start, r.path, r.repealed, r.content_hash, r.kind, r.title_en))
            self.by_title.setdefault((r.jurisdiction, _squash(r.title)), set()).add(r.rule_id)
        self.rule_ids = rule_ids | set(self.rules)
        # jurisdictions by name, longest first: 长三角生态绿色一体化发展示范区 before 长三角
        self.names = sorted(
            ((j.name_zh, j.code) for j in self.refs.jurisdictions.values() if j.name_zh),
            key=lambda x: -len(x[0]),
        )

    # ------------------------------------------------------------ per file

    def import_file(self, file: Path, rel: str, named: bool = True) -> tuple[str, dict]:
        """Import, attach or recognise one text; returns ``(outcome, entry)`` and records it in the report.

        With a manifest, a text found in a folder (not ``named`` on the command line) that no entry
        names is ``skipped``: the manifest lists the texts to take.  Never raises for a problem of
        the file: it is recorded as refused.
        """
        try:
            ot = read_official_text(file)
            entry = self.manifest.find(rel, ot.title, _text_dates(ot, file)) if self.manifest else None
            if self.manifest is not None and entry is None and not named:
                self.report.skipped.append(str(file))
                return "skipped", {"path": str(file)}
            rule = self.options.rule or (entry.rule if entry else None)
            if rule:
                outcome, out = self._attach(file, ot, entry, rule)
            else:
                outcome, out = self._import(file, ot, entry)
        except OfficialTextError as exc:
            if self.manifest is not None and not named and not self.manifest.names_path(rel):
                self.report.skipped.append(str(file))  # unreadable, but no entry asked for it either
                return "skipped", {"path": str(file)}
            outcome, out = "refused", {"path": str(file), "reason": exc.message, "error": exc}
        except CorpusError as exc:
            outcome, out = "refused", {"path": str(file), "reason": _problems_text(exc), "error": exc}
        except RegistryError as exc:
            outcome, out = "refused", {"path": str(file), "reason": exc.message, "error": exc}
        public = {k: v for k, v in out.items() if k != "error"}
        getattr(self.report, outcome).append(public)
        return outcome, out

    def _jurisdiction(self, ot: OfficialText, title: str, entry: ManifestEntry | None) -> str:
        code = self.options.jurisdiction or (entry.jurisdiction if entry else None)
        if code:
            code = code.upper()
        else:
            for source in ((ot.meta.office if ot.meta else None), title):
                if not source:
                    continue
                code = next((c for name, c in self.names if source.startswith(name)), None)
                if code:
                    break
        if not code:
            raise Refused(
                "cannot tell the jurisdiction: the title starts with no jurisdiction's name_zh and the file names "
                "no issuing body (flk office); pass --jurisdiction or give jurisdiction in the manifest"
            )
        if code not in self.refs.jurisdictions:
            raise Refused(f"unknown jurisdiction code {code!r} (add it to jurisdictions.yaml and run registry load)")
        return code

    def _pick(self, name: str, entry: ManifestEntry | None, from_file: object = None) -> object:
        value = getattr(self.options, name)
        if value is None and entry is not None:
            value = getattr(entry, name)
        return from_file if value is None else value

    def _import(self, file: Path, ot: OfficialText, entry: ManifestEntry | None) -> tuple[str, dict]:
        meta = ot.meta
        title = self.options.title or ot.title
        if not title:
            raise Refused("the text has no title line; pass --title")
        jurisdiction = self._jurisdiction(ot, title, entry)
        effective = self._pick("effective", entry, meta.effective if meta else None)
        if effective is None:
            raise Refused(
                "--effective is required: the file states no effective date (the 施行 article of an amended "
                "text names the original date, so it is never read); pass --effective or give effective in the manifest"
            )
        source_url = self._pick("source_url", entry, meta.url if meta else None)
        if not source_url:
            raise Refused(
                "--source-url is required: every record carries the public location of its text and the file "
                "states none; pass --source-url or give source_url in the manifest"
            )
        repealed = self._pick("repealed", entry)
        if meta is not None and meta.status == "已废止" and repealed is None:
            raise Refused(
                "the text is marked 已废止 (repealed) but no repeal date is given; pass --repealed or give "
                "repealed in the manifest"
            )
        existing_ids = self.by_title.get((jurisdiction, _squash(title)), set())
        if len(existing_ids) > 1:
            raise Refused(
                f"{len(existing_ids)} rules of {jurisdiction} have the title {title!r} ({', '.join(sorted(existing_ids))}); "
                "give rule in the manifest to attach, or --slug for a rule of its own"
            )
        rule = self.rules.get(next(iter(existing_ids))) if existing_ids and not self._pick("slug", entry) else None
        topic = self._pick("topic", entry, rule.topic if rule else None)
        if not topic:
            raise Refused(
                "--topic is required: the file cannot say which topic it is on; pass --topic or give topic in the manifest"
            )
        if topic not in self.refs.topics:
            raise Refused(f"unknown topic code {topic!r} (add it to topics.yaml and run registry load)")
        flk_kind = FLK_KINDS.get(meta.type or "") if meta else None
        kind = self._pick("kind", entry, flk_kind or (rule.versions[-1].kind if rule else None))
        if not kind:
            raise Refused(
                "--kind is required: the file does not say what kind of rule it is; pass --kind or give kind in the manifest"
            )
        title_en = self._pick("title_en", entry, rule.versions[-1].title_en if rule else None)
        text = build_import_document(
            ot.title,
            ot.body_markdown,
            jurisdiction=jurisdiction,
            topic=topic,
            kind=kind,
            title=title,
            title_en=title_en,
            effective=effective,
            source_url=source_url,
            header_dates=[(d.event, d.date) for d in ot.dates],
            published=meta.publish if meta else None,
            issuer=meta.office if meta else None,
            repealed=repealed,
        )
        data = text.encode("utf-8")
        if rule is not None:
            if rule.topic != topic:
                raise Refused(
                    f"the text is a version of {rule.id} (same title and jurisdiction), whose topic is {rule.topic}, "
                    f"not {topic}"
                )
            return self._new_version(file, ot, rule, data)
        return self._new_rule(file, ot, jurisdiction, topic, title, title_en, effective, data, entry)

    def _new_rule(
        self,
        file: Path,
        ot: OfficialText,
        jurisdiction: str,
        topic: str,
        title: str,
        title_en: str | None,
        effective: dt.date,
        data: bytes,
        entry: ManifestEntry | None,
    ) -> tuple[str, dict]:
        folder = self.root / "rules" / jurisdiction.lower() / topic

        def taken(s: str) -> bool:
            rid = f"{jurisdiction.lower()}/{topic}/{s}"
            return rid in self.rule_ids or (folder / f"{s}.md").exists() or any(folder.glob(f"{s}@*.md"))

        slug = self._pick("slug", entry)
        if slug is not None:
            if not SLUG_RE.match(str(slug)):
                raise ValidationError(f"--slug {SLUG_ERROR}", fields={"slug": [SLUG_ERROR]})
            if taken(str(slug)):
                raise Refused(f"slug {slug!r} is taken in {jurisdiction.lower()}/{topic}; import never overwrites")
        else:
            slug = make_slug(title, title_en, effective.year, taken)
        rule_id = f"{jurisdiction.lower()}/{topic}/{slug}"
        rel = f"rules/{rule_id}.md"
        doc = parse_rule_document(data, rel, self.refs, rule_id=rule_id)
        target = self.root / rel
        _write_new(self.root, target, data)
        try:
            with write_session(self.engine) as session:
                audit.lock(session)
                if session.get(Rule, rule_id) is not None:
                    raise Refused(f"rule {rule_id} exists; import never merges into an existing rule")
                session.add(Rule(id=rule_id, jurisdiction=doc.jurisdiction, topic=doc.topic))
                v = RuleVersion(id=doc.version_id, rule_id=rule_id, created_at=audit.utcnow())
                fill_version(v, doc, self.refs)
                session.add(v)
                audit.append(
                    session,
                    actor=ACTOR,
                    action="version_added",
                    target=v.id,
                    after=v.content_hash,
                    detail={"path": rel, "source_file": file.name},
                )
                enqueue(session, "rule", rule_id)
                content_hash = v.content_hash
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        self.rule_ids.add(rule_id)
        self.rules[rule_id] = _Rule(
            rule_id,
            doc.jurisdiction,
            doc.topic,
            [_Version(doc.version_id, doc.start, rel, doc.repealed, content_hash, doc.kind, doc.title_en)],
        )
        self.by_title.setdefault((doc.jurisdiction, _squash(doc.title)), set()).add(rule_id)
        return "imported", {
            "id": rule_id,
            "version": doc.version_id,
            "path": str(target),
            "articles": len(doc.body.articles),
            "source": str(file),
        }

    def _new_version(self, file: Path, ot: OfficialText, rule: _Rule, data: bytes) -> tuple[str, dict]:
        # the version's date decides its id; an equal date is the same version (unchanged, or refused)
        probe = parse_rule_document(data, f"rules/{rule.id}@new.md", self.refs, rule_id=rule.id)
        start = probe.start
        same = next((v for v in rule.versions if v.start == start), None)
        if same is not None:
            # the same text again (also after it was attached to a bundled version): nothing to do
            if (
                writer.content_hash(writer.render_rule(probe)) == same.content_hash
                or self._body(same.id) == probe.body_text
            ):
                return "unchanged", {"id": rule.id, "version": same.id, "path": str(file)}
            raise Refused(
                f"version {same.id} exists with a different text; import never overwrites (to attach this official "
                f"text to it, give rule: {rule.id} and version: {start.isoformat()} in a manifest)"
            )
        latest = rule.versions[-1]
        if start > latest.start and latest.repealed is not None:
            raise Refused(
                f"rule {rule.id} was repealed on {latest.repealed.isoformat()}; file a new rule (--slug) instead"
            )
        if start < latest.start and probe.repealed is not None:
            raise Refused(f"repealed may be set only on the latest version of {rule.id} (latest: {latest.id})")
        rel = f"rules/{rule.id}@{start.isoformat()}.md"
        doc = parse_rule_document(data, rel, self.refs, rule_id=rule.id, file_date=start)
        target = self.root / rel
        renames: list[tuple[Path, Path, str, str]] = []  # (from, to, version id, new rel path)
        for v in rule.versions:
            plain = f"rules/{rule.id}.md"
            if v.path == plain and (self.root / plain).exists():
                new_rel = f"rules/{rule.id}@{v.start.isoformat()}.md"
                if (self.root / new_rel).exists():
                    raise Refused(f"cannot rename {plain} to {new_rel}: that file exists")
                renames.append((self.root / plain, self.root / new_rel, v.id, new_rel))
        _write_new(self.root, target, data)
        done: list[tuple[Path, Path]] = []
        try:
            for src, dst, _, _ in renames:
                os.rename(src, dst)
                done.append((src, dst))
            with write_session(self.engine) as session:
                audit.lock(session)
                for _, _, vid, new_rel in renames:
                    row = session.get(RuleVersion, vid)
                    if row is not None:
                        row.path = new_rel
                if session.get(RuleVersion, doc.version_id) is not None:
                    raise Refused(f"version {doc.version_id} exists; import never overwrites")
                v = RuleVersion(id=doc.version_id, rule_id=rule.id, created_at=audit.utcnow())
                fill_version(v, doc, self.refs)
                session.add(v)
                audit.append(
                    session,
                    actor=ACTOR,
                    action="version_added",
                    target=v.id,
                    after=v.content_hash,
                    detail={"path": rel, "source_file": file.name, "renamed": [r[3] for r in renames]},
                )
                enqueue(session, "rule", rule.id)
                content_hash = v.content_hash
        except BaseException:
            for src, dst in reversed(done):
                os.rename(dst, src)
            target.unlink(missing_ok=True)
            raise
        for v in rule.versions:
            for _, _, vid, new_rel in renames:
                if v.id == vid:
                    v.path = new_rel
        rule.versions.append(
            _Version(doc.version_id, doc.start, rel, doc.repealed, content_hash, doc.kind, doc.title_en)
        )
        rule.versions.sort(key=lambda v: v.start)
        return "imported", {
            "id": rule.id,
            "version": doc.version_id,
            "path": str(target),
            "articles": len(doc.body.articles),
            "source": str(file),
        }

    def _body(self, version_id: str) -> str | None:
        with session_factory(self.engine)() as session:
            return session.scalar(select(RuleVersion.body).where(RuleVersion.id == version_id))

    # ------------------------------------------------------------ attach (SPEC §8.2)

    def _attach(self, file: Path, ot: OfficialText, entry: ManifestEntry | None, rule_ref: str) -> tuple[str, dict]:
        rule_id, _, at = rule_ref.partition("@")
        version = at or (entry.version if entry else None) or ""
        if "@" in version:
            version = version.rsplit("@", 1)[1]
        rule = self.rules.get(rule_id)
        if rule is None:
            raise Refused(f"no rule with id {rule_id!r} to attach the text to (load the corpus first)")
        if version:
            target_v = next((v for v in rule.versions if v.start.isoformat() == version), None)
            if target_v is None:
                have = ", ".join(v.start.isoformat() for v in rule.versions)
                raise Refused(f"rule {rule_id} has no version {version} (its versions: {have})")
        elif len(rule.versions) == 1:
            target_v = rule.versions[0]
        else:
            target_v = validity.in_force(rule.versions, self.today) or rule.versions[-1]
        want = entry.sha256 if entry else None
        if want and want != ot.sha256:
            raise Refused(
                f"the text differs from the one the manifest names (sha256 {ot.sha256}, manifest {want}; "
                "the sha256 is of the UTF-8 corpus-format body the reader produces)"
            )
        source_url = self._pick("source_url", entry, ot.meta.url if ot.meta else None)
        if not source_url:
            raise Refused(
                "--source-url is required: an attached official text carries its official page; pass --source-url "
                "or give source_url in the manifest"
            )
        if not target_v.path or not (self.root / target_v.path).is_file():
            raise Refused(
                f"the corpus file of {target_v.id} ({target_v.path or 'no path'}) is not in {self.root}; "
                "point --corpus at the corpus the database was loaded from"
            )
        with session_factory(self.engine)() as session:
            row = session.get(RuleVersion, target_v.id)
            if row is None:  # pragma: no cover - removed by another writer since the run began
                raise Refused(f"version {target_v.id} is gone")
            doc = version_document(row)
        doc.body_text = ot.body_markdown
        doc.provenance = "full_text"
        doc.source_url = str(source_url)
        doc.articles_total = ot.article_count
        file_date = None
        m = re.search(r"@(\d{4}-\d{2}-\d{2})\.md$", target_v.path)
        if m:
            file_date = parse_date(m[1])
        data = writer.render_rule(doc).encode("utf-8")
        try:
            new = parse_rule_document(data, target_v.path, self.refs, rule_id=rule_id, file_date=file_date)
        except CorpusError as err:
            raise Refused(f"attaching to {target_v.id} would make an invalid document: {_problems_text(err)}") from None
        checks = verification(new, self.refs)
        failures = []
        for p, ok in zip(new.parameters, checks, strict=True):
            if ok is False:
                article = new.body.article(p.article)
                label = article.label if article else p.article
                failures.append(
                    f"{p.key} = {writer.scalar(p.value)} {p.unit or ''}".rstrip()
                    + f" is not stated in {label} (art. {p.article}): “{article.text if article else ''}”"
                )
        if failures:
            raise Refused(
                f"attach to {target_v.id} refused: {len(failures)} parameter(s) not found in their article's "
                "text — " + " | ".join(failures)
            )
        verified = sum(1 for ok in checks if ok is True)
        digest = writer.content_hash(writer.render_rule(new))
        summary = {
            "id": rule_id,
            "version": target_v.id,
            "articles": len(new.body.articles),
            "parameters_verified": verified,
            "sha256": ot.sha256,
            "path": str(self.root / target_v.path),
            "source": str(file),
        }
        if digest == target_v.content_hash:
            return "unchanged", {"id": rule_id, "version": target_v.id, "path": str(file), "sha256": ot.sha256}
        corpus_file = self.root / target_v.path
        try:
            old_bytes = safefiles.read_bounded(corpus_file, MAX_FILE_BYTES)
        except safefiles.FileRefused as exc:
            raise Refused(f"{target_v.path}: {exc.reason}") from None
        _replace(self.root, corpus_file, data)
        try:
            with write_session(self.engine) as session:
                audit.lock(session)
                v = session.get(RuleVersion, target_v.id)
                before = v.content_hash
                fill_version(v, new, self.refs)
                audit.append(
                    session,
                    actor=ACTOR,
                    action="corrected",
                    target=v.id,
                    before=before,
                    after=v.content_hash,
                    detail={"path": target_v.path, "source_file": file.name, "attached": True, "sha256": ot.sha256},
                )
                enqueue(session, "rule", rule_id)
                target_v.content_hash = v.content_hash
        except BaseException:
            _replace(self.root, corpus_file, old_bytes)
            raise
        return "attached", summary


ProgressCallback = Callable[[Path], None]


def import_texts(
    engine: Engine,
    files: list[tuple[Path, str, bool]],
    corpus_root: Path,
    options: ImportOptions | None = None,
    manifest: Manifest | None = None,
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Import every file (see the module docstring); a bad file is refused and the others go on."""
    importer = Importer(engine, corpus_root, options, manifest)
    for file, rel, named in files:
        importer.import_file(file, rel, named)
        if progress is not None:
            progress(file)
    if manifest is not None:
        importer.report.unmatched = manifest.unmatched()
    return importer.report


def import_document(
    engine: Engine,
    file: Path,
    corpus_root: Path,
    *,
    jurisdiction: str | None = None,
    topic: str | None = None,
    kind: str | None = None,
    title: str | None = None,
    title_en: str | None = None,
    slug: str | None = None,
    effective: dt.date | None = None,
    source_url: str | None = None,
    repealed: dt.date | None = None,
    rule: str | None = None,
) -> dict:
    """One official text with its flags (the single-file ``registry import FILE``); raises on refusal.

    Returns ``{"id", "version", "path", "articles"}`` plus ``"status"`` (imported,
    unchanged or attached) and, for an attach, ``parameters_verified`` and ``sha256``.
    """
    options = ImportOptions(
        jurisdiction=jurisdiction,
        topic=topic,
        kind=kind,
        title=title,
        title_en=title_en,
        slug=slug,
        effective=effective,
        repealed=repealed,
        source_url=source_url,
        rule=rule,
    )
    importer = Importer(engine, corpus_root, options)
    outcome, out = importer.import_file(Path(file), Path(file).name)
    if outcome == "refused":
        raise out["error"]
    result = {k: v for k, v in out.items() if k != "source"}
    result["status"] = outcome
    return result
