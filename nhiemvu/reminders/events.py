"""Telling people what happened to a task: assigned, returned (with the reason), confirmed,
an extension requested, advised or decided, reassigned or transferred, commented on, refused.

Connected to ``assignments.signals.task_event``, which every lifecycle step sends inside its
own transaction: the notification (the bell, and an e-mail through the outbox unless the person
chose the digest for that kind) is written in the same transaction as the change, so a change
that is rolled back tells no one. Each is keyed by the timeline entry that caused it
(``ReminderLog.key`` is unique), so a retry or a second delivery never tells anyone twice. The
person who acted is not told of their own action.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from nhiemvu.assignments import rules as perms
from nhiemvu.assignments.models import (
    Assignment,
    AssignmentEvent,
    EventKind,
    Extension,
    ExtensionStatus,
)
from nhiemvu.assignments.workflow import NOTICE_PARAM
from nhiemvu.orgs.models import ACTING_ROLES, Organisation, Role
from nhiemvu.reminders.models import RuleCode
from nhiemvu.reminders.schedule import Due, agency_people, role_people, task_url

AGENCY_ROLES = ACTING_ROLES

_muted: ContextVar[bool] = ContextVar("nhiemvu_events_muted", default=False)


@contextlib.contextmanager
def muted() -> Iterator[None]:
    """No notices while a history is replayed (the demo province's past): nobody is to be told
    today of what "happened" months ago."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


# The timeline entries that tell someone, and the kind (a RuleCode, for preferences) they are.
RULE_OF_EVENT = {
    EventKind.ASSIGNED: RuleCode.EVENT_ASSIGNED,
    EventKind.REASSIGNED: RuleCode.EVENT_REASSIGNED,
    EventKind.TRANSFERRED: RuleCode.EVENT_REASSIGNED,
    EventKind.RETURNED: RuleCode.EVENT_RETURNED,
    # A returned explanation asks the agency for another (issue 18): told like a returned report.
    EventKind.EXPLANATION_RETURNED: RuleCode.EVENT_RETURNED,
    EventKind.CONFIRMED: RuleCode.EVENT_CONFIRMED,
    EventKind.EXTENSION_REQUESTED: RuleCode.EVENT_EXTENSION,
    EventKind.EXTENSION_ADVISED: RuleCode.EVENT_EXTENSION,
    EventKind.EXTENSION_APPROVED: RuleCode.EVENT_EXTENSION,
    EventKind.EXTENSION_DENIED: RuleCode.EVENT_EXTENSION,
    EventKind.COMMENT: RuleCode.EVENT_COMMENT,
    EventKind.REFUSED: RuleCode.EVENT_REFUSED,
}


def _agency(org_ids: Iterable[int]) -> set[int]:
    people = agency_people(set(org_ids), AGENCY_ROLES)
    return {user for users in people.values() for user in users}


def _office() -> set[int]:
    return set(role_people(Role.OFFICE))


def _deciders(task: Assignment) -> set[int]:
    """Who may decide an extension of this task: the rule's own list (assignments/rules.py),
    so a task without an assigning leader tells every leader who may decide it."""
    return set(perms.extension_deciders(task))


def _extension(event: AssignmentEvent) -> Extension | None:
    code = (event.data or {}).get("extension")
    return Extension.objects.filter(code=code).first() if code else None


# A notice's title names its task by this much of the summary (the bell, the e-mail subject).
TITLE_SUMMARY_CHARS = 150


def _title_summary(task: Assignment) -> str:
    return task.summary[:TITLE_SUMMARY_CHARS]


def _coordinators(task: Assignment) -> list[int]:
    return list(task.coordinations.values_list("org_id", flat=True))


def recipients_and_title(task: Assignment, event: AssignmentEvent) -> tuple[set[int], str]:
    """Who is told of this timeline entry, and what the bell and the e-mail subject say."""
    summary = _title_summary(task)
    kind = event.kind
    if kind == EventKind.ASSIGNED:
        return _agency([task.lead_id, *_coordinators(task)]), _(
            "New task for your agency: %(task)s"
        ) % {"task": summary}
    if kind in (EventKind.REASSIGNED, EventKind.TRANSFERRED):
        data = event.data or {}
        codes = [c for c in (data.get("from"), data.get("to")) if c]
        orgs = Organisation.objects.filter(code__in=codes).values_list("id", flat=True)
        return _agency(orgs), _("Task moved from %(old)s to %(new)s: %(task)s") % {
            "old": data.get("from", ""),
            "new": data.get("to", ""),
            "task": summary,
        }
    if kind == EventKind.RETURNED:
        return _agency([task.lead_id]), _("Your report was returned for rework: %(task)s") % {
            "task": summary
        }
    if kind == EventKind.EXPLANATION_RETURNED:
        return _agency([task.lead_id]), _(
            "Your explanation of the delay was returned: explain again: %(task)s"
        ) % {"task": summary}
    if kind == EventKind.CONFIRMED:
        return _agency([task.lead_id]), _("Completion confirmed: %(task)s") % {"task": summary}
    if kind == EventKind.REFUSED:
        return _office(), _("%(agency)s refused a task: %(task)s") % {
            "agency": task.lead.name,
            "task": summary,
        }
    if kind == EventKind.COMMENT:
        return _agency([task.lead_id, *_coordinators(task)]) | _office(), _(
            "New comment on: %(task)s"
        ) % {"task": summary}
    extension = _extension(event)
    if kind == EventKind.EXTENSION_REQUESTED:
        return _office() | _deciders(task), _("%(agency)s asks for an extension: %(task)s") % {
            "agency": task.lead.name,
            "task": summary,
        }
    if kind == EventKind.EXTENSION_ADVISED:
        requester = {extension.requested_by_id} if extension else set()
        return _deciders(task) | requester, _("The office advised on an extension: %(task)s") % {
            "task": summary
        }
    if kind in (EventKind.EXTENSION_APPROVED, EventKind.EXTENSION_DENIED):
        approved = extension is not None and extension.status == ExtensionStatus.APPROVED
        title = (
            _("Extension approved: %(task)s") if approved else _("Extension denied: %(task)s")
        ) % {"task": summary}
        return _agency([task.lead_id]) | _office(), title
    return set(), ""


DETAIL_CHARS = 300  # Notification.detail: one fact, read in the list beside the title


def _short(text: str) -> str:
    """A fact that fits the notice: whitespace folded, cut at a word with an ellipsis."""
    text = " ".join((text or "").split())
    if len(text) <= DETAIL_CHARS:
        return text
    return text[: DETAIL_CHARS - 1].rsplit(" ", 1)[0] + "…"


def _date(value: Any) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def detail_of(task: Assignment, event: AssignmentEvent) -> str:
    """The one fact a person told of ``event`` needs without opening the task (issue 27): why
    it was returned or refused, the new deadline or the decision, what was asked, what was
    said. The title says what happened; this says the rest."""
    kind, text = event.kind, (event.text or "").strip()
    if kind in (EventKind.RETURNED, EventKind.EXPLANATION_RETURNED, EventKind.REFUSED):
        return _short(_("Reason: %(text)s") % {"text": text}) if text else ""
    if kind == EventKind.ASSIGNED:
        if task.deadline:
            return _("Deadline %(date)s") % {"date": _date(task.deadline)}
        return str(_("No deadline"))
    if kind == EventKind.CONFIRMED:
        late = (event.data or {}).get("late")
        return str(_("Completed late") if late else _("Completed on time"))
    extension = _extension(event)
    if kind == EventKind.EXTENSION_REQUESTED and extension is not None:
        return _short(
            _("Asks for %(date)s: %(reason)s")
            % {"date": _date(extension.proposed_deadline), "reason": extension.reason}
        )
    if kind == EventKind.EXTENSION_APPROVED and extension is not None:
        return _short(
            _("New deadline %(date)s") % {"date": _date(extension.new_deadline or task.deadline)}
            + (f". {text}" if text else "")
        )
    if kind == EventKind.EXTENSION_DENIED:
        fact = _("The deadline stays %(date)s") % {"date": _date(task.deadline)}
        if text:
            fact += ". " + _("Reason: %(text)s") % {"text": text}
        return _short(fact)
    # The advice, the comment, the reason for moving it (a reorganisation: its legal basis).
    return _short(text)


def _tell(
    task: Assignment,
    rule: str,
    key: str,
    people: Iterable[int],
    title: str,
    body: str,
    at: Any,
    detail: str = "",
    about: str = "",
) -> None:
    """A notice about ``task`` to ``people``, once per ``key`` (the timeline entry, the
    delegation or the report it is about), with its one fact (``detail``: the bell's list, the
    e-mail, the digest); the change is already on the timeline. ``about``: the timeline
    entry's kind, carried in the link (``?thong-bao=``) so the task page opened from the bell,
    the e-mail or the push offers the step the notice is about first (issue 32)."""
    from nhiemvu.reminders.services import deliver

    deliver(
        Due(
            rule,
            f"t{task.pk}",
            key,
            tuple(sorted(people)),
            title,
            body,
            task_url(task.code) + (f"?{NOTICE_PARAM}={about}" if about else ""),
            task_id=task.pk,
            org_id=task.lead_id,
            on_timeline=False,
            extra={"detail": detail},
        ),
        at,
    )


def on_task_event(
    sender: Any, *, task: Assignment, kind: str, event: AssignmentEvent, **kwargs: Any
) -> None:
    rule = RULE_OF_EVENT.get(kind)  # type: ignore[call-overload]
    if rule is None or _muted.get():
        return
    with translation.override(settings.LANGUAGE_CODE):
        people, title = recipients_and_title(task, event)
        people.discard(event.actor_id)  # not told of one's own action
        if people:
            detail = detail_of(task, event)
            _tell(
                task, rule, f"e{event.pk}", people, title, event.text, event.at, detail, event.kind
            )


def on_task_delegated(sender: Any, *, task: Assignment, delegation: Any, **kwargs: Any) -> None:
    """The agency's head passed the task on: the person it was passed to is told (inside the
    agency only: the notice names the internal deadline)."""
    if _muted.get() or delegation.assignee_id == delegation.delegated_by_id:
        return
    with translation.override(settings.LANGUAGE_CODE):
        title = _("A task passed on to you: %(task)s") % {"task": _title_summary(task)}
        if delegation.internal_deadline:
            title += " — " + _("internal deadline %(date)s") % {
                "date": f"{delegation.internal_deadline:%d/%m/%Y}"
            }
        _tell(
            task,
            RuleCode.EVENT_INSIDE,
            f"d{delegation.pk}",
            [delegation.assignee_id],
            title,
            delegation.note,
            delegation.delegated_at,
            _short(delegation.note),
        )


def on_internal_report(
    sender: Any, *, task: Assignment, delegation: Any, report: Any, **kwargs: Any
) -> None:
    """The person the task was passed to reported: the head who passed it is told."""
    if _muted.get() or report.author_id == delegation.delegated_by_id:
        return
    with translation.override(settings.LANGUAGE_CODE):
        _tell(
            task,
            RuleCode.EVENT_INSIDE,
            f"r{report.pk}",
            [delegation.delegated_by_id],
            _("Report inside the agency on: %(task)s") % {"task": _title_summary(task)},
            report.text,
            report.at,
            _short(report.text),
        )
