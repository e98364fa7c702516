"""Agency mentions: names, groups, role prefixes, and lists of them.

A name is found by the built-in list of standard names (provincial departments, ministries,
central agencies in a province: these are fixed by decree, not by any one document), by the
organisation directory when one is given, or by the generic shape "Sở|Bộ|Ban|… + Proper Name".
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from nhiemvu.extraction.agency_names import (
    CAP,
    ENUM_STOP,
    FUNCTIONAL,
    HEADS,
    HOLDER,
    LOW,
    NAMED_AFTER_PEOPLE,
    ROLE,
    STANDARD_NAMES,
    SURNAMES,
    UPPER,
    expand,
)
from nhiemvu.extraction.agency_shape import generic_end
from nhiemvu.lib.orgkinds import kinds_for_group
from nhiemvu.lib.vntext import fold

_LOCALITY = r"(?:tỉnh|huyện|thị\s*xã|thành\s*phố|quận|xã|phường|thị\s*trấn|đặc\s*khu)"
_PROPER = rf"{CAP}[{LOW}]*(?:[ \t]+{CAP}[{LOW}]*)*"
_PLACE_NAME = (
    rf"{CAP}[{LOW}]*(?:[ \t]+{CAP}[{LOW}]*)?"
    rf"(?:[ \t]+(?!(?:{'|'.join(SURNAMES)})[ \t]+{CAP}){CAP}[{LOW}]*)*"
)
LOCAL_GOV = re.compile(
    rf"(?:Ủy\s*ban\s*nhân\s*dân|Uỷ\s*ban\s*nhân\s*dân|UBND)\s+(?P<locality>{_LOCALITY})\s+"
    rf"(?P<place>{_PLACE_NAME})"
)
# The Government's groups are one noun each: "các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ"
# was cut to "các bộ, cơ quan" (longer names first: the alternation takes the first that fits);
# so are a province's ("các sở, cơ quan ngang sở") and the banks' ("các tổ chức tín dụng, chi
# nhánh ngân hàng nước ngoài", "các TCTD": had been cut to "các tổ chức").
GROUP_NOUN = r"(?:tổ\s*chức\s*tín\s*dụng|TCTD|chi\s*nhánh\s*ngân\s*hàng(?:\s*nước\s*ngoài)?|cơ\s*quan\s*ngang\s*sở|Ban\s*QLDA|Ban\s*Quản\s*lý\s*dự\s*án|chủ\s*đầu\s*tư|nhà\s*thầu|cơ\s*quan\s*ngang\s*bộ|cơ\s*quan\s*thuộc\s*Chính\s*phủ|cơ\s*quan\s*quản\s*lý(?:\s*nhà\s*nước)?|sở|bộ|ban|phòng|ngành|cơ\s*quan|đơn\s*vị|địa\s*phương|doanh\s*nghiệp|tổ\s*chức|hội|đoàn\s*thể)"
# Localities bounded by where they are: "các tỉnh ven biển từ Quảng Ninh đến Quảng Ngãi",
# "UBND các tỉnh, thành phố khu vực Trung Bộ, Tây Nguyên".
_PLACE = rf"(?-i:{_PROPER})"
PLACE_ALT = (
    rf"ven\s*biển|miền\s*núi|biên\s*giới|từ\s+{_PLACE}\s+đến\s+{_PLACE}|"
    rf"khu\s*vực\s+{_PLACE}(?:\s*,\s*(?!Sở|Bộ|Ban|UBND|Ủy|Uỷ){_PLACE})*"
)
PLACES = rf"(?:\s+(?:{PLACE_ALT}))*"
GROUP_QUALIFIER = (
    r"(?:\s+(?:"
    + PLACE_ALT
    + r"|chuyên\s*ngành(?:\s*,\s*khu\s*vực)?|chuyên\s*môn|chính\s*trị\s*-\s*xã\s*hội|trong\s*tỉnh|sự\s*nghiệp(?:\s*công\s*lập)?|thuộc\s*(?:UBND|Ủy\s*ban\s*nhân\s*dân|Uỷ\s*ban\s*nhân\s*dân)\s*tỉnh|"
    r"trực\s*thuộc\s*(?:UBND|Ủy\s*ban\s*nhân\s*dân|Uỷ\s*ban\s*nhân\s*dân)\s*tỉnh|tỉnh(?!\s+(?-i:{cap}))|"
    r"Trung\s*ương|trung\s*ương|có\s*liên\s*quan|liên\s*quan|chức\s*năng|trên\s*địa\s*bàn(?:\s*(?:tỉnh|huyện|thị\s*xã|thành\s*phố|xã|phường))?|khác|"
    r"thuộc\s*tỉnh|cấp\s*tỉnh|(?:trực\s*)?thuộc\s*(?:bộ|sở)(?![\wđ])))*"
).replace("{cap}", CAP)
GROUP = re.compile(
    rf"(?:(?:Ủy|Uỷ)\s*ban\s*nhân\s*dân|UBND)\s+(?:các|cấp)\s+(?:huyện|xã|tỉnh|quận|phường|đặc\s*khu|địa\s*phương)"
    # "UBND các Quận 1, Quận 5"; "UBND các huyện, thị" (thị xã).
    rf"(?:\s+\d{{1,2}}(?:\s*,\s*[Qq]uận\s*\d{{1,2}})*)?"
    rf"(?:\s*[,;]?\s*(?:cấp\s+)?(?:thị\s*xã|thành\s*phố|phường|thị\s*trấn|đặc\s*khu|huyện|quận|"
    rf"xã(?![{LOW}])|thị(?=\s*,)))*"
    rf"(?:\s+trực\s*thuộc\s*(?:Trung\s*ương|trung\s*ương|tỉnh))?{PLACES}"
    # The heads of the ministries stand for them: "Bộ trưởng, Thủ trưởng cơ quan ngang bộ, …".
    rf"|(?:các\s+)?Bộ\s*trưởng\s*,\s*Thủ\s*trưởng\s*(?:các\s*)?cơ\s*quan\s*ngang\s*bộ"
    rf"(?:\s*,\s*(?:Thủ\s*trưởng\s*)?cơ\s*quan\s*thuộc\s*Chính\s*phủ)?"
    # A counted group: "11 Bộ, cơ quan", "05 sở, ngành".
    rf"|\d{{1,3}}\s+{GROUP_NOUN}(?:\s*,\s*{GROUP_NOUN})*(?![{LOW}])"
    # "các huyện, thị xã, thành phố": the localities' committees; "các tỉnh, thành (phố)" too.
    rf"|[Cc]ác\s+(?:tỉnh|huyện|quận|thị\s*xã|thành\s*phố|xã|phường)(?![{LOW}])"
    rf"(?:\s*,\s*(?:huyện|quận|thị\s*xã|thành(?:\s*phố)?|xã|phường|thị\s*trấn|đặc\s*khu)(?![{LOW}]))*{PLACES}"
    # ("các sở, ngành tổ chức thực hiện": "tổ chức" after a bare space is the verb)
    rf"|[Cc]ác\s+{GROUP_NOUN}(?:(?:\s*,\s*|\s+và\s+|\s+(?!tổ\s*chức)){GROUP_NOUN}(?![{LOW}]))*"
    rf"{GROUP_QUALIFIER}"
    rf"|[Cc]ác\s+cấp(?:\s*,\s*các\s+ngành)?"
    # Bodies named by their function ("lực lượng công an", "Tổ công tác liên ngành").
    rf"|{FUNCTIONAL}",
    re.IGNORECASE,
)
# "các Bộ: Kế hoạch và Đầu tư, Tài chính, …" and "Ủy ban nhân dân các tỉnh: Đắk Lắk, Gia Lai"
# "UBND các huyện Hòa An, Nguyên Bình, Trà Lĩnh chịu trách nhiệm …": the places may follow
# without the colon too (a committee's list of its localities is one per place, as the labels
# split "các Sở: A, B").
ENUMERATION = re.compile(
    r"(?:[Cc]ác\s+(?P<head>Bộ|Sở)\s*:\s*|(?P<gov>(?:Ủy|Uỷ)\s*ban\s*nhân\s*dân|UBND)\s+các\s+"
    rf"(?P<loc>tỉnh|huyện|quận|thị\s*xã|thành\s*phố|xã|phường)(?:\s*:\s*|[ \t]+(?=[{UPPER}][{LOW}])))"
)


# Addressees outside the issuer's line of command: a "đề nghị" (request) to them binds no one
# (DOMAIN.md §2: the Fatherland Front, associations, businesses, central bodies, the Party,
# the councils). A "đề nghị" to the issuer's own agencies and localities is how news and
# letters often phrase an assignment, and is one.
NOT_SUBORDINATE = re.compile(
    r"Mặt\s*trận|MTTQ|\bHội\b|đoàn\s*thể|Liên\s*đoàn|Tỉnh\s*đoàn|Đoàn\s*thanh\s*niên|"
    r"Công\s*ty|Doanh\s*nghiệp|Ngân\s*hàng|Hiệp\s*hội|tổ\s*chức\s*chính\s*trị|"
    r"^(?:các\s+)?Bộ\b(?!\s*Chỉ\s*huy)|Tổng\s*cục|^Cục|Kho\s*bạc|BHXH|Bảo\s*hiểm\s*xã\s*hội|"
    r"Tòa\s*án|Viện\s*kiểm\s*sát|HĐND|Hội\s*đồng\s*nhân\s*dân|Tỉnh\s*ủy|Đảng|"
    r"Thủ\s*tướng|^Chính\s*phủ|cử\s*tri|người\s*dân",
    re.IGNORECASE,
)


def binds(mentions: list[Mention]) -> bool:
    """Whether a "đề nghị" to these addressees is an assignment (see NOT_SUBORDINATE): it is
    when it names any of the issuer's own agencies ("đề nghị Ủy ban MTTQ tỉnh, các sở, ngành
    …" assigns the departments)."""
    return any(not NOT_SUBORDINATE.search(hit.text) for hit in mentions)


@dataclass
class Mention:
    text: str  # as written (normalised), role prefix removed
    start: int
    end: int
    group: bool = False
    kinds: frozenset[str] = field(default_factory=frozenset)
    anaphor: bool = False  # "các đơn vị" standing for agencies named elsewhere
    refers: bool = False  # "các địa phương này", "… nêu trên": the agencies named before it

    def __post_init__(self) -> None:
        self.text = expand(self.text)  # every proposed name with its initials written out


def _pattern(name: str) -> str:
    words = re.split(r"\s+", name.strip())
    # Spaces lost in PDF extraction ("Bộ Kếhoạch") are tolerated between words.
    return r"\s*".join(re.escape(w).replace(r"\-", r"\s*-\s*") for w in words)


@functools.lru_cache(maxsize=16)
def _compiled(names: tuple[str, ...]) -> re.Pattern[str] | None:
    # Longest first, so "Sở Văn hóa, Thể thao và Du lịch" wins over "Sở Văn hóa".
    parts = [_pattern(n) for n in sorted(names, key=len, reverse=True)]
    return re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE) if parts else None


class Gazetteer:
    """Known names (standard list + the directory), matched diacritic- and space-insensitively.

    The combined pattern is compiled once per set of names: a directory changes rarely."""

    def __init__(self, extra: list[str] | None = None) -> None:
        names = {n for n in STANDARD_NAMES + (extra or []) if n.strip()}
        self.regex = _compiled(tuple(sorted(names)))

    def match(self, text: str, pos: int) -> re.Match[str] | None:
        return self.regex.match(text, pos) if self.regex else None


# Heads that are a whole name on their own ("Tỉnh ủy, Thành ủy và UBND các tỉnh").
# "Tỉnh ủy", and in news "tỉnh ủy, thành ủy" after a title ("Bí thư tỉnh ủy, thành ủy và …").
_STANDALONE = re.compile(r"(?:[Tt]ỉnh|[Tt]hành|[Hh]uyện|Đảng)\s*(?:ủy|uỷ)(?![\wđ])")
_OF_PLACES = re.compile(
    r"[ \t]+các[ \t]+(?:tỉnh|huyện|quận|thị[ \t]*xã|thành[ \t]*phố|xã|phường)"
    r"(?:[ \t]*,[ \t]*(?:thành(?:[ \t]*phố)?|huyện|quận|thị[ \t]*xã|xã|phường|thị[ \t]*trấn)"
    r"(?![\wđ]))*(?![\wđ])"
)
# "các phòng Giáo dục và Đào tạo": a named body in each locality, its head in lower case.
_PLURAL_HEADS = re.compile(r"các\s+(?:phòng|ban|sở|trung\s*tâm|chi\s*cục)", re.IGNORECASE)
_HEAD_ANY_CASE = re.compile(rf"(?:{HEADS}|Phòng)(?![{LOW}])(?=[ \t]+[{UPPER}])", re.IGNORECASE)
_LIST_SKIP = re.compile(r"\s*(?:cho\s+)?")
_ENUM_CHUNK = re.compile(r"\s*(?:-\s*)?([^,;:.\n]{1,300})")
_ENUM_JOINED = re.compile(r"[^,;:.\n]{1,300},\s*[^,;:.\n]{1,300}")
_COMMA = re.compile(r"\s*,\s*")


# After a group: the words that make it a reference to agencies named before it.
REFERS = re.compile(
    r"\s+(?:nêu\s*trên|nói\s*trên|kể\s*trên|trên(?!\s*(?:cơ\s*sở|địa\s*bàn|toàn|mạng))|này)"
    r"(?![\wđ])",
    re.IGNORECASE,
)
# A group's owner: "… thuộc Bộ", "… trực thuộc" with its name after ("Bộ Tư pháp").
_OWNED_BY = re.compile(rf"\s*(?:trực\s*)?thuộc\s+(?=[{UPPER}])")
_OWNER_HEAD = re.compile(r"(?<=thuộc )(?-i:Bộ|Sở)$")


# The same phrases come back on every text ("các sở, ban, ngành", "UBND các xã"): folded once.
_folded = functools.lru_cache(maxsize=8192)(fold)


def mention_at(text: str, pos: int, gazetteer: Gazetteer) -> Mention | None:
    """The agency mention starting exactly at pos (after any role prefix), or None."""
    start = pos
    role = ROLE.match(text, pos)
    if role:
        pos = role.end()
    enum = ENUMERATION.match(text, pos)
    if enum:
        return None  # handled by mentions_list
    group = GROUP.match(text, pos)
    if (
        group
        and _PLURAL_HEADS.fullmatch(group.group(0).rstrip(" ,;"))
        and (named_end := generic_end(text, pos + 4, _HEAD_ANY_CASE))
    ):
        # "các phòng Giáo dục và Đào tạo (các huyện, thị xã)", "các Ban HĐND huyện": one
        # named body in each place.
        places = _OF_PLACES.match(text, named_end)
        named_end = places.end() if places else named_end
        return Mention(text[pos:named_end], pos, named_end, True)
    if group:
        phrase = group.group(0).rstrip(" ,;")
        # "các đơn vị thuộc Bộ Tư pháp", "các đơn vị thuộc Ngân hàng Nhà nước Việt Nam": the
        # body the group belongs to is named whole, as part of it.
        ends = _OWNER_HEAD.search(phrase)
        then = None if ends else _OWNED_BY.match(text, pos + len(phrase))
        owner_at = pos + ends.start() if ends else then.end() if then else 0
        owner = mention_at(text, owner_at, gazetteer) if owner_at else None
        if owner is not None and not owner.group and text[owner_at].isupper():
            phrase = text[pos : owner.end]
        key = _folded(phrase)
        # The heads named for their bodies: the bodies are the addressees.
        named = re.sub(r"^(?:các\s+)?Bộ\s*trưởng", "các bộ", phrase)
        named = re.sub(r"Thủ\s*trưởng\s*", "", named)
        anaphor = bool(re.fullmatch(r"cac (don vi|co quan)", key))
        kinds = kinds_for_group(phrase) or frozenset()
        refer = REFERS.match(text, pos + len(phrase))
        if refer:
            # Kept as written until referent() finds whom it names.
            named += refer.group(0)
            phrase = text[pos : refer.end()]
        return Mention(named, pos, pos + len(phrase), True, kinds, anaphor, bool(refer))
    local = LOCAL_GOV.match(text, pos)
    if local and local["locality"] == "tỉnh" and HOLDER.match(text, local.start("place")):
        local = None  # "UBND tỉnh Phạm Hoàng Sơn": no province, its chairman's name
    known = gazetteer.match(text, pos)
    shaped_end = generic_end(text, pos) or (
        alone.end() if (alone := _STANDALONE.match(text, pos)) else None
    )
    candidates = []
    if local:
        candidates.append(local.end())
    if known:
        candidates.append(known.end())
    if shaped_end:
        candidates.append(shaped_end)
    if not candidates:
        return _named_by_place(text, pos, role)
    end = max(candidates) if not known else max(known.end(), local.end() if local else 0)
    if (
        known
        and shaped_end
        and shaped_end > end
        and not re.search(r"\s+(?:và|,)\s*$", text[known.end() : shaped_end])
    ):
        # The generic shape may go further ("Sở Nông nghiệp và PTNT"); trust it only when the
        # extra words are capitalised name words.
        extra = text[known.end() : shaped_end].split()
        if extra and all(w[0].isupper() or w[0] == "(" for w in extra):
            end = shaped_end
    if role and not NAMED_AFTER_PEOPLE.match(text, pos):
        # "Giám đốc Sở Tài chính Lê Trọng Thụ báo cáo …": after a title, the holder's name ends
        # the body's (the generic shape had run on through its capitals).
        holder = _HOLDER_IN.search(text, pos + 1, end)
        end = holder.start() if holder else end
    phrase = text[pos:end].rstrip(" ,;.")
    if _folded(phrase) in {"ban", "bo", "so", "vu", "hoi", "doan", "bao", "dai", "truong"}:
        return None
    del start
    return Mention(phrase, pos, pos + len(phrase))


_HOLDER_IN = re.compile(rf"(?<=[ \t])(?:{HOLDER.pattern})")
# A minister named by the ministry's name alone ("chỉ đạo Bộ trưởng Công Thương theo dõi …",
# "Bộ trưởng Tài chính …"): the ministry, as the labels and the directory name it.
_MINISTER = re.compile(r"Bộ\s*trưởng\s+$", re.IGNORECASE)
_MINISTRY = re.compile(
    "|".join(
        _pattern(n[len("Bộ ") :])
        for n in sorted(STANDARD_NAMES, key=len, reverse=True)
        if n.startswith("Bộ ") and not n.startswith("Bộ Chỉ huy")
    )
)
# A province, city, commune or special zone named by its place alone ("chỉ đạo tỉnh Bà Rịa -
# Vũng Tàu hoàn tất …", "yêu cầu lãnh đạo đặc khu Phú Quốc …"): its People's Committee.
_BY_PLACE = re.compile(
    rf"(?:[Tt]ỉnh|[Tt]hành\s*phố|xã|phường|đặc\s*khu)[ \t]+"
    rf"(?P<place>{_PLACE_NAME}(?:[ \t]*-[ \t]*{_PLACE_NAME})?)"
)


def _named_by_place(text: str, pos: int, role: re.Match[str] | None) -> Mention | None:
    """Where no agency's own name stands at pos: a ministry after its minister's title, or a
    locality by its place name (never a person's: "tỉnh Phạm Hoàng Sơn" is no province)."""
    if role and _MINISTER.search(role.group(0)) and (ministry := _MINISTRY.match(text, pos)):
        return Mention(f"Bộ {ministry.group(0)}", pos, ministry.end())
    place = _BY_PLACE.match(text, pos)
    # (CAP's range Ạ-Ỹ holds the small letters too: "tỉnh ủy" is no place.)
    if place is None or not place["place"][0].isupper() or HOLDER.match(text, place.start("place")):
        return None
    written = place.group(0)
    return Mention(f"UBND {written[0].lower()}{written[1:]}", pos, place.end())


def _enumeration(text: str, enum: re.Match[str], gazetteer: Gazetteer) -> tuple[list[Mention], int]:
    """ "các Bộ: Kế hoạch và Đầu tư, Tài chính, …, Nội vụ làm việc …" → one mention per item.

    Items are split on commas only ("và" belongs to names); a comma that is part of a known
    name ("Văn hóa, Thể thao và Du lịch") is kept; the list ends at the first verb."""
    head = f"Ủy ban nhân dân {enum.group('loc')}" if enum.group("gov") else enum.group("head")
    found: list[Mention] = []
    cursor = enum.end()
    while True:
        chunk = _ENUM_CHUNK.match(text, cursor)
        if not chunk:
            break
        start = chunk.start(1)
        raw = chunk.group(1)
        # A known name with a comma inside: try joining with the next chunk.
        joined = _ENUM_JOINED.match(text, start)
        if joined:
            known = gazetteer.match(f"{head} {joined.group(0)}", 0)
            if known and known.end() > len(head) + 1 + len(raw):
                raw = f"{head} {joined.group(0)}"[len(head) + 1 : known.end()]
        words = raw.split()
        # "Phát triển" is a name ("triển" after a capitalised word); "vụ làm việc" is not.
        cut = next(
            (
                i
                for i, w in enumerate(words)
                if i > 0
                and (
                    (w in ENUM_STOP and not words[i - 1][0].isupper())
                    # Localities are proper names: "UBND các quận: Ba Đình, Đống Đa chỉ đạo".
                    or (enum.group("gov") and w[0].islower())
                )
            ),
            None,
        )
        name = " ".join(words[:cut]) if cut is not None else raw.strip()
        if not name or not name[0].isupper():
            break
        end = text.index(name.split()[-1], start) + len(name.split()[-1])
        found.append(Mention(f"{head} {name}", start, end))
        cursor = end
        if cut is not None:
            break
        nxt = _COMMA.match(text, cursor)
        if not nxt:
            break
        cursor = nxt.end()
    return found, cursor


_ACRONYM = re.compile(r"(?!UBND|HĐND)[A-ZĐ]{2,6}(?![\wđĐ&-])")
_SEPARATOR = re.compile(r"\s*(?:,|;|\bvà\b|\bcùng\b|\bvới\b)?\s*(?:\([^)]{0,60}\)\s*)?(?:,|;)?\s*")


# A group after a group, its "các" left out: "các bộ, ngành Trung ương, địa phương".
_ELIDED_NOUN = (
    r"(?:thôn|xóm|tổ\s*dân\s*phố|khu\s*dân\s*cư|ngành|sở|ban|phòng|cơ\s*quan\s*quản\s*lý(?:\s*nhà\s*nước)?|cơ\s*quan|đơn\s*vị|địa\s*phương|doanh\s*nghiệp|đoàn\s*thể|nhà\s*thầu|huyện|quận|"
    r"thị\s*xã|thành\s*phố|xã(?!\s*hội)|phường|thị\s*trấn|đặc\s*khu)(?![\wđ])"
)
ELIDED = re.compile(
    rf"{_ELIDED_NOUN}(?:(?:\s*,\s*|\s+và\s+|\s+(?!tổ\s*chức)){_ELIDED_NOUN})*{GROUP_QUALIFIER}",
    re.I,
)


def _elided(text: str, pos: int) -> Mention | None:
    phrase = hit.group(0).rstrip(" ,;") if (hit := ELIDED.match(text, pos)) else ""
    kinds = kinds_for_group(phrase) or frozenset()
    return Mention(phrase, pos, pos + len(phrase), True, kinds) if phrase else None


_LEVEL_ONLY = re.compile(r"((?:Ủy|Uỷ)\s*ban\s*nhân\s*dân|UBND)\s+(?:huyện|quận|thị\s*xã)")
_TOWN = re.compile(rf"(?:thành\s*phố|thị\s*xã)\s+{_PLACE_NAME}")
_INITIALS_GIVEN = re.compile(r"[ \t]*\([A-ZĐ][A-ZĐ0-9&-]{1,9}\)")


def mentions_list(text: str, pos: int, gazetteer: Gazetteer) -> tuple[list[Mention], int]:
    """Agencies listed from pos ("Sở A, Sở B và UBND các huyện, thành phố"); returns them and
    where the list ends."""
    found: list[Mention] = []
    cursor = pos
    while True:
        skip = _LIST_SKIP.match(text, cursor)
        at = skip.end() if skip else cursor
        # "Bộ trưởng các Bộ: Quốc phòng, Công an": the title stands for the bodies listed.
        role = ROLE.match(text, at)
        enum = ENUMERATION.match(text, role.end() if role else at)
        if enum:
            items, cursor = _enumeration(text, enum, gazetteer)
            found.extend(items)
            if not items:
                break
            # "các Bộ: Quốc phòng, Công an; Chủ tịch UBND các tỉnh …": the list goes on.
            sep = _SEPARATOR.match(text, cursor)
            if sep and sep.end() > cursor and mention_at(text, sep.end(), gazetteer):
                cursor = sep.end()
            continue
        mention = mention_at(text, at, gazetteer)
        if mention is None and found and found[-1].group:
            mention = _elided(text, at)
        if mention is None and found:
            # Inside a list, a company known by its initials ("các bộ, ngành, FPT, CMC").
            acronym = _ACRONYM.match(text, at)
            mention = Mention(acronym.group(0), at, acronym.end()) if acronym else None
        if mention is None:
            break
        found.append(mention)
        cursor = mention.end
        # "các đơn vị thuộc Ngân hàng Nhà nước Việt Nam (NHNN) và …": the list goes on past
        # the initials a name is given.
        initials = _INITIALS_GIVEN.match(text, cursor)
        cursor = initials.end() if initials else cursor
        sep = _SEPARATOR.match(text, cursor)
        if not sep or sep.end() == cursor:
            break
        # "UBND huyện, thành phố Cà Mau": the districts' committees and the city's, two.
        level = _LEVEL_ONLY.fullmatch(mention.text)
        town = _TOWN.match(text, sep.end()) if level else None
        if level and town:
            found.append(Mention(f"{level.group(1)} {town.group(0)}", town.start(), town.end()))
            cursor = town.end()
            sep = _SEPARATOR.match(text, cursor)
            if not sep or sep.end() == cursor:
                break
        nxt = mention_at(text, sep.end(), gazetteer)
        if (
            nxt is not None
            and not text[cursor : sep.end()].strip()
            and _BY_PLACE.match(text, nxt.start)
        ):
            break  # "Sở Y tế tỉnh Nghệ An": the body's place, not a second body
        if (
            nxt is None
            and not (mention.group and ELIDED.match(text, sep.end()))
            # ("… tỉnh ủy và Chủ tịch UBND các tỉnh: Khánh Hòa, …": a title before the list.)
            and not ENUMERATION.match(
                text, role.end() if (role := ROLE.match(text, sep.end())) else sep.end()
            )
            and not _ACRONYM.match(text, sep.end())
        ):
            break
        cursor = sep.end()
    return found, cursor
