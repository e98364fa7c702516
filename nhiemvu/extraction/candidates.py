"""Candidates for the learned scorer: every span of a directive that could be a task, described
by features a model weighs (issue 26 item 3).

The candidates are the rules' drafts (drafts.py) and every other sentence or list item of the
body that no draft covers: high recall, cheap. Each is described by
- the rules' own verdict and detectors as they are (an explicit assignment, an agency as
  subject, the modal words "cần/phải/sẽ/có trách nhiệm", other assigning verbs, a deadline or a
  recurrence, a work product),
- its position (a list item under an intro, an article "Điều N" of a decision, a heading or
  addressee line, a news summary or title, after the signature block),
- how it is told: a past tense or a date opening it ("Ngày 11/12, Sở X đã có công văn …"), a
  heading in capitals, the numbering's depth, the first sentences of a news item that relays a
  document (its summary),
- the words themselves: hashed unigrams and the first words' bigrams of the folded text, and the
  first words of the sentences before and after it,
- for the body's opening only, whether a task follows it (mark_followed: a second stage).
A sentence that repeats one read above (a page showing its paragraph twice) is no candidate.
Feature names are strings; model.py hashes them, so the same function serves training and
reading and the two cannot drift apart.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
import zlib
from dataclasses import dataclass, field

from nhiemvu.extraction import agencies as ag
from nhiemvu.extraction.deadlines import find_deadlines, find_recurrence
from nhiemvu.extraction.drafts import (
    Draft,
    Notes,
    is_title,
    strip_leading,
)
from nhiemvu.extraction.duties import features as duty_features
from nhiemvu.extraction.fields import deliverable_of
from nhiemvu.extraction.header import Header
from nhiemvu.extraction.patterns import (
    ACCOUNTABLE,
    ARTICLE,
    ASSIGNER,
    CLOSING,
    CONTINGENT,
    CONTINUATION,
    DECISION,
    INTRO,
    MODALS,
    NEWS_RELAY,
    NOT_TASK_START,
    OTHER_ASSIGNING,
    RELAY_OPENING,
    RELAY_SUMMARY,
    SENT_TO,
    TRIGGER,
    VERB_START,
    acts_at,
)
from nhiemvu.extraction.segment import LIST_MARKER, Sentence, sentences

_WORD = re.compile(r"[a-z0-9]+")
_ACCOUNTABLE_AFTER = re.compile(rf"[\s,]*(?:cũng\s+|phải\s+)?{ACCOUNTABLE}", re.IGNORECASE)
_MAY_DATE = re.compile(r"\d|quý|sáu", re.I)
_MARKS = {"-", "+", "•", "*", "–"}
# Told as done, not asked: "đã", "vừa" before the work, a date opening the sentence ("Ngày
# 11/12, Sở X có công văn …", "Từ đầu năm đến ngày …", "Đến ngày 4.1, …").
_PAST = re.compile(r"\b(?:đã|vừa|từng|đang)\b", re.I)
_DATE_FIRST = re.compile(
    r"^\W*(?:\(?[A-Z]{1,4}\)?\s*[-–]\s*)?(?:(?:vào\s+)?ngày\s+\d|hôm\s+(?:qua|nay)|sáng|chiều|tối|"
    r"trưa|từ\s+đầu|đến\s+(?:nay|ngày|hết|cuối)|tính\s+đến|trong\s+(?:năm|tháng|quý)\s+(?:qua|\d))",
    re.I,
)
_LETTER = re.compile(r"[^\W\d_]")
# The words a candidate is described by: unigrams of its first 80 words, bigrams of its first 20,
# the first 6 words of the sentence before it (an intro, a heading, the sentence it restates) and
# the first 3 of the sentence after it. Grouped cross-validated, 40/12 words and no neighbours
# gave F1 0.760; 80/20 0.774; and the previous words 0.775; later, the next sentence's 2, 3, 4,
# 6 and 10 words 0.795, 0.799, 0.799, 0.800, 0.793 against 0.790 without (issue 26).
UNIGRAM_WORDS = 80
BIGRAM_WORDS = 20
PREVIOUS_WORDS = 6
NEXT_WORDS = 3
# The features that are the span's own words and its neighbours' (not what a detector read):
# model.train penalises their weights more (model.WORD_L2), so the scorer leans on what the
# detectors saw before the words of the issuers it was trained on.
WORD_FEATURES = ("w:", "p:", "n:", "first:", "first2:")
# A sentence whose first 30 words were read already is read once, when it has this many words.
REPEATED_WORDS = 8


@dataclass
class Candidate:
    start: int
    end: int
    sentence_index: int
    draft: Draft | None  # the rules' draft, or None for a sentence the rules passed over
    features: list[str] = field(default_factory=list)


def fold_words(text: str) -> list[str]:
    """The words of text without marks, đ → d, lower case (lib.vntext.fold's result, cheaper:
    it runs on every sentence of every text read)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    plain = unicodedata.normalize("NFD", text).encode("ascii", "ignore").decode()
    return _WORD.findall(plain.lower())


def _marker_kind(marker: str) -> str:
    mark = marker.strip()
    if not mark:
        return "none"
    if mark[:1] in _MARKS:
        return "dash"
    if mark.lower().startswith("điều"):
        return "article"
    if mark[:1].isdigit():
        return "number"
    if re.match(r"[IVX]+\.", mark):
        return "roman"
    return "letter"


def _length(words: int) -> str:
    for bound in (4, 8, 15, 30, 60):
        if words < bound:
            return str(bound)
    return "more"


def describe(
    text: str,
    start: int,
    end: int,
    sentence: Sentence,
    draft: Draft | None,
    state: dict[str, object],
    header: Header,
    gazetteer: ag.Gazetteer,
) -> list[str]:
    """The features of text[start:end] (a draft or a sentence) in its place in the text."""
    body_at = strip_leading(text, max(start, sentence.body_start))
    chunk = text[start:end]
    body = text[body_at:end]
    out = [f"source:{'rule' if draft else 'sentence'}"]
    if draft is not None:
        out.append(f"rule:bound:{draft.bound}")
        out.append(f"rule:lead:{bool(draft.lead)}")
        out.append(f"rule:confident:{draft.bound and bool(draft.lead)}")
        if draft.inherited:
            out.append("rule:inherited")
        if draft.contingent:
            out.append("rule:contingent")
        if draft.coordinate:
            out.append("rule:coordinate")
    else:
        out += _read(text, chunk, body, body_at, end, gazetteer)
    if header.addressees:
        out.append("has_addressees")
    # Position.
    out.append(f"marker:{_marker_kind(sentence.marker)}")
    if sentence.line_start:
        out.append("line_start")
    out.append(f"ends:{sentence.ends_with if sentence.ends_with in '.;:!?' else 'none'}")
    out.append(f"length:{_length(len(body.split()))}")
    for key in ("under_intro", "intro_agencies", "in_article", "after_closing", "first", "title"):
        if state.get(key):
            out.append(f"pos:{key}")
    if state.get("under_intro") and sentence.marker:
        out.append("pos:item_under_intro")
    if isinstance(lines := state.get("intro_lines"), int) and lines:
        out.append(f"pos:after_intro:{min(lines, 4)}")
    out += _context(body, sentence, state)
    # The words.
    words = fold_words(body)
    out += [f"w:{w}" for w in words[:UNIGRAM_WORDS]]
    head = words[:BIGRAM_WORDS]
    out += [f"b:{a}_{b}" for a, b in itertools.pairwise(head)]
    if head:
        out.append(f"first:{head[0]}")
    if len(head) > 1:
        out.append(f"first2:{head[0]}_{head[1]}")
    return out


def _context(body: str, sentence: Sentence, state: dict[str, object]) -> list[str]:
    """Where the span stands and how it is told: whether the text relays a document (a news
    item) and the span is among its first sentences (the summary), the numbering's depth, a
    heading in capitals, a past tense or a date opening it, the sentence before it."""
    out = []
    if state.get("relay"):
        out.append("doc:relay")
        if state.get("lead_part"):
            out.append("doc:relay_lead")
    depth = sentence.marker.strip().rstrip(".)").count(".")
    if depth:
        out.append(f"marker_depth:{min(depth, 3)}")
    letters = _LETTER.findall(body[:200])
    # (Counted by map: a generator over each letter was 4 % of the reading time.)
    if len(letters) >= 8 and sum(map(str.isupper, letters)) > 0.7 * len(letters):
        out.append("caps")
    head = body[:80]
    past = _PAST.search(head)
    if past:
        out.append(f"past:{fold_words(past.group(0))[0]}")
    if _DATE_FIRST.match(body):
        out.append("date_first")
    previous = state.get("previous_words")
    if isinstance(previous, list):
        out += [f"p:{w}" for w in previous]
    following = state.get("next_words")
    if isinstance(following, list):
        out += [f"n:{w}" for w in following]
    return out


def _read(
    text: str, chunk: str, body: str, body_at: int, end: int, gazetteer: ag.Gazetteer
) -> list[str]:
    """The rules' detectors on a sentence they drafted nothing from. (A draft's own verdict
    says more than these, and reading them twice for every draft would halve the speed.)"""
    out: list[str] = []
    trigger = TRIGGER.search(chunk)
    if trigger:
        out.append(f"trigger:{fold_words(trigger.group('verb'))[0]}")
    if OTHER_ASSIGNING.search(chunk):
        out.append("assigning_other")
    for name, pattern in MODALS.items():
        if pattern.search(chunk):
            out.append(f"modal:{name}")
            if pattern.search(body, 0, 80):
                # "Tỉnh cần …", "Xã, phường phải …", "Trước 19 giờ, các địa phương phải …":
                # the modal a few words in follows the one who must.
                out.append(f"modal_early:{name}")
    if VERB_START.match(body):
        out.append("verb_first")
    sent = SENT_TO.match(text, body_at)
    found, after = ag.mentions_list(text, sent.end() if sent else body_at, gazetteer)
    if found and sent:
        out.append("sent_to")
    if found and len(fold_words(text[after:end])) <= 2:
        out.append("agencies_only")  # an addressee line, a heading: whom, without what
    if found:
        out.append("agency_first")
        if any(ASSIGNER.search(hit.text) for hit in found):
            out.append("agency_first:assigner")
        if any(hit.group for hit in found):
            out.append("agency_first:group")
        if acts_at(text, after, end):
            out.append("agency_then_verb")
        elif _ACCOUNTABLE_AFTER.match(text, after):
            # "Giám đốc các sở chịu trách nhiệm trước Chủ tịch …": whom, and their account, no
            # work (the words alone had let such a sentence through at 0.41).
            out.append("agency_then_accountable")
        if re.fullmatch(r"\s*(?:\([^)]{0,300}\))?\s*:", text[after:end]):
            out.append("heading_line")
    out += duty_features(text, body_at, end, gazetteer)
    out += _detected(chunk, body)
    return out


def _detected(chunk: str, body: str) -> list[str]:
    """Deadline, rhythm and work product, and the shapes the rules know a sentence by."""
    out = []
    # Each reader runs only where its words occur: every deadline phrase holds a digit, "quý"
    # or "sáu" (the rhythm's and the work products' readers check their own words:
    # patterns.DELIVERABLES names each product's, so a new product needs no second list here).
    deadlines = find_deadlines(body, None) if _MAY_DATE.search(body) else []
    if deadlines:
        out.append("deadline")
        if deadlines[0].span[0] < 20:
            out.append("deadline_first")
    if find_recurrence(body):
        out.append("recurrence")
    if deliverable_of(body, has_deadline=bool(deadlines)):
        out.append("deliverable")
    low = chunk.lower()
    # Every standing duty to report holds "kịp thời báo cáo", every relay "đã" or "vừa".
    if "kịp" in low and CONTINGENT.search(chunk):
        out.append("contingent")
    if CONTINUATION.match(body):
        out.append("continuation")
    if NOT_TASK_START.match(body):
        out.append("not_task_start")
    if DECISION.match(body):
        out.append("decision")
    # (A document reported as issued and a decision's closing articles are no candidates: the
    # rules reject their sentences, patterns.NOT_A_TASK.)
    if ("đã" in low or "vừa" in low) and NEWS_RELAY.search(chunk):
        out.append("news_relay")
    return out


def candidates(
    text: str, drafts: list[Draft], header: Header, gazetteer: ag.Gazetteer, notes: Notes
) -> list[Candidate]:
    """The rules' drafts and every body sentence no draft covers and the rules did not reject
    (notes), each with its features, in the order of the text."""
    out: list[Candidate] = []
    body = sentences(text)
    by_sentence: dict[int, list[Draft]] = {}
    for draft in drafts:
        by_sentence.setdefault(draft.sentence_index, []).append(draft)
    covered_until = -1
    state: dict[str, object] = {}
    first = True
    order = 0
    seen: set[str] = set()
    opening = text[header.body_start : header.body_start + 800]
    state["relay"] = bool(RELAY_SUMMARY.search(opening) or NEWS_RELAY.search(opening))
    words = [fold_words(s.text) if s.start >= header.body_start else [] for s in body]
    for index, s in enumerate(body):
        if s.start < header.body_start:
            continue
        state["lead_part"] = order < 3
        order += 1
        folded = words[index]
        # The first words of the sentence after it: "Theo đó, …", "Cụ thể: …" follow a relay's
        # summary; a list item follows an intro.
        state["next_words"] = words[index + 1][:NEXT_WORDS] if index + 1 < len(body) else ["$"]
        key = " ".join(folded[:30])
        state["first"] = first
        state["title"] = first and is_title(s, text)
        first = False
        if notes.closing_at is not None and index >= notes.closing_at:
            break  # the signature block and what follows it: the rules read no further either
        if CLOSING.match(s.text.lstrip("| ")):
            state["after_closing"] = True
        if ARTICLE.match(s.text):
            state["in_article"] = True
        if s.line_start and not s.marker and not ARTICLE.match(s.text):
            state["under_intro"] = state.get("under_intro") and s.ends_with == ":"
        if s.line_start and isinstance(lines := state.get("intro_lines"), int):
            # News and spoken conclusions list their duties as plain paragraphs after "… yêu
            # cầu:", no dash or number: how many lines after the intro the span stands.
            state["intro_lines"] = lines + 1
        own = by_sentence.get(index, [])
        if key in seen and len(folded) >= REPEATED_WORDS:
            # A page that repeats its paragraph (a title shown again, a photo's caption): the
            # same words read once.
            own = []
            covered_until = max(covered_until, s.end)
        seen.add(key)
        for draft in own:
            out.append(
                Candidate(
                    draft.start,
                    draft.end,
                    index,
                    draft,
                    describe(text, draft.start, draft.end, s, draft, state, header, gazetteer),
                )
            )
            covered_until = max(covered_until, draft.end)
        if not own and s.end > covered_until and index not in notes.rejected:
            out.append(
                Candidate(
                    s.start,
                    s.end,
                    index,
                    None,
                    describe(text, s.start, s.end, s, None, state, header, gazetteer),
                )
            )
        state["previous_words"] = folded[:PREVIOUS_WORDS]
        if s.ends_with == ":":
            found, _ = ag.mentions_list(text, strip_leading(text, s.body_start), gazetteer)
            state["under_intro"] = bool(INTRO.search(s.text) or found or TRIGGER.search(s.text))
            state["intro_agencies"] = bool(found)
            state["intro_lines"] = 0 if state["under_intro"] else None
    return out


def mark_followed(found: list[Candidate], body_start: int, tasks_at: set[int]) -> set[int]:
    """The second stage (in place): each candidate in the body's opening (a news item's summary,
    a letter's preamble) is told whether a task follows it, from the sentences taken for tasks
    (training: the labelled ones; reading: the ones the model took without this). The labels
    take a summary only when the body does not restate it, which the words of the summary alone
    cannot tell (issue 26: grouped CV F1 0.793 -> 0.800). Returns the candidates marked."""
    last = max(tasks_at, default=-1)
    marked = set()
    for number, candidate in enumerate(found):
        if candidate.start < body_start + RELAY_OPENING:
            candidate.features.append(f"opening_followed:{last > candidate.sentence_index}")
            marked.add(number)
    return marked


_SLOTS: dict[tuple[str, int], int] = {}  # a feature's slot, computed once (features recur)
_SLOTS_MOST = 200_000  # a bound on the memo: past it, it starts again


def hashed(features: list[str], size: int) -> list[int]:
    """The features' indices in a weight table of the given size (crc32: stable across runs
    and machines, unlike hash())."""
    if len(_SLOTS) > _SLOTS_MOST:
        _SLOTS.clear()
    out = set()
    for feature in features:
        slot = _SLOTS.get((feature, size))
        if slot is None:
            slot = _SLOTS[feature, size] = zlib.crc32(feature.encode()) % size
        out.add(slot)
    return sorted(out)


def marker_at(text: str, pos: int) -> str:
    # The pattern is anchored at a string's start: match a short slice, not the text at pos.
    hit = LIST_MARKER.match(text[pos : pos + 24])
    return hit.group(0) if hit else ""
