"""Who leads a task: a learned choice among the agencies its sentence names and those its place
gives it (issue 26 item 3).

The rules name a task's lead by the shape they recognised ("giao X", "X chủ trì", the heading
above); the sentences the learned scorer adds have no such shape, and a fixed order of guesses
named the issuer or the task before's lead on half of them. Here every agency mention in the
task's span is an option, described by what a reader looks at: the words before it ("giao",
"yêu cầu", "đề nghị", "chủ trì", "phối hợp với", "gửi", "báo cáo"), the words after it, whether
it opens the sentence (its subject), whether it comes before or after the assigning verb,
whether it is the issuer or an addressee, a group, the rules' own reading of it. The agencies
of the heading or intro above, and the addressees, are options too, as whole lists. A logistic
regression (model.py's, trained with the scorer from the corpus's labelled leads) weighs them;
the lead is the mentions it takes, or the list it prefers, else the rules' reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nhiemvu.extraction import agencies as ag
from nhiemvu.extraction import referents
from nhiemvu.extraction.asked import ASKS, SENT_BEFORE, URGES, named_phrase
from nhiemvu.extraction.candidates import fold_words, marker_at
from nhiemvu.extraction.drafts import Draft, Notes, strip_leading
from nhiemvu.extraction.header import Header
from nhiemvu.extraction.model import Model
from nhiemvu.extraction.patterns import (
    AFTER_ASSIGNING,
    ASSIGNER,
    COORDINATE,
    INLINE_INTRO,
    MODALS,
    OTHER_ASSIGNING,
    RELAYED_DOCUMENT,
    SENT_TO_NAMED,
    SUBJECT_OPENER,
    TRIGGER,
    VERB_START,
    acts_at,
)
from nhiemvu.extraction.resolve import canonical

MAX_OPTIONS = 12  # mentions weighed per task: a long list is one option per agency, bounded
# The verbs (folded) whose subject asks and whose object is asked, where "chỉ đạo", "phân công"
# leave their subject the one who leads the work.
ASKING_VERB = re.compile(r"giao\b|yeu cau|de nghi|luu y|(?:da|vua) don")
BY_DOCUMENT = re.compile(r"(?:văn\s*bản|công\s*văn|công\s*điện|chỉ\s*thị)\s*$", re.IGNORECASE)


@dataclass
class Option:
    mentions: list[ag.Mention]
    features: list[str] = field(default_factory=list)
    inline: bool = True  # one mention of the task's own words (else a list given by context)


def _bucket(value: int, bounds: tuple[int, ...]) -> str:
    for bound in bounds:
        if value < bound:
            return str(bound)
    return "more"


def _keys(mentions: list[ag.Mention]) -> set[str]:
    return {canonical(m.text) for m in mentions}


def _inline(text: str, start: int, end: int, gazetteer: ag.Gazetteer) -> referents.Listed:
    """The agency lists named in text[start:end], and whom an assigning verb names when no
    agency name follows it ("đề nghị bà con nhân dân …")."""
    out = referents.named_in(text, start, end, gazetteer, MAX_OPTIONS)
    for verb in TRIGGER.finditer(text, start, end):
        skip = AFTER_ASSIGNING.match(text, verb.end())
        at = skip.end() if skip else verb.end()
        if any(s <= at < e for s, e, _ in out):
            continue
        named = named_phrase(text, at, end)
        if named is not None:
            out.append((at, named.end, [named]))
    out.sort(key=lambda item: item[0])
    return out


def options(
    text: str,
    draft: Draft,
    header: Header,
    gazetteer: ag.Gazetteer,
    context: list[ag.Mention] | None,
) -> list[Option]:
    """The mentions and context lists that could lead the drafted task, with their features."""
    start = strip_leading(text, draft.start + len(marker_at(text, draft.start)))
    if intro := INLINE_INTRO.match(text, start, draft.end):
        start = intro.end()
    if opener := SUBJECT_OPENER.match(text, start, draft.end):
        start = opener.end()
    end = draft.end
    trigger = (
        TRIGGER.search(text, start, end)
        or OTHER_ASSIGNING.search(text, start, end)
        or URGES.search(text, start, end)
    )
    verb = VERB_START.search(text, start, end)
    rules_lead = {(m.start, m.end) for m in draft.lead}
    rules_keys = _keys(draft.lead)
    coord = {(m.start, m.end) for m in draft.coordinate}
    addressees = _keys(header.addressees)
    issuer = canonical(header.issuer) if header.issuer else ""
    common = [
        f"task:{'rules' if draft.found_by_rules else 'model'}",
        *(["task:inherited"] if draft.inherited else []),
        *(["task:contingent"] if draft.contingent else []),
        *(["sentence:trigger"] if trigger else []),
    ]
    found = _inline(text, start, end, gazetteer)
    out: list[Option] = []
    for number, (list_start, list_end, mentions) in enumerate(found):
        before = fold_words(text[max(start, list_start - 40) : list_start])[-2:]
        after = fold_words(text[list_end : min(end, list_end + 40)])[:2]
        p1 = before[-1] if before else "^"
        mark = text[max(start, list_start - 3) : list_start].strip()[-1:] or "^"
        where = [
            f"list_no:{min(number, 3)}",
            f"p1:{p1}",
            f"p2:{'_'.join(before) if len(before) == 2 else '^_' + p1}",
            f"n1:{after[0] if after else '$'}",
            f"n2:{'_'.join(after) if len(after) == 2 else '$'}",
            f"mark:{mark}",
            f"offset:{_bucket(list_start - start, (1, 20, 60, 150))}",
            f"list_size:{_bucket(len(mentions), (2, 3, 5))}",
        ]
        if list_start == start:
            where.append("subject")
            where.append(f"subject_n1:{after[0] if after else '$'}")
            # ("… các địa phương thông báo …", "… các địa phương cần …": the subject acts.)
            if acts_at(text, list_end, end):
                where.append("subject_acts")
        addressed = bool(
            SENT_BEFORE.search(text, max(start, list_start - 12), list_start)
        ) and bool(ASKS.match(text, list_end))
        if addressed and trigger:
            # The addressee before "đề nghị" stands where "yêu cầu X" puts the one asked.
            where += ["trigger:after", "trigger:right_after", "addressed"]
        elif trigger:
            side = "after" if list_start >= trigger.end() else "before"
            where.append(f"trigger:{side}")
            if side == "after" and not fold_words(text[trigger.end() : list_start])[2:]:
                where.append("trigger:right_after")
                where.append(f"trigger_verb:{'_'.join(fold_words(trigger.group(0))[:2])}")
        if verb:
            where.append(f"verb:{'after' if list_start >= verb.start() else 'before'}")
        if COORDINATE.match(text[max(start, list_start - 30) : list_start] + " "):
            where.append("after_coordinate")
        if text.count("(", start, list_start) > text.count(")", start, list_start):
            where.append("in_parentheses")
        if any(p.match(text[list_end : list_end + 20].lstrip(" ,")) for p in MODALS.values()):
            where.append("then_modal")
        keys = [canonical(m.text) for m in mentions]
        for index, mention in enumerate(mentions):
            key = keys[index]
            own = [
                *common,
                *where,
                f"item:{'first' if index == 0 else 'later'}",
                "group" if mention.group else "name",
            ]
            if mention.anaphor:
                own.append("anaphor")
            if (mention.start, mention.end) in rules_lead:
                own.append("rules:lead_here")
            elif key in rules_keys:
                own.append("rules:lead_named")
            if (mention.start, mention.end) in coord:
                own.append("rules:coordinate")
            if ASSIGNER.search(mention.text):
                own.append("assigner")
            if issuer and (key == issuer or key in issuer):
                own.append("issuer")
            if key in addressees:
                own.append("addressee")
            if ag.NOT_SUBORDINATE.search(mention.text):
                own.append("not_subordinate")
            if ASKS.match(text, mention.end) and not addressed:
                own.append("asks")
            if p1 == "cua" and index == 0:
                own.append("owner")
            out.append(Option([mention], own, True))
        if len(mentions) > 1:
            # The whole list as one option: an address list leads together ("yêu cầu các sở,
            # ngành; UBND các huyện; các Ban Quản lý dự án … triển khai").
            whole = [*common, *where, "list:inline"]
            if any(m.group for m in mentions):
                whole.append("list:group")
            if any(ASSIGNER.search(m.text) for m in mentions):
                whole.append("list:assigner")
            if any(ag.NOT_SUBORDINATE.search(m.text) for m in mentions):
                whole.append("list:not_subordinate")
            if issuer and issuer in keys:
                whole.append("list:issuer")
            out.append(Option(list(mentions), whole, False))
    # The chooser weighs each option alone; whether another one is the one the verb names is a
    # fact about the sentence that it cannot see from an option before the verb ("Bộ Nội vụ đã
    # đôn đốc các bộ …", "X gửi đến Y đề nghị …"): each option says so itself.
    # (By verb: "X chỉ đạo Y …" leaves X the lead; "X yêu cầu Y …", "X giao Y …" do not.)
    if trigger and any("trigger:right_after" in o.features for o in out):
        verb_words = " ".join(fold_words(trigger.group(0))[:2])
        # "X ra văn bản chỉ đạo Y …": a document's direction asks Y, as "yêu cầu" does.
        document = BY_DOCUMENT.search(text, max(start, trigger.start() - 12), trigger.start())
        asks = document or ASKING_VERB.match(verb_words)
        asked = "other_asked:" + ("asks" if asks else "directs")
        for option in out:
            if "trigger:before" in option.features:
                option.features.append(asked)
    lists: list[tuple[str, list[ag.Mention]]] = []
    if context:
        lists.append(("context", context))
    if header.addressees and _keys(header.addressees) != _keys(context or []):
        lists.append(("addressees", header.addressees))
    if draft.lead and not any(
        (m.start, m.end) in rules_lead for m in draft.lead if start <= m.start < end
    ):
        lists.append(("rules", draft.lead))
    first = fold_words(text[start : start + 30])[:1]
    for name, mentions in lists:
        own = [
            *common,
            f"list:{name}",
            f"list_size:{_bucket(len(mentions), (2, 3, 5))}",
            f"inline_count:{_bucket(len(found), (1, 2, 3))}",
            f"first:{first[0] if first else '$'}",
        ]
        if _keys(mentions) == rules_keys:
            own.append("rules:same_list")
        if any(m.group for m in mentions):
            own.append("list:group")
        if VERB_START.match(text, start):
            own.append("verb_first")
        out.append(Option(list(mentions), own, False))
    return out


TAKE = 0.5  # a mention whose probability is at least this leads (with the others that reach it)
FLOOR = 0.2  # below this for every option, the rules' reading stands


def _not_leading(option: Option) -> bool:
    return option.inline and ("asks" in option.features or "owner" in option.features)


def choose(scored: list[tuple[Option, float]], fallback: list[ag.Mention]) -> list[ag.Mention]:
    """The lead the weighed options give: the list option when the model prefers it to every
    mention, else the mentions it takes (at least one half), else the rules' reading."""
    # The one asking is never the one asked, nor the one whose guidance or staff the task
    # names ("theo chỉ đạo của Bộ Chính trị", "các cơ quan chức năng của Bộ X"): neither the
    # chooser's lead nor the rules' reading — unless nothing else is named (a task with no
    # lead is not proposed).
    others = {(o.mentions[0].start, o.mentions[0].end) for o, _ in scored if _not_leading(o)}
    kept = [m for m in fallback if (m.start, m.end) not in others]
    floor = FLOOR if kept or not fallback else 0.0
    leading = [(o, p) for o, p in scored if not _not_leading(o)]
    return _taken(leading, kept, floor) or _taken(scored, fallback, FLOOR)


def _taken(
    scored: list[tuple[Option, float]], fallback: list[ag.Mention], floor: float
) -> list[ag.Mention]:
    if not scored:
        return fallback
    best, best_p = max(scored, key=lambda item: item[1])
    if not best.inline:
        return list(best.mentions) if best_p >= floor else fallback
    chosen = [o for o, p in scored if o.inline and p >= TAKE]
    # "X yêu cầu Y …": the one asking is not asked; when the chooser takes agencies on both
    # sides of the assigning verb, those after it lead.
    if any("trigger:after" in o.features for o in chosen):
        chosen = [o for o in chosen if "trigger:before" not in o.features]
    taken = [o.mentions[0] for o in chosen]
    if not taken and best_p >= floor:
        taken = [best.mentions[0]]
    seen: set[str] = set()
    lead = []
    for mention in taken:
        key = canonical(mention.text)
        if key not in seen:
            seen.add(key)
            lead.append(mention)
    return lead or fallback


def assign(
    text: str,
    drafts: list[Draft],
    header: Header,
    gazetteer: ag.Gazetteer,
    notes: Notes,
    chooser: Model,
) -> None:
    """Give each task the lead the chooser prefers (in place); a mention taken as lead is no
    longer one of the task's coordinators."""
    for draft in drafts:
        if not applies(draft):
            continue
        found = options(text, draft, header, gazetteer, notes.context.get(draft.sentence_index))
        lead = choose([(o, chooser.probability(o.features)) for o in found], draft.lead)
        if lead is draft.lead:
            continue
        spans = {(m.start, m.end) for m in lead}
        draft.lead = lead
        draft.coordinate = [m for m in draft.coordinate if (m.start, m.end) not in spans]


def applies(draft: Draft) -> bool:
    """Whether the chooser names the task's lead: for the sentences the learned scorer added.
    Cross-validated, it named the rules' own drafts' leads worse than the rules (lead 0.690
    against 0.773 when it chose for every task, 0.763 for the rules' inherited ones too): the
    rules read "giao X" and headings better than weights learnt from 200 texts."""
    return not draft.found_by_rules


def relay_addressees(text: str, draft: Draft, gazetteer: ag.Gazetteer) -> None:
    """A news item's relay of a document ("Bộ Xây dựng vừa có văn bản gửi UBND TP Hà Nội đề
    nghị báo cáo …") asks the document's addressees, not its sender: a lead named before the
    document's asking verb (the sender, or one name of the addressee list) becomes the whole
    list the document is sent to (in place). Whom the verb itself names stays the lead."""
    told = RELAYED_DOCUMENT.search(text, draft.start, draft.end)
    if told is None or any(m.start >= told.end() for m in draft.lead):
        return
    sent = SENT_TO_NAMED.search(text, told.end("document"), told.end())
    if sent is None:
        return
    found, _ = ag.mentions_list(text, sent.end(), gazetteer)
    if found:
        draft.lead = found
