"""What a carried-over task brings beyond its states (issue 29): the old tracker's extensions,
dated progress notes and attached files, checked, written onto the task (approved extension
rows, timeline events, stored files) and recognised on the next import by their keys, so a
second import adds none of them again. Called by historical.py's register only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from nhiemvu.assignments.models import (
    Assignment,
    AssignmentAttachment,
    AssignmentEvent,
    EventKind,
    Extension,
    ExtensionStatus,
)
from nhiemvu.assignments.services.common import MAX_TEXT, REF_CHARS
from nhiemvu.directives.files import store_upload
from nhiemvu.lib import workdays
from nhiemvu.lib.vntext import clean_line

if TYPE_CHECKING:
    from nhiemvu.assignments.services.historical import HistoricalTask


@dataclass(frozen=True)
class PastExtension:
    """An extension the old tracker recorded: the deadline moved from ``old`` to ``new`` by
    ``decision`` (its number and date, as written), decided on ``decided_on``."""

    old: dt.date
    new: dt.date
    decided_on: dt.date
    decision: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return ("ext", self.old.isoformat(), self.new.isoformat())


@dataclass(frozen=True)
class PastNote:
    """A dated progress note of the old tracker."""

    on: dt.date
    text: str

    @property
    def key(self) -> tuple[str, str, str]:
        return ("note", self.on.isoformat(), clean_line(self.text))


@dataclass(frozen=True)
class PastFile:
    """A file attached to the task in the old tracker: its name and how to open it (read when
    the task is written, one at a time)."""

    name: str
    open: Callable[[], UploadedFile]

    @property
    def key(self) -> tuple[str, str, str]:
        return ("file", clean_line(self.name)[:255], "")


def deadlines(item: HistoricalTask) -> tuple[dt.date | None, dt.date | None]:
    """The task's first deadline and its deadline now: the columns when the export has them,
    else the first extension's old date and the last one's new date."""
    first = item.extensions[0].old if item.extensions else None
    last = item.extensions[-1].new if item.extensions else None
    deadline = item.deadline or last
    return (item.original_deadline or first or deadline), deadline


def check_past(item: HistoricalTask, today: dt.date) -> None:
    """The extensions follow each other from the first deadline to the last, each decided
    between the assignment and today; each note is dated in the same span."""
    original, deadline = deadlines(item)
    previous = original
    for ext in item.extensions:
        span = {"old": f"{ext.old:%d/%m/%Y}", "new": f"{ext.new:%d/%m/%Y}"}
        if ext.new <= ext.old:
            raise ValidationError(
                _("The extension %(old)s → %(new)s does not move the deadline later.") % span
            )
        if ext.old != previous:
            raise ValidationError(
                _(
                    "The extension %(old)s → %(new)s does not start from the deadline then "
                    "(%(then)s)."
                )
                % {**span, "then": f"{previous:%d/%m/%Y}" if previous else "—"}
            )
        if not item.assigned_on <= ext.decided_on <= today:
            raise ValidationError(
                _("The extension %(old)s → %(new)s is decided outside the task's life.") % span
            )
        if len(clean_line(ext.decision)) > REF_CHARS * 4:
            raise ValidationError(_("The extension's decision is too long."))
        previous = ext.new
    if item.extensions and previous != deadline:
        raise ValidationError(
            _("The last extension ends on %(new)s, the deadline is %(deadline)s.")
            % {
                "new": f"{previous:%d/%m/%Y}",
                "deadline": f"{deadline:%d/%m/%Y}" if deadline else "—",
            }
        )
    for note in item.notes:
        if not clean_line(note.text):
            raise ValidationError(_("A progress note is empty."))
        if len(note.text) > MAX_TEXT:
            raise ValidationError(_("A progress note is too long."))
        if not item.assigned_on <= note.on <= today:
            raise ValidationError(
                _("The progress note of %(day)s is dated outside the task's life.")
                % {"day": f"{note.on:%d/%m/%Y}"}
            )


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(8), tzinfo=workdays.now().tzinfo)


def past_rows(
    task: Assignment, item: HistoricalTask, keys: set[tuple[str, str, str]], actor: Any
) -> tuple[list[Extension], list[AssignmentEvent]]:
    """The extensions and progress notes of ``item`` not yet on the task (``keys``): approved
    extension rows (status.annotate reads a past deadline from them) and their timeline events."""
    extensions, events = [], []
    for ext in item.extensions:
        if ext.key in keys:
            continue
        if actor is None:
            raise ValidationError(_("An extension is imported by a person of the office."))
        decision = clean_line(ext.decision)
        extensions.append(
            Extension(
                assignment=task,
                requested_by=actor,
                requested_at=at(ext.decided_on),
                reason=decision or _("Extension recorded in the old tracker."),
                deadline_before=ext.old,
                proposed_deadline=ext.new,
                status=ExtensionStatus.APPROVED,
                decided_at=at(ext.decided_on),
                decided_on=ext.decided_on,
                decision_note=decision,
                new_deadline=ext.new,
            )
        )
        events.append(
            AssignmentEvent(
                assignment=task,
                kind=EventKind.EXTENSION_APPROVED,
                at=at(ext.decided_on),
                on=ext.decided_on,
                text=decision,
                data={"legacy": True, "from": ext.old.isoformat(), "deadline": ext.new.isoformat()},
            )
        )
    for note in item.notes:
        if note.key in keys:
            continue
        events.append(
            AssignmentEvent(
                assignment=task,
                kind=EventKind.PROGRESS,
                at=at(note.on),
                on=note.on,
                text=clean_line(note.text),
                data={"legacy": True},
            )
        )
    return extensions, events


def history_keys(task_ids: Sequence[int]) -> dict[int, set[tuple[str, str, str]]]:
    """The extensions and legacy progress notes each task already has, by the keys of
    PastExtension and PastNote (a second import adds none of them again)."""
    keys: dict[int, set[tuple[str, str, str]]] = {pk: set() for pk in task_ids}
    for pk, old, new in Extension.objects.filter(
        assignment_id__in=task_ids, status=ExtensionStatus.APPROVED
    ).values_list("assignment_id", "deadline_before", "new_deadline"):
        if old and new:
            keys[pk].add(("ext", old.isoformat(), new.isoformat()))
    for pk, on, text in AssignmentEvent.objects.filter(
        assignment_id__in=task_ids, kind=EventKind.PROGRESS, data__legacy=True
    ).values_list("assignment_id", "on", "text"):
        keys[pk].add(("note", on.isoformat(), text))
    for pk, name in AssignmentAttachment.objects.filter(assignment_id__in=task_ids).values_list(
        "assignment_id", "original_name"
    ):
        keys[pk].add(("file", name, ""))
    return keys


def attach_files(task: Assignment, item: HistoricalTask, keys: set[Any], actor: Any) -> int:
    """Store the task's files it does not have yet, each through the site's upload checks."""
    stored = 0
    for past in item.files:
        if past.key in keys:
            continue
        if actor is None:
            raise ValidationError(_("An attached file is imported by a person of the office."))
        store_upload(AssignmentAttachment, actor=actor, upload=past.open(), assignment=task)
        keys.add(past.key)
        stored += 1
    return stored


def missing(item: HistoricalTask, keys: set[tuple[str, str, str]]) -> list[str]:
    """Which of the task's history the row adds: "extensions", "progress" (for the outcome)."""
    found = []
    if any(e.key not in keys for e in item.extensions):
        found.append("extensions")
    if any(n.key not in keys for n in item.notes):
        found.append("progress")
    if any(f.key not in keys for f in item.files):
        found.append("files")
    return found
