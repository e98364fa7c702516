"""Report files made in the background, and the reports sent at each period's end."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from nhiemvu.conf import setting
from nhiemvu.lib import periods, workdays
from nhiemvu.orgs.models import LeaderTitle, Membership, Role
from nhiemvu.orgs.selectors import leader_with_title
from nhiemvu.reports import selectors
from nhiemvu.reports.causes import delay_causes
from nhiemvu.reports.models import GeneratedReport, ReportStatus

# Kinds of scheduled report and how many working days after the cut-off they go out
# (Decree 09: a report is due at least 1 working day after its data window closes).
SCHEDULED_KINDS = ("month", "quarter", "half", "year")
SEND_AFTER_WORKING_DAYS = 1


@dataclass
class ReportFile:
    content: bytes
    mime: str
    ext: str
    summary: Any
    overdue: int
    late: int


def report_file(
    *,
    user: Any,
    period: periods.Period,
    fmt: str,
    as_of: dt.date | None = None,
    kind: str | None = None,
    leader_id: int | None = None,
    progress: Callable[[int], object] | None = None,
) -> ReportFile:
    """The periodic report as a file, as ``user`` may see it: the one way the download, the
    worker and ``manage.py report`` build it."""
    # The file formats (python-docx, XlsxWriter, WeasyPrint) load where a file is made, not in
    # every scheduler step that imports this module to queue them (issue 28: a cron run's start).
    from nhiemvu.reports import exporters

    summary = selectors.summary_by_org(user, period, as_of, kind=kind, leader_id=leader_id)
    if progress:
        progress(40)
    overdue = list(selectors.overdue_pending(user, period, as_of))
    late = list(selectors.completed_late(user, period, as_of))
    if progress:
        progress(70)
    content, mime, ext = exporters.render(
        fmt,
        summary,
        overdue,
        late,
        selectors.breakdowns(user, period, as_of),
        delay_causes(user, period, as_of),
    )
    return ReportFile(content, mime, ext, summary, len(overdue), len(late))


# The worker's job is the step itself (no wrapper module importing this one back); tasks.py
# keeps the name queued jobs were enqueued under.
@task()
def generate_report(report_id: int) -> str:
    """Worker: build a report file (db_worker runs it; progress is saved as it goes)."""
    return report_generate(report_id=report_id)


def _enqueue(report: GeneratedReport) -> None:
    transaction.on_commit(lambda: generate_report.enqueue(report.pk))


@transaction.atomic
def report_request(
    *, actor: Any, period: periods.Period, fmt: str, as_of: dt.date | None = None
) -> GeneratedReport:
    """Queue a report file for the worker; the page shows its progress, then the download."""
    report = GeneratedReport.objects.create(
        period=period.key,
        rule=period.rule,
        as_of=as_of,
        fmt=fmt,
        requested_by=actor,
        created_at=workdays.now(),
    )
    _enqueue(report)
    return report


def report_generate(*, report_id: int) -> str:
    # Claim: only a pending report is started (a retried worker job does nothing twice).
    if not GeneratedReport.objects.filter(pk=report_id, status=ReportStatus.PENDING).update(
        status=ReportStatus.RUNNING, progress=5
    ):
        return "already handled"
    report = GeneratedReport.objects.get(pk=report_id)
    try:
        period = periods.parse(
            report.period, rule=report.rule if report.rule != "custom" else periods.DECREE_09
        )
        made = report_file(
            user=report.requested_by,
            period=period,
            fmt=report.fmt,
            as_of=report.as_of,
            progress=lambda p: GeneratedReport.objects.filter(pk=report_id).update(progress=p),
        )
        report.file.save(
            f"bao-cao-{report.period}-{report.code}.{made.ext}",
            ContentFile(made.content),
            save=False,
        )
        report.status, report.progress = ReportStatus.DONE, 100
        report.save(update_fields=["file", "status", "progress"])
    except Exception as exc:  # recorded for the user; the worker goes on
        GeneratedReport.objects.filter(pk=report_id).update(
            status=ReportStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise
    return report.file.name or ""


def report_requeued(report_id: int) -> None:
    """Its worker died mid-file (web/jobs.py): the report is claimable again by the job run
    again (the half-made file was never saved on the row)."""
    GeneratedReport.objects.filter(pk=report_id, status=ReportStatus.RUNNING).update(
        status=ReportStatus.PENDING, progress=0
    )


def scheduled_reports_due(now: dt.datetime) -> list[periods.Period]:
    """Periods whose report goes out today: the first working day after the cut-off."""
    today = timezone.localdate(now)
    cal = workdays.calendar()
    if not cal.is_working_day(today):
        return []
    due = []
    for kind in SCHEDULED_KINDS:
        period = periods.containing(today, kind, rule=setting("PERIOD_RULE")).previous()
        send_on = cal.add_working_days(period.end, SEND_AFTER_WORKING_DAYS)
        if send_on == today:
            due.append(period)
    return due


@dataclass(frozen=True)
class Announcement:
    """A report is ready: who is to be told, what, and where to download it. The scheduler
    hands it to the reminders app (reports does not know how people are told)."""

    period: str
    rule: str
    recipients: tuple[int, ...]
    title: str
    body: str
    url: str


def scheduled_reports_run(now: dt.datetime) -> tuple[int, list[Announcement]]:
    """At each period's end: generate the province's report (XLSX and PDF) once, and say who is
    to be told (the leaders and the office). The announcement comes back on every step of the
    sending day, also when another scheduler made the files: telling is idempotent (keyed by
    period), so a crash between the two never loses it. Returns how many files were queued,
    and the announcements."""
    # The province's report is the Chairman's view (orgs.selectors names who that is), not
    # whichever leader happened to be registered first.
    chairman = leader_with_title(LeaderTitle.CHAIRMAN)
    if chairman is None:
        return 0, []
    recipients = tuple(
        Membership.objects.filter(role__in=[Role.LEADER, Role.OFFICE])
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )
    made, announcements = 0, []
    for period in scheduled_reports_due(now):
        for fmt in ("xlsx", "pdf"):
            try:
                with transaction.atomic():
                    report = GeneratedReport.objects.create(
                        period=period.key,
                        rule=period.rule,
                        as_of=period.end,
                        fmt=fmt,
                        requested_by=chairman,
                        created_at=now,
                        scheduled=True,
                    )
                    _enqueue(report)
            except IntegrityError:
                continue  # already generated by another scheduler
            made += 1
        with translation.override(settings.LANGUAGE_CODE):
            title = _("The report for %(period)s is ready") % {"period": period.label}
            body = _("The periodic report on the implementation of assigned tasks (XLSX, PDF).")
        announcements.append(
            Announcement(period.key, period.rule, recipients, title, body, reverse("report_files"))
        )
    return made, announcements
