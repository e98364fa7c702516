from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils.html import escape
from django.utils.translation import gettext as _

from nhiemvu.assignments import rules as task_perms
from nhiemvu.assignments.models import Assignment, DeliverableKind, Recurrence
from nhiemvu.conf import setting
from nhiemvu.directives.models import Authority, Directive, Reading, Urgency
from nhiemvu.extraction.codes import issuer_task_code
from nhiemvu.lib import deliverables, workdays
from nhiemvu.lib.vntext import office_title
from nhiemvu.orgs import matching
from nhiemvu.orgs.models import LeaderTitle, Membership, Organisation, Role
from nhiemvu.orgs.rules import is_office, scope_of
from nhiemvu.orgs.selectors import directory, province_on

# A proposed summary fits the task's column (the review form's field has the same bound).
_SUMMARY_CHARS = Assignment._meta.get_field("summary").max_length or 300


def visible_directives(user: Any) -> QuerySet[Directive]:
    """Province roles see every document; agencies the documents that give them a task."""
    qs = Directive.objects.select_related("issuer", "assigned_by")
    if scope_of(user).province:
        return qs
    tasks = task_perms.visible(user, Assignment.objects.filter(directive=OuterRef("pk")))
    return qs.filter(Exists(tasks))


def directive_for(user: Any, code: str) -> Directive:
    directive = visible_directives(user).filter(code=code).first()
    if directive is None:
        raise Http404
    return directive


def reading_for(user: Any, code: str) -> Reading:
    """A long file being read: only the office registers documents, so only the office sees
    them (any of its officers: a colleague may take over the review)."""
    if not is_office(user):
        raise Http404
    reading = Reading.objects.select_related("directive").filter(code=code).first()
    if reading is None:
        raise Http404
    return reading


# --- "Nhập văn bản": what the extraction engine proposes, as form data ----------------------


@dataclass
class Proposal:
    header: dict[str, Any]
    tasks: list[dict[str, Any]]
    marked_text: str  # the text with each task's evidence in <mark>, HTML-escaped
    warnings: list[str]
    model_version: str = ""  # the reader's learned model that proposed (issue 26 item 4)


def _leader_for(title: str | None) -> Any:
    if not title:
        return None
    wanted = LeaderTitle.CHAIRMAN if title == "Chủ tịch" else LeaderTitle.VICE_CHAIRMAN
    membership = (
        Membership.objects.filter(role=Role.LEADER, leader_title=wanted)
        .select_related("user")
        .order_by("id")
        .first()
    )
    return membership.user if membership else None


def _issuer_for(name: str | None, on: dt.date | None) -> Organisation | None:
    if name:
        found = matching.find(name, strictness=matching.Strictness.EXACT)
        if found:
            return found
    # Unnamed: the province's People's Committee in force on the document's date (Bình Định's
    # before 1/7/2025, today's Gia Lai after); none then, and the office chooses.
    return province_on(on or workdays.today())


def reader_model() -> Any:
    """The reader's learned model where the application reads it (settings NHIEMVU
    READER_MODEL, default the shipped model.json; `manage.py reader train` writes it)."""
    from pathlib import Path

    from nhiemvu.extraction import model

    return model.load(Path(setting("READER_MODEL")))


def reader_proposals(text: str, doc_date: dt.date | None) -> tuple[list[dict[str, Any]], str]:
    """What the reader proposes for a text, in the corpus's shape, and the model's version."""
    from nhiemvu.extraction import extract

    result = extract(text, doc_date, directory(), model=reader_model())
    return [t.as_prediction() for t in result.tasks], result.model_version or ""


def propose(text: str, doc_date: dt.date | None) -> Proposal:
    """Read a directive and turn the proposals into initial form data (nothing is saved)."""
    from nhiemvu.extraction import extract

    result = extract(text, doc_date, directory(), model=reader_model())
    header = result.header
    issuer = _issuer_for(header.issuer, header.doc_date or doc_date)
    leader = _leader_for(header.assigned_by)
    authority = header.authority if header.authority in Authority.values else ""
    head = {
        "text": text,
        "issuer": issuer.code if issuer else None,
        "ref": header.doc_ref or "",
        "doc_date": header.doc_date or doc_date,
        "subject": header.subject or "",
        "signer_name": header.signer_name or "",
        "signer_title": office_title(header.signer_title or ""),
        "authority": authority,
        "assigned_by": leader.pk if leader else None,
        "urgency": Urgency.NORMAL,
    }
    tasks = []
    for task in result.tasks:
        leads = [o["code"] for a in task.lead for o in a.resolved]
        coordinators = [o["code"] for a in task.coordinate for o in a.resolved]
        deliverable = deliverables.kind_of(task.deliverable)
        tasks.append(
            {
                # Low confidence (a request to outsiders, no agency found): shown, not ticked.
                "keep": task.confident,
                "content": task.evidence.strip(),
                "summary": task.summary[:_SUMMARY_CHARS],
                "group_label": ", ".join(a.text for a in task.lead) if len(leads) > 1 else "",
                "leads": leads,
                "coordinators": [c for c in coordinators if c not in leads],
                "deliverable_kind": deliverable,
                "deliverable_text": (task.deliverable or "").capitalize(),
                "deadline": task.deadline,
                "recurrence": _recurrence(task.recurrence),
                "recurrence_day": task.recurrence_day,
                "no_deadline_reason": "",
                # The issuer's code where the letter writes it: in the task's words, or in
                # brackets right after them on the same line (issue 27 item 3).
                "external_code": issuer_task_code(task.evidence)
                or issuer_task_code(text[task.span[1] : task.span[1] + 80].split("\n", 1)[0]),
                "warnings": ",".join(task.warnings),
                "evidence": task.evidence,
                "span": task.span,
                "lead_text": ", ".join(a.text for a in task.lead),
                "deadline_how": task.deadline_how or "",
            }
        )
    spans: list[tuple[int, int]] = [task.span for task in result.tasks]
    return Proposal(head, tasks, _marked(text, spans), header.warnings, result.model_version or "")


@dataclass
class ReviewRow:
    """One proposal as the review screen shows it folded: what a clerk checks at a glance."""

    form: Any
    info: dict[str, Any]
    number: int
    summary: str
    leads: list[str]
    group: str
    coordinators: list[str]
    deadline: Any
    recurrence: str
    recurrence_day: Any
    deliverable: str
    warnings: list[str]
    open: bool
    # The lesson loop (issue 18): "3 nhiệm vụ gần đây của Sở X chậm do chờ ý kiến Sở Y".
    history: list[str] = field(default_factory=list)


RECENT_DAYS = 365
RECENT_AT_LEAST = 2  # one late task is an accident; two with one cause, a pattern


def delay_history(codes: set[str], today: dt.date | None = None) -> dict[str, list[str]]:
    """For each organisation (by code): its recent late tasks that share a cause, in words,
    from the explanations of the last year (one query for all of them)."""
    from django.db.models import Count

    from nhiemvu.assignments import explanations
    from nhiemvu.assignments.models import Explanation
    from nhiemvu.lib import workdays

    if not codes:
        return {}
    today = today or workdays.today()
    since = today - dt.timedelta(days=RECENT_DAYS)
    # Each task's explanation in force today (explanations.in_force_q): a returned one no
    # longer speaks for the task, and an older one does not stand in for it.
    rows = (
        Explanation.objects.filter(
            explanations.in_force_q(today),
            assignment__lead__code__in=codes,
            submitted_on__gte=since,
        )
        .values_list(
            "assignment__lead__code", "assignment__lead__name", "cause__name", "other_org__name"
        )
        .annotate(n=Count("assignment", distinct=True))
        .filter(n__gte=RECENT_AT_LEAST)
        .order_by("-n")
    )
    found: dict[str, list[str]] = {}
    for code, lead, cause, other, n in rows:
        line = _("%(n)s recent tasks of %(org)s were late: %(cause)s") % {
            "n": n,
            "org": lead,
            "cause": cause.lower() if not other else f"{cause.lower()} ({other})",
        }
        found.setdefault(code, []).append(line)
    return found


def review_rows(forms: list[Any], infos: list[dict[str, Any]]) -> list[ReviewRow]:
    """The folded rows of the review screen, from each form's current values (as proposed, or
    as typed when a save was refused); organisation names in one query for all rows."""
    values = [{name: form[name].value() for name in ("leads", "coordinators")} for form in forms]
    codes = {c for v in values for key in ("leads", "coordinators") for c in (v[key] or [])}
    names = dict(Organisation.objects.filter(code__in=codes).values_list("code", "name"))
    kinds = dict(DeliverableKind.choices)
    recurrences = dict(Recurrence.choices)
    lead_codes = {c for v in values for c in (v["leads"] or [])}
    history = delay_history(lead_codes)
    rows = []
    for number, (form, info, value) in enumerate(zip(forms, infos, values, strict=True), 1):
        leads = [names.get(c, c) for c in value["leads"] or []]
        recurrence = form["recurrence"].value() or ""
        rows.append(
            ReviewRow(
                form=form,
                info=info,
                number=number,
                summary=form["summary"].value() or (form["content"].value() or "")[:200],
                leads=leads,
                group=(form["group_label"].value() or "") if len(leads) > 1 else "",
                coordinators=[names.get(c, c) for c in value["coordinators"] or []],
                deadline=form["deadline"].value(),
                recurrence=str(recurrences.get(recurrence, "")),
                recurrence_day=form["recurrence_day"].value() if recurrence else None,
                deliverable=str(kinds.get(form["deliverable_kind"].value() or "", "")),
                warnings=[w for w in (form["warnings"].value() or "").split(",") if w],
                open=bool(form.errors),
                history=[line for c in value["leads"] or [] for line in history.get(c, [])],
            )
        )
    return rows


def _recurrence(value: str | None) -> str:
    return value if value in Recurrence.values else ("other" if value else "")


def _marked(text: str, spans: list[tuple[int, int]]) -> str:
    parts: list[str] = []
    cursor = 0
    for number, (start, end) in sorted(enumerate(spans, 1), key=lambda item: item[1][0]):
        if start < cursor:
            continue
        parts.append(str(escape(text[cursor:start])))
        parts.append(
            f'<mark id="evidence-{number}" title="{number}">'
            f"<sup>{number}</sup>{escape(text[start:end])}</mark>"
        )
        cursor = end
    parts.append(str(escape(text[cursor:])))
    return "".join(parts)


MAX_SENTENCE = 2000  # a selected sentence or two, not the whole text


def sentence_proposal(sentence: str, doc_date: dt.date | None) -> dict[str, Any]:
    """A task the office picked out of the text by selecting its sentence (a task the reader
    missed): the fields the reader can fill from that sentence alone, and the sentence as the
    content whatever the reader makes of it (the office chose it: it is a task)."""
    sentence = " ".join(sentence.split())[:MAX_SENTENCE]
    read = propose(sentence, doc_date).tasks
    if not read:
        # The office's selection is the assignment: a duty with no assigning verb ("Sở X cần
        # rà soát …", "Báo cáo … trước ngày …") is read as if the letter had said "Giao".
        read = propose(f"Giao {sentence}", doc_date).tasks
    found = read[0] if read else {}
    return {
        "content": sentence,
        "summary": (found.get("summary") or sentence)[:300],
        "leads": found.get("leads") or [],
        "coordinators": found.get("coordinators") or [],
        "deadline": found["deadline"].isoformat() if found.get("deadline") else "",
        "deliverable_kind": found.get("deliverable_kind") or "",
        "deliverable_text": found.get("deliverable_text") or "",
        "recurrence": found.get("recurrence") or "",
        "evidence": sentence,
    }
