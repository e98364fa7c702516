"""Which organisation a text names: one matcher, its strictness said at every call.

``EXACT``: identity. The text *is* one of the organisation's names: its official name, its
short name, a registered alias, its code, its electronic identifier or its tax/budget code,
diacritics, case, spaces and punctuation aside ("SỞ TÀI CHÍNH" is "Sở Tài chính", "Sở KH-CN" is
"Sở KH&CN"). Never a part of a name: "SỞ" or "TÀI CHÍNH" names no one. Signatures (is a
certificate the agency's?), the Excel import and the reader's named issuer ask this.

``SCORED``: what a clerk types into the picker. Also the initials ("STC", "KH&CN"), the
beginning of a name, or every typed word inside one name; best first. Score 0 is exactly
``EXACT``'s identity, so the two strictnesses never disagree on an identity.

Aliases count everywhere (a renamed organisation's old name is one of its aliases).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from nhiemvu.lib.vntext import fold
from nhiemvu.orgs.models import OrgAlias, Organisation
from nhiemvu.orgs.selectors import active_organisations

QUERY_CHARS = 100  # a name is short; more typed is cut, not matched character by character
_SKIPPED_WORDS = {"va", "cua", "tinh", "cac"}
# The prefix a certificate puts before a code: ETSI's organizationIdentifier ("VATVN-…",
# "NTRVN-…") or the Vietnamese CAs' UID ("MST:…" tax code, "MNS:…" budget code).
_CODE_PREFIX = re.compile(r"^\s*(?:[a-z]{3}[a-z]{2}-|(?:mst|mns)\s*:)", re.IGNORECASE)


class Strictness(StrEnum):
    EXACT = "exact"
    SCORED = "scored"


def compact(text: str) -> str:
    """Letters and digits only, folded: "Sở KH&CN", "so kh-cn" and "SỞ KHCN" compare equal."""
    return re.sub(r"[^a-z0-9]", "", fold(text or ""))


def code_form(value: str) -> str:
    """A code as a certificate or another system writes it, reduced to compare: "MST:4100259211"
    and "VATVN-4100259211" are "4100259211"; "000.00.12.H21" is "0000012h21"."""
    return compact(_CODE_PREFIX.sub("", value or ""))


def _initials(name: str) -> set[str]:
    """ "Sở Tài chính" → {"stc", "tc"}; "Sở Khoa học và Công nghệ" → {"skhcn", "khcn"}: the
    abbreviations a directive writes, with and without the head word."""
    words = [w for w in re.split(r"[\s,&-]+", fold(name)) if w and w not in _SKIPPED_WORDS]
    if not words:
        return set()
    full = "".join(w[0] for w in words)
    return {full, full[1:]} - {""}


@dataclass(frozen=True)
class Entry:
    """An organisation as the matcher sees it: its row and every name it answers to."""

    id: int
    code: str
    name: str
    short_name: str
    kind: str
    names: tuple[str, ...]  # folded: name, short name, code, aliases (the scored tiers read them)
    identities: frozenset[str]  # compact: the names and the codes (identity, score 0)


def _entry(row: dict[str, Any], aliases: Iterable[str]) -> Entry:
    aliases = list(aliases)
    names = tuple(
        n for n in (fold(row["name"]), fold(row["short_name"] or ""), fold(row["code"])) if n
    ) + tuple(fold(a) for a in aliases if fold(a))
    codes = {code_form(row.get("electronic_id") or ""), code_form(row.get("tax_code") or "")}
    identities = frozenset({compact(n) for n in names} | codes) - {""}
    return Entry(
        row["id"], row["code"], row["name"], row["short_name"] or "", row["kind"], names, identities
    )


_FIELDS = ("id", "code", "name", "short_name", "kind", "electronic_id", "tax_code")


def entry_of(org: Organisation) -> Entry:
    """One organisation's entry (its aliases read)."""
    row = {f: getattr(org, f) for f in _FIELDS}
    return _entry(row, (a.alias for a in org.aliases.all()))


def score(text: str, entry: Entry) -> int | None:
    """How well ``text`` names ``entry``, lower is better; None when it does not. 0 is identity
    (``EXACT``), 1 the initials, 2 the beginning of a name, 3 every word inside one name."""
    query = fold(text or "")[:QUERY_CHARS].strip()
    key = compact(query)
    if not key:
        return None
    if key in entry.identities:
        return 0
    if key in _initials(entry.name):
        return 1
    if any(n.startswith(query) for n in entry.names):
        return 2
    words = query.split()
    if words and all(any(w in n for n in entry.names) for w in words):
        return 3
    return None


def names_org(texts: Iterable[str], org: Organisation, *, codes: Iterable[str] = ()) -> bool:
    """Whether any of ``texts`` (names) or ``codes`` (identifiers, prefixes allowed) is one of
    ``org``'s identities: the ``EXACT`` matcher for one known organisation (a certificate's
    O/OU values and its organisation identifiers against the lead agency)."""
    identities = entry_of(org).identities
    return any(compact(t) in identities for t in texts if compact(t)) or any(
        code_form(c) in identities for c in codes if code_form(c)
    )


class Directory:
    """The organisations and their names, read once: an import of 5,000 rows asks thousands of
    times, the picker once per keystroke."""

    def __init__(self, entries: list[Entry], on: dt.date | None) -> None:
        self.entries = entries
        self.on = on
        self._by_identity: dict[str, list[Entry]] = {}
        for entry in entries:
            for identity in entry.identities:
                self._by_identity.setdefault(identity, []).append(entry)

    @classmethod
    def load(cls, on: dt.date | None = None) -> Directory:
        """Every organisation, or those in force on ``on``."""
        aliases: dict[int, list[str]] = {}
        for org_id, alias in OrgAlias.objects.values_list("org_id", "alias"):
            aliases.setdefault(org_id, []).append(alias)
        rows = active_organisations(on).values(*_FIELDS)
        return cls([_entry(dict(row), aliases.get(row["id"], [])) for row in rows], on)

    def ranked(self, text: str) -> list[tuple[int, Entry]]:
        """The ``SCORED`` matches, best first (then by name)."""
        scored = [(s, e) for e in self.entries if (s := score(text, e)) is not None]
        scored.sort(key=lambda item: (item[0], item[1].name))
        return scored

    def matches(self, text: str, strictness: Strictness) -> list[Entry]:
        """Every organisation ``text`` names at this strictness: ``EXACT`` its identities,
        ``SCORED`` the identities and initials (what is unambiguous enough to act on)."""
        if strictness == Strictness.EXACT:
            return list(self._by_identity.get(compact(fold(text or "")[:QUERY_CHARS]), []))
        return [e for s, e in self.ranked(text) if s <= 1]

    def find(self, text: str, strictness: Strictness = Strictness.EXACT) -> Organisation | None:
        """The one organisation ``text`` names, or None (none, or more than one)."""
        found = self.matches(text, strictness)
        return Organisation.objects.get(pk=found[0].id) if len(found) == 1 else None

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """Names close to a text that names no one, for "did you mean" (the import's rows)."""
        from rapidfuzz import fuzz, process

        names = {fold(e.name): e.name for e in self.entries}
        close = process.extract(fold(text or ""), list(names), scorer=fuzz.WRatio, limit=limit)
        return [names[key] for key, points, _index in close if points >= 60]


def find(
    text: str,
    *,
    strictness: Strictness = Strictness.EXACT,
    on: dt.date | None = None,
    directory: Directory | None = None,
) -> Organisation | None:
    """The one organisation ``text`` names (None: none, or ambiguous). A code typed exactly is
    that organisation whatever its dates (a filter on history); otherwise the organisations in
    force on ``on`` (every one when None) are matched at ``strictness``. ``directory``: those
    organisations already loaded for ``on`` (a directory sync asks for thousands of people)."""
    text = (text or "").strip()
    if not text:
        return None
    by_code = Organisation.objects.filter(code=text).first()
    if by_code is not None:
        return by_code
    return (directory or Directory.load(on)).find(text, strictness)
