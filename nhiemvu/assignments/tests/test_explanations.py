"""Explanations of delay (issue 18): when the rule asks for one, the explanation at the moment of
delay, the office returning it (asked again), causes counted as of past dates like the tasks'
history, and the same figures on the report page, in its files and in the API."""

from __future__ import annotations

import datetime as dt
import io
import json
from datetime import date as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from nhiemvu.assignments import explanations, services
from nhiemvu.assignments.models import (
    Assignment,
    DelayCause,
    Explanation,
    ExplanationTrigger,
)
from nhiemvu.lib import periods, workdays
from nhiemvu.reports import services as report_services
from nhiemvu.test import BaseTestCase, Province, api_key, register, travel
from nhiemvu.web import selectors as home_selectors

T = ExplanationTrigger


@pytest.mark.parametrize(
    ("trigger", "deadline", "day", "output", "expected"),
    [
        (T.LATE_COMPLETION, D(2026, 4, 24), D(2026, 4, 28), D(2026, 4, 24), False),  # on the day
        (T.LATE_COMPLETION, D(2026, 4, 24), D(2026, 4, 28), D(2026, 4, 27), True),
        (T.LATE_COMPLETION, None, D(2026, 4, 28), D(2026, 4, 27), False),  # no deadline to miss
        (T.LATE_EXTENSION, D(2026, 4, 24), D(2026, 4, 24), None, False),
        (T.LATE_EXTENSION, D(2026, 4, 24), D(2026, 4, 25), None, True),  # a Saturday counts
        # Overdue 5 working days after Fri 24/4/2026: Giỗ Tổ (Sun 26/4, off on Mon 27/4), then
        # 30/4 and 1/5 are holidays: 28/4, 29/4, 4/5, 5/5, 6/5.
        (T.OVERDUE, D(2026, 4, 24), D(2026, 5, 1), None, False),  # 2 working days
        (T.OVERDUE, D(2026, 4, 24), D(2026, 5, 5), None, False),  # 4
        (T.OVERDUE, D(2026, 4, 24), D(2026, 5, 6), None, True),  # 5
        (T.OVERDUE, None, D(2026, 5, 6), None, False),
    ],
)
def test_which_steps_need_an_explanation(
    trigger: str, deadline: D | None, day: D, output: D | None, expected: bool
) -> None:
    calendar = workdays.Calendar(overrides={})
    assert (
        explanations.required(
            trigger, deadline=deadline, day=day, output_date=output, after_days=5, calendar=calendar
        )
        is expected
    )


def test_the_one_in_force_is_the_latest_not_yet_returned() -> None:
    history = [(D(2026, 4, 1), 1, D(2026, 4, 3), "a"), (D(2026, 4, 6), 2, None, "b")]
    assert explanations.in_force(history, D(2026, 3, 31)) is None
    assert explanations.in_force(history, D(2026, 4, 2)) == "a"
    assert explanations.in_force(history, D(2026, 4, 3)) is None  # returned that day
    assert explanations.in_force(history, D(2026, 4, 7)) == "b"


def spec(code: str = "vuong-mac-phap-ly", **kw: object) -> services.ExplanationSpec:
    return services.ExplanationSpec(
        cause=DelayCause.objects.get(code=code),
        text="Vướng thủ tục",
        remedy="Rà soát sớm",
        **kw,  # type: ignore[arg-type]
    )


class ExplainTest(BaseTestCase):
    """The BaseTestCase task is due 31/3/2026."""

    def test_an_overdue_task_is_explained_returned_and_asked_again(self) -> None:
        with travel(D(2026, 3, 20)), self.assertRaises(ValidationError):
            services.assignment_explain(actor=self.p.lead_officer, task=self.task, spec=spec())
        with travel(D(2026, 4, 8)):
            lessons = home_selectors.lessons(self.p.chairman)
            self.assertEqual([n for _code, _name, n in lessons["unexplained"]], [1])
            with self.assertRaises(PermissionDenied):
                services.assignment_explain(actor=self.p.coord_officer, task=self.task, spec=spec())
            with self.assertRaises(ValidationError) as raised:  # the cause names another agency
                services.assignment_explain(
                    actor=self.p.lead_officer, task=self.task, spec=spec("cho-co-quan-khac")
                )
            self.assertIn("other_org", raised.exception.message_dict)
            services.assignment_explain(actor=self.p.lead_officer, task=self.task, spec=spec())
            self.assertEqual(home_selectors.lessons(self.p.chairman)["unexplained"], [])
            last = self.reload().events.last()
            assert last is not None
            self.assertEqual(last.kind, "explained")
        with travel(D(2026, 4, 9)):
            services.explanation_return(
                actor=self.p.office, task=self.task, reason="Chưa nêu biện pháp"
            )
            self.assertTrue(home_selectors.lessons(self.p.chairman)["unexplained"])
            # The agency is told, in the app (and by e-mail per its preferences).
            from nhiemvu.reminders.models import Notification

            told = Notification.objects.filter(user=self.p.lead_officer).order_by("id").last()
            assert told is not None
            self.assertIn("giải trình", told.title.lower())
            self.assertFalse(explanations.is_explained(self.reload(), D(2026, 4, 9)))
            self.assertTrue(explanations.is_explained(self.reload(), D(2026, 4, 8)))
            # The explanation form is offered again on the task page.
            self.login(self.p.lead_officer)
            self.assertContains(self.client.get(f"/nhiem-vu/{self.task.code}/"), "Giải trình")

    def test_the_reminders_ask_once_on_the_day_it_becomes_due(self) -> None:
        from nhiemvu.reminders.schedule import plan
        from nhiemvu.test import at

        # Due 31/3; five working days later (1, 2, 3, 6, 7 April) is 7/4/2026.
        def asked(day: D) -> list[str]:
            with travel(day, 8):
                return [d.title for d in plan(at(day, 8)) if d.key.endswith("giai-trinh")]

        self.assertEqual(asked(D(2026, 4, 6)), [])
        (title,) = asked(D(2026, 4, 7))
        self.assertIn("giải trình", title)
        with travel(D(2026, 4, 7)):
            services.assignment_explain(actor=self.p.lead_officer, task=self.task, spec=spec())
        self.assertEqual(asked(D(2026, 4, 7)), [])  # explained: not asked
        self.assertEqual(asked(D(2026, 4, 8)), [])  # the day has passed: the page still asks

    def test_a_late_extension_request_needs_an_explanation(self) -> None:
        from django.conf import settings as django_settings
        from django.test import override_settings

        allowed = {**django_settings.NHIEMVU, "EXTENSION_AFTER_DEADLINE": True}
        with override_settings(NHIEMVU=allowed), travel(D(2026, 4, 2)):
            with self.assertRaises(ValidationError):
                services.extension_request(
                    actor=self.p.lead_officer,
                    task=self.task,
                    proposed_deadline=D(2026, 4, 30),
                    reason="Chờ số liệu",
                )
            services.extension_request(
                actor=self.p.lead_officer,
                task=self.task,
                proposed_deadline=D(2026, 4, 30),
                reason="Chờ số liệu",
                explanation=spec("cho-co-quan-khac", other_org=self.p.agency_b),
            )
        explanation = Explanation.objects.get()
        self.assertEqual(
            (explanation.trigger, explanation.other_org), (T.LATE_EXTENSION, self.p.agency_b)
        )

    def test_the_page_the_files_and_the_api_give_the_same_causes(self) -> None:
        with travel(D(2026, 4, 6)):
            services.assignment_report_completion(
                actor=self.p.lead_officer,
                task=self.task,
                output_ref="5/BC",
                output_date=D(2026, 4, 3),
                explanation=spec("cho-co-quan-khac", other_org=self.p.agency_b),
            )
            services.assignment_confirm(actor=self.p.office, task=self.task)
        period = "2026-04"
        with travel(D(2026, 4, 20)):
            self.login(self.p.chairman)
            page = self.client.get("/bao-cao/", {"period": period})
            self.assertContains(page, "Nguyên nhân chậm và bài học kinh nghiệm")
            self.assertContains(page, "Sở Khoa học và Công nghệ chờ Sở Tài chính: 1")
            key = api_key(self.p.office_org, scope="read", role="office")
            body = self.client.get(
                "/api/v1/reports/causes", {"period": period}, HTTP_AUTHORIZATION=f"Bearer {key}"
            ).json()
            parsed = periods.parse(period)
            made = {
                fmt: report_services.report_file(user=self.p.chairman, period=parsed, fmt=fmt)
                for fmt in ("json", "docx", "xlsx", "pdf")
            }
        self.assertEqual(
            [(c["cause"], c["late"], c["overdue"]) for c in body["by_cause"]],
            [("cho-co-quan-khac", 1, 0)],
        )
        self.assertEqual(json.loads(made["json"].content)["causes"]["by_cause"], body["by_cause"])
        import docx

        text = "\n".join(p.text for p in docx.Document(io.BytesIO(made["docx"].content)).paragraphs)
        self.assertIn("Nguyên nhân chậm và bài học kinh nghiệm", text)
        self.assertIn("“Vướng thủ tục”", text)
        import openpyxl
        from pypdf import PdfReader

        sheet = openpyxl.load_workbook(io.BytesIO(made["xlsx"].content))["Nguyên nhân chậm"]
        rows = [r for r in sheet.iter_rows(values_only=True) if r[0]]
        self.assertIn(("Chờ ý kiến, số liệu của cơ quan khác", 1, 0, 1), [r[:4] for r in rows])
        pdf = " ".join(
            page.extract_text() for page in PdfReader(io.BytesIO(made["pdf"].content)).pages
        )
        self.assertIn("Nguyên nhân chậm và bài học kinh nghiệm", pdf)


class CausesAsOfTest(HypothesisTestCase):
    """Random explain/return histories: the SQL rule (in_force_expr) and the pure one agree on
    every date, so a past report shows the causes it showed then."""

    p: Province

    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = Province()
        with travel(D(2026, 3, 2)):
            register(cls.p)

    @settings(max_examples=30, deadline=None)
    @given(
        st.lists(
            st.tuples(
                st.integers(0, 40), st.integers(0, 6), st.one_of(st.none(), st.integers(0, 10))
            ),
            max_size=6,
        )
    )
    def test_in_force_agrees(self, history: list) -> None:
        task = Assignment.objects.get()
        causes = list(DelayCause.objects.order_by("position"))
        start = D(2026, 4, 1)
        rows = []
        for offset, which, back in history:
            submitted = start + dt.timedelta(days=offset)
            returned = submitted + dt.timedelta(days=back) if back is not None else None
            made = Explanation.objects.create(
                assignment=task,
                trigger=T.OVERDUE,
                cause=causes[which],
                text="x",
                author=self.p.lead_officer,
                author_org=self.p.agency_a,
                submitted_at=workdays.now(),
                submitted_on=submitted,
                returned_on=returned,
            )
            rows.append((submitted, made.pk, returned, causes[which].pk))
        for day_offset in range(0, 56, 5):
            day = start + dt.timedelta(days=day_offset)
            sql = (
                Assignment.objects.filter(pk=task.pk)
                .annotate(c=explanations.in_force_expr(day))
                .values_list("c", flat=True)
                .get()
            )
            self.assertEqual(sql, explanations.in_force(rows, day), (day, rows))
        Explanation.objects.all().delete()


def test_due_is_one_rule_on_every_day_and_deadline() -> None:
    """Appendix B of the 2026-12-06 review: 1,140 (day, deadline) pairs of March–April 2026,
    N = 5, where the report's threshold and the rule disagreed on 34 (each with a weekend).
    The filter's cutoff and the predicate now agree on every one, holidays included."""
    calendar = workdays.Calendar(overrides={})
    pairs = disagree = 0
    for day_offset in range(60):
        day = D(2026, 3, 1) + dt.timedelta(days=day_offset)
        cutoff = explanations.overdue_cutoff(day, after_days=5, calendar=calendar)
        for back in range(1, 20):
            deadline = day - dt.timedelta(days=back)
            pairs += 1
            by_rule = explanations.overdue_long_enough(
                deadline, day, after_days=5, calendar=calendar
            )
            assert by_rule == (calendar.working_days_between(deadline, day) >= 5)
            disagree += by_rule != (deadline < cutoff)
    assert (pairs, disagree) == (1140, 0)


class DelayCauseAdminTest(BaseTestCase):
    """The README sends administrators to /quan-tri/assignments/delaycause/: there they add,
    rename and take causes out of use, audited; a cause already given is never deleted."""

    def test_the_administrator_edits_the_causes_and_each_edit_is_audited(self) -> None:
        from django.contrib.auth import get_user_model

        from nhiemvu.audit.models import AuditEvent

        root = get_user_model().objects.create_superuser("root", "root@example.invalid", "x")
        self.client.force_login(root)
        listing = self.client.get("/quan-tri/assignments/delaycause/")
        self.assertContains(listing, "Vướng mắc pháp lý, thủ tục")
        added = self.client.post(
            "/quan-tri/assignments/delaycause/add/",
            {"code": "thien-tai", "name": "Thiên tai, dịch bệnh", "position": "8", "active": "on"},
        )
        self.assertEqual(added.status_code, 302, added.content[-2000:])
        (create,) = AuditEvent.objects.filter(action="delaycause.admin_create", actor=root)
        self.assertEqual(create.after["name"], "Thiên tai, dịch bệnh")
        # A cause given in an explanation: renamed and taken out of use, never deleted.
        used = DelayCause.objects.get(code="vuong-mac-phap-ly")
        with travel(D(2026, 4, 8)):
            services.assignment_explain(actor=self.p.lead_officer, task=self.task, spec=spec())
        changed = self.client.post(
            f"/quan-tri/assignments/delaycause/{used.pk}/change/",
            {"name": "Vướng mắc thủ tục pháp lý", "position": "2"},  # "active" unticked
        )
        self.assertEqual(changed.status_code, 302, changed.content[-2000:])
        (change,) = AuditEvent.objects.filter(action="delaycause.admin_change", actor=root)
        self.assertEqual(change.before["name"], "Vướng mắc pháp lý, thủ tục")
        self.assertEqual(
            (change.after["name"], change.after["active"]), ("Vướng mắc thủ tục pháp lý", False)
        )
        used.refresh_from_db()
        self.assertEqual((used.code, used.active), ("vuong-mac-phap-ly", False))
        delete = self.client.post(
            f"/quan-tri/assignments/delaycause/{used.pk}/delete/", {"post": "yes"}
        )
        self.assertEqual(delete.status_code, 403)
        self.assertTrue(DelayCause.objects.filter(pk=used.pk).exists())
        # The agency is offered the new cause, not the one out of use.
        from django.forms import ModelChoiceField

        from nhiemvu.assignments.forms import ExplainForm

        field = ExplainForm().fields["cause"]
        assert isinstance(field, ModelChoiceField) and field.queryset is not None
        offered = set(field.queryset.values_list("code", flat=True))
        self.assertIn("thien-tai", offered)
        self.assertNotIn("vuong-mac-phap-ly", offered)
