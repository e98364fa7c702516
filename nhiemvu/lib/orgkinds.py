"""Kinds of organisation and the group phrases directives use to address several at once.

Pure data shared by the orgs app (model choices) and the extraction engine (group resolution).
"""

from __future__ import annotations

from nhiemvu.lib.vntext import fold

PROVINCE = "province"
OFFICE = "office"
WORKING_GROUP = "working_group"
DEPARTMENT = "department"
DISTRICT = "district"
COMMUNE = "commune"
CENTRAL = "central"
PUBLIC_UNIT = "public_unit"
OTHER = "other"

KIND_LABELS: dict[str, str] = {
    PROVINCE: "UBND tỉnh",
    OFFICE: "Văn phòng UBND",
    WORKING_GROUP: "Tổ công tác",
    DEPARTMENT: "Sở, ban, ngành",
    DISTRICT: "UBND cấp huyện",
    COMMUNE: "UBND cấp xã",
    CENTRAL: "Cơ quan Trung ương trên địa bàn",
    PUBLIC_UNIT: "Đơn vị sự nghiệp",
    OTHER: "Khác",
}


def group_key(phrase: str) -> str:
    """Folded, with ";" read as "," and no trailing punctuation: how group phrases compare."""
    return fold(phrase).replace(";", ",").strip(" ,.:")


# Group phrase → kinds it covers.
_GROUPS: dict[str, frozenset[str]] = {
    "các sở, ban, ngành": frozenset({DEPARTMENT}),
    "các sở, ban, ngành tỉnh": frozenset({DEPARTMENT}),
    "các sở, ngành": frozenset({DEPARTMENT}),
    "các sở": frozenset({DEPARTMENT}),
    "UBND các huyện, thị xã, thành phố": frozenset({DISTRICT}),
    "Ủy ban nhân dân các huyện, thị xã, thành phố": frozenset({DISTRICT}),
    "UBND cấp huyện": frozenset({DISTRICT}),
    "UBND các xã, phường": frozenset({COMMUNE}),
    "UBND các xã, phường, đặc khu": frozenset({COMMUNE}),
    "UBND cấp xã": frozenset({COMMUNE}),
    "các địa phương": frozenset({DISTRICT, COMMUNE}),
    "các cơ quan, đơn vị, địa phương": frozenset(
        {DEPARTMENT, DISTRICT, COMMUNE, CENTRAL, PUBLIC_UNIT}
    ),
    "các sở, ban, ngành, địa phương": frozenset({DEPARTMENT, DISTRICT, COMMUNE}),
    "các sở, ban, ngành; UBND các huyện, thị xã, thành phố": frozenset({DEPARTMENT, DISTRICT}),
    "các cơ quan Trung ương trên địa bàn": frozenset({CENTRAL}),
}


GROUP_PHRASES: dict[str, frozenset[str]] = {group_key(k): v for k, v in _GROUPS.items()}


def kinds_for_group(phrase: str) -> frozenset[str] | None:
    """The kinds a group phrase covers, or None when the phrase names no known group."""
    return GROUP_PHRASES.get(group_key(phrase))
