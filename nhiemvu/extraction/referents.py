"""What a reference names: the agencies a sentence names as lists ("named_in"), the list an
earlier sentence gave that "các đơn vị nêu trên" or "các địa phương này" refers to ("referent").
A bare group ("các địa phương") is not a reference: the labelling rules keep it as written.
Split from agencies.py, which finds the mentions themselves."""

from __future__ import annotations

import re

from nhiemvu.extraction.agencies import REFERS, UPPER, Gazetteer, Mention, mentions_list
from nhiemvu.extraction.patterns import ASSIGNER
from nhiemvu.lib.vntext import fold

# Where an agency mention may begin: a capital, a digit ("05 sở, ngành") or the lower-case
# words that open groups and titles ("các sở", "cấp xã", "giám đốc Sở …").
OPENERS = re.compile(
    rf"(?<![\wđĐ])(?:[{UPPER}0-9]|(?:các|cấp|giám|chủ|thủ|lãnh|người|đồng|phó|trưởng|bộ|sở|"
    r"ủy|uỷ|công|toàn|ban|lực|chính|ngành|tổ|đoàn)(?![\wđ]))"
)
Listed = list[tuple[int, int, list[Mention]]]


def named_in(text: str, start: int, end: int, gazetteer: Gazetteer, most: int = 12) -> Listed:
    """The agency lists named in text[start:end], in order: (list start, list end, mentions),
    at most `most` mentions (a long list stays bounded)."""
    out: Listed = []
    pos, count = start, 0
    while count < most:
        hit = OPENERS.search(text, pos, end)
        if hit is None:
            break
        found, after = mentions_list(text, hit.start(), gazetteer)
        found = [m for m in found if m.end <= end]
        if found:
            out.append((hit.start(), min(after, end), found))
            count += len(found)
            pos = max(after, hit.end())
        else:
            pos = hit.end()
    return out


REFERENT_WINDOW = 1200  # how far back a reference looks for the agencies it names


def referent(text: str, mention: Mention, gazetteer: Gazetteer) -> list[Mention]:
    """The agencies a reference ("các tỉnh, thành phố nêu trên", "các địa phương này") names,
    looked for before its sentence: the last list of the same kind of group ("UBND các tỉnh,
    thành phố: …"), or for a word that fits any agency ("các đơn vị", "các địa phương") the
    last list that names anyone but the issuer; nothing when none is near."""
    noun = re.sub(r"^.*?\bcac\s+", "", fold(REFERS.sub("", mention.text)))
    end = max(text.rfind("\n", 0, mention.start), text.rfind(". ", 0, mention.start)) + 1
    lists = named_in(text, max(0, end - REFERENT_WINDOW), end, gazetteer, 60)
    usable = []
    for _start, _end, found in lists:
        named = [_unreferred(m) for m in found if not ASSIGNER.search(m.text)]
        if named:
            usable.append(named)
    if noun not in _ANY_AGENCY:
        for named in reversed(usable):
            if any(noun in fold(m.text) for m in named):
                return named
    return usable[-1] if usable else []


_ANY_AGENCY = {"don vi", "dia phuong", "co quan", "co quan, don vi", "don vi, dia phuong"}


def _unreferred(mention: Mention) -> Mention:
    if not mention.refers:
        return mention
    bare = REFERS.sub("", mention.text)
    return Mention(bare, mention.start, mention.start + len(bare), mention.group, mention.kinds)
