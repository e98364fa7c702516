"""One number for one set of tasks, wherever a person reads it: the home page, the e-mail
digest, the report API and the urging letter and page count "overdue", "due soon" and "to urge"
through the named sets of assignments/status.py, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime as dt
import re

from nhiemvu.assignments import namedsets, services, status
from nhiemvu.assignments.models import Assignment, WorkState
from nhiemvu.lib import workdays
from nhiemvu.lib.deliverables import needs_deadline_reason
from nhiemvu.reminders.letters import tasks_to_urge
from nhiemvu.reminders.schedule import digest_counts
from nhiemvu.test import TODAY, BaseTestCase, api_key, travel


class AgreementTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        a, b = cls.p.agency_a, cls.p.agency_b
        soon = workdays.add_working_days(TODAY, 1)
        # Every way a task can stand against its deadline on TODAY, including those the copies
        # used to disagree on: refused, returned and late-reported overdue work.
        cases = [
            ("open, overdue", a, dt.date(2026, 3, 5), WorkState.OPEN, None),
            ("refused, overdue", a, dt.date(2026, 3, 6), WorkState.REFUSED, None),
            ("returned, overdue", b, dt.date(2026, 3, 9), WorkState.RETURNED, None),
            ("reported late", b, dt.date(2026, 3, 4), WorkState.REPORTED, dt.date(2026, 3, 10)),
            ("reported in time", a, dt.date(2026, 3, 10), WorkState.REPORTED, dt.date(2026, 3, 9)),
            ("open, due soon", a, soon, WorkState.OPEN, None),
            ("open, in time", b, dt.date(2026, 5, 29), WorkState.OPEN, None),
            ("open, 6 working days", a, workdays.add_working_days(TODAY, 6), WorkState.OPEN, None),
            ("done", b, dt.date(2026, 3, 6), WorkState.DONE, dt.date(2026, 3, 5)),
        ]
        with travel(dt.date(2026, 3, 3)):
            for content, lead, deadline, _state, _done in cases:
                services.assignment_create(
                    actor=cls.p.office,
                    directive=cls.directive,
                    spec=services.TaskSpec(content=content, lead=lead, deadline=deadline),
                )
        for content, _lead, _deadline, state, done in cases:
            # The states as the services would leave them (the services are tested elsewhere).
            Assignment.objects.filter(content=content).update(
                state=state,
                completion_date=done,
                completed_late=False if state == WorkState.DONE else None,
            )

    def test_the_digest_the_home_page_and_the_report_agree(self) -> None:
        today = workdays.today()
        digest = digest_counts(self.p.office, today)

        self.login(self.p.office)
        home = self.client.get("/").content.decode()
        shown = int(re.search(r'id="count-overdue">(\d+)<', home).group(1))  # type: ignore[union-attr]

        key = api_key(self.p.office_org, role="office")
        figures = self.client.get(
            "/api/v1/reports/summary?period=2026&as_of=2026-03-11",
            headers={"Authorization": f"Bearer {key}"},
        ).json()["total"]

        expected = Assignment.objects.filter(status.open_overdue_q(today)).count()
        # open, refused, returned overdue and the late report: 4 (the digest said 2 before).
        self.assertEqual(expected, 4)
        self.assertEqual(digest["overdue"], expected)
        self.assertEqual(shown, expected)
        self.assertEqual(figures["open_overdue"], expected)

        due_soon = Assignment.objects.filter(namedsets.due_soon_q(today)).count()
        self.assertEqual(digest["due_soon"], due_soon)
        # The home page's "by status" line: the due-soon link and its count.
        listed = re.search(r'\?status=due_soon">[^<:]*: (\d+)<', home)
        self.assertIsNotNone(listed)
        self.assertEqual(int(listed.group(1)), due_soon)  # type: ignore[union-attr]

    def test_flagged_work_is_the_same_set_on_every_surface(self) -> None:
        # Registered through the services: a deliverable without deadline needs its reason and
        # is flagged; a periodic report is not; one flagged task was finished.
        specs = [
            ("flagged, open", "bao_cao", "", "Chờ chương trình của Bộ"),
            ("flagged, done", "to_trinh", "", "Chờ ý kiến Bộ"),
            ("periodic report", "bao_cao", "monthly", ""),
            ("no deliverable", "", "", ""),
        ]
        with travel(dt.date(2026, 3, 3)):
            for content, kind, recurrence, reason in specs:
                services.assignment_create(
                    actor=self.p.office,
                    directive=self.directive,
                    spec=services.TaskSpec(
                        content=content,
                        lead=self.p.agency_a,
                        deliverable_kind=kind,
                        recurrence=recurrence,
                        no_deadline_reason=reason,
                    ),
                )
        Assignment.objects.filter(content="flagged, done").update(
            state=WorkState.DONE, completion_date=dt.date(2026, 3, 9)
        )
        # The stored flag is the rule (lib.deliverables.needs_deadline_reason), task by task.
        for task in Assignment.objects.all():
            rule = needs_deadline_reason(
                task.deliverable_kind, task.deadline, task.deadline_kind == "recurring"
            )
            self.assertEqual(task.flagged, rule, task.content)
        today = workdays.today()
        expected = {"flagged, open"}
        in_set = set(
            Assignment.objects.filter(namedsets.flagged_q(today)).values_list("content", flat=True)
        )
        self.assertEqual(in_set, expected)
        self.assertEqual(digest_counts(self.p.office, today)["flagged"], len(expected))
        self.login(self.p.office)
        home = self.client.get("/").content.decode()
        section = home.split('id="flagged"', 1)[1].split("</table>", 1)[0]
        self.assertIn("flagged, open", section)
        self.assertNotIn("flagged, done", section)
        key = api_key(self.p.office_org, role="office")
        listed = self.client.get(
            "/api/v1/tasks?flagged=true", headers={"Authorization": f"Bearer {key}"}
        ).json()["items"]
        self.assertEqual({t["summary"] for t in listed}, expected)

    def test_due_soon_follows_the_setting_everywhere(self) -> None:
        today = workdays.today()
        with self.settings(NHIEMVU={**_settings(), "DUE_SOON_WORKING_DAYS": 7}):
            wide = digest_counts(self.p.office, today)["due_soon"]
            self.assertEqual(wide, Assignment.objects.filter(namedsets.due_soon_q(today)).count())
        narrow = digest_counts(self.p.office, today)["due_soon"]
        self.assertGreater(wide, narrow)  # the 6-working-day task joins with a 7-day setting

    def test_the_urging_letter_and_page_list_the_same_tasks(self) -> None:
        today = workdays.today()
        letter = {t.pk for t in tasks_to_urge(self.p.agency_a, today)}
        self.login(self.p.office)
        page = self.client.get("/don-doc/").content.decode()
        row = re.search(r"Sở Khoa học và Công nghệ.*?(\d+)\s*<", page, re.S)
        self.assertIsNotNone(row)
        self.assertEqual(int(row.group(1)), len(letter))  # type: ignore[union-attr]
        # Within the window (7 working days by default): the 6-working-day task is urged,
        # refused and reported work is not (it waits for the office).
        contents = set(Assignment.objects.filter(pk__in=letter).values_list("content", flat=True))
        self.assertIn("open, 6 working days", contents)
        self.assertNotIn("refused, overdue", contents)

    def test_the_quarterly_check_counts_calendar_months(self) -> None:
        self.assertEqual(
            namedsets.quarterly_check_cutoff(dt.date(2026, 5, 31), 3), dt.date(2026, 2, 28)
        )
        self.assertEqual(
            namedsets.quarterly_check_cutoff(dt.date(2026, 3, 11), 3), dt.date(2025, 12, 11)
        )


def _settings() -> dict[str, object]:
    from django.conf import settings

    return dict(settings.NHIEMVU)
