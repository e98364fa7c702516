"""How well the reader finds the tasks of labelled directive texts: the project's own measure.

A proposed task matches a labelled one when their evidence (the words that assign the task, as
offsets into the text) overlap by at least half of the shorter; pairs are taken greedily, the
closest (by overlap over union) first. Over the matched pairs it counts whether the lead and
coordinating agencies, the deadline, the recurrence and the presence of a deliverable are right,
and how well the "deliverable without deadline" warning is raised. Agencies are compared exactly
as the province's scorer compares them (its folded names with a fixed list of one-word
abbreviations expanded: "Sở KH&ĐT" is "Sở Kế hoạch và Đầu tư", "Sở NN & PTNT" is not "Sở Nông
nghiệp và Phát triển nông thôn").

    python -m nhiemvu.extraction --score nhiemvu/extraction/tests/corpus/dev2.jsonl [--details]
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

# The province's scorer's rule (score.py of its shared corpus: fold, ABBREVIATIONS, ROLE_WORDS,
# canon_agency, agency_match), copied verbatim because this package cannot import it: our lead
# number must be the judge's lead number. "Sở NN & PTNT" is NOT "Sở Nông nghiệp và Phát triển
# nông thôn" for the judge, so the reader proposes names written out (agency_names.expand).
_EXPANSIONS = {
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "tp": "thanh pho",
    "tx": "thi xa",
    "tn&mt": "tai nguyen va moi truong",
    "tnmt": "tai nguyen va moi truong",
    "tt&tt": "thong tin va truyen thong",
    "tttt": "thong tin va truyen thong",
    "kh&dt": "ke hoach va dau tu",
    "khdt": "ke hoach va dau tu",
    "gd&dt": "giao duc va dao tao",
    "gddt": "giao duc va dao tao",
    "nn&ptnt": "nong nghiep va phat trien nong thon",
    "nnptnt": "nong nghiep va phat trien nong thon",
    "ld-tb&xh": "lao dong thuong binh va xa hoi",
    "ldtbxh": "lao dong thuong binh va xa hoi",
    "vh,tt&dl": "van hoa the thao va du lich",
    "vhttdl": "van hoa the thao va du lich",
    "gtvt": "giao thong van tai",
    "kh&cn": "khoa hoc va cong nghe",
    "khcn": "khoa hoc va cong nghe",
    "vp": "van phong",
    "bql": "ban quan ly",
    "qlda": "quan ly du an",
}
_ROLE_WORDS = (
    "thu truong",
    "giam doc",
    "chu tich",
    "dong chi",
    "lanh dao",
    "truong ban",
    "chanh van phong",
)
FLAG = "deliverable_without_deadline"
FIELDS = ("lead", "coordinate", "deadline", "recurrence", "deliverable")


def _judge_fold(name: str) -> str:
    """The judge's fold (not lib.vntext.fold: the judge turns every dash into a space)."""
    text = unicodedata.normalize("NFD", name or "")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = text.replace("đ", "d").replace("Đ", "D").replace("\u00d0", "D").lower()
    text = re.sub(r"[–—-]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def agency_key(name: str) -> str:
    """The judge's canon_agency."""
    words = [_EXPANSIONS.get(w, w) for w in re.split(r"[\s,.;:()]+", _judge_fold(name)) if w]
    key = " ".join(words)
    for role in _ROLE_WORDS:
        key = re.sub(rf"^{role}\s+", "", key)
    key = re.sub(r"^(cac|tung)\s+", "", key)
    return key.strip()


def same_agency(first: str, second: str) -> bool:
    """The judge's agency_match."""
    first_key, second_key = agency_key(first), agency_key(second)
    if not first_key or not second_key:
        return False
    if first_key == second_key or first_key in second_key or second_key in first_key:
        return True
    return difflib.SequenceMatcher(None, first_key, second_key).ratio() >= 0.85


def same_agencies(gold: list[str], found: list[str]) -> bool:
    if not gold or not found:
        return not gold and not found
    return all(any(same_agency(g, f) for f in found) for g in gold) and all(
        any(same_agency(g, f) for g in gold) for f in found
    )


def span_of(text: str, task: dict[str, Any]) -> tuple[int, int] | None:
    span = task.get("span")
    if isinstance(span, (list, tuple)) and len(span) == 2 and 0 <= span[0] < span[1] <= len(text):
        return int(span[0]), int(span[1])
    evidence = task.get("evidence") or ""
    at = text.find(evidence) if evidence else -1
    return (at, at + len(evidence)) if at >= 0 else None


def _needs_flag(task: dict[str, Any]) -> bool:
    return bool(task.get("deliverable")) and not task.get("deadline") and not task.get("recurrence")


def _day(value: Any) -> str | None:
    return str(value)[:10] if value else None


@dataclass
class Score:
    documents: int = 0
    gold: int = 0
    found: int = 0
    matched: int = 0
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    flag_hits: int = 0
    flag_false: int = 0
    flag_missed: int = 0
    details: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def rate(self, name: str) -> float:
        return self.right[name] / self.matched if self.matched else 0.0

    @property
    def flag_recall(self) -> float:
        needed = self.flag_hits + self.flag_missed
        return self.flag_hits / needed if needed else 1.0

    @property
    def flag_precision(self) -> float:
        raised = self.flag_hits + self.flag_false
        return self.flag_hits / raised if raised else 1.0

    def summary(self) -> dict[str, float]:
        return {
            "f1": self.f1,
            "precision": self.precision,
            "recall": self.recall,
            **{name: self.rate(name) for name in FIELDS},
            "flag_recall": self.flag_recall,
            "flag_precision": self.flag_precision,
        }

    def report(self) -> str:
        lines = [
            f"documents {self.documents}; tasks labelled {self.gold}, proposed {self.found}, "
            f"matched {self.matched}",
            f"detection: precision {self.precision:.3f} recall {self.recall:.3f} F1 {self.f1:.3f}",
            *(f"  {name:<11} right on matched: {self.rate(name):.3f}" for name in FIELDS),
            f"  {FLAG}: precision {self.flag_precision:.3f} recall {self.flag_recall:.3f}",
        ]
        return "\n".join([*self.details, *lines])


Span = tuple[int, int]


def overlaps(first: Span, second: Span) -> bool:
    """The matching rule: the spans overlap by at least half of the shorter."""
    inter = max(0, min(first[1], second[1]) - max(first[0], second[0]))
    shorter = min(first[1] - first[0], second[1] - second[0])
    return shorter > 0 and inter / shorter >= 0.5


def closeness(first: Span, second: Span) -> float:
    """Overlap over union: which of several overlapping pairs is taken first."""
    inter = max(0, min(first[1], second[1]) - max(first[0], second[0]))
    return inter / (max(first[1], second[1]) - min(first[0], second[0]))


def matched_pairs(
    gold: Sequence[Span | None], found: Sequence[Span | None]
) -> list[tuple[int, int]]:
    """(labelled, proposed) index pairs the scorer matches: pairs that overlap, the closest
    first, each labelled and each proposed task once (training labels its candidates by it)."""
    pairs = sorted(
        (
            (closeness(g, f), gi, fi)
            for gi, g in enumerate(gold)
            if g
            for fi, f in enumerate(found)
            if f and overlaps(g, f)
        ),
        reverse=True,
    )
    used_gold: set[int] = set()
    used_found: set[int] = set()
    out = []
    for _, gi, fi in pairs:
        if gi not in used_gold and fi not in used_found:
            used_gold.add(gi)
            used_found.add(fi)
            out.append((gi, fi))
    return out


def score(
    records: Iterable[dict[str, Any]],
    predictions: dict[str, list[dict[str, Any]]],
    details: bool = False,
) -> Score:
    """Compare the predictions (document id → proposed tasks) with the labelled records."""
    result = Score()
    for record in records:
        result.documents += 1
        text, gold = record["text"], record["tasks"]
        found = predictions.get(record["id"], [])
        result.gold += len(gold)
        result.found += len(found)
        gold_spans = [span_of(text, t) for t in gold]
        found_spans = [span_of(text, t) for t in found]
        pairs = matched_pairs(gold_spans, found_spans)
        used_gold = {gi for gi, _ in pairs}
        used_found = {fi for _, fi in pairs}
        for gi, fi in pairs:
            result.matched += 1
            g, f = gold[gi], found[fi]
            checks = {
                "lead": same_agencies(g.get("assignees_lead") or [], f.get("assignees_lead") or []),
                "coordinate": same_agencies(
                    g.get("assignees_coordinate") or [], f.get("assignees_coordinate") or []
                ),
                "deadline": _day(g.get("deadline")) == _day(f.get("deadline")),
                "recurrence": (g.get("recurrence") or None) == (f.get("recurrence") or None),
                "deliverable": bool(g.get("deliverable")) == bool(f.get("deliverable")),
            }
            for name, ok in checks.items():
                result.right[name] += ok
            flagged = FLAG in (f.get("warnings") or [])
            if _needs_flag(g):
                result.flag_hits += flagged
                result.flag_missed += not flagged
            else:
                result.flag_false += flagged
            if details and not all(checks.values()):
                wrong = ", ".join(
                    f"{n}: {_shown(g, n)!r} → {_shown(f, n)!r}"
                    for n, ok in checks.items()
                    if not ok
                )
                result.details.append(f"{record['id']} task {gi}: {wrong}")
        if details:
            result.details += [
                f"{record['id']} MISSED: {gold[i].get('evidence', '')[:110]!r}"
                for i in range(len(gold))
                if i not in used_gold
            ]
            result.details += [
                f"{record['id']} EXTRA: {(found[i].get('evidence') or '')[:110]!r}"
                for i in range(len(found))
                if i not in used_found
            ]
    return result


def _shown(task: dict[str, Any], name: str) -> Any:
    key = {"lead": "assignees_lead", "coordinate": "assignees_coordinate"}.get(name, name)
    return task.get(key)
