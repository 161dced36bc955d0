"""Each domain fact is defined once (docs/decisions.md "One definition of each domain fact").

A second definition is how facts drift apart (five readings of "in force on D" and two numeral parsers
that disagreed once did). This test reads the package's and the benchmarks' source and fails when a
pattern that only the owning module may spell appears anywhere else, naming the file and line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: (fact, pattern that spells it, the one module allowed to, folders scanned)
FACTS = [
    ("the China time zone", r"hours\s*=\s*8\b", "app/corpus/dates.py", ("app", "bench")),
    ("the date parser", r"\.fromisoformat\(|\.strptime\(", "app/corpus/dates.py", ("app", "bench")),
    ("the slug pattern", r"a-z0-9-\]\{1,", "app/corpus/slugs.py", ("app", "bench")),
    ("the article-id format", r"art-\{", "app/corpus/structure.py", ("app", "bench")),
    ("the Chinese digit values", r"[\"']七[\"']\s*:\s*7\b", "app/corpus/numerals.py", ("app", "bench")),
    ("the province list", r"[\"']CN-SH[\"'],\s*[\"']CN-JS[\"']", "app/corpus/jurisdictions.py", ("app",)),
    ("in force on D", r"\bis None or \w+ < \w+", "app/corpus/validity.py", ("app", "bench")),
    ("the Chinese article label", r"第\{to_chinese_numeral", "app/corpus/structure.py", ("app", "bench")),
]


def _hits(pattern: str, owner: str, folders: tuple[str, ...], root: Path = ROOT) -> list[str]:
    rx = re.compile(pattern)
    out = []
    for folder in folders:
        for path in sorted((root / folder).rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            if rel == owner or "/migrations/" in rel:
                continue
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if rx.search(line):
                    out.append(f"{rel}:{n}: {line.strip()}")
    return out


@pytest.mark.parametrize(("fact", "pattern", "owner", "folders"), FACTS, ids=[f[0] for f in FACTS])
def test_defined_once(fact, pattern, owner, folders):
    assert (ROOT / owner).is_file(), f"{fact}: its owner {owner} is gone"
    assert _hits(pattern, owner, folders) == [], f"{fact} is defined outside {owner}"


def test_the_guard_sees_a_second_definition(tmp_path):
    """The scan is not vacuous: a module spelling the time zone again is reported, the owner is not."""
    (tmp_path / "app" / "corpus").mkdir(parents=True)
    (tmp_path / "app" / "clock.py").write_text("import datetime\nTZ = datetime.timedelta(hours=8)\n")
    (tmp_path / "app" / "corpus" / "dates.py").write_text("CST = timedelta(hours=8)\n")
    _fact, pattern, owner, _folders = FACTS[0]
    assert _hits(pattern, owner, ("app",), tmp_path) == ["app/clock.py:2: TZ = datetime.timedelta(hours=8)"]
