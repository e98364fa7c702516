"""People are told what happened to their tasks, in the app and by e-mail, in the transaction
of the change, once, following their preference, and never of their own action."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from nhiemvu.accounts.models import User
from nhiemvu.assignments import services
from nhiemvu.assignments.models import Assignment
from nhiemvu.reminders.models import DeliveryMode, Notification, Outbox, RuleCode
from nhiemvu.reminders.services import preference_set
from nhiemvu.test import TODAY, BaseTestCase, register, travel


def told(user: User, rule: str | None = None) -> list[Notification]:
    qs = Notification.objects.filter(user=user).order_by("id")
    return list(qs.filter(rule=rule) if rule else qs)


class EventNotificationTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        for user in self.p.personas().values():
            user.email = f"{user.username}@example.gov.vn"
            user.save(update_fields=["email"])

    def test_a_new_task_is_told_to_the_lead_and_coordinating_agencies(self) -> None:
        with travel(dt.date(2026, 3, 11)):
            directive = register(self.p, ref="77/UBND-KT")
        task = Assignment.objects.get(directive=directive)
        (note,) = [
            n for n in told(self.p.lead_officer, RuleCode.EVENT_ASSIGNED) if task.code in n.url
        ]
        self.assertIn(task.summary[:30], note.title)
        # The link opens the task at the step the notice asks for (issue 32: accept it).
        self.assertEqual(note.url, f"/nhiem-vu/{task.code}/?thong-bao=assigned")
        self.assertEqual(len(told(self.p.lead_head, RuleCode.EVENT_ASSIGNED)), 2)  # + setUp's
        self.assertTrue(told(self.p.coord_officer, RuleCode.EVENT_ASSIGNED))
        self.assertFalse(told(self.p.outsider))
        self.assertFalse(told(self.p.office, RuleCode.EVENT_ASSIGNED))  # the office registered it
        self.assertTrue(Outbox.objects.filter(to="lead@example.gov.vn").exists())

    def test_a_returned_report_tells_the_agency_why(self) -> None:
        services.assignment_report_completion(
            actor=self.p.lead_officer, task=self.task, output_ref="9/BC", output_date=TODAY
        )
        services.assignment_return(
            actor=self.p.working_group, task=self.reload(), reason="Thiếu số liệu quý I"
        )
        (note,) = told(self.p.lead_officer, RuleCode.EVENT_RETURNED)
        self.assertIn("trả lại", note.title)
        self.assertEqual(note.body, "Thiếu số liệu quý I")
        self.assertTrue(told(self.p.lead_head, RuleCode.EVENT_RETURNED))
        mail = Outbox.objects.get(to="lead@example.gov.vn", log=note.log)
        self.assertIn("Thiếu số liệu quý I", mail.text)
        # The one who returned it is not told of their own action.
        self.assertFalse(told(self.p.working_group, RuleCode.EVENT_RETURNED))

    def test_an_extension_of_a_task_no_leader_assigned_reaches_every_leader_who_may_decide(
        self,
    ) -> None:
        with travel(dt.date(2026, 3, 3)):
            register(
                self.p,
                ref="501/UBND-KT",
                assigned_by=None,
                tasks=[
                    services.TaskSpec(
                        content="Không ghi lãnh đạo giao",
                        lead=self.p.agency_a,
                        deadline=dt.date(2026, 4, 1),
                    )
                ],
            )
        task = Assignment.objects.get(directive__ref="501/UBND-KT")
        Assignment.objects.filter(pk=task.pk).update(assigned_by=None)
        services.extension_request(
            actor=self.p.lead_officer,
            task=self.reload(task),
            proposed_deadline=dt.date(2026, 4, 30),
            reason="Chờ số liệu",
        )
        # Either leader may decide it (rules.can_decide_extension), so both are told.
        self.assertTrue(told(self.p.chairman, RuleCode.EVENT_EXTENSION))
        self.assertTrue(told(self.p.vice_chairman, RuleCode.EVENT_EXTENSION))
        services.extension_decide(
            actor=self.p.vice_chairman, extension=task.extensions.get(), approve=True
        )

    def test_confirmation_extension_and_refusal_reach_who_must_know(self) -> None:
        extension = services.extension_request(
            actor=self.p.lead_officer,
            task=self.task,
            proposed_deadline=dt.date(2026, 4, 30),
            reason="Chờ số liệu",
        )
        self.assertTrue(told(self.p.office, RuleCode.EVENT_EXTENSION))
        self.assertTrue(told(self.p.vice_chairman, RuleCode.EVENT_EXTENSION))  # who assigned it
        self.assertFalse(told(self.p.lead_officer, RuleCode.EVENT_EXTENSION))
        services.extension_decide(actor=self.p.vice_chairman, extension=extension, approve=True)
        decided = told(self.p.lead_officer, RuleCode.EVENT_EXTENSION)
        self.assertEqual(len(decided), 1)
        self.assertIn("được chấp thuận", decided[0].title)
        self.assertNotIn("không", decided[0].title)
        services.assignment_report_completion(
            actor=self.p.lead_officer, task=self.reload(), output_ref="9/BC", output_date=TODAY
        )
        services.assignment_confirm(actor=self.p.office, task=self.reload())
        self.assertTrue(told(self.p.lead_officer, RuleCode.EVENT_CONFIRMED))
        with travel(dt.date(2026, 3, 11)):
            directive = register(self.p, ref="78/UBND-KT")
        other = Assignment.objects.get(directive=directive)
        services.assignment_refuse(actor=self.p.lead_officer, task=other, reason="Không thuộc")
        self.assertTrue(told(self.p.office, RuleCode.EVENT_REFUSED))

    def test_a_rolled_back_change_tells_no_one_and_a_repeat_tells_once(self) -> None:
        before = Notification.objects.count()
        try:
            with transaction.atomic():
                services.comment_add(
                    actor=self.p.office, task=self.task, text="Đề nghị khẩn trương"
                )
                raise RuntimeError("the request failed after the change")
        except RuntimeError:
            pass
        self.assertEqual(Notification.objects.count(), before)
        event = services.comment_add(actor=self.p.office, task=self.task, text="Đề nghị khẩn")
        from nhiemvu.reminders.events import on_task_event

        # The signal delivered twice (a retry): the same entry tells no one again.
        on_task_event(None, task=self.task, kind=event.kind, event=event)
        self.assertEqual(len(told(self.p.lead_officer, RuleCode.EVENT_COMMENT)), 1)

    def test_a_person_who_chose_the_digest_gets_the_bell_but_no_immediate_mail(self) -> None:
        preference_set(
            user=self.p.lead_officer, rule=RuleCode.EVENT_COMMENT, mode=DeliveryMode.DIGEST
        )
        services.comment_add(actor=self.p.office, task=self.task, text="Bổ sung tài liệu")
        (note,) = told(self.p.lead_officer, RuleCode.EVENT_COMMENT)
        self.assertFalse(Outbox.objects.filter(to="lead@example.gov.vn", log=note.log).exists())
        self.assertTrue(Outbox.objects.filter(to="head@example.gov.vn", log=note.log).exists())

    def test_a_reassigned_task_is_told_to_the_new_agency(self) -> None:
        services.assignment_refuse(actor=self.p.lead_officer, task=self.task, reason="Không thuộc")
        services.assignment_reassign(actor=self.p.office, task=self.reload(), lead=self.p.agency_c)
        self.assertTrue(told(self.p.outsider, RuleCode.EVENT_REASSIGNED))  # agency C's officer
        # Events tell; they do not add reminder entries to the task's timeline.
        self.assertFalse(self.reload().events.filter(kind="reminder").exists())

    def test_a_replayed_history_tells_no_one(self) -> None:
        from nhiemvu.reminders.events import muted

        before = Notification.objects.count()
        with muted():
            services.comment_add(actor=self.p.office, task=self.task, text="Lịch sử mẫu")
        self.assertEqual(Notification.objects.count(), before)
        services.comment_add(actor=self.p.office, task=self.task, text="Hôm nay")
        self.assertGreater(Notification.objects.count(), before)
