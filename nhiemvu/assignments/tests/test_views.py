"""The task pages through the test client, as each persona."""

from __future__ import annotations

from typing import Any

from django.test import override_settings
from django.urls import reverse

from nhiemvu.assignments.models import WorkState
from nhiemvu.test import TODAY, BaseTestCase, travel


class TaskPagesTest(BaseTestCase):
    def test_it_asks_anonymous_users_to_log_in(self) -> None:
        response = self.client.get(reverse("task_detail", args=[self.task.code]))
        self.assertRedirects(
            response, f"/dang-nhap/?next=/nhiem-vu/{self.task.code}/", fetch_redirect_response=False
        )

    def test_it_shows_the_task_to_lead_coordinator_and_province_roles(self) -> None:
        for user in (
            self.p.lead_officer,
            self.p.coord_officer,
            self.p.viewer,
            self.p.office,
            self.p.chairman,
            self.p.working_group,
        ):
            self.login(user)
            response = self.client.get(reverse("task_detail", args=[self.task.code]))
            self.assertContains(response, "Báo cáo kết quả")

    def test_an_outsider_gets_404_for_the_task_and_its_document(self) -> None:
        self.login(self.p.outsider)
        self.assertEqual(
            self.client.get(reverse("task_detail", args=[self.task.code])).status_code, 404
        )
        self.assertEqual(
            self.client.get(reverse("directive_detail", args=[self.directive.code])).status_code,
            404,
        )
        response = self.client.post(
            reverse("task_action", args=[self.task.code, "comment"]), {"text": "xin chào"}
        )
        self.assertEqual(response.status_code, 404)
        self.assertNotContains(self.client.get(reverse("task_list")), self.task.code)

    def test_only_permitted_actions_are_offered(self) -> None:
        self.login(self.p.coord_officer)
        response = self.client.get(reverse("task_detail", args=[self.task.code]))
        self.assertContains(response, 'id="action-comment"')
        self.assertNotContains(response, 'id="action-complete"')
        self.login(self.p.lead_officer)
        response = self.client.get(reverse("task_detail", args=[self.task.code]))
        self.assertContains(response, 'id="action-complete"')
        self.assertNotContains(response, 'id="action-confirm"')

    def test_a_coordinator_posting_completion_is_refused(self) -> None:
        self.login(self.p.coord_officer)
        response = self.client.post(
            reverse("task_action", args=[self.task.code, "complete"]),
            {"output_ref": "1/BC", "output_date": TODAY.isoformat()},
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.reload().state, WorkState.OPEN)

    @override_settings(LANGUAGE_CODE="vi")
    def test_report_then_confirm_through_the_pages(self) -> None:
        self.login(self.p.lead_officer)
        url = reverse("task_action", args=[self.task.code, "complete"])
        bad = self.client.post(url, {"output_ref": "1/BC", "output_date": "2026-12-31"})
        self.assertEqual(bad.status_code, 400)
        self.assertContains(bad, "1/BC", status_code=400)  # what was typed is kept
        self.assertEqual(self.reload().state, WorkState.OPEN)
        ok = self.client.post(url, {"output_ref": "12/BC-SKHCN", "output_date": "10/03/2026"})
        self.assertRedirects(ok, reverse("task_detail", args=[self.task.code]))
        again = self.client.post(url, {"output_ref": "12/BC-SKHCN", "output_date": "10/03/2026"})
        self.assertEqual(again.status_code, 400)  # a double submission does nothing twice
        self.login(self.p.office)
        self.client.post(reverse("task_action", args=[self.task.code, "confirm"]), {})
        self.assertEqual(self.reload().state, WorkState.DONE)

    def test_the_list_filters_without_diacritics(self) -> None:
        self.login(self.p.office)
        response = self.client.get(reverse("task_list"), {"q": "bao cao ket qua"})
        self.assertContains(response, self.task.code)
        response = self.client.get(reverse("task_list"), {"q": "không có"})
        self.assertNotContains(response, self.task.code)

    def test_the_list_query_count_does_not_grow_with_rows(self) -> None:
        self.login(self.p.office)
        self.client.get(reverse("task_list"))
        with self.assertNumQueries(8):
            # session, user, scope (with the memberships the header shows), page (dated rows,
            # then the undated ones it reaches), the page's coordinating agencies, count,
            # unread bell; the leaders of the filter are kept between requests
            # (orgs.selectors.leaders)
            self.client.get(reverse("task_list"))

    def test_a_new_leader_is_offered_by_the_filter_at_once(self) -> None:
        from nhiemvu.orgs.models import LeaderTitle, Role
        from nhiemvu.test import make_user

        self.login(self.p.office)
        self.assertNotContains(self.client.get(reverse("task_list")), "Phó Chủ tịch Mới")
        newcomer = make_user("newvice", self.p.province, Role.LEADER, LeaderTitle.VICE_CHAIRMAN)
        newcomer.full_name = "Phó Chủ tịch Mới"
        newcomer.save()
        page = self.client.get(reverse("task_list"))
        self.assertContains(page, '<option value="newvice">Phó Chủ tịch Mới</option>', html=True)
        # Leaving the leadership takes the name off the filter as soon.
        newcomer.memberships.all().delete()
        self.assertNotContains(self.client.get(reverse("task_list")), "Phó Chủ tịch Mới")

    def test_the_list_shows_a_task_text_as_typed_never_as_markup(self) -> None:
        import datetime as dt

        from nhiemvu.assignments import services
        from nhiemvu.test import register

        with travel(dt.date(2026, 3, 3)):
            register(
                self.p,
                ref="102/UBND-KT",
                tasks=[
                    services.TaskSpec(
                        content='<script>alert("x")</script> Rà soát & báo cáo',
                        lead=self.p.agency_b,
                        deadline=dt.date(2026, 3, 20),
                    )
                ],
            )
        self.login(self.p.office)
        page = self.client.get(reverse("task_list"))
        self.assertNotContains(page, "<script>alert")
        self.assertContains(
            page, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Rà soát &amp; báo cáo"
        )
        self.assertContains(page, 'data-label="Thời hạn">20/03/2026</td>')

    def test_the_home_page_shows_the_rates(self) -> None:
        self.login(self.p.chairman)
        response = self.client.get(reverse("home"))
        self.assertContains(response, 'id="rate-completion"')
        self.assertEqual(response.context["counts"]["total"], 1)


class HomePerRoleTest(BaseTestCase):
    def test_the_office_inbox_and_the_agency_home(self) -> None:
        from nhiemvu.assignments import services

        services.extension_request(
            actor=self.p.lead_officer,
            task=self.task,
            proposed_deadline=TODAY.replace(month=4, day=15),
            reason="r",
        )
        self.login(self.p.office)
        office = self.client.get(reverse("home"))
        self.assertContains(office, 'id="to-advise"')
        self.assertEqual([e.assignment_id for e in office.context["to_advise"]], [self.task.pk])
        # Agency B coordinates the task: it sees it apart from what it leads.
        self.login(self.p.coord_officer)
        coordinator = self.client.get(reverse("home"))
        self.assertContains(coordinator, 'id="coordinated"')
        self.assertEqual([t.pk for t in coordinator.context["coordinated"].rows], [self.task.pk])
        self.login(self.p.lead_officer)
        self.assertNotContains(self.client.get(reverse("home")), 'id="coordinated"')


class ExportTest(BaseTestCase):
    def test_the_filtered_list_exports_to_csv_and_excel_for_what_the_user_sees(self) -> None:
        import io

        import openpyxl

        self.login(self.p.office)
        response = self.client.get("/nhiem-vu/xuat.csv", {"q": "bao cao"})
        text = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[attr-defined]
        lines = text.splitlines()
        self.assertTrue(lines[0].startswith("\ufeffMã,Nhiệm vụ,Cơ quan chủ trì"))
        self.assertEqual(len(lines), 2)
        self.assertIn(self.task.code, lines[1])
        self.assertIn("31/03/2026", lines[1])
        nothing = self.client.get("/nhiem-vu/xuat.csv", {"q": "không có gì"})
        self.assertEqual(len(b"".join(nothing.streaming_content).splitlines()), 1)  # type: ignore[attr-defined]
        xlsx: Any = self.client.get("/nhiem-vu/xuat.xlsx")
        book = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
        sheet = book.active
        assert sheet is not None
        self.assertEqual(sheet["A2"].value, self.task.code)
        # An outsider's export holds nothing of another agency.
        self.login(self.p.outsider)
        outsider = self.client.get("/nhiem-vu/xuat.csv")
        self.assertNotIn(self.task.code.encode(), b"".join(outsider.streaming_content))  # type: ignore[attr-defined]

    def test_it_exports_every_coordinating_agency_even_filtered_to_one_of_them(self) -> None:
        from nhiemvu.assignments.models import Coordination

        # A second coordinator beside agency B; the coordinator exports the tasks it
        # coordinates: the column still names both, by name, as on the task page.
        Coordination.objects.create(assignment=self.task, org=self.p.agency_c)
        self.login(self.p.coord_officer)
        response = self.client.get("/nhiem-vu/xuat.csv", {"org": "so-tc", "role": "coord"})
        lines = b"".join(response.streaming_content).decode("utf-8").splitlines()  # type: ignore[attr-defined]
        self.assertEqual(len(lines), 2)
        self.assertIn(self.task.code, lines[1])
        self.assertIn("Sở Tài chính; UBND huyện Tây Sơn", lines[1])
        # A task nobody coordinates has an empty cell, not "None".
        Coordination.objects.filter(assignment=self.task).delete()
        self.login(self.p.office)
        response = self.client.get("/nhiem-vu/xuat.csv", {"q": "bao cao"})
        row = b"".join(response.streaming_content).decode("utf-8").splitlines()[1]  # type: ignore[attr-defined]
        self.assertNotIn("None", row)
        self.assertIn(self.task.code, row)

    def test_it_exports_the_rows_by_deadline_earliest_first(self) -> None:
        import datetime as dt

        from nhiemvu.assignments import services
        from nhiemvu.test import register

        with travel(dt.date(2026, 3, 3)):
            register(
                self.p,
                ref="101/UBND-KT",
                tasks=[
                    services.TaskSpec(
                        content=f"Kế hoạch số {n}",
                        lead=self.p.agency_b,
                        coordinators=[self.p.agency_a, self.p.agency_c][:n],
                        deadline=dt.date(2026, 3, day),
                    )
                    for n, day in ((2, 20), (0, 25), (1, 10))
                ],
            )
        self.login(self.p.office)
        response = self.client.get("/nhiem-vu/xuat.csv")
        rows = b"".join(response.streaming_content).decode("utf-8").splitlines()[1:]  # type: ignore[attr-defined]
        deadlines = [row.split(",")[5] for row in rows]
        self.assertEqual(deadlines, ["10/03/2026", "20/03/2026", "25/03/2026", "31/03/2026"])
        self.assertTrue(rows[1].endswith(",Sở Khoa học và Công nghệ; UBND huyện Tây Sơn,"))

    def test_every_row_and_column_is_the_task_as_its_page_says_it_in_any_piece(self) -> None:
        import csv
        import datetime as dt
        from unittest import mock

        from nhiemvu.assignments import services
        from nhiemvu.assignments import views as task_views
        from nhiemvu.assignments.models import Assignment
        from nhiemvu.assignments.status import LABEL_NAMES, classify, due_soon_limit, facts_of
        from nhiemvu.lib import workdays
        from nhiemvu.test import register

        with travel(dt.date(2026, 3, 3)):
            register(
                self.p,
                ref="102/UBND-KT",
                tasks=[
                    services.TaskSpec(
                        content=content,
                        lead=lead,
                        coordinators=coordinators,
                        deadline=deadline,
                        deliverable_kind=kind,
                        no_deadline_reason="Chờ kế hoạch" if kind and not deadline else "",
                    )
                    for content, lead, coordinators, deadline, kind in (
                        ("=1+1 công thức", self.p.agency_b, [], dt.date(2026, 3, 2), ""),
                        (
                            "Hai cơ quan phối hợp",
                            self.p.agency_c,
                            [self.p.agency_b, self.p.agency_a],
                            dt.date(2026, 3, 20),
                            "bao_cao",
                        ),
                        ("Không thời hạn", self.p.agency_a, [self.p.agency_c], None, "de_an"),
                    )
                ],
            )
        done = Assignment.objects.get(summary__startswith="Hai cơ quan")
        with travel(dt.date(2026, 3, 10)):
            services.assignment_report_completion(
                actor=self.p.outsider, task=done, output_ref="5/BC", output_date=dt.date(2026, 3, 9)
            )
            services.assignment_confirm(actor=self.p.office, task=done)
        self.login(self.p.office)
        with mock.patch.object(task_views, "CSV_ROWS_PER_CHUNK", 2):
            response = self.client.get("/nhiem-vu/xuat.csv")
            pieces = list(response.streaming_content)  # type: ignore[attr-defined]
        self.assertGreater(len(pieces), 2)  # streamed in pieces
        rows = list(csv.reader(b"".join(pieces).decode("utf-8-sig").splitlines()))
        today = workdays.today()

        def day(value: dt.date | None) -> str:
            return f"{value:%d/%m/%Y}" if value else ""

        expected = []
        for task in Assignment.objects.order_by("deadline", "id"):
            label = classify(facts_of(task), today, due_soon_limit(today)).label
            names = sorted(task.coordinators.values_list("name", flat=True))
            summary = task.summary
            expected.append(
                [
                    task.code,
                    "'" + summary if summary.startswith("=") else summary,
                    task.lead.name,
                    task.directive.ref,
                    day(task.assigned_on),
                    day(task.deadline),
                    str(LABEL_NAMES[label]),
                    day(task.completion_date) if task.state == "done" else "",
                    "; ".join(names),
                    str(task.get_deliverable_kind_display()) if task.deliverable_kind else "",
                ]
            )
        self.assertEqual(len(rows[0]), 10)
        self.assertEqual(rows[1:], expected)
        self.assertEqual(len(expected), 4)
        self.assertIn("Sở Khoa học và Công nghệ; Sở Tài chính", [r[8] for r in rows])


class OrganisationPageTest(BaseTestCase):
    def test_an_agency_sees_its_own_page_and_the_province_any(self) -> None:
        self.login(self.p.lead_officer)
        own = self.client.get("/co-quan/so-khcn/")
        self.assertContains(own, 'id="org-total">1<')
        self.assertEqual(self.client.get("/co-quan/tay-son/").status_code, 404)
        self.login(self.p.chairman)
        self.assertContains(self.client.get("/co-quan/so-tc/"), "Sở Tài chính")
        self.assertEqual(self.client.get("/co-quan/khong-co/").status_code, 404)
