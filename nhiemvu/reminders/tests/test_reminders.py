"""Urging that runs itself: a year of days, the 3-monthly cycle, races, retries and crashes."""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections import defaultdict
from typing import Any, cast
from unittest import mock

from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase, TransactionTestCase

from nhiemvu import scheduler
from nhiemvu.assignments import services as tasks
from nhiemvu.assignments.models import Assignment, AssignmentEvent
from nhiemvu.lib import workdays
from nhiemvu.reminders import outbox, services
from nhiemvu.reminders.letters import urging_letter
from nhiemvu.reminders.models import Notification, Outbox, ReminderLog, RuleCode
from nhiemvu.reminders.schedule import pending
from nhiemvu.test import Province, at, register, travel

D = dt.date


def task_with(p: Province, ref: str, doc_date: dt.date, **spec: Any) -> Assignment:
    with travel(doc_date):
        directive = register(
            p,
            ref=ref,
            doc_date=doc_date,
            tasks=[tasks.TaskSpec(content=f"Nhiệm vụ {ref}", lead=p.agency_a, **spec)],
        )
    # These tests are about the scheduler's reminders: the notices of the registration itself
    # (reminders/events.py, tested in test_events.py) are set aside.
    ReminderLog.objects.filter(rule__in=EVENT_RULES).delete()
    return Assignment.objects.get(directive=directive)


EVENT_RULES = [rule for rule in RuleCode.values if rule.startswith("ev_")]


def users_emails(p: Province) -> None:
    for name, user in p.personas().items():
        user.email = f"{name}@example.gov.vn"
        user.save(update_fields=["email"])


class YearTest(TestCase):
    p: Province
    tet: Assignment
    swap: Assignment
    done: Assignment

    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = Province()
        users_emails(cls.p)
        # Deadline the Tuesday after Tết 2026 (14–22/2 off).
        cls.tet = task_with(cls.p, "1/UBND-KT", D(2026, 1, 5), deadline=D(2026, 2, 24))
        # Deadline the Monday after the make-up working Saturday 22/8/2026.
        cls.swap = task_with(cls.p, "2/UBND-KT", D(2026, 7, 1), deadline=D(2026, 8, 24))
        # Completed on time: never reminded after its report.
        cls.done = task_with(cls.p, "3/UBND-KT", D(2026, 1, 5), deadline=D(2026, 3, 31))

    def test_a_year_of_days(self) -> None:
        fired: dict[str, list[tuple[dt.date, str]]] = defaultdict(list)
        day = D(2026, 1, 1)
        while day <= D(2026, 12, 31):
            with travel(day, 8):
                if day == D(2026, 3, 25):
                    tasks.assignment_report_completion(
                        actor=self.p.lead_officer,
                        task=self.done,
                        output_ref="1/BC",
                        output_date=day,
                    )
                before = set(ReminderLog.objects.values_list("pk", flat=True))
                scheduler.run_once(workdays.now())
                for entry in ReminderLog.objects.exclude(pk__in=before):
                    subject = {self.tet.pk: "tet", self.swap.pk: "swap", self.done.pk: "done"}.get(
                        entry.task_id or 0, "other"
                    )
                    fired[subject].append((day, entry.rule))
            day += dt.timedelta(days=1)
        cal = workdays.calendar()
        every = [d for subject in fired.values() for d, _ in subject]
        self.assertTrue(every)
        self.assertTrue(all(cal.is_working_day(d) for d in every), "a reminder on a day off")
        tet = fired["tet"]
        self.assertIn((D(2026, 2, 6), RuleCode.BEFORE), tet)  # 7 working days before
        self.assertIn((D(2026, 2, 12), RuleCode.BEFORE), tet)  # 3: 13/2, 23/2, 24/2
        self.assertIn((D(2026, 2, 23), RuleCode.BEFORE), tet)  # 1: across the Tết week
        self.assertIn((D(2026, 2, 24), RuleCode.ON_DAY), tet)
        overdue = [d for d, rule in tet if rule == RuleCode.OVERDUE]
        # Every 3 working days overdue, and on 3/3 (5 working days late) the explanation of the
        # delay is asked (issue 18), the day the head is told.
        self.assertEqual(overdue[:4], [D(2026, 2, 25), D(2026, 3, 2), D(2026, 3, 3), D(2026, 3, 5)])
        self.assertIn((D(2026, 3, 3), RuleCode.ESCALATE_HEAD), tet)  # 5 working days late
        self.assertIn((D(2026, 3, 10), RuleCode.ESCALATE_OFFICE), tet)  # 10
        self.assertNotIn(D(2026, 2, 16), [d for d, _ in tet])  # Tết: quiet
        # The make-up Saturday is a working day: the 1-day reminder comes on it.
        self.assertIn((D(2026, 8, 22), RuleCode.BEFORE), fired["swap"])
        # The completed task: reminded before its report, never after.
        self.assertTrue(fired["done"])
        self.assertEqual(fired["done"], [(D(2026, 3, 20), RuleCode.BEFORE)])
        # The timeline shows each reminder sent.
        self.assertEqual(
            AssignmentEvent.objects.filter(assignment=self.tet, kind="reminder").count(), len(tet)
        )


class NoDeadlineCycleTest(TestCase):
    def test_every_3_months_until_a_proposed_date_is_approved(self) -> None:
        p = Province()
        task = task_with(p, "5/UBND-KT", D(2026, 1, 15), no_deadline_reason="Thường xuyên")
        fired = []
        day = D(2026, 1, 15)
        while day <= D(2026, 12, 31):
            with travel(day, 8):
                if day == D(2026, 7, 20):
                    ext = tasks.extension_request(
                        actor=p.lead_officer,
                        task=task,
                        proposed_deadline=D(2026, 9, 30),
                        reason="Đề xuất thời hạn",
                    )
                    tasks.extension_decide(actor=p.office, extension=ext, approve=True)
                before = set(ReminderLog.objects.values_list("pk", flat=True))
                scheduler.run_once(workdays.now())
                fired += [
                    (day, e.rule, e.period)
                    for e in ReminderLog.objects.exclude(pk__in=before).filter(task=task)
                ]
            day += dt.timedelta(days=1)
        cycles = [(d, period) for d, rule, period in fired if rule == RuleCode.NO_DEADLINE]
        # 15/4/2026 (Wed) and 15/7/2026 (Wed); from 20/7 it has a deadline: no 3rd cycle.
        self.assertEqual(cycles, [(D(2026, 4, 15), "1"), (D(2026, 7, 15), "2")])
        self.assertEqual(Assignment.objects.get(pk=task.pk).deadline, D(2026, 9, 30))
        self.assertIn(RuleCode.BEFORE, {rule for _, rule, _ in fired})


class DeliveryTest(TestCase):
    p: Province
    task: Assignment
    when: dt.datetime

    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = Province()
        users_emails(cls.p)
        cls.task = task_with(cls.p, "7/UBND-KT", D(2026, 3, 2), deadline=D(2026, 3, 16))
        cls.when = at(D(2026, 3, 13), 8)  # 1 working day before

    def test_running_twice_at_the_same_instant_sends_nothing_the_second_time(self) -> None:
        first = scheduler.run_once(self.when)
        second = scheduler.run_once(self.when)
        self.assertGreater(first["delivered"], 0)
        self.assertEqual((second["delivered"], second["messages_tried"]), (0, 0))
        sent = [m for m in mail.outbox if "7/UBND-KT" in m.body or "Nhiệm vụ 7" in m.subject]
        self.assertEqual(len(sent), 2)  # the lead officer and the head, once each
        self.assertIn("Còn 1 ngày làm việc", sent[0].subject)
        self.assertEqual(Notification.objects.filter(user=self.p.lead_officer).count(), 1)

    def test_a_failed_send_is_retried_and_recorded(self) -> None:
        with mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=ConnectionRefusedError("SMTP down"),
        ):
            scheduler.run_once(self.when)
        message = Outbox.objects.filter(to="lead_officer@example.gov.vn").get()
        self.assertIsNone(message.sent_at)
        self.assertIn("SMTP down", message.last_error)
        self.assertEqual(message.attempts, 1)
        self.assertGreater(message.next_attempt_at, self.when)
        self.assertFalse(outbox.send_one(self.when))  # not due again yet
        later = self.when + dt.timedelta(minutes=2)
        while outbox.send_one(later):
            pass
        message.refresh_from_db()
        self.assertIsNotNone(message.sent_at)
        self.assertEqual(
            len([m for m in mail.outbox if m.to == ["lead_officer@example.gov.vn"]]), 1
        )

    def test_a_sender_killed_after_claiming_loses_nothing_and_doubles_nothing(self) -> None:
        for due in pending(self.when):
            services.deliver(due, self.when)
        claimed = outbox._claim(self.when)  # …and the process dies here
        assert claimed is not None
        while outbox.send_one(self.when + dt.timedelta(minutes=1)):
            pass
        self.assertIsNone(Outbox.objects.get(pk=claimed.pk).sent_at)  # lease still held
        while outbox.send_one(self.when + dt.timedelta(minutes=6)):
            pass
        claimed.refresh_from_db()
        self.assertIsNotNone(claimed.sent_at)
        self.assertEqual(
            len(
                [
                    m
                    for m in mail.outbox
                    if m.to == [claimed.to] and m.extra_headers["Message-ID"] == claimed.message_id
                ]
            ),
            1,
        )
        self.assertEqual(Outbox.objects.filter(sent_at__isnull=True).count(), 0)

    def test_digest_mode_keeps_the_reminder_in_the_app_only(self) -> None:
        services.preference_set(user=self.p.lead_officer, rule=RuleCode.BEFORE, mode="digest")
        scheduler.run_once(self.when)
        self.assertFalse(Outbox.objects.filter(to="lead_officer@example.gov.vn").exists())
        self.assertTrue(Outbox.objects.filter(to="lead_head@example.gov.vn").exists())
        self.assertTrue(Notification.objects.filter(user=self.p.lead_officer).exists())

    def test_a_morning_s_reminders_reach_each_person_as_one_message(self) -> None:
        # Three more tasks of the same agency: one due the same day as the first, one overdue
        # (1 working day: the repeat rule fires), one due today.
        task_with(self.p, "8/UBND-KT", D(2026, 3, 2), deadline=D(2026, 3, 16))
        late = task_with(self.p, "10/UBND-KT", D(2026, 2, 2), deadline=D(2026, 3, 12))
        today = task_with(self.p, "11/UBND-KT", D(2026, 3, 2), deadline=D(2026, 3, 13))
        opened = []
        real = outbox.mailers.create_connection

        def counting(alias: str) -> Any:
            opened.append(alias)
            return real(alias)

        with mock.patch.object(outbox.mailers, "create_connection", counting):
            result = scheduler.run_once(self.when)
        officer = [m for m in mail.outbox if m.to == ["lead_officer@example.gov.vn"]]
        self.assertEqual(len(officer), 1)  # one e-mail, not one per task
        body = officer[0].body
        self.assertIn("4 nhiệm vụ cần xử lý (1 quá hạn)", officer[0].subject)
        # By urgency: overdue, due today, coming due; each task with its link.
        self.assertLess(body.index("QUÁ HẠN"), body.index("HÔM NAY ĐẾN HẠN"))
        self.assertLess(body.index("HÔM NAY ĐẾN HẠN"), body.index("SẮP ĐẾN HẠN"))
        self.assertIn(f"/nhiem-vu/{late.code}/", body)
        self.assertIn(f"/nhiem-vu/{today.code}/", body)
        self.assertIn(self.task.code, body)
        html = cast(Any, officer[0]).alternatives[0][0]
        self.assertIn(f'href="{settings.SITE_URL}/nhiem-vu/{late.code}/"', html)
        # One notification per person; the log and the timelines per task, as before.
        self.assertEqual(Notification.objects.filter(user=self.p.lead_officer).count(), 1)
        self.assertEqual(ReminderLog.objects.filter(task__isnull=False).count(), 4)
        for task in (self.task, late, today):
            self.assertTrue(
                AssignmentEvent.objects.filter(assignment=task, kind="reminder").exists()
            )
        self.assertEqual(len(opened), 1)  # every message over one mail connection
        self.assertEqual(result["messages_tried"], len(mail.outbox))

    def test_the_dry_run_lists_and_changes_nothing(self) -> None:
        task_with(
            self.p,
            "31/UBND-KT",
            D(2026, 3, 2),
            recurrence="monthly",
            recurrence_rule="trước ngày 16 hằng tháng",
        )
        tasks_before = Assignment.objects.count()
        out = io.StringIO()
        call_command(
            "remind", "--dry-run", "--now", "2026-03-13T08:00", "--format", "jsonl", stdout=out
        )
        lines = out.getvalue().splitlines()
        self.assertTrue(
            any(
                f'"task": "{self.task.code}"' in line
                and '"rule": "before"' in line
                and '"lead"' in line
                for line in lines
            )
        )
        self.assertFalse(ReminderLog.objects.exists())
        # This period's report of the recurring task is listed though not yet created …
        self.assertTrue(any("31/UBND-KT" in line and "tháng 03/2026" in line for line in lines))
        self.assertEqual(Assignment.objects.count(), tasks_before)  # … and still is not.

    def test_it_delivers_through_the_scheduler_s_step_and_its_mail_goes_out(self) -> None:
        # `remind` without --dry-run is a scheduler step: what it delivers by e-mail is sent in
        # the same step (it used to wait in the outbox for the next `scheduler` run).
        out = io.StringIO()
        call_command("remind", "--now", "2026-03-13T08:00", stdout=out)
        self.assertIn("delivered: ", out.getvalue())
        self.assertTrue(
            [m for m in mail.outbox if m.to == ["lead_officer@example.gov.vn"]],
            "the lead officer's reminder was not sent",
        )
        self.assertFalse(Outbox.objects.filter(sent_at__isnull=True).exists())
        # A scheduler step at the same instant finds it all done.
        self.assertEqual(scheduler.run_once(self.when)["delivered"], 0)

    def test_both_commands_refuse_a_now_they_cannot_read_alike(self) -> None:
        messages = []
        for command in (["remind", "--dry-run"], ["scheduler", "--once"]):
            with self.assertRaises(CommandError) as refused:
                call_command(*command, "--now", "13/3/2026 8 giờ", stdout=io.StringIO())
            messages.append(str(refused.exception))
        self.assertEqual(messages[0], messages[1])
        self.assertFalse(ReminderLog.objects.exists())

    def test_the_bell_counts_unread_and_marks_read(self) -> None:
        scheduler.run_once(self.when)
        self.client.force_login(self.p.lead_officer)
        page = self.client.get("/")
        self.assertContains(page, 'id="unread-count">1<')
        self.client.post("/thong-bao/da-doc/")
        self.assertNotContains(self.client.get("/"), 'id="unread-count"')

    def test_the_urging_letter_lists_the_overdue_tasks(self) -> None:
        import docx

        with travel(D(2026, 3, 20)):
            data = urging_letter(self.p.agency_a)
        document = docx.Document(io.BytesIO(data))
        text = "\n".join(p.text for p in document.paragraphs)
        cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
        self.assertIn("Kính gửi: Thủ trưởng Sở Khoa học và Công nghệ.", text)
        self.assertIn("Nhiệm vụ 7/UBND-KT", cells)
        self.assertIn("07/UBND-KT", cells)
        self.assertIn("16/03/2026", cells)
        self.assertTrue(any(c.startswith("Quá hạn 4 ngày") for c in cells))
        self.assertIn("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "\n".join(cells))

    def test_the_office_registers_the_sent_letter(self) -> None:
        self.client.force_login(self.p.office)
        with travel(D(2026, 3, 20)):
            response = self.client.post(
                "/don-doc/so-khcn/cap-nhat/", {"ref": "88/UBND-KSTT", "doc_date": "2026-03-20"}
            )
        self.assertEqual(response.status_code, 302)
        self.client.force_login(self.p.lead_officer)
        self.assertEqual(self.client.get("/don-doc/").status_code, 403)


class RaceTest(TransactionTestCase):
    def test_two_schedulers_racing_send_each_reminder_once(self) -> None:
        p = Province()
        users_emails(p)
        for n in range(6):
            task_with(p, f"{20 + n}/UBND-KT", D(2026, 3, 2), deadline=D(2026, 3, 16))
        when = at(D(2026, 3, 13), 8)
        planned = len(pending(when))
        barrier = threading.Barrier(2)
        errors: list[BaseException] = []

        def one_scheduler() -> None:
            try:
                barrier.wait()
                scheduler.run_once(when)
            except BaseException as exc:
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=one_scheduler) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(errors, [])
        self.assertEqual(ReminderLog.objects.count(), planned)
        self.assertEqual(
            Outbox.objects.count(), Outbox.objects.values("message_id").distinct().count()
        )
        self.assertEqual(Outbox.objects.filter(sent_at__isnull=True).count(), 0)
        per_address: dict[tuple[str, str], int] = defaultdict(int)
        for message in mail.outbox:
            per_address[(message.to[0], message.extra_headers["Message-ID"])] += 1
        self.assertTrue(per_address)
        self.assertEqual(set(per_address.values()), {1})


class SmtpTest(TestCase):
    def test_a_real_smtp_server_receives_the_vietnamese_subject(self) -> None:
        from aiosmtpd.controller import Controller

        received: list[bytes] = []

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                received.append(envelope.content)
                return "250 OK"

        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        controller = Controller(Handler(), hostname="127.0.0.1", port=port)
        controller.start()
        try:
            p = Province()
            users_emails(p)
            task_with(p, "9/UBND-KT", D(2026, 3, 2), deadline=D(2026, 3, 16))
            mailers = {
                "default": {
                    "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                    "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
                }
            }
            with self.settings(MAILERS=mailers):
                scheduler.run_once(at(D(2026, 3, 13), 8))
        finally:
            controller.stop()
        import email
        from email.header import decode_header, make_header

        subjects = [
            str(make_header(decode_header(email.message_from_bytes(raw)["Subject"])))
            for raw in received
        ]
        self.assertTrue(any("Còn 1 ngày làm việc đến hạn" in s for s in subjects), subjects)
        self.assertEqual(Outbox.objects.filter(sent_at__isnull=True).count(), 0)


class RecurringTest(TestCase):
    def test_each_period_gets_its_report_reminded_like_a_task_with_a_deadline(self) -> None:
        p = Province()
        parent = task_with(
            p,
            "30/UBND-KT",
            D(2026, 1, 5),
            recurrence="monthly",
            recurrence_rule="trước ngày 20 hằng tháng",
            deliverable_kind="bao_cao",
        )
        self.assertEqual(parent.recurrence_day, 20)
        day = D(2026, 1, 5)
        while day <= D(2026, 4, 30):
            with travel(day, 8):
                scheduler.run_once(workdays.now())
                scheduler.run_once(workdays.now())  # a second scheduler creates nothing more
            day += dt.timedelta(days=1)
        occurrences = list(parent.occurrences.order_by("deadline"))
        self.assertEqual(
            [(o.period, o.deadline) for o in occurrences],
            [
                ("2026-01", D(2026, 1, 20)),
                ("2026-02", D(2026, 2, 20)),
                ("2026-03", D(2026, 3, 20)),
                ("2026-04", D(2026, 4, 20)),
            ],
        )
        march = occurrences[2]
        self.assertEqual(march.lead, p.agency_a)
        self.assertIn("tháng 03/2026", march.summary)
        rules = set(ReminderLog.objects.filter(task=march).values_list("rule", "period"))
        self.assertIn((RuleCode.BEFORE, "1:2026-03-20"), rules)
        self.assertIn((RuleCode.ON_DAY, "2026-03-20"), rules)
        # The parent itself is never nagged as a task "without deadline".
        self.assertFalse(ReminderLog.objects.filter(task=parent).exists())


def test_period_of_every_recurrence() -> None:
    from nhiemvu.assignments.recurrence import period_of

    today = D(2026, 5, 13)
    assert period_of("monthly", 20, today).due == D(2026, 5, 20)  # type: ignore[union-attr]
    assert period_of("monthly", 31, D(2026, 2, 3)).due == D(2026, 2, 28)  # type: ignore[union-attr]
    quarter = period_of("quarterly", None, today)
    assert quarter is not None and (quarter.key, quarter.due) == ("2026-Q2", D(2026, 6, 30))
    half = period_of("half_yearly", 15, today)
    assert half is not None and (half.key, half.due) == ("2026-H1", D(2026, 6, 15))
    year = period_of("yearly", 14, D(2026, 12, 20))
    assert year is not None and year.due == D(2026, 12, 14)
    week = period_of("weekly", None, today)  # Wednesday → that week's Friday
    assert week is not None and (week.key, week.due) == ("2026-W20", D(2026, 5, 15))
    assert period_of("other", None, today) is None


class DigestTest(TestCase):
    def test_the_office_digest_says_what_changed_what_is_due_and_what_waits(self) -> None:
        p = Province()
        users_emails(p)
        task = task_with(p, "40/UBND-KT", D(2026, 3, 2), deadline=D(2026, 3, 13))
        with travel(D(2026, 3, 11)):
            tasks.assignment_report_completion(
                actor=p.lead_officer, task=task, output_ref="1/BC", output_date=D(2026, 3, 11)
            )
        scheduler.run_once(at(D(2026, 3, 12), 8))
        (digest,) = [
            m
            for m in mail.outbox
            if m.to == ["office@example.gov.vn"] and "Tổng hợp ngày 12/03/2026" in m.subject
        ]
        self.assertIn("1 báo cáo hoàn thành", digest.body)
        self.assertIn("Báo cáo hoàn thành chờ xác nhận: 1", digest.body)
