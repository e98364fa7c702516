"""Normalised text that remembers where each character came from.

The engine reads a normalised copy (NFC, Đ for U+00D0, "-" for dashes, ordinary spaces) but
every span it reports points into the text as given, so evidence is always a verbatim substring
of the input, whatever form the input was in (NFD from some PDF extractors, for instance).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

_LOOKALIKE = {"\u00d0": "Đ", "\u00f0": "đ"}
_DASH = set("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d")
_SPACE = set(
    "\t\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
)
_ZERO_WIDTH = set("\u200b\u200c\u200d\ufeff")


@dataclass(frozen=True)
class Text:
    original: str
    norm: str
    # index in `original` of each character of `norm`, plus len(original) at the end
    where: Sequence[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of `norm` back to `original`."""
        if end <= start:
            return self.where[start], self.where[start]
        return self.where[start], self.where[end - 1] + self._width(end - 1)

    def _width(self, index: int) -> int:
        nxt = self.where[index + 1]
        return max(1, nxt - self.where[index])

    def evidence(self, start: int, end: int) -> tuple[str, tuple[int, int]]:
        a, b = self.span(start, end)
        return self.original[a:b], (a, b)


_ONE_FOR_ONE = str.maketrans(
    {**_LOOKALIKE, **dict.fromkeys(_DASH, "-"), **dict.fromkeys(_SPACE, " ")}
)
_NEEDS_SLOW = re.compile("[\r\u200b\u200c\u200d\ufeff]")


def prepare(original: str) -> Text:
    """Normalise cluster by cluster (a base character and its combining marks).

    Most input is already NFC: then every change is one character for one, the offsets are the
    identity, and the text is translated in one pass."""
    if unicodedata.is_normalized("NFC", original) and not _NEEDS_SLOW.search(original):
        return Text(original, original.translate(_ONE_FOR_ONE), range(len(original) + 1))
    out: list[str] = []
    where: list[int] = []
    cluster_start = 0
    length = len(original)
    while cluster_start < length:
        cluster_end = cluster_start + 1
        while cluster_end < length and unicodedata.combining(original[cluster_end]):
            cluster_end += 1
        cluster = original[cluster_start:cluster_end]
        if cluster in _ZERO_WIDTH:
            cluster_start = cluster_end
            continue
        if cluster == "\r":
            cluster = "\n" if not (cluster_end < length and original[cluster_end] == "\n") else ""
        elif cluster in _LOOKALIKE:
            cluster = _LOOKALIKE[cluster]
        elif cluster in _DASH:
            cluster = "-"
        elif cluster in _SPACE:
            cluster = " "
        else:
            cluster = unicodedata.normalize("NFC", cluster)
        for ch in cluster:
            out.append(ch)
            where.append(cluster_start)
        cluster_start = cluster_end
    where.append(length)
    return Text(original, "".join(out), tuple(where))
