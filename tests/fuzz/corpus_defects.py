"""A generator of malformed corpus files: many variants of each defect class, all to be refused.

Each :class:`Defect` is one file (or link, or FIFO) to drop into a copy of the fixture corpus,
the words its refusal must contain, and the class it belongs to. The variants are derived
from the fixture documents (tests/fixtures/corpus, test data written for the registry, no
official text) by a seeded random generator, so a run is reproducible: ``generate(n, seed)``.

Benign-looking variants (a BOM, CRLF line ends, GB18030 bytes) are refused too: SPEC §2 says
the registry never guesses an encoding and the message says how to fix the file.

Run it to see the classes and counts::

    .venv/bin/python -m tests.fuzz.corpus_defects
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
#: A file that YAML "code" would create if it were ever run; a test asserts it never appears.
CANARY = Path("/tmp/registry-fuzz-canary-executed")

#: special payloads (not bytes)
FIFO = "fifo"


@dataclass(frozen=True)
class Symlink:
    target: str  # absolute path, or relative to the corpus root (then made absolute)


@dataclass(frozen=True)
class Sparse:
    """A file of ``size`` bytes whose first bytes are ``head`` (the rest a hole: no disk, no memory)."""

    head: bytes
    size: int


@dataclass(frozen=True)
class Defect:
    cls: str
    rel: str  # path inside the corpus; the refusal must name it
    payload: bytes | str | Symlink | Sparse
    reason: str  # a fragment the refusal's reason contains (case-insensitive)
    replaces: bool = False  # written over an existing corpus file (restored afterwards)


def _base_docs() -> list[tuple[str, str]]:
    """(jurisdiction/topic folder, text) of each fixture rule document."""
    out = []
    for p in sorted((FIXTURE / "rules").rglob("*.md")):
        rel = p.relative_to(FIXTURE / "rules")
        out.append((f"{rel.parts[0]}/{rel.parts[1]}", p.read_text(encoding="utf-8")))
    return out


BASES = _base_docs()
INNOVATION = (FIXTURE / "innovations" / "sample-innovation.md").read_text(encoding="utf-8")
HARD_RULE = (FIXTURE / "hard_rules" / "dz-cod-common-limit.yaml").read_text(encoding="utf-8")


def _split(doc: str) -> tuple[list[str], str]:
    """(front matter lines, rest of the document from the closing '---')."""
    end = doc.index("\n---\n", 3)
    return doc[4:end].split("\n"), doc[end + 1 :]


def _join(fm: list[str], rest: str) -> str:
    return "---\n" + "\n".join(fm) + "\n" + rest


def _set(doc: str, key: str, value: str) -> str:
    fm, rest = _split(doc)
    fm = [f"{key}: {value}" if line.startswith(f"{key}:") else line for line in fm]
    return _join(fm, rest)


def _drop(doc: str, key: str) -> str:
    fm, rest = _split(doc)
    return _join([line for line in fm if not line.startswith(f"{key}:")], rest)


def _top_level_end(fm: list[str]) -> int:
    """Where a new top-level key may go: before a ``parameters:`` list, whose items would swallow it."""
    return next((n for n, line in enumerate(fm) if line.startswith("parameters:")), len(fm))


def _add(doc: str, line: str, at: int | None = None) -> str:
    fm, rest = _split(doc)
    end = _top_level_end(fm)
    fm.insert(end if at is None else min(at, end), line)
    return _join(fm, rest)


class _Gen:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.n = 0

    def base(self) -> tuple[str, str]:
        return self.rng.choice(BASES)

    def rel(self, cls: str, folder: str | None = None, ext: str = ".md") -> str:
        self.n += 1
        folder = folder or self.base()[0]
        return f"rules/{folder}/defect-{cls.replace('_', '-')}-{self.n}{ext}"


def _bad_yaml(g: _Gen, i: int) -> Defect:
    folder, doc = g.base()
    breakers = [
        "title: [unclosed",
        'title: "unterminated',
        "title: {a: 1",
        "\ttopic: data",
        "- a list item among keys",
        "key: value: other",
        "? complex key",
        "title: 'x' trailing",
        "@reserved: 1",
        "`backtick: 1",
        "parameters:\n  - key: a\n   value: 1",
        "[1, 2]: list as key",
        "%YAML 1.1",
        "title: >\n bad\n  indent\n wrong: x",
    ]
    fm, rest = _split(doc)
    fm.insert(g.rng.randrange(len(fm) + 1), breakers[i % len(breakers)])
    return Defect("bad_yaml", g.rel("bad_yaml", folder), _join(fm, rest).encode(), "")


REQUIRED = ["title", "jurisdiction", "topic", "kind", "source_url"]


def _missing_key(g: _Gen, i: int) -> Defect:
    folder, doc = g.base()
    if i % 6 == 5:
        doc = _drop(_drop(_drop(doc, "effective"), "published"), "adopted")
        return Defect("missing_key", g.rel("missing_key", folder), doc.encode(), "effective")
    key = REQUIRED[i % len(REQUIRED)]
    return Defect("missing_key", g.rel("missing_key", folder), _drop(doc, key).encode(), "missing")


EXTRA = ["titel", "Title", "status", "id", "__class__", "version", "tags", "province", "effective_date", "note"]


def _extra_key(g: _Gen, i: int) -> Defect:
    folder, doc = g.base()
    fm, _ = _split(doc)
    line = f"{EXTRA[i % len(EXTRA)]}: {g.rng.choice(['x', '1', 'true', '[a]', '2021-01-01'])}"
    return Defect(
        "extra_key", g.rel("extra_key", folder), _add(doc, line, g.rng.randrange(len(fm))).encode(), "unknown"
    )


WRONG_TYPES = [
    ("title", "[a, b]"),
    ("title", "{zh: x}"),
    ("effective", "20211001"),
    ("effective", "[2021-10-01]"),
    ("effective", "true"),
    ("kind", "123"),
    ("source_url", "not a url"),
    ("source_url", "javascript:alert(1)"),
    ("jurisdiction", "[CN-SH]"),
    ("parameters", "a string"),
    ("parameters", "{key: x}"),
    ("provenance", "[1]"),
]


def _wrong_type(g: _Gen, i: int) -> Defect:
    folder, doc = g.base()
    key, value = WRONG_TYPES[i % len(WRONG_TYPES)]
    if f"\n{key}:" in doc:
        fm, rest = _split(doc)
        if key == "parameters":  # replace the whole list
            start = next(n for n, line in enumerate(fm) if line.startswith("parameters:"))
            fm = [*fm[:start], f"parameters: {value}"]
            doc = _join(fm, rest)
        else:
            doc = _set(doc, key, value)
    else:
        doc = _add(doc, f"{key}: {value}")
    return Defect("wrong_type", g.rel("wrong_type", folder), doc.encode(), "")


BAD_DATES = ["2021-02-30", "2021-13-01", "2021-00-10", "2023-02-29", "0000-01-01", "2021-1-1", "21-01-01", "2021/01/01",
             "2021-04-31", "9999-99-99", "2021-01-32", "二〇二一年一月一日"]  # fmt: skip


def _impossible_date(g: _Gen, i: int) -> Defect:
    folder, doc = g.base()
    bad = BAD_DATES[i % len(BAD_DATES)]
    if i % 4 == 3:  # in the file name
        slug = f"defect-date-{g.n}"
        g.n += 1
        return Defect("impossible_date", f"rules/{folder}/{slug}@{bad.replace('/', '-')}.md", doc.encode(), "")
    key = ["effective", "published", "adopted"][i % 3]
    doc = _set(doc, key, bad) if f"\n{key}:" in doc else _add(doc, f"{key}: {bad}")
    return Defect("impossible_date", g.rel("impossible_date", folder), doc.encode(), "")


def _unknown_code(g: _Gen, i: int) -> Defect:
    folder, doc = g.base()
    choice = i % 7
    if choice == 0:
        return Defect("unknown_code", g.rel("unknown_code", "cn-xx/data"), doc.encode(), "unknown jurisdiction")
    if choice == 1:
        return Defect("unknown_code", g.rel("unknown_code", f"{folder.split('/')[0]}/food"), doc.encode(), "unknown")
    if choice == 2:
        return Defect("unknown_code", g.rel("unknown_code", folder), _set(doc, "jurisdiction", "CN-XX").encode(), "")
    if choice == 3:
        return Defect("unknown_code", g.rel("unknown_code", folder), _set(doc, "kind", "decree").encode(), "kind")
    if choice == 4:
        return Defect("unknown_code", g.rel("unknown_code", folder), _set(doc, "topic", "health").encode(), "topic")
    if choice == 5:
        if "  - key: " in doc:
            fm, rest = _split(doc)
            fm = ["  - key: no.such.parameter" if line.startswith("  - key: ") else line for line in fm]
            return Defect("unknown_code", g.rel("unknown_code", folder), _join(fm, rest).encode(), "parameter")
        return Defect("unknown_code", g.rel("unknown_code", "cn-zz/energy"), doc.encode(), "unknown jurisdiction")
    return Defect("unknown_code", g.rel("unknown_code", folder), _set(doc, "provenance", "rumour").encode(), "")


def _duplicate_id(g: _Gen, i: int) -> Defect:
    """A second file of an existing version, or a code/key written twice in a reference file."""
    plain_and_dated = [
        "rules/cn-sh/environment/sample-wwtp.md",
        "rules/cn-sh/data/sample-data-rule@2021-10-01.md",
        "rules/cn-js/environment/sample-wwtp-js@2020-01-01.md",
        "rules/yrd-dz/environment/sample-joint-standard@2021-01-01.md",
    ]
    if i < len(plain_and_dated):
        doc = (FIXTURE / "rules/cn-sh/environment/sample-wwtp@2020-01-01.md").read_text(encoding="utf-8")
        return Defect("duplicate_id", plain_and_dated[i], doc.encode(), "coexist")
    name = ["jurisdictions.yaml", "topics.yaml", "parameters.yaml"][i % 3]
    text = (FIXTURE / name).read_text(encoding="utf-8")
    entries = ["- " + e for e in text.strip("\n").removeprefix("- ").split("\n- ")]
    k = (i // 3) % len(entries)
    extra = entries[k] if i % 2 else entries[k].replace("name_zh:", "name_zh: 另一个", 1)
    return Defect("duplicate_id", name, (text.rstrip("\n") + "\n" + extra + "\n").encode(), "duplicate", replaces=True)


def _bom(g: _Gen, i: int) -> Defect:
    folder, doc = g.base()
    if i % 4 == 3:
        return Defect("bom", f"hard_rules/defect-bom-{i}.yaml", b"\xef\xbb\xbf" + HARD_RULE.encode(), "BOM")
    return Defect("bom", g.rel("bom", folder), b"\xef\xbb\xbf" + doc.encode(), "BOM")


def _crlf(g: _Gen, i: int) -> Defect:
    folder, doc = g.base()
    data = doc.encode()
    if i % 3 == 0:
        data = data.replace(b"\n", b"\r\n")
    elif i % 3 == 1:  # one line only
        lines = data.split(b"\n")
        k = g.rng.randrange(len(lines) - 1)
        lines[k] += b"\r"
        data = b"\n".join(lines)
    else:  # old Mac CR only
        data = data.replace(b"\n", b"\r")
    return Defect("crlf", g.rel("crlf", folder), data, "")


def _gb18030(g: _Gen, i: int) -> Defect:
    folder, doc = g.base()
    enc = ["gb18030", "gbk", "big5", "utf-16", "utf-16-le", "shift_jis"][i % 6]
    try:
        data = doc.encode(enc)
    except UnicodeEncodeError:
        data = doc.encode("gb18030")
    return Defect("gb18030", g.rel("gb18030", folder), data, "")


def _truncated(g: _Gen, i: int) -> Defect:
    folder, doc = g.base()
    data = doc.encode()
    end = data.index(b"\n---\n", 3)
    cut = g.rng.randrange(1, end)
    return Defect("truncated", g.rel("truncated", folder), data[:cut], "")


def _binary(g: _Gen, i: int) -> Defect:
    folder, _ = g.base()
    heads = [b"\x89PNG\r\n\x1a\n", b"PK\x03\x04", b"%PDF-1.7\n", b"\x7fELF", b"\x00\x00\x00", b"---\n\x00"]
    data = heads[i % len(heads)] + bytes(g.rng.randrange(256) for _ in range(g.rng.randrange(16, 4096)))
    if b"\x00" not in data:
        data += b"\x00"
    return Defect("binary", g.rel("binary", folder), data, "")


def _oversize(g: _Gen, i: int) -> Defect:
    folder, doc = g.base()
    sizes = [1_000_001, 1_048_577, 2_000_000, 10_000_000, 50_000_000, 200_000_000]
    size = sizes[i % len(sizes)]
    if i % 3 == 0 and size <= 2_000_000:  # real bytes: a body long enough
        data = doc.encode()
        filler = ("为了促进公共数据共享，制定本办法。\n" * (size // 40 + 1)).encode()
        return Defect("oversize", g.rel("oversize", folder), (data + filler)[: size + 10], "1 MB")
    return Defect("oversize", g.rel("oversize", folder), Sparse(doc.encode(), size), "1 MB")


def _empty(g: _Gen, i: int) -> Defect:
    folder, _ = g.base()
    data = [b"", b"\n", b"   \n\n\t\n", b" ", b"\n\n\n\n"][i % 5]
    if i % 7 == 6:
        return Defect("empty", f"innovations/defect-empty-{i}.md", data, "empty")
    return Defect("empty", g.rel("empty", folder), data, "empty")


CODE_TAGS = [
    f'!!python/object/apply:os.system ["touch {CANARY}"]',
    f'!!python/object/new:os.system ["touch {CANARY}"]',
    "!!python/name:os.system",
    "!!python/module:os",
    f'!!python/object/apply:subprocess.check_output [["touch", "{CANARY}"]]',
    "!!binary aGVsbG8=",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "!custom value",
    "!!str tagged",
    f"!!python/object/apply:builtins.exec [\"open('{CANARY}','w')\"]",
]


def _code_tag(g: _Gen, i: int) -> Defect:
    folder, doc = g.base()
    tag = CODE_TAGS[i % len(CODE_TAGS)]
    key = ["title", "source_url", "kind", "note_x"][i % 4]
    doc = _set(doc, key, tag) if f"\n{key}:" in doc else _add(doc, f"{key}: {tag}")
    if i % 5 == 4:
        return Defect("code_tag", f"hard_rules/defect-tag-{i}.yaml", (HARD_RULE + f"scope: {tag}\n").encode(), "tag")
    return Defect("code_tag", g.rel("code_tag", folder), doc.encode(), "tag")


def _alias_bomb(g: _Gen, i: int) -> Defect:
    folder, doc = g.base()
    levels = 4 + i % 8
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for k in range(1, levels):
        lines.append(f"a{k}: &a{k} [" + ",".join([f"*a{k - 1}"] * 9) + "]")
    lines.append(f"title: *a{levels - 1}")
    doc = _drop(doc, "title")
    fm, rest = _split(doc)
    return Defect("alias_bomb", g.rel("alias_bomb", folder), _join(fm + lines, rest).encode(), "alias")


PATH_NAMES = [
    "Upper-Case.md",
    "with space.md",
    "under_score.md",
    "dots..md",
    "%2e%2e.md",
    "ｆｕｌｌ-ｗｉｄｔｈ.md",
    "slug.MD",
    "slug.md.bak",
    "slug.txt",
    "中文名.md",
    "a" * 200 + ".md",
    "..md",
    "slug@.md",
    "slug@2021-10-01@2022-01-01.md",
    "slug;rm -rf.md",
]


def _path_slug(g: _Gen, i: int) -> Defect:
    folder, doc = g.base()
    k = i % (len(PATH_NAMES) + 4)
    if k < len(PATH_NAMES):
        rel = f"rules/{folder}/{PATH_NAMES[k]}"
    elif k == len(PATH_NAMES):
        rel = f"rules/{folder}/sub/defect-deep-{i}.md"
    elif k == len(PATH_NAMES) + 1:
        rel = f"rules/{folder.upper()}/defect-upper-{i}.md"
    elif k == len(PATH_NAMES) + 2:
        rel = f"rules/defect-shallow-{i}.md"
    else:
        rel = f"innovations/nested/defect-{i}.md"
    return Defect("path_slug", rel, doc.encode(), "")


def _duplicate_yaml_key(g: _Gen, i: int) -> Defect:
    folder, doc = g.base()
    fm, rest = _split(doc)
    top = [line for line in fm if line and not line.startswith(" ") and ":" in line]
    line = top[i % len(top)]
    if i % 4 == 3 and any(x.startswith("  - key:") for x in fm):  # inside a parameter entry
        k = next(n for n, x in enumerate(fm) if x.startswith("    value:"))
        fm.insert(k + 1, "    value: 999")
        return Defect("duplicate_yaml_key", g.rel("duplicate_yaml_key", folder), _join(fm, rest).encode(), "twice")
    fm.insert(
        g.rng.randrange(_top_level_end(fm) + 1), line.split(":")[0] + ": " + g.rng.choice(["x", "2030-01-01", "CN-JS"])
    )
    return Defect("duplicate_yaml_key", g.rel("duplicate_yaml_key", folder), _join(fm, rest).encode(), "twice")


def _newline_slug(g: _Gen, i: int) -> Defect:
    folder, doc = g.base()
    tails = ["\n", "\r", "\t", " ", "\u200b", "\u00a0", "\u3000", "\u202e", "\n\n", "\x7f"]
    tail = tails[i % len(tails)]
    if i % 3 == 0:
        name = f"defect-nl-{i}{tail}.md"
    elif i % 3 == 1:
        name = f"defect-nl-{i}{tail}@2021-10-01.md"
    else:
        name = f"{tail}defect-nl-{i}.md"
    return Defect("newline_slug", f"rules/{folder}/{name}", doc.encode(), "")


def _symlink(g: _Gen, i: int) -> Defect:
    folder, _ = g.base()
    targets = [
        "/dev/zero",
        "/dev/urandom",
        "/etc/passwd",
        "/etc/hostname",
        "rules/cn-sh/data/sample-data-rule.md",  # inside the corpus: still refused
        "/nonexistent/target.md",
        "/proc/self/environ",
    ]
    target = targets[i % len(targets)]
    if i % 4 == 3:
        return Defect("symlink", f"innovations/defect-link-{i}.md", Symlink(target), "symbolic link")
    return Defect("symlink", g.rel("symlink", folder), Symlink(target), "symbolic link")


def _fifo(g: _Gen, i: int) -> Defect:
    folder, _ = g.base()
    if i % 3 == 2:
        return Defect("fifo", f"hard_rules/defect-fifo-{i}.yaml", FIFO, "FIFO")
    return Defect("fifo", g.rel("fifo", folder), FIFO, "FIFO")


def _front_matter(g: _Gen, i: int) -> Defect:
    folder, doc = g.base()
    variants = [
        doc[4:],  # no opening ---
        doc.replace("\n---\n", "\n--- \n", 1),  # not closed
        "---\n- a\n- b\n---\n# x\n",  # a list
        "---\njust a scalar\n---\n# x\n",
        "---\n---\n# x\n",  # empty front matter
        " " + doc,
        "# 标题\n\n" + doc,
    ]
    return Defect("front_matter", g.rel("front_matter", folder), variants[i % len(variants)].encode(), "")


def _anchor(g: _Gen, i: int) -> Defect:
    folder, doc = g.base()
    doc = _set(doc, "title", "&t 示例") if i % 2 else _add(_drop(doc, "kind"), "kind: &k local_regulation")
    return Defect("anchor", g.rel("anchor", folder), doc.encode(), "anchor")


CLASSES = {
    "bad_yaml": _bad_yaml,
    "missing_key": _missing_key,
    "extra_key": _extra_key,
    "wrong_type": _wrong_type,
    "impossible_date": _impossible_date,
    "unknown_code": _unknown_code,
    "duplicate_id": _duplicate_id,
    "bom": _bom,
    "crlf": _crlf,
    "gb18030": _gb18030,
    "truncated": _truncated,
    "binary": _binary,
    "oversize": _oversize,
    "empty": _empty,
    "code_tag": _code_tag,
    "alias_bomb": _alias_bomb,
    "path_slug": _path_slug,
    "duplicate_yaml_key": _duplicate_yaml_key,
    "newline_slug": _newline_slug,
    "symlink": _symlink,
    "fifo": _fifo,
    "front_matter": _front_matter,
    "anchor": _anchor,
}


def generate(count: int = 320, seed: int = 12) -> list[Defect]:
    """``count`` defects spread evenly over every class (round robin), reproducible by ``seed``."""
    g = _Gen(seed)
    names = list(CLASSES)
    out: list[Defect] = []
    seen: set[str] = set()
    i = 0
    while len(out) < count:
        name = names[i % len(names)]
        d = CLASSES[name](g, i // len(names))
        i += 1
        key = d.rel if not d.replaces else (d.rel, d.payload)
        if key in seen:
            continue
        seen.add(key)
        out.append(d)
    return out


def place(defect: Defect, root: Path) -> Path:
    """Write one defect into the corpus at ``root``; returns its path."""
    import os

    path = root / defect.rel
    path.parent.mkdir(parents=True, exist_ok=True)
    p = defect.payload
    if isinstance(p, Symlink):
        target = p.target if p.target.startswith("/") else str(root / p.target)
        os.symlink(target, path)
    elif p == FIFO:
        os.mkfifo(path)
    elif isinstance(p, Sparse):
        with open(path, "wb") as f:
            f.write(p.head)
            f.truncate(p.size)
    else:
        assert isinstance(p, bytes)
        path.write_bytes(p)
    return path


if __name__ == "__main__":
    ds = generate()
    for name, n in sorted(Counter(d.cls for d in ds).items()):
        print(f"{name:20} {n}")
    print(f"{len(ds)} defects in {len({d.cls for d in ds})} classes")
