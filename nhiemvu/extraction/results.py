"""What the reader proposes: tasks with their agencies and fields, and the whole reading."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from nhiemvu.extraction.header import Header


@dataclass
class Agency:
    text: str
    group: bool = False
    resolved: list[dict[str, str]] = field(default_factory=list)
    ambiguous: list[dict[str, str]] = field(default_factory=list)


# Words left dangling once a deadline phrase is cut from a summary ("…, hoàn thành trước").
_DANGLING = re.compile(
    r"(?:[\s,;:–(-]|\b(?:và|hoàn\s*thành|xong|trước|chậm\s*nhất|thời\s*hạn|trong|đến)\b)+$",
    re.I,
)


DANGLING_CHARS = 60

# Time phrases that can open an action ("định kỳ hàng tháng, trước ngày 20, báo cáo …",
# "hằng quý, chậm nhất ngày 15/3 gửi …"): the work follows them, so they are dropped from the
# front instead of the summary being cut where they stand (issue 27: a monthly report task
# titled "Định kỳ"). Each piece needs at least one word, so the repetition cannot backtrack far.
_LEADING_TIME = re.compile(
    r"(?:\s*(?:[,;:–-]|định\s+kỳ|(?:hàng|hằng|mỗi|từng)\s+(?:ngày|tuần|tháng|quý|năm)"
    r"|\d+\s+tháng(?:\s+(?:một|1)\s+lần)?|(?:6|sáu)\s+tháng,?\s+(?:hàng|hằng)\s+năm"
    r"|(?:trước|chậm\s+nhất(?:\s+là)?|vào|từ|đến)\s+(?:ngày\s+)?\d{1,2}"
    r"(?:\s*[/.-]\s*\d{1,2}(?:\s*[/.-]\s*\d{2,4})?)?"
    r"(?:\s+(?:của\s+)?tháng\s+(?:đầu|cuối|sau|tiếp\s+theo|kế\s+tiếp)(?:\s+(?:của\s+)?quý)?)?))+",
    re.I,
)
LEADING_TIME_CHARS = 160


def _without_leading_time(text: str) -> str:
    found = _LEADING_TIME.match(text[:LEADING_TIME_CHARS])
    if found is None:
        return text
    rest = text[found.end() :].strip()
    return rest if len(rest.split()) >= 2 else text


def proposed_summary(action: str, deadline_text: str | None) -> str:
    """A task's one-line summary as proposed for review: the work, starting with a capital,
    without the deadline or recurrence phrase (they have their own fields), wherever the phrase
    stands: before the work it is dropped, after it the summary ends there."""
    text = _without_leading_time(action.strip())
    if deadline_text:
        at = text.lower().find(deadline_text.lower())
        if at > 0:
            text = text[:at]
        elif text.endswith("…"):
            # The action was cut mid-phrase: drop a tail that is the deadline's beginning.
            words = text[:-1].split()
            for size in range(min(len(words), 8), 0, -1):
                tail = " ".join(words[-size:])
                if deadline_text.lower().startswith(tail.lower()):
                    text = " ".join(words[:-size])
                    break
        # Only the end can dangle: the pattern runs on the last words, so its cost is bounded.
        head, tail = text[:-DANGLING_CHARS], text[-DANGLING_CHARS:]
        text = (head + _DANGLING.sub("", tail)).strip() or action.strip()
    return text[:1].upper() + text[1:]


_WORD = re.compile(r"\w+")
MIN_ACTION_WORDS = 2  # "Sở Kế hoạch và Đầu tư chủ tr" (a text cut at its edge) still names work


@dataclass
class Task:
    evidence: str
    span: tuple[int, int]
    lead: list[Agency]
    coordinate: list[Agency]
    action: str
    deliverable: str | None
    deadline: dt.date | None
    deadline_time: dt.time | None
    deadline_text: str | None
    deadline_how: str | None
    recurrence: str | None
    recurrence_day: int | None = None  # the day of each period a recurring report is due
    bound: bool = True  # False for "đề nghị": a request, not an assignment
    warnings: list[str] = field(default_factory=list)
    # The learned scorer's probability that this is a task, and its verdict (model.py); None
    # and True when the rules read alone.
    score: float | None = None
    accepted: bool = True
    added_by_model: bool = False  # a sentence the rules passed over and the model took

    @property
    def summary(self) -> str:
        """The one-line summary proposed for review (the deadline has its own field)."""
        return proposed_summary(self.action, self.deadline_text)

    @property
    def confident(self) -> bool:
        """Whether the reader would register it: the learned scorer takes it for a task, and
        it is an assignment ("giao", or "đề nghị" to the issuer's own agencies) with a lead
        agency found and work named, not a decision. Others are proposed unticked for the office
        to judge."""
        return (
            self.accepted
            and self.bound
            and bool(self.lead)
            and self.names_work
            and "decision" not in self.warnings
        )

    @property
    def names_work(self) -> bool:
        """Whether the task says what is to be done: an addressee line ("Ủy ban nhân dân các
        tỉnh, thành phố trực thuộc trung ương.", "Thủ trưởng các sở, ban, ngành cấp tỉnh; C")
        names whom and leaves nothing to track."""
        return len(_WORD.findall(self.action)) >= MIN_ACTION_WORDS

    def as_prediction(self) -> dict[str, Any]:
        """The shape extraction/scoring.py (and the shared corpus scorer) reads."""
        return {
            "evidence": self.evidence,
            "span": list(self.span),
            "assignees_lead": [a.text for a in self.lead],
            "assignees_coordinate": [a.text for a in self.coordinate],
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "recurrence": _score_recurrence(self.recurrence),
            "deliverable": self.deliverable,
            "warnings": list(self.warnings),
        }

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["deadline"] = self.deadline.isoformat() if self.deadline else None
        data["deadline_time"] = self.deadline_time.strftime("%H:%M") if self.deadline_time else None
        data["span"] = list(self.span)
        return data


def _score_recurrence(value: str | None) -> str | None:
    return "other" if value == "half_yearly" else value


@dataclass
class Extraction:
    header: Header
    tasks: list[Task]
    model_version: str | None = None  # the learned scorer that weighed the proposals, if any

    def as_dict(self) -> dict[str, Any]:
        return {
            "header": self.header.as_dict(),
            "tasks": [t.as_dict() for t in self.tasks],
            "model_version": self.model_version,
        }
