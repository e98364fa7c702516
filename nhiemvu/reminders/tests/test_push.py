"""Web Push (issue 32): a person's subscribed devices are told what the bell tells them, once per
notice and device, through the e-mail's outbox; what arrives follows RFC 8291/8292 (checked by
the push service in pushservice.py); the notice opens the task at the step it is about."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from typing import Any
from unittest import mock

from cryptography.exceptions import InvalidTag
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from nhiemvu.accounts.models import User
from nhiemvu.assignments import services
from nhiemvu.reminders import outbox, push
from nhiemvu.reminders.models import Outbox, PushSubscription, RuleCode
from nhiemvu.reminders.services import preference_set
from nhiemvu.reminders.tests.pushservice import HOST, Device, PushService
from nhiemvu.test import TODAY, BaseTestCase

PUBLIC, PRIVATE = push.new_keys()
SUBJECT = "mailto:vp@gialai.gov.vn"
KEYS = {
    "VAPID_PUBLIC_KEY": PUBLIC,
    "VAPID_PRIVATE_KEY": PRIVATE,
    "VAPID_SUBJECT": SUBJECT,
    "PUSH_HOSTS": [HOST],
}
REASON = "Thiếu số liệu quý I"


class Killed(BaseException):
    """kill -9 of the sender: nothing of it runs after this point (no except clause sees it)."""


@override_settings(**KEYS)
class PushTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.phone, self.laptop, self.other = Device("phone"), Device("laptop"), Device("other")
        self.service = PushService([self.phone, self.laptop, self.other], PUBLIC, SUBJECT)
        patcher = mock.patch.object(push, "_session", self.service.session)
        patcher.start()
        self.addCleanup(patcher.stop)

    def subscribe(self, user: User, device: Device, body: Any = None) -> Any:
        self.client.force_login(user)
        return self.client.post(
            reverse("push_subscribe"),
            json.dumps(device.subscription() if body is None else body),
            content_type="application/json",
            headers={"User-Agent": f"Trình duyệt trên {device.name}"},
        )

    def return_report(self) -> None:
        services.assignment_report_completion(
            actor=self.p.lead_officer, task=self.task, output_ref="9/BC", output_date=TODAY
        )
        services.assignment_return(actor=self.p.working_group, task=self.reload(), reason=REASON)

    def received(self, device: Device) -> list[dict[str, Any]]:
        return [m for name, m in self.service.received if name == device.name]

    def test_a_returned_report_reaches_the_officers_phone_once_and_opens_report_again(
        self,
    ) -> None:
        self.assertEqual(self.subscribe(self.p.lead_officer, self.phone).status_code, 200)
        self.return_report()
        outbox.send_outbox(TODAY_AT())
        outbox.send_outbox(TODAY_AT(hours=1))  # a second run sends nothing again

        (message,) = self.received(self.phone)
        self.assertIn("trả lại", message["title"])
        self.assertIn(REASON, message["body"])
        self.assertEqual(message["url"], f"/nhiem-vu/{self.task.code}/?thong-bao=returned")
        self.assertFalse(Outbox.objects.filter(sent_at__isnull=True).exists())

        # Tapping it: the task, with "Báo cáo lại" offered first and open.
        self.client.force_login(self.p.lead_officer)
        page = self.client.get(message["url"]).content.decode()
        first = re.search(r'<details class="card mb-2" ([^>]*)>\s*<summary[^>]*>([^<]*)<', page)
        assert first is not None
        self.assertIn('id="action-complete"', first.group(1))
        self.assertIn("open", first.group(1))
        self.assertEqual(first.group(2), "Báo cáo lại")
        # Without the notice the page is as before: the usual label, nothing opened for it.
        plain = self.client.get(f"/nhiem-vu/{self.task.code}/").content.decode()
        self.assertNotIn("Báo cáo lại", plain)

    def test_what_the_server_sends_is_for_that_device_alone(self) -> None:
        """The encryption is the device's own: another device's keys cannot read it (the
        service's RFC 8291 check can fail, so its passing means something)."""
        self.subscribe(self.p.lead_officer, self.phone)
        self.return_report()
        message = Outbox.objects.get(subscription__endpoint=self.phone.endpoint)
        sent: list[bytes] = []

        def keep_and_fail(service: PushService, request: Any, **kwargs: Any) -> Any:
            sent.append(request.body)
            raise ConnectionError("the push service went away")

        with mock.patch.object(PushService, "send", keep_and_fail):
            outbox.send_outbox(TODAY_AT())
        self.assertTrue(sent)
        self.laptop.secret = self.phone.secret  # even with the phone's secret
        with self.assertRaises(InvalidTag):
            self.laptop.decrypt(sent[0])
        self.assertIn(REASON, json.loads(self.phone.decrypt(sent[0]))["body"])
        message.refresh_from_db()
        self.assertIsNone(message.sent_at)  # the failed attempt is retried later
        self.assertEqual(message.attempts, 1)

    def test_each_device_is_told_once_through_a_kill_of_the_sender_between_two_messages(
        self,
    ) -> None:
        self.subscribe(self.p.lead_officer, self.phone)
        self.subscribe(self.p.lead_officer, self.laptop)
        self.subscribe(self.p.lead_head, self.other)
        self.return_report()
        self.assertEqual(Outbox.objects.filter(subscription__isnull=False).count(), 3)
        real_send, calls = push.send, {"n": 0}

        def die_before_the_second(message: Outbox) -> bool:
            calls["n"] += 1
            if calls["n"] == 2:
                raise Killed  # the first is accepted and marked sent; the sender dies here
            return real_send(message)

        with mock.patch.object(push, "send", die_before_the_second), self.assertRaises(Killed):
            outbox.send_batch(TODAY_AT())
        self.assertEqual(len(self.service.received), 1)
        # The next run before the lease expires sends nothing; after it, the rest, once.
        outbox.send_outbox(TODAY_AT(minutes=1))
        self.assertEqual(len(self.service.received), 1)
        outbox.send_outbox(TODAY_AT(minutes=10))
        names = sorted(name for name, _m in self.service.received)
        self.assertEqual(names, ["laptop", "other", "phone"])

    def test_the_same_event_delivered_twice_queues_one_push_per_device(self) -> None:
        from nhiemvu.reminders.events import on_task_event

        self.subscribe(self.p.lead_officer, self.phone)
        self.return_report()
        event = self.reload().events.get(kind="returned")
        on_task_event(None, task=self.reload(), kind=event.kind, event=event)  # a retry
        self.assertEqual(Outbox.objects.filter(subscription__isnull=False).count(), 1)

    def test_a_device_its_push_service_says_is_gone_is_removed(self) -> None:
        self.subscribe(self.p.lead_officer, self.phone)
        self.subscribe(self.p.lead_officer, self.laptop)
        self.service.answer["phone"] = 410
        self.return_report()
        outbox.send_outbox(TODAY_AT())
        self.assertEqual(
            list(PushSubscription.objects.values_list("endpoint", flat=True)),
            [self.laptop.endpoint],
        )
        self.assertEqual([n for n, _m in self.service.received], ["laptop"])
        # Nothing waits for the removed device; the e-mail went as usual.
        self.assertFalse(Outbox.objects.filter(sent_at__isnull=True).exists())

    def test_a_push_service_that_fails_is_tried_again_later_with_back_off(self) -> None:
        self.subscribe(self.p.lead_officer, self.phone)
        self.service.answer["phone"] = 503
        self.return_report()
        outbox.send_outbox(TODAY_AT())
        message = Outbox.objects.get(subscription__isnull=False)
        self.assertIsNone(message.sent_at)
        self.assertEqual(message.next_attempt_at, TODAY_AT() + outbox.backoff(1))
        self.assertIn("503", message.last_error)
        del self.service.answer["phone"]
        outbox.send_outbox(TODAY_AT(minutes=2))
        self.assertEqual(len(self.received(self.phone)), 1)

    def test_a_kind_turned_off_for_devices_is_not_pushed_but_still_mailed(self) -> None:
        self.p.lead_officer.email = "lead@example.gov.vn"
        self.p.lead_officer.save(update_fields=["email"])
        self.subscribe(self.p.lead_officer, self.phone)
        self.client.post(
            reverse("notification_preferences"),
            {
                **{code: "immediate" for code in RuleCode.values},
                **{f"push_{code}": "on" for code in RuleCode.values},
                f"push_{RuleCode.EVENT_RETURNED}": "",
            },
        )
        self.return_report()
        self.assertFalse(Outbox.objects.filter(subscription__isnull=False).exists())
        self.assertTrue(Outbox.objects.filter(to="lead@example.gov.vn").exists())
        page = self.client.get(reverse("notification_preferences")).content.decode()
        self.assertNotRegex(page, rf'name="push_{RuleCode.EVENT_RETURNED}"[^>]*checked')
        self.assertRegex(page, rf'name="push_{RuleCode.EVENT_ASSIGNED}"[^>]*checked')
        # The service keeps the other choice when only one is given.
        preference_set(user=self.p.lead_officer, rule=RuleCode.EVENT_RETURNED, mode="digest")
        self.assertFalse(self.p.lead_officer.notification_preferences.get(rule="ev_returned").push)

    def test_the_server_posts_only_to_the_allowed_push_services(self) -> None:
        refused = [
            "http://push.example.test/send/x",  # not https
            "https://127.0.0.1/send/x",
            "https://169.254.169.254/latest/meta-data",
            "https://evil.example/send/x",
            "https://push.example.test.evil.example/send/x",
            "https://push.example.test:8443/send/x",  # another port
            "https://user:pw@push.example.test/send/x",
            "https://push.example.test/" + "x" * 600,  # too long
            "file:///etc/passwd",
            "https:///send/x",  # no host at all
        ]
        for endpoint in refused:
            body = {**self.phone.subscription(), "endpoint": endpoint}
            response = self.subscribe(self.p.lead_officer, self.phone, body)
            self.assertEqual(response.status_code, 400, endpoint)
            self.assertRegex(response.json()["error"], "(?i)địa chỉ|dịch vụ", endpoint)
        bad_keys = {**self.phone.subscription(), "keys": {"p256dh": "AAAA", "auth": "AAAA"}}
        response = self.subscribe(self.p.lead_officer, self.phone, bad_keys)
        self.assertEqual(response.json()["error"], "Khoá mã hoá của thiết bị không hợp lệ.")
        for junk in ("không phải JSON", ["endpoint"], {"endpoint": 5, "keys": {}}):
            response = self.subscribe(self.p.lead_officer, self.phone, junk)
            self.assertEqual(response.status_code, 400)
            self.assertEqual(response.json()["error"], "Đây không phải đăng ký của một thiết bị.")
        self.assertFalse(PushSubscription.objects.exists())
        # A subscription stored under a wider setting is not sent to once it is narrowed.
        self.subscribe(self.p.lead_officer, self.phone)
        self.return_report()
        with override_settings(PUSH_HOSTS=["fcm.googleapis.com"]):
            outbox.send_outbox(TODAY_AT())
        self.assertEqual(self.service.received, [])
        self.assertIn("không gửi", Outbox.objects.get(subscription__isnull=False).last_error)

    def test_a_person_has_several_devices_and_turns_each_off_on_the_settings_page(self) -> None:
        self.subscribe(self.p.lead_officer, self.phone)
        self.subscribe(self.p.lead_officer, self.laptop)
        self.subscribe(self.p.coord_officer, self.other)
        self.client.force_login(self.p.lead_officer)
        page = self.client.get(reverse("notification_preferences")).content.decode()
        self.assertIn("Trình duyệt trên phone", page)
        self.assertIn("Trình duyệt trên laptop", page)
        self.assertNotIn("Trình duyệt trên other", page)
        self.assertIn(f'data-key="{PUBLIC}"', page)
        laptop = PushSubscription.objects.get(endpoint=self.laptop.endpoint)
        other = PushSubscription.objects.get(endpoint=self.other.endpoint)
        # Someone else's device: refused, nothing changed.
        response = self.client.post(reverse("push_unsubscribe"), {"id": other.pk}, follow=True)
        self.assertContains(response, "không phải thiết bị của bạn")
        self.assertEqual(PushSubscription.objects.count(), 3)
        response = self.client.post(reverse("push_unsubscribe"), {"id": laptop.pk}, follow=True)
        self.assertContains(response, "sẽ không nhận thông báo nữa")
        self.assertEqual(
            set(PushSubscription.objects.values_list("endpoint", flat=True)),
            {self.phone.endpoint, self.other.endpoint},
        )
        # A device taken over by another person (a shared phone) is told to its new person.
        self.subscribe(self.p.lead_head, self.phone)
        self.assertEqual(
            PushSubscription.objects.get(endpoint=self.phone.endpoint).user, self.p.lead_head
        )

    def test_an_outsider_cannot_subscribe_without_logging_in(self) -> None:
        self.client.logout()
        response = self.client.post(
            reverse("push_subscribe"),
            json.dumps(self.phone.subscription()),
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 302)
        self.assertFalse(PushSubscription.objects.exists())

    def test_a_new_task_opens_on_accept(self) -> None:
        from nhiemvu.test import register

        self.subscribe(self.p.lead_officer, self.phone)
        register(self.p, ref="77/UBND-KT")
        outbox.send_outbox(TODAY_AT())
        (new,) = self.received(self.phone)
        self.assertIn("?thong-bao=assigned", new["url"])
        self.client.force_login(self.p.lead_officer)
        page = self.client.get(new["url"]).content.decode()
        self.assertEqual(page.index('id="action-accept"'), page.index('id="action-'))  # first
        self.assertRegex(page, r'open id="action-accept"')

    def test_the_morning_reminders_reach_the_device_as_one_notice(self) -> None:
        from nhiemvu.reminders.schedule import Due, task_url
        from nhiemvu.reminders.services import deliver_batch

        self.subscribe(self.p.lead_officer, self.phone)
        dues = [
            Due(
                rule,
                f"t{self.task.pk}",
                period,
                (self.p.lead_officer.pk,),
                f"Nhắc việc {period}: {self.task.summary}",
                url=task_url(self.task.code),
                task_id=self.task.pk,
                org_id=self.task.lead_id,
            )
            for rule, period in ((RuleCode.BEFORE, "b3"), (RuleCode.OVERDUE, "o1"))
        ]
        deliver_batch(dues, TODAY_AT())
        outbox.send_outbox(TODAY_AT())
        (message,) = self.received(self.phone)  # one run, one notice, like the bell's
        self.assertIn("2 nhiệm vụ", message["title"])


def TODAY_AT(hours: int = 0, minutes: int = 0) -> dt.datetime:
    from nhiemvu.test import at

    return at(TODAY, 10) + dt.timedelta(hours=hours, minutes=minutes)


class PushKeysCommandTest(BaseTestCase):
    def test_push_keys_prints_a_pair_that_signs_and_is_read_from_the_environment(self) -> None:
        out = io.StringIO()
        call_command("push", "keys", stdout=out)
        lines = dict(line.split("=", 1) for line in out.getvalue().splitlines())
        self.assertEqual(
            set(lines),
            {"NHIEMVU_VAPID_PUBLIC_KEY", "NHIEMVU_VAPID_PRIVATE_KEY", "NHIEMVU_VAPID_SUBJECT"},
        )
        from py_vapid import Vapid02

        from nhiemvu.reminders.tests.pushservice import check_vapid

        vapid = Vapid02.from_raw(lines["NHIEMVU_VAPID_PRIVATE_KEY"].encode())
        endpoint = f"https://{HOST}/send/x"
        header = vapid.sign({"aud": f"https://{HOST}", "sub": SUBJECT, "exp": _in(3600)})
        check_vapid(header["Authorization"], endpoint, lines["NHIEMVU_VAPID_PUBLIC_KEY"], SUBJECT)


def _in(seconds: int) -> int:
    import time

    return int(time.time()) + seconds
