"""Vietnamese text at the boundaries: NFC, one kind of dash and Đ, and a folded form for search.

Search compares folded text (no diacritics, đ→d, casefolded, spaces collapsed) stored in a
column, so SQLite and PostgreSQL give identical results: neither folds "đ" or "Ủ" by itself.
"""

from __future__ import annotations

import re
import unicodedata

# U+00D0 (Icelandic eth) is typed for Đ by some Vietnamese keyboards and converters.
_LOOKALIKES = str.maketrans({"\u00d0": "Đ", "\u00f0": "đ", "\u0110": "Đ", "\u0111": "đ"})
_DASHES = re.compile(r"[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_FOLD_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """NFC, Đ for its look-alikes, "-" for every dash, ordinary spaces. Keeps line breaks."""
    text = unicodedata.normalize("NFC", text).translate(_LOOKALIKES)
    text = _DASHES.sub("-", text)
    return _SPACES.sub(" ", text)


def clean_line(text: str) -> str:
    """normalize() and trim, for one-line fields such as names and subjects."""
    return _FOLD_SPACES.sub(" ", normalize(text)).strip()


def fold(text: str) -> str:
    """Diacritic-free, casefolded form used for search and matching ("Đắk Lắk" → "dak lak")."""
    text = normalize(text).replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _FOLD_SPACES.sub(" ", stripped.casefold()).strip()


def office_title(text: str) -> str:
    """A title as Decree 30 writes it in running text: "PHÓ CHỦ TỊCH" → "Phó Chủ tịch",
    "GIÁM ĐỐC" → "Giám đốc", "CHÁNH VĂN PHÒNG" → "Chánh Văn phòng" (the title and, after
    "Phó"/"Chánh", the office it heads start with a capital; nothing else does)."""
    words = clean_line(text).lower().split()
    if not words:
        return ""
    capital = {0}
    if words[0] in ("phó", "chánh") and len(words) > 1:
        capital.add(1)
    return " ".join(
        word[:1].upper() + word[1:] if index in capital else word
        for index, word in enumerate(words)
    )
