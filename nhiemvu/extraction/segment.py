"""Cutting a directive into sentences and clauses, with offsets into the normalised text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nhiemvu.extraction.agencies import UPPER

_ABBREVIATIONS = {
    "tp",
    "tx",
    "kt",
    "tm",
    "tl",
    "q",
    "tuq",
    "ths",
    "ts",
    "pgs",
    "gs",
    "v.v",
    "st",
    "tt",
    "nđ",
    "qđ",
    "ubnd",
    "đ/c",
    "b/c",
    "vp",
}
LIST_MARKER = re.compile(
    r"^\s*(?:(?:\d{1,2}(?:\.\d{1,2})*\.?\)?|[a-zđ]\)|[IVX]{1,4}\.|[-+•*–])\s+|Điều\s+\d+\.?\s*)"
)
_LAST_WORD = re.compile(r"([\wđĐ./]+)[.!?…]$")
_WINDOW = 48
_BOUNDARY = re.compile(rf"(?<=[.!?…])[\"”)]?\s+(?=[\"“(]?[{UPPER}0-9])")


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    line_start: bool  # begins a line (a paragraph or a list item)
    marker: str  # the list marker it begins with ("1.", "a)", "-"), or ""
    ends_with: str  # its last punctuation mark

    @property
    def body_start(self) -> int:
        return self.start + len(self.marker)


def _split_line(line: str, offset: int) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for hit in _BOUNDARY.finditer(line):
        # Only the word before the mark matters: look at a bounded window, not the whole line
        # before it (slicing and searching the line at every boundary made long lines quadratic).
        before = line[max(0, hit.start() - _WINDOW) : hit.start()].rstrip('"”)')
        word = _LAST_WORD.search(before)
        if word and (
            word.group(1).lower().rstrip(".") in _ABBREVIATIONS or len(word.group(1)) == 1
        ):
            continue
        spans.append((offset + start, offset + hit.start()))
        start = hit.end()
    spans.append((offset + start, offset + len(line)))
    return spans


def sentences(text: str) -> list[Sentence]:
    """Sentences of the (normalised) text, in order. Lines broken inside a sentence by PDF
    extraction are joined when the next line starts in lower case."""
    out: list[Sentence] = []
    lines: list[tuple[int, str]] = []
    pos = 0
    for raw in text.split("\n"):
        if lines and raw and raw[:1].islower() and lines[-1][1].rstrip()[-1:] not in ".:;!?":
            start, prev = lines[-1]
            lines[-1] = (start, prev + "\n" + raw)
        else:
            lines.append((pos, raw))
        pos += len(raw) + 1
    for offset, line in lines:
        first = True
        for start, end in _split_line(line, offset):
            chunk = text[start:end]
            lead = len(chunk) - len(chunk.lstrip())
            start += lead
            chunk = text[start:end].rstrip()
            if not chunk.strip():
                continue
            marker = LIST_MARKER.match(chunk) if first else None
            out.append(
                Sentence(
                    start,
                    start + len(chunk),
                    chunk,
                    first,
                    marker.group(0) if marker else "",
                    chunk[-1:],
                )
            )
            first = False
    return out


def clauses(sentence: Sentence) -> list[tuple[int, int]]:
    """The ";"-separated clauses of a sentence, as absolute spans."""
    spans = []
    start = 0
    for hit in re.finditer(r";\s*", sentence.text):
        spans.append((sentence.start + start, sentence.start + hit.end() - len(hit.group(0)) + 1))
        start = hit.end()
    spans.append((sentence.start + start, sentence.end))
    return spans
