"""Finding an organisation the way a clerk types it: part of the name, with or without
diacritics ("so tai chinh", "Tài chính"), its abbreviation ("STC", "KH&CN", "Sở KH-ĐT"), an
alias, or its code; and the groups directives address as a whole ("UBND các xã, phường").

One function serves the searchable picker on every form (``/co-quan/tim/``), the task list's
filter when a name is typed instead of a code, and the API key admin.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from nhiemvu.lib import workdays
from nhiemvu.lib.orgkinds import KIND_LABELS, group_key
from nhiemvu.lib.vntext import fold
from nhiemvu.orgs.models import OrgAlias, Organisation, OrgKind
from nhiemvu.orgs.selectors import active_organisations

RESULTS = 20  # options shown under the box; typing more narrows them
QUERY_CHARS = 100

# Whole groups offered in the picker: the kinds a directive addresses together.
GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "departments": ("Các sở, ban, ngành", (OrgKind.DEPARTMENT,)),
    "districts": ("UBND các huyện, thị xã, thành phố", (OrgKind.DISTRICT,)),
    "communes": (
        "UBND các xã, phường, đặc khu",
        (OrgKind.COMMUNE, OrgKind.WARD, OrgKind.SPECIAL_ZONE),
    ),
    "central": ("Các cơ quan Trung ương trên địa bàn", (OrgKind.CENTRAL,)),
}
_SKIPPED_WORDS = {"va", "cua", "tinh", "cac"}


@dataclass
class Choice:
    value: str  # an organisation's code, or "group:<key>"
    label: str
    hint: str = ""
    members: list[str] = field(default_factory=list)  # a group's codes

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"value": self.value, "label": self.label, "hint": self.hint}
        if self.members:
            data["members"] = self.members
            data["count"] = len(self.members)
        return data


def _compact(text: str) -> str:
    """Letters and digits only: "Sở KH&CN" and "kh-cn" and "KHCN" compare equal."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


def _initials(name: str) -> set[str]:
    """ "Sở Tài chính" → {"stc", "tc"}; "Sở Khoa học và Công nghệ" → {"skhcn", "khcn"}: the
    abbreviations a directive writes, with and without the head word."""
    words = [w for w in re.split(r"[\s,&-]+", fold(name)) if w and w not in _SKIPPED_WORDS]
    if not words:
        return set()
    full = "".join(w[0] for w in words)
    # Two-letter syllable pairs too: "khoa hoc" → "kh", as "KH&CN" writes it.
    return {full, full[1:]} - {""}


def _score(query: str, compact: str, org: dict[str, Any], aliases: list[str]) -> int | None:
    """Lower is better; None when the organisation does not match."""
    name = fold(org["name"])
    short = fold(org["short_name"] or "")
    names = [name, short, fold(org["code"]), *(fold(a) for a in aliases)]
    if query in (fold(org["code"]), short, name) or compact in {_compact(n) for n in names if n}:
        return 0
    if compact and compact in _initials(org["name"]):
        return 1
    if any(n.startswith(query) for n in names if n):
        return 2
    words = query.split()
    if words and all(any(w in n for n in names if n) for w in words):
        return 3
    return None


def _rows(on: dt.date) -> list[dict[str, Any]]:
    fields = ("id", "code", "name", "short_name", "kind")
    return [dict(row) for row in active_organisations(on).values(*fields)]


def search(query: str, *, on: dt.date | None = None, limit: int = RESULTS) -> list[Choice]:
    """Organisations (and groups) matching what was typed, best first; active ones only."""
    query = fold(query or "")[:QUERY_CHARS].strip()
    if not query:
        return []
    compact = _compact(query)
    on = on or workdays.today()
    rows = _rows(on)
    aliases: dict[int, list[str]] = {}
    for org_id, alias in OrgAlias.objects.values_list("org_id", "alias"):
        aliases.setdefault(org_id, []).append(alias)
    scored = []
    for org in rows:
        score = _score(query, compact, org, aliases.get(org["id"], []))
        if score is not None:
            scored.append((score, org["name"], org))
    scored.sort(key=lambda item: (item[0], item[1]))
    choices = [
        Choice(org["code"], org["name"], org["short_name"] or str(KIND_LABELS.get(org["kind"], "")))
        for _score_value, _name, org in scored[:limit]
    ]
    return [*groups(query, rows), *choices]


def groups(query: str, rows: list[dict[str, Any]]) -> list[Choice]:
    """The groups whose name contains what was typed, each with its members' codes (from
    ``rows``, the active organisations)."""
    folded = group_key(query)
    found = []
    for key, (label, kinds) in GROUPS.items():
        if folded and folded in group_key(label):
            members = [row["code"] for row in rows if row["kind"] in kinds]
            if members:
                found.append(Choice(f"group:{key}", label, "", members))
    return found


def find(text: str) -> Organisation | None:
    """The one organisation a typed filter means: its code, else the best match if it is
    unambiguous (an exact name, abbreviation or alias)."""
    text = (text or "").strip()
    if not text:
        return None
    by_code = Organisation.objects.filter(code=text).first()
    if by_code is not None:
        return by_code
    query = fold(text)[:QUERY_CHARS]
    compact = _compact(query)
    best = []
    for org in _rows(workdays.today()):
        score = _score(query, compact, org, [])
        if score is not None and score <= 1:
            best.append(org)
    if len(best) != 1:
        return None
    return Organisation.objects.get(pk=best[0]["id"])
