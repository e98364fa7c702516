"""lib/ and extraction/ stay free of the database layer (import-linter cannot name django.db)."""

from __future__ import annotations

import ast
from pathlib import Path

import nhiemvu

ROOT = Path(nhiemvu.__file__).parent
FORBIDDEN = ("django.db", "django.apps", "django.contrib")


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_pure_packages_import_no_database_layer() -> None:
    checked = 0
    for package in ("lib", "extraction"):
        for path in (ROOT / package).rglob("*.py"):
            if "tests" in path.parts:
                continue
            checked += 1
            bad = {n for n in imports_of(path) if n.startswith(FORBIDDEN)}
            assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"
    assert checked >= 5
