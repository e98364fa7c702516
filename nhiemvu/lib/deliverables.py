"""The work products a task can require, and the founding letter's rule about them, once.

Công văn 1147/UBND-KSTT: never demand a work product without a completion time. A task whose
deliverable has no deadline (and is not periodic) needs the reason why, and stays flagged for
the office until it gets a date. The reader (extraction), the review screen, the import API,
the Excel importer, the services and the status module's filter all ask
:func:`needs_deadline_reason`; the deliverable words of a text, a spreadsheet cell or the
reader's name map to a kind through :func:`kind_of`. Pure: no Django, so the reader can use it too.
"""

from __future__ import annotations

import datetime as dt

from nhiemvu.lib.vntext import fold

# Kind code (stored on the task; DeliverableKind in assignments.models has the same codes, with
# their labels) → the Vietnamese words that name it, most specific first. "khac" takes the rest.
KIND_WORDS: dict[str, tuple[str, ...]] = {
    "bao_cao": ("báo cáo", "tổng hợp"),
    "to_trinh": ("tờ trình", "trình"),
    "de_xuat": ("đề xuất",),
    "ke_hoach": ("kế hoạch",),
    "de_an": ("đề án",),
    "du_thao": ("dự thảo",),
    "van_ban": ("văn bản tham mưu", "văn bản", "ý kiến", "góp ý"),
    # A response scenario ("kịch bản ứng phó bão") is the contingency plan a cable asks for.
    "phuong_an": ("phương án", "kịch bản"),
}
OTHER = "khac"
KINDS = (*KIND_WORDS, OTHER)

_BY_PREFIX = sorted(
    ((fold(word), kind) for kind, words in KIND_WORDS.items() for word in words),
    key=lambda pair: -len(pair[0]),
)


def kind_of(text: str | None) -> str:
    """The kind a written deliverable ("Báo cáo kết quả", "tờ trình kèm dự thảo", the reader's
    "kế hoạch") belongs to: "" for none, "khac" for a product the vocabulary does not name."""
    key = fold(text or "").strip()
    if not key:
        return ""
    return next((kind for prefix, kind in _BY_PREFIX if key.startswith(prefix)), OTHER)


def needs_deadline_reason(
    deliverable: str | None, deadline: dt.date | None, recurring: bool | str | None
) -> bool:
    """A work product is required, with no completion date and no period: the reason must be
    given, and the task is flagged (DOMAIN.md §2, the founding letter)."""
    return bool(deliverable) and deadline is None and not recurring
