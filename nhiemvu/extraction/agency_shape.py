"""Where an agency's name of the generic shape ends: a head ("Sở", "Ban", "Trung tâm", "UBND", …)
and the name's words after it ("Sở Giao thông vận tải", "Ban Chỉ huy Phòng, chống thiên tai và
Tìm kiếm cứu nạn tỉnh", "Sở GD-ĐT TP HCM"), up to the word that begins what the agency must do.
Split from agencies.py (which reads whole mentions, groups and lists): this is the one reading of
a name's words, with the signs that end it."""

from __future__ import annotations

import re

from nhiemvu.extraction.agency_names import (
    CAP,
    HEADS,
    HOLDER,
    LOW,
    NAME_COMPOUNDS,
    NAMED_AFTER_PEOPLE,
    PERSON,
    STOP_WORDS,
    UPPER,
)

NAME_WORDS = 16  # words of a name after its head ("Ban Chỉ huy Phòng, chống thiên tai và …")
_LOCALITY_WORDS = {"tỉnh", "huyện", "xã", "thành", "phố", "thị", "trấn", "quận", "phường", "khu"}
_BAN_NAME = re.compile(r"(?:chỉ\s*đạo|chỉ\s*huy|quản\s*lý|thường\s*vụ)(?![\wđ])")
_AND_DEFENCE = re.compile(
    r"[ \t]+(?:phòng[ \t]*thủ[ \t]*dân[ \t]*sự|tìm[ \t]*kiếm[ \t]*cứu[ \t]*nạn)", re.IGNORECASE
)
_PHONG_CHONG = re.compile(r"[ \t]*,[ \t]*(chống)(?![\wđ])", re.IGNORECASE)
_INITIALS = re.compile(r"[A-ZĐ][A-ZĐ0-9&\-]+")
_HEAD_AT = re.compile(rf"(?:{HEADS}|Phòng(?=[ \t]+[{UPPER}]))(?![{LOW}])")
# Initials may hold a comma ("Sở VH,TT&DL").
_NAME_WORD = re.compile(
    rf"[ \t]*(?:-[ \t]*)?(?:&[ \t]*)?([{UPPER}{LOW}0-9&.]+(?:,(?=[A-ZĐ]{{1,3}}&)[A-ZĐ&]+)?)"
)
_AND_CAP = re.compile(rf"\s*và\s+{CAP}")
_THONG = re.compile(r"[ \t]+thông(?!\w)(?![ \t]+tin)")
# Verbs of work no agency's name holds: where one stands after a name's words, the name is over.
_WORK_AFTER_NAME = re.compile(
    r"(?:chuẩn\s*bị|tham\s*mưu|chủ\s*trì|phối\s*hợp|triển\s*khai|đôn\s*đốc|rà\s*soát)(?![\wđ])"
)


def _last_word(text: str, end: int) -> str:
    """The whitespace-separated word that ends at or before ``end``, found without copying the
    text before it (every copy of ``text[:end]`` made reading a long text quadratic)."""
    window = text[max(0, end - 64) : end].split()
    return window[-1] if window else ""


def generic_end(text: str, pos: int, head: re.Pattern[str] | None = None) -> int | None:
    """End of a "Head + Proper Name" mention starting at pos, or None."""
    # Patterns are matched at a position, never on a slice of the rest of the text: a slice
    # per mention made reading a long text quadratic.
    hit = (head or _HEAD_AT).match(text, pos)
    if not hit:
        return None
    end = hit.end()
    words = 0
    local = False  # a locality named: only capitalised words (or another locality) follow
    while words < NAME_WORDS:
        # Names stay on one line: a line break ends them ("Kính gửi: Bộ Nội vụ\nXét …").
        before = _last_word(text, end)
        # "Ban Chỉ huy Phòng, chống thiên tai …": the one comma inside a standard name.
        word = (_PHONG_CHONG if before.lower() == "phòng" else _NAME_WORD).match(text, end)
        word = word or _NAME_WORD.match(text, end)
        if not word:
            break
        token = word.group(1).rstrip(".")
        if not token:
            break
        compound = bool(before) and f"{before} {token}" in NAME_COMPOUNDS
        # ("Chi cục Quản lý thị trường": "thị" there is no "thị xã".)
        local = local or (before in _LOCALITY_WORDS and not (before == "thị" and token == "trường"))
        # "Ban An toàn giao thông tỉnh": "giao" is the verb elsewhere, never before "thông".
        compound = compound or (token == "giao" and _THONG.match(text, word.end()) is not None)
        # "Ban chỉ đạo", "Ban chỉ huy", "Ban quản lý" written in lower case.
        compound = compound or (
            words == 0
            and before.lower() == "ban"
            and _BAN_NAME.match(text, word.start(1)) is not None
        )
        if (
            token[0].islower()
            and token in STOP_WORDS
            and not compound
            and not (
                token == "và"
                and (after := _AND_CAP.match(text, end))
                # "… và UBND các huyện": "và" starts another agency, not the rest of this name.
                and not _HEAD_AT.match(text, after.end() - 1)
            )
            # "Ban Chỉ huy phòng chống thiên tai - Tìm kiếm cứu nạn và phòng thủ dân sự".
            and not (token == "và" and _AND_DEFENCE.match(text, word.end()))
        ):
            break
        if (
            token[0].islower()
            and words == 0
            and token.lower() not in ("tỉnh", "huyện", "xã", "thành", "thị")
            and not compound
        ):
            break
        # After initials or a locality the name is over unless a locality follows: "UBND xã
        # thông báo", "UBND xã Tân Lập giúp", "Sở GD-ĐT TP HCM nhắc nhở" ("Trung tâm VHTT -
        # TT huyện" goes on).
        if (
            token[0].islower()
            and token not in _LOCALITY_WORDS
            and token not in ("và", "kiêm")
            and (_INITIALS.fullmatch(before.rstrip(".,")) or local)
        ):
            break
        if words >= 2 and token[0].islower() and _WORK_AFTER_NAME.match(text, word.start(1)):
            break  # "Chi cục Quản lý đất đai chuẩn bị nội dung": the name's work begins
        if before == "tỉnh" and HOLDER.match(text, word.start(1)):
            break
        if (
            words >= 2
            and PERSON.match(text, word.start(1))
            and all(w[0].isupper() for w in text[max(0, end - 64) : end].split()[-2:])
            and not NAMED_AFTER_PEOPLE.match(text, pos)
        ):
            break
        end = word.end() - (len(word.group(1)) - len(token))
        words += 1
    return end if words else None
