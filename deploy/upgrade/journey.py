"""A journey's worth of activity on the demo province, run by the RELEASED code (make_fixture.sh
runs it with that release's `manage.py shell`): progress with a file, a completion with its file
sent back and reported again, a confirmation, an extension asked and granted, a comment with a
file, a report file made by the worker's step, the scheduler's step (reminders, e-mail outbox).
Then the tasks' statuses on the fixture's day, as that release computes them (status.json).

Written against the services' names of the release it runs on: when a release renames one, the
refresh fails loudly here and this script is brought up to date with it.
"""

import datetime as dt
import json
import os
import sys

from django.core.files.uploadedfile import SimpleUploadedFile

from nhiemvu.accounts.models import User
from nhiemvu.assignments import services, workflow
from nhiemvu.assignments.models import Assignment
from nhiemvu.assignments.status import label_rows
from nhiemvu.lib import periods, workdays
from nhiemvu.orgs.models import Role
from nhiemvu.reports import services as reports
from nhiemvu.scheduler import run_once
from nhiemvu.tests.certs import blank_pdf

out = sys.argv[-1] if sys.argv[-1].endswith(".json") else os.environ["JOURNEY_OUT"]
today = workdays.today()
people = list(User.objects.filter(memberships__isnull=False).distinct().order_by("pk"))
done: dict[str, str] = {}


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, blank_pdf(name), content_type="application/pdf")


def actor_for(step: str, task: Assignment, pending: object = None) -> User:
    for person in people:
        if step in workflow.available(person, task, pending):
            return person
    raise SystemExit(f"nobody may {step} on {task.code}")


def task_where(
    step: str, *, deadline_ahead: bool = True, exclude: frozenset[int] = frozenset()
) -> Assignment:
    tasks = Assignment.objects.exclude(pk__in=exclude).order_by("pk")
    if deadline_ahead:
        tasks = tasks.filter(deadline__gt=today + dt.timedelta(days=10))
    for task in tasks:
        if any(step in workflow.available(p, task) for p in people):
            return task
    raise SystemExit(f"no task where {step} is possible")


used: set[int] = set()
# Progress with a file.
task = task_where("progress")
services.assignment_report_progress(
    actor=actor_for("progress", task),
    task=task,
    text="Đã triển khai 60%.",
    percent=60,
    files=[pdf("tien-do.pdf")],
)
done["progress"] = task.code
used.add(task.pk)
# Completion with its file, sent back, reported again, confirmed.
task = task_where("complete", exclude=frozenset(used))
lead = actor_for("complete", task)
services.assignment_report_completion(
    actor=lead, task=task, output_ref="12/BC-SKHCN", output_date=today, files=[pdf("bao-cao.pdf")]
)
task.refresh_from_db()
services.assignment_return(actor=actor_for("return", task), task=task, reason="Thiếu số liệu.")
task.refresh_from_db()
services.assignment_report_completion(
    actor=lead,
    task=task,
    output_ref="13/BC-SKHCN",
    output_date=today,
    files=[pdf("bao-cao-bo-sung.pdf")],
)
task.refresh_from_db()
services.assignment_confirm(actor=actor_for("confirm", task), task=task, note="Đạt.")
done["completed_returned_confirmed"] = task.code
used.add(task.pk)
# An extension asked and granted.
task = task_where("extend", exclude=frozenset(used))
assert task.deadline is not None
extension = services.extension_request(
    actor=actor_for("extend", task),
    task=task,
    proposed_deadline=task.deadline + dt.timedelta(days=30),
    reason="Chờ ý kiến các Bộ.",
)
task.refresh_from_db()
services.extension_decide(
    actor=actor_for("decide", task, extension), extension=extension, approve=True, note="Đồng ý."
)
done["extension"] = task.code
used.add(task.pk)
# A comment with a file.
task = task_where("comment", deadline_ahead=False, exclude=frozenset(used))
services.comment_add(
    actor=actor_for("comment", task),
    task=task,
    text="Gửi kèm tài liệu.",
    files=[pdf("tai-lieu.pdf")],
)
done["comment"] = task.code
# A report file, made as the worker makes it.
period = periods.containing(today, "month")
requester = User.objects.filter(memberships__role=Role.OFFICE).order_by("pk").first()
report = reports.report_request(actor=requester, period=period, fmt="xlsx")
reports.report_generate(report_id=report.pk)
done["report"] = report.code
# The scheduler's step: reminders and their e-mails.
done["scheduler"] = json.dumps(run_once(), sort_keys=True, default=str)

tasks = list(Assignment.objects.order_by("pk"))
label_rows(tasks, today)
statuses = {t.code: [str(t.st_label), str(t.st_timing)] for t in tasks}
with open(out, "w") as handle:
    json.dump(
        {"day": today.isoformat(), "done": done, "statuses": statuses},
        handle,
        indent=1,
        sort_keys=True,
        ensure_ascii=False,
    )
sys.stdout.write(f"journey: {done}\n")
