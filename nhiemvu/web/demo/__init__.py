"""The demo province: organisations, a user for every role, the founding letter and a year of
tasks in every status. Loaded through the services, with the clock set to each step's date, so
timelines, audit rows and past-date figures are as real as the rest of the system.

Idempotent: organisations and users are upserted by code; each document is skipped when its
(issuer, year, number, symbol) is already registered.
"""

from __future__ import annotations

from nhiemvu.assignments.models import Assignment, Extension, ExtensionStatus, WorkState
from nhiemvu.directives.models import Directive
from nhiemvu.orgs.models import Organisation
from nhiemvu.reminders import events
from nhiemvu.web.demo.founding import load_founding_letter
from nhiemvu.web.demo.organisations import first_reform, load_reference, replay_reforms
from nhiemvu.web.demo.received import load_work_from_above
from nhiemvu.web.demo.year import explain_overdue, load_year_of_tasks


def load(*, documents: int = 70) -> dict[str, int]:
    demo = load_reference()
    # A replayed year: nobody is told today of what "happened" months ago (the bell and the
    # outbox start empty; the scheduler's reminders fill them as for a real province).
    with events.muted():
        load_founding_letter(demo)
        # The founding letter's delays were explained in 2022 by the agencies that held its
        # tasks then, before the 2025 reforms carried the open ones to today's agencies.
        explain_overdue(demo, before=first_reform())
        replay_reforms(demo)
        load_year_of_tasks(demo, documents=documents)
        load_work_from_above(demo)
        explain_overdue(demo)
    return {
        "organisations": Organisation.objects.count(),
        "documents": Directive.objects.count(),
        "tasks": Assignment.objects.count(),
        "pending_extensions": Extension.objects.filter(status=ExtensionStatus.PENDING).count(),
        "done": Assignment.objects.filter(state=WorkState.DONE).count(),
    }
