"""The issuer's own code of a task, where the text writes it: "(nhiệm vụ NV-2026-92)",
"(mã nhiệm vụ: 12/NQ-CP)", "mã nhiệm vụ NV-2026-17" (issue 27 item 3).

A field reader beside the others (fields.py), kept apart from the scorer: it only reads what
is written and never decides whether a sentence is a task.
"""

from __future__ import annotations

import re
import unicodedata

MAX_CODE = 60  # Assignment.external_code

# A code has a digit and no spaces: "NV-2026-92", "12/NQ-CP", "TTg.17". Words such as "của"
# or a bare "số" after "nhiệm vụ" are not codes.
_CODE = r"(?P<code>[0-9A-Za-zĐđ][0-9A-Za-zĐđ./_-]*)"
_WRITTEN = [
    # In brackets after the work: "(nhiệm vụ NV-2026-92)", "(nhiệm vụ số 17)".
    re.compile(
        r"\(\s*(?:mã\s+(?:số\s+)?)?nhiệm\s+vụ(?:\s+số)?\s*[:.]?\s*" + _CODE + r"\s*\)",
        re.IGNORECASE,
    ),
    # Named as a code anywhere: "mã nhiệm vụ: NV-2026-92", "mã số nhiệm vụ NV-2026-92".
    re.compile(r"\bmã\s+(?:số\s+)?nhiệm\s+vụ(?:\s+số)?\s*[:.]?\s*" + _CODE, re.IGNORECASE),
]


def issuer_task_code(text: str) -> str:
    """The first code the issuer gives the task in ``text``, as written; "" when none."""
    text = unicodedata.normalize("NFC", text)
    found: tuple[int, str] | None = None
    for pattern in _WRITTEN:
        for hit in pattern.finditer(text):
            code = hit.group("code").rstrip("./-_")
            if not any(c.isdigit() for c in code) or len(code) > MAX_CODE:
                continue
            if found is None or hit.start() < found[0]:
                found = (hit.start(), code)
            break
    return found[1] if found else ""
