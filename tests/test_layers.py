"""The package layering, read from the source (every import, at any depth in a module).

Entry points (web, api, cli) call services; none imports another. Domain packages never
import Flask. The registry never imports search (writes reach the index through the outbox).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[1] / "app"
ENTRY_POINTS = ("web", "api", "cli")
DOMAIN = ("corpus", "diff", "harmonization", "search", "registry", "accounts", "exports")


def imports_of(path: Path) -> set[str]:
    """Every module a file imports, wherever the import statement stands."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def package_files(package: str) -> list[Path]:
    return sorted((APP / package).rglob("*.py"))


def test_imports_of_reads_nested_imports(tmp_path: Path) -> None:
    f = tmp_path / "m.py"
    f.write_text("def f():\n    from app.api.search import run_search\n    import flask\n", encoding="utf-8")
    assert {"app.api.search", "app.api.search.run_search", "flask"} <= imports_of(f)


@pytest.mark.parametrize("package", ENTRY_POINTS)
def test_no_entry_point_imports_another(package: str) -> None:
    others = [p for p in ENTRY_POINTS if p != package]
    offending = [
        f"{path.relative_to(APP.parent)} imports {name}"
        for path in package_files(package)
        for name in sorted(imports_of(path))
        if any(name == f"app.{o}" or name.startswith(f"app.{o}.") for o in others)
    ]
    assert offending == []


@pytest.mark.parametrize("package", DOMAIN)
def test_domain_packages_do_not_import_flask(package: str) -> None:
    offending = [
        f"{path.relative_to(APP.parent)} imports {name}"
        for path in package_files(package)
        for name in sorted(imports_of(path))
        if name.split(".")[0] in {"flask", "flask_smorest", "flask_babel", "jinja2"}
        or any(name == f"app.{e}" or name.startswith(f"app.{e}.") for e in ENTRY_POINTS)
        or name in {"app.extensions", "app.errors"}
    ]
    assert offending == []


def test_registry_never_imports_search() -> None:
    offending = [
        f"{path.relative_to(APP.parent)} imports {name}"
        for path in package_files("registry")
        for name in sorted(imports_of(path))
        if name == "app.search" or name.startswith("app.search.")
    ]
    assert offending == []
