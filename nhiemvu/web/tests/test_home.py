"""The leader's home: the backlog by age, the agencies most overdue, the monthly trend."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from nhiemvu.accounts.models import User
from nhiemvu.assignments import services
from nhiemvu.assignments.models import Assignment, DelayCause
from nhiemvu.assignments.services import TaskSpec
from nhiemvu.test import BaseTestCase, register, travel

TODAY = dt.date(2026, 3, 11)


class LeaderHomeTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        # Overdue by 5 and 40 days at agency B, by 200 days at agency A; one done late in February.
        register(
            self.p,
            ref="5/UBND-VX",
            doc_date=dt.date(2025, 6, 1),
            tasks=[
                TaskSpec(
                    content="Việc quá hạn 5 ngày",
                    lead=self.p.agency_b,
                    deadline=TODAY - dt.timedelta(days=5),
                ),
                TaskSpec(
                    content="Việc quá hạn 40 ngày",
                    lead=self.p.agency_b,
                    deadline=TODAY - dt.timedelta(days=40),
                ),
                TaskSpec(
                    content="Việc quá hạn 200 ngày",
                    lead=self.p.agency_a,
                    deadline=TODAY - dt.timedelta(days=200),
                ),
            ],
        )

    def test_the_charts_data_and_their_tables(self) -> None:
        self.login(self.p.chairman)
        response = self.client.get(reverse("home"))
        board = response.context["dashboard"]
        self.assertEqual(board["ages"]["counts"], [1, 1, 0, 1])
        self.assertEqual(board["top"]["codes"], [self.p.agency_b.code, self.p.agency_a.code])
        self.assertEqual(board["top"]["counts"], [2, 1])
        self.assertEqual(board["trend"]["labels"][-1], "03/2026")
        self.assertEqual(board["trend"]["assigned"][-1], 1)  # the base task, assigned 2/3/2026
        self.assertContains(response, 'id="dashboard-data"')
        self.assertContains(response, "Nhiệm vụ quá hạn theo số ngày quá hạn")
        self.assertContains(response, "&gt; 120 ngày")

    def test_a_confirmation_moves_the_trend_and_the_backlog(self) -> None:
        late = Assignment.objects.get(summary__startswith="Việc quá hạn 5 ngày")
        with travel(TODAY):
            services.assignment_report_completion(
                actor=self.p.coord_officer,
                task=late,
                output_ref="9/BC-STC",
                output_date=TODAY,
                explanation=services.ExplanationSpec(
                    cause=DelayCause.objects.get(code="chua-bo-tri-von"), text="Chờ vốn"
                ),
            )
            services.assignment_confirm(actor=self.p.office, task=late, note="")
        self.login(self.p.chairman)
        board = self.client.get(reverse("home")).context["dashboard"]
        self.assertEqual(board["ages"]["counts"], [0, 1, 0, 1])
        self.assertEqual(board["trend"]["late"][-1], 1)

    def test_agencies_do_not_get_the_province_charts(self) -> None:
        self.login(self.p.lead_officer)
        response = self.client.get(reverse("home"))
        self.assertNotIn("dashboard", response.context)

    def test_the_home_query_count_does_not_grow_with_tasks(self) -> None:
        for user in (self.p.chairman, self.p.office, self.p.lead_officer):
            self.login(user)
            self.client.get(reverse("home"))
            with self.assertNumQueries(self.home_queries(user)) as before:
                self.client.get(reverse("home"))
            register(
                self.p,
                ref=f"{user.pk}7/UBND-VX",
                doc_date=dt.date(2026, 1, 5),
                tasks=[
                    TaskSpec(
                        content=f"Thêm {i}",
                        lead=self.p.agency_a,
                        deadline=TODAY - dt.timedelta(days=i),
                    )
                    for i in range(1, 30)
                ],
            )
            with self.assertNumQueries(len(before.captured_queries)):
                self.client.get(reverse("home"))

    def home_queries(self, user: User) -> int:
        # The office's 18th: the reminder rules, for the 3-monthly check's months. The agency's
        # home: one aggregate for its sections' counts, then one query per section, and the
        # tasks passed on to this person inside the agency. The province's homes: one more for
        # the received tasks' counts (work from above, from its small partial index).
        # And three small ones for the lessons of late work (issue 18): the causes given this
        # quarter and the last, the agencies with long-overdue tasks not explained. The agency's
        # one-click buttons: one for its extension requests awaiting decision (issue 25: no
        # "Extension" button while one waits, as on the task page). The header's memberships
        # come with the person's scope (orgs.rules.scope_of): no query of their own.
        return {self.p.chairman: 16, self.p.office: 21, self.p.lead_officer: 15}[user]


class AgencyAndOfficeHomeTest(BaseTestCase):
    def test_one_click_reports_open_the_form_on_the_task_page(self) -> None:
        with travel(dt.date(2026, 3, 27)):  # the task is due soon: on the agency's home
            self.login(self.p.lead_officer)
            home = self.client.get(reverse("home")).content.decode()
            link = f"/nhiem-vu/{self.task.code}/?thao-tac=complete#action-complete"
            self.assertIn(link, home)
            page = self.client.get(f"/nhiem-vu/{self.task.code}/", {"thao-tac": "complete"})
            self.assertContains(page, '<details class="card mb-2" open id="action-complete">')
            # The coordinating agency sees the task but gets no report buttons for it.
            self.login(self.p.coord_officer)
            self.assertNotIn(link, self.client.get(reverse("home")).content.decode())
            # An action this user may not take is not opened (nor shown).
            forbidden = self.client.get(f"/nhiem-vu/{self.task.code}/", {"thao-tac": "complete"})
            self.assertNotContains(forbidden, 'id="action-complete"')

    def test_the_office_sees_tasks_without_deadline_due_for_their_3_monthly_check(self) -> None:
        from nhiemvu.reminders.models import ReminderLog, RuleCode

        register(
            self.p,
            ref="3/UBND-VX",
            doc_date=dt.date(2025, 10, 1),
            tasks=[
                TaskSpec(
                    content="Thường xuyên rà soát",
                    lead=self.p.agency_b,
                    no_deadline_reason="Nhiệm vụ thường xuyên",
                )
            ],
        )
        task = Assignment.objects.get(summary__startswith="Thường xuyên rà soát")
        self.login(self.p.office)
        self.assertEqual(
            [t.pk for t in self.client.get(reverse("home")).context["quarterly"]], [task.pk]
        )
        ReminderLog.objects.create(
            key=f"nd-{task.pk}",
            rule=RuleCode.NO_DEADLINE,
            period="2026-Q1",
            task=task,
            created_at=dt.datetime(2026, 3, 2, 1, tzinfo=dt.UTC),
        )
        self.assertEqual(list(self.client.get(reverse("home")).context["quarterly"]), [])


class AgencyHomeOrderTest(BaseTestCase):
    """The agency sees every task it owes, in the order it acts on them, counts in headings."""

    def _section(self, page: str, key: str) -> str:
        start = page.index(f'id="{key}"')
        return page[start : page.index("</section>", start)]

    def test_a_new_task_far_from_its_deadline_is_on_the_agency_home_at_once(self) -> None:
        # The registered task (deadline 31/3, not yet accepted) is 14 working days away.
        self.login(self.p.lead_officer)
        page = self.client.get(reverse("home")).content.decode()
        new = self._section(page, "new")
        self.assertIn(self.task.summary[:40], new)
        self.assertIn('data-count="new">1<', new)
        self.assertIn("?thao-tac=progress", new)  # its one-click buttons, as the table allows

    def test_sections_come_in_the_order_the_agency_acts_and_each_task_once(self) -> None:
        from nhiemvu.assignments import services
        from nhiemvu.assignments.models import Assignment

        specs = {
            "returned one": TODAY + dt.timedelta(days=40),
            "overdue one": TODAY - dt.timedelta(days=3),
            "due soon one": TODAY + dt.timedelta(days=1),
            "later one": TODAY + dt.timedelta(days=60),
        }
        with travel(dt.date(2026, 3, 3)):
            register(
                self.p,
                ref="55/UBND-KT",
                tasks=[
                    TaskSpec(content=name, lead=self.p.agency_a, deadline=deadline)
                    for name, deadline in specs.items()
                ],
            )
            for name in specs:
                services.assignment_accept(
                    actor=self.p.lead_officer, task=Assignment.objects.get(content=name)
                )
        returned = Assignment.objects.get(content="returned one")
        services.assignment_report_completion(
            actor=self.p.lead_officer, task=returned, output_ref="1/BC", output_date=TODAY
        )
        services.assignment_return(actor=self.p.office, task=returned, reason="Thiếu số liệu")
        self.login(self.p.lead_officer)
        page = self.client.get(reverse("home")).content.decode()
        order = [
            page.index(f'id="{key}"') for key in ("new", "returned", "overdue", "due_soon", "other")
        ]
        self.assertEqual(order, sorted(order))
        for key, name in [
            ("returned", "returned one"),
            ("overdue", "overdue one"),
            ("due_soon", "due soon one"),
            ("other", "later one"),
        ]:
            self.assertIn(name, self._section(page, key), key)
            others = [n for n in specs if n != name]
            for other in others:
                self.assertNotIn(other, self._section(page, key), (key, other))
        # The coordinating agency sees the task apart, not as its own work.
        self.login(self.p.coord_officer)
        page = self.client.get(reverse("home")).content.decode()
        self.assertIn(self.task.summary[:40], self._section(page, "coordinated"))
        self.assertIn('data-count="new">0<', page)

    def test_other_tasks_are_paged(self) -> None:
        with travel(dt.date(2026, 3, 3)):
            register(
                self.p,
                ref="56/UBND-KT",
                tasks=[
                    TaskSpec(
                        content=f"Việc {n:02d}",
                        lead=self.p.agency_a,
                        deadline=TODAY + dt.timedelta(days=30 + n),
                    )
                    for n in range(25)
                ],
            )
        from nhiemvu.assignments.models import Assignment

        Assignment.objects.filter(content__startswith="Việc").update(
            accepted_at=self.task.created_at
        )
        self.login(self.p.lead_officer)
        first = self._section(self.client.get(reverse("home")).content.decode(), "other")
        self.assertIn('data-count="other">25<', first)
        self.assertIn("Việc 00", first)
        self.assertNotIn("Việc 24", first)
        second = self._section(
            self.client.get(reverse("home") + "?trang=2").content.decode(), "other"
        )
        self.assertIn("Việc 24", second)
        self.assertNotIn("Việc 00", second)
        # A page number typed wrong shows the first page, not an error.
        self.assertEqual(self.client.get(reverse("home") + "?trang=abc").status_code, 200)
