"""Fail when a translatable string is hidden from `makemessages`: xgettext reads only calls of
the names Django gives it (``_``, ``gettext``, ``gettext_lazy``, ``pgettext``…) written as
calls outside f-strings. A call inside an f-string, or a translation function imported under
another name (``gettext_lazy as _lazy``), is not extracted: `make messages` then drops its
Vietnamese translation as obsolete and the page shows English (it happened to the task list's
"No deadline for deliverable" badge and the switch-over's reconciliation classes).

python -m nhiemvu.lib.checkgettext [ROOT] (default: the nhiemvu package); `make lint` runs it.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from nhiemvu.lib.checksize import production_modules

# The keywords Django's makemessages passes to xgettext for Python files.
KEYWORDS = frozenset(
    {
        "_",
        "gettext",
        "gettext_lazy",
        "gettext_noop",
        "ngettext",
        "ngettext_lazy",
        "pgettext",
        "pgettext_lazy",
        "npgettext",
        "npgettext_lazy",
    }
)
TRANSLATION_MODULES = frozenset({"django.utils.translation", "gettext"})


def _callee(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def problems(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in TRANSLATION_MODULES:
            for alias in node.names:
                if alias.name in KEYWORDS and alias.asname not in (None, "_"):
                    found.append(
                        f"{path}:{node.lineno}: {alias.name} imported as {alias.asname}: "
                        "makemessages will not see its strings"
                    )
        if isinstance(node, ast.JoinedStr):
            for part in ast.walk(node):
                if (
                    isinstance(part, ast.Call)
                    and _callee(part) in KEYWORDS
                    and part.args
                    and isinstance(part.args[0], ast.Constant)
                ):
                    found.append(
                        f"{path}:{part.lineno}: {_callee(part)}() inside an f-string: "
                        "makemessages will not see it; translate into a name first"
                    )
    return found


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1]
    found = [line for path in production_modules(root) for line in problems(path)]
    for line in found:
        sys.stdout.write(line + "\n")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
