"""Resolving agency mentions to the organisation directory; ambiguity is reported, not guessed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from nhiemvu.extraction.agency_names import expand
from nhiemvu.lib.orgkinds import kinds_for_group
from nhiemvu.lib.vntext import fold

# The initials of departments and bodies are written out by agencies.expand (one table,
# agency_names.ABBREVIATED); these short words it keeps as written, as every reader knows them.
_SHORT = {
    "ubnd": "uy ban nhan dan",
    "tp": "thanh pho",
    "tx": "thi xa",
    "vp": "van phong",
    "bql": "ban quan ly",
}


def canonical(name: str) -> str:
    """The key a name is matched by: written out, folded, without a title in front."""
    words = [
        _SHORT.get(w, w)
        for w in re.split(r"[\s,.;:()]+", fold(expand(name)).replace("-", " - "))
        if w
    ]
    text = " ".join(words).replace(" - ", " ")
    text = re.sub(r"^(?:thu truong|giam doc|chu tich|dong chi|lanh dao)\s+", "", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Resolution:
    matches: list[dict[str, str]] = field(default_factory=list)
    candidates: list[dict[str, str]] = field(default_factory=list)
    ambiguous: bool = False


class Directory:
    def __init__(self, entries: list[dict[str, Any]]) -> None:
        self.entries = entries
        self.keys: dict[str, list[int]] = {}
        for i, entry in enumerate(entries):
            for value in [
                entry.get("name", ""),
                entry.get("short_name", ""),
                entry.get("code", ""),
                *entry.get("aliases", []),
            ]:
                if value:
                    self.keys.setdefault(canonical(value), []).append(i)
        self.choices = list(self.keys)

    def _brief(self, index: int) -> dict[str, str]:
        entry = self.entries[index]
        return {"code": str(entry.get("code", "")), "name": str(entry.get("name", ""))}

    def resolve(self, text: str, *, group: bool = False) -> Resolution:
        if group:
            kinds = kinds_for_group(text) or kinds_for_group(
                re.sub(r"\s+(liên quan|có liên quan|tỉnh)$", "", text)
            )
            if kinds is None:
                return Resolution(ambiguous=True)
            return Resolution(
                [self._brief(i) for i, e in enumerate(self.entries) if e.get("kind") in kinds]
            )
        key = canonical(text)
        if key in self.keys:
            found = sorted(set(self.keys[key]))
            if len(found) == 1:
                return Resolution([self._brief(found[0])])
            return Resolution([], [self._brief(i) for i in found], True)
        best = process.extract(key, self.choices, scorer=fuzz.ratio, limit=3)
        if not best:
            return Resolution()
        top_key, top_score, _ = best[0]
        second = best[1][1] if len(best) > 1 else 0
        if top_score >= 90 and top_score - second >= 4:
            return Resolution([self._brief(self.keys[top_key][0])])
        if top_score >= 75:
            candidates = [self._brief(self.keys[k][0]) for k, score, _ in best if score >= 75]
            return Resolution([], candidates, True)
        return Resolution()
