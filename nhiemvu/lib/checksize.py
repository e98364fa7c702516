"""Fail when a production module passes the size limit (issue 25: "no production module over 500
lines"): a module that long holds more than one part of the house, and a newcomer cannot tell
which. Tests and migrations are not production modules (a migration is written by Django, a test
file grows with the cases it covers).

python -m nhiemvu.lib.checksize [ROOT] (default: the nhiemvu package); `make lint` runs it.
"""

from __future__ import annotations

import sys
from pathlib import Path

MAX_LINES = 500
# Directories whose modules are not production code.
NOT_PRODUCTION = frozenset({"tests", "migrations"})


def production_modules(root: Path) -> list[Path]:
    return sorted(
        path
        for path in root.rglob("*.py")
        if not NOT_PRODUCTION.intersection(path.relative_to(root).parts[:-1])
    )


def too_long(root: Path, limit: int = MAX_LINES) -> list[tuple[Path, int]]:
    """Each production module under ``root`` longer than ``limit`` lines, with its length."""
    found = []
    for path in production_modules(root):
        with path.open(encoding="utf-8") as handle:
            lines = sum(1 for _ in handle)
        if lines > limit:
            found.append((path, lines))
    return found


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else Path(__file__).resolve().parents[1]
    found = too_long(root)
    for path, lines in found:
        sys.stdout.write(
            f"{path}: {lines} lines (at most {MAX_LINES}): split it along a real seam\n"
        )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
