"""Fail when the Vietnamese catalogue has untranslated or fuzzy entries (house rule 8), or when
the committed .mo does not hold what the .po says (the .mo is committed so that a fresh machine
needs no gettext tools).

python -m nhiemvu.lib.checkmessages locale/vi/LC_MESSAGES/django.po [--compiled FRESH.mo]
"""

from __future__ import annotations

import gettext
import re
import sys
from pathlib import Path


def problems(po_text: str) -> list[str]:
    found = []
    for block in re.split(r"\n\s*\n", po_text):
        lines = block.strip().splitlines()
        if not lines or all(line.startswith("#") for line in lines):
            continue
        text = "\n".join(lines)
        msgid = re.search(r'^msgid "(.*)"', text, re.M)
        if msgid is None or (msgid.group(1) == "" and 'msgid ""\n"' not in text):
            continue  # the header
        label = re.sub(r'"\n"', "", text.split("msgstr")[0])[:120]
        if re.search(r"^#,.*\bfuzzy\b", text, re.M):
            found.append(f"fuzzy: {label}")
            continue
        values = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', text + "\n", re.M)
        if not values or any(re.sub(r'"\s*"|"', "", v).strip() == "" for v in values):
            found.append(f"untranslated: {label}")
    return found


def catalogue(mo: Path) -> dict[object, str]:
    with mo.open("rb") as handle:
        entries = dict(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]
    entries.pop("", None)  # the header: dates differ between compilations
    return entries


def main(argv: list[str]) -> int:
    path = Path(argv[1] if len(argv) > 1 else "locale/vi/LC_MESSAGES/django.po")
    found = problems(path.read_text(encoding="utf-8"))
    if "--compiled" in argv:
        fresh = Path(argv[argv.index("--compiled") + 1])
        if catalogue(fresh) != catalogue(path.with_suffix(".mo")):
            found.append(f"{path.with_suffix('.mo')} is stale: run `make messages` and commit it")
    for line in found:
        print(line, file=sys.stderr)  # noqa: T201
    print(f"{path}: {len(found)} problem(s)")  # noqa: T201
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
