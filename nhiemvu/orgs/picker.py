"""Finding an organisation the way a clerk types it: part of the name, with or without
diacritics ("so tai chinh", "Tài chính"), its abbreviation ("STC", "KH&CN", "Sở KH-ĐT"), an
alias, or its code; and the groups directives address as a whole ("UBND các xã, phường").

The matching itself is orgs.matching's ``SCORED`` strictness (aliases included); this module
offers its results to the searchable picker on every form (``/co-quan/tim/``), the task list's
filter when a name is typed instead of a code, and the API key admin.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from nhiemvu.lib import workdays
from nhiemvu.lib.orgkinds import KIND_LABELS, group_key
from nhiemvu.orgs import matching
from nhiemvu.orgs.models import Organisation, OrgKind

RESULTS = 20  # options shown under the box; typing more narrows them
QUERY_CHARS = matching.QUERY_CHARS

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


def search(query: str, *, on: dt.date | None = None, limit: int = RESULTS) -> list[Choice]:
    """Organisations (and groups) matching what was typed, best first; active ones only."""
    query = (query or "")[: QUERY_CHARS * 2].strip()
    if not matching.compact(query[:QUERY_CHARS]):
        return []
    known = matching.Directory.load(on or workdays.today())
    choices = [
        Choice(e.code, e.name, e.short_name or str(KIND_LABELS.get(e.kind, "")))
        for _score, e in known.ranked(query)[:limit]
    ]
    return [*groups(query, known.entries), *choices]


def groups(query: str, entries: list[matching.Entry]) -> list[Choice]:
    """The groups whose name contains what was typed, each with its members' codes (from
    ``entries``, the active organisations)."""
    folded = group_key(query)
    found = []
    for key, (label, kinds) in GROUPS.items():
        if folded and folded in group_key(label):
            members = [e.code for e in entries if e.kind in kinds]
            if members:
                found.append(Choice(f"group:{key}", label, "", members))
    return found


def find(text: str) -> Organisation | None:
    """The one organisation a typed filter means: its code, else the one organisation in force
    today that the text names unambiguously (a name, an alias, a code, its initials)."""
    return matching.find(text, strictness=matching.Strictness.SCORED, on=workdays.today())
