"""The task list: every filter, keyset pages, HTMX partials, and a query count that stays put."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse

from nhiemvu.assignments.models import Assignment
from nhiemvu.assignments.services import TaskSpec
from nhiemvu.orgs.models import Role
from nhiemvu.test import BaseTestCase, make_user, register


def codes_in(html: str) -> list[str]:
    return re.findall(r'href="/nhiem-vu/([a-z0-9]{10})/"', html)


class TaskListTest(BaseTestCase):
    def add_tasks(self, n: int, *, ref: str = "200/UBND-VX", no_deadline_every: int = 7) -> None:
        tasks = [
            TaskSpec(
                content=f"Nhiệm vụ thử số {i}",
                lead=self.p.agency_b if i % 2 else self.p.agency_a,
                deadline=(None if i % no_deadline_every == 0 else dt.date(2026, 4, 1 + i % 20)),
                no_deadline_reason="Thường xuyên" if i % no_deadline_every == 0 else "",
            )
            for i in range(n)
        ]
        register(self.p, ref=ref, tasks=tasks, assigned_by=self.p.chairman)

    def test_every_row_once_going_forward_and_back_by_keyset(self) -> None:
        self.add_tasks(119)  # 120 with the base task: pages of 50, 50, 20
        self.login(self.p.office)
        url = reverse("task_list")
        seen: list[list[str]] = []
        response = self.client.get(url)
        self.assertContains(response, "120 nhiệm vụ")
        while True:
            seen.append(codes_in(response.content.decode()))
            match = re.search(r'rel="next" href="\?[^"]*after=([\w-]+)"', response.content.decode())
            if not match:
                break
            response = self.client.get(url, {"after": match.group(1)})
        self.assertEqual([len(p) for p in seen], [50, 50, 20])
        flat = [c for p in seen for c in p]
        self.assertEqual(len(set(flat)), 120)
        # Dated tasks by deadline first, then those without a deadline, at the end.
        rows = {t.code: t for t in Assignment.objects.all()}
        deadlines = [rows[c].deadline for c in flat]
        dated = [d for d in deadlines if d is not None]
        self.assertEqual(dated, sorted(dated))
        self.assertTrue(all(d is None for d in deadlines[len(dated) :]))
        # "Previous" from the last page returns exactly the middle page.
        back = re.search(r'rel="prev" href="\?[^"]*before=([\w-]+)"', response.content.decode())
        assert back is not None
        middle = self.client.get(url, {"before": back.group(1)})
        self.assertEqual(codes_in(middle.content.decode()), seen[1])

    def test_the_other_orders_page_through_everything_too(self) -> None:
        self.add_tasks(69)
        self.login(self.p.office)
        for sort in ("-deadline", "-assigned_on", "assigned_on"):
            response = self.client.get(reverse("task_list"), {"sort": sort})
            first = codes_in(response.content.decode())
            match = re.search(r'after=([\w-]+)"', response.content.decode())
            assert match is not None
            rest = codes_in(
                self.client.get(
                    reverse("task_list"), {"sort": sort, "after": match.group(1)}
                ).content.decode()
            )
            self.assertEqual(len(set(first + rest)), 70, sort)

    def test_a_tampered_page_link_shows_the_first_page_with_a_message(self) -> None:
        self.login(self.p.office)
        response = self.client.get(reverse("task_list"), {"after": "%%%not-a-cursor"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Liên kết trang này không còn hợp lệ")
        self.assertContains(response, self.task.code)

    def test_filters_by_document_leader_deliverable_and_role(self) -> None:
        self.add_tasks(6, ref="300/UBND-VX")
        self.login(self.p.office)
        url = reverse("task_list")
        by_doc = codes_in(self.client.get(url, {"doc": "300/UBND-VX"}).content.decode())
        self.assertEqual(len(by_doc), 6)
        self.add_tasks(2, ref="7/UBND-VX")  # stored as "07/UBND-VX" (Decree 30)
        self.assertEqual(
            len(codes_in(self.client.get(url, {"doc": "7/UBND-VX"}).content.decode())), 2
        )
        self.assertNotIn(self.task.code, by_doc)
        by_leader = codes_in(self.client.get(url, {"leader": "chairman"}).content.decode())
        self.assertEqual(len(by_leader), 8)  # the base task was assigned by the vice-chairman
        with_deliverable = codes_in(self.client.get(url, {"deliverable": "yes"}).content.decode())
        self.assertEqual(with_deliverable, [self.task.code])
        reports = codes_in(self.client.get(url, {"deliverable": "bao_cao"}).content.decode())
        self.assertEqual(reports, [self.task.code])
        coordinated = self.client.get(url, {"org": self.p.agency_b.code, "role": "coord"})
        self.assertEqual(codes_in(coordinated.content.decode()), [self.task.code])
        led = codes_in(
            self.client.get(url, {"org": self.p.agency_b.code, "role": "lead"}).content.decode()
        )
        self.assertEqual(len(led), 4)
        window = self.client.get(url, {"deadline_from": "2026-03-31", "deadline_to": "31/03/2026"})
        self.assertEqual(codes_in(window.content.decode()), [self.task.code])

    def test_a_wrong_filter_gets_a_message_and_no_rows(self) -> None:
        self.login(self.p.office)
        response = self.client.get(
            reverse("task_list"), {"deadline_from": "2026-05-01", "deadline_to": "2026-04-01"}
        )
        self.assertContains(response, "“Thời hạn từ ngày” sau “Thời hạn đến ngày”")
        self.assertNotIn(self.task.code, codes_in(response.content.decode()))
        response = self.client.get(reverse("task_list"), {"deadline_from": "31/02/2026"})
        self.assertContains(response, "dd/mm/yyyy (ví dụ 02/12/2026)")

    def test_htmx_gets_only_the_results(self) -> None:
        self.login(self.p.office)
        response = self.client.get(reverse("task_list"), {"q": "bao cao"}, HTTP_HX_REQUEST="true")
        html = response.content.decode()
        self.assertTrue(html.lstrip().startswith('<div id="results"'))
        self.assertNotIn('<nav class="navbar', html)
        self.assertIn(self.task.code, html)

    def test_the_query_count_stays_the_same_with_many_more_rows(self) -> None:
        self.login(self.p.office)
        url = reverse("task_list")
        self.client.get(url)
        # session, user, scope (with the memberships the header shows), page, the page's
        # coordinating agencies, count, unread bell (the leader choices are kept per process:
        # the first page read them)
        with self.assertNumQueries(7):
            self.client.get(url, {"sort": "-assigned_on"})
        # By deadline a page that reaches the tasks without deadline reads them as a second
        # index range (keyset.py): one query more, whatever the number of tasks.
        with self.assertNumQueries(8):
            self.client.get(url, {"sort": "deadline"})
        self.add_tasks(80)
        with self.assertNumQueries(7):
            response = self.client.get(url, {"sort": "-assigned_on"})
        self.assertEqual(len(codes_in(response.content.decode())), 50)
        with self.assertNumQueries(8):
            self.client.get(url, {"sort": "deadline", "status": "no_deadline"})


def filter_form_in(html: str) -> str:
    start = html.index('id="task-filters"')
    return html[start : html.index("</form>", start)]


class FilterFieldsKeptTest(BaseTestCase):
    """The filter's fields are drawn once per process for the same filters (tasks.filter_fields):
    what the person sees must still be this request's form."""

    def form_html(self, **params: str) -> str:
        return filter_form_in(self.client.get(reverse("task_list"), params).content.decode())

    def drawn_afresh(self, **params: str) -> str:
        from nhiemvu.assignments.templatetags import tasks

        tasks._filter_fields.clear()
        return self.form_html(**params)

    def test_the_kept_fields_are_the_fields_drawn_for_that_request(self) -> None:
        self.login(self.p.office)
        filters: list[dict[str, str]] = [
            {},
            {"status": "overdue"},
            {"status": "open", "sort": "-assigned_on", "size": "100"},
            {"org": self.p.agency_b.code, "role": "lead"},
            {"leader": "chairman", "flagged": "on"},
            {"deadline_from": "01/03/2026", "q": "báo cáo <b>"},
        ]
        fresh = [self.drawn_afresh(**f) for f in filters]
        for params, html in zip(filters, fresh, strict=True):
            self.assertEqual(self.form_html(**params), html, params)
        self.assertIn('<option value="overdue" selected>', fresh[1])
        self.assertNotIn('value="overdue" selected', fresh[2])
        self.assertIn(f'<option value="{self.p.agency_b.code}" selected>', fresh[3])
        self.assertIn('value="chairman" selected', fresh[4])
        self.assertIn('name="flagged" class="form-check-input" id="id_flagged" checked', fresh[4])
        self.assertIn('value="báo cáo &lt;b&gt;"', fresh[5])

    def test_a_new_leader_and_another_language_are_drawn_not_kept(self) -> None:
        self.login(self.p.office)
        self.assertNotIn("Phó Chủ tịch Mới", self.form_html())
        make_user("Phó Chủ tịch Mới", self.p.province, Role.LEADER)
        self.assertIn("Phó Chủ tịch Mới", self.form_html())
        self.assertIn("Tất cả tình trạng", self.form_html())
        self.client.cookies["django_language"] = "en"
        english = self.form_html()
        self.assertIn("All statuses", english)
        self.assertNotIn("Tất cả tình trạng", english)

    def test_a_form_with_errors_shows_its_own_errors(self) -> None:
        self.login(self.p.office)
        wrong = self.form_html(deadline_from="31/02/2026")
        self.assertIn("dd/mm/yyyy (ví dụ 02/12/2026)", wrong)
        self.assertIn('value="31/02/2026"', wrong)
        self.assertNotIn("dd/mm/yyyy (ví dụ", self.form_html(deadline_from="28/02/2026"))
        self.assertIn("dd/mm/yyyy (ví dụ 02/12/2026)", self.form_html(deadline_from="31/02/2026"))


class ListRowsTest(BaseTestCase):
    def test_a_page_of_list_rows_is_the_page_of_tasks_with_the_same_values(self) -> None:
        from nhiemvu import keyset
        from nhiemvu.assignments import selectors

        register(
            self.p,
            ref="400/UBND-VX",
            tasks=[
                TaskSpec(
                    content=f"Nhiệm vụ {i}",
                    lead=self.p.agency_a if i % 2 else self.p.agency_b,
                    deadline=None if i % 5 == 0 else dt.date(2026, 4, 1 + i % 20),
                    no_deadline_reason="Thường xuyên" if i % 5 == 0 else "",
                )
                for i in range(30)
            ],
            assigned_by=self.p.chairman,
        )
        qs = selectors.filter_tasks(self.p.office, status="open")
        for sort in selectors.SORTS.values():
            models = keyset.page(qs, sort, size=20)
            rows = keyset.page(qs, sort, size=20, read=selectors.list_rows)
            self.assertEqual((rows.next, rows.previous), (models.next, models.previous))
            self.assertEqual(len(rows.rows), 20)
            for row, task in zip(rows.rows, models.rows, strict=True):
                self.assertEqual(row.pk, task.pk)
                for field in selectors.LIST_FIELDS:
                    head, _sep, tail = field.partition("__")
                    expected = getattr(getattr(task, head), tail) if tail else getattr(task, head)
                    got = getattr(getattr(row, head), tail) if tail else getattr(row, head)
                    self.assertEqual(got, expected, field)
                self.assertEqual(row.lead.label, task.lead.label)
            after = keyset.page(qs, sort, size=20, after=rows.next or "", read=selectors.list_rows)
            self.assertEqual(
                [r.pk for r in after.rows],
                [t.pk for t in keyset.page(qs, sort, size=20, after=models.next or "").rows],
            )
