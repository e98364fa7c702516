"""Webhooks: a receiver verifies the signature; events are sent once, retried, never lost."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

from nhiemvu.assignments import services
from nhiemvu.test import BaseTestCase, at, travel
from nhiemvu.webhooks import services as hooks
from nhiemvu.webhooks.models import Delivery, DeliveryStatus, Webhook

SECRET = "bi-mat-chung-cua-hai-he-thong-2026"


class Receiver:
    """A receiving system on a local port: verifies each delivery as its developers would."""

    def __init__(self, fail_first: int = 0) -> None:
        self.received: list[dict[str, Any]] = []
        self.rejected = 0
        self.fail_first = fail_first
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                timestamp = self.headers["X-Nhiemvu-Timestamp"]
                expected = (
                    "sha256="
                    + hmac.new(
                        SECRET.encode(), timestamp.encode() + b"." + body, hashlib.sha256
                    ).hexdigest()
                )
                if not hmac.compare_digest(expected, self.headers["X-Nhiemvu-Signature"]):
                    receiver.rejected += 1
                    self.send_response(401)
                elif receiver.fail_first > 0:
                    receiver.fail_first -= 1
                    self.send_response(503)
                else:
                    receiver.received.append(
                        {"event": self.headers["X-Nhiemvu-Event"], **json.loads(body)}
                    )
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class WebhookTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.receiver = Receiver()
        self.addCleanup(self.receiver.close)
        self.hook = Webhook.objects.create(name="LGSP", url=self.receiver.url, secret=SECRET)

    def complete_and_confirm(self) -> None:
        services.assignment_report_completion(
            actor=self.p.lead_officer,
            task=self.task,
            output_ref="12/BC-SKHCN",
            output_date=dt.date(2026, 3, 10),
        )
        services.assignment_confirm(actor=self.p.office, task=self.reload(), note="")

    def test_signed_events_reach_the_receiver_once(self) -> None:
        self.complete_and_confirm()
        self.assertEqual(hooks.run_once(at(dt.date(2026, 3, 11), 11)), 2)
        self.assertEqual(self.receiver.rejected, 0)
        events = [r["event"] for r in self.receiver.received]
        self.assertEqual(events, ["task.completed", "task.confirmed"])
        confirmed = self.receiver.received[1]
        self.assertEqual(confirmed["task"]["code"], self.task.code)
        self.assertEqual(confirmed["task"]["status"], "done_on_time")
        self.assertEqual(hooks.run_once(at(dt.date(2026, 3, 11), 12)), 0)  # nothing twice
        self.assertEqual(len(self.receiver.received), 2)

    def test_a_wrong_secret_is_caught_by_the_receiver(self) -> None:
        Webhook.objects.filter(pk=self.hook.pk).update(secret="khac")
        self.complete_and_confirm()
        hooks.run_once(at(dt.date(2026, 3, 11), 11))
        self.assertEqual(self.receiver.rejected, 2)
        self.assertEqual(self.receiver.received, [])
        self.assertEqual(Delivery.objects.filter(status=DeliveryStatus.PENDING).count(), 2)

    def test_a_failing_receiver_is_retried_with_back_off_until_it_answers(self) -> None:
        self.receiver.fail_first = 2
        self.complete_and_confirm()
        start = at(dt.date(2026, 3, 11), 11)
        hooks.run_once(start)  # both fail (503)
        delivery = Delivery.objects.get(event="task.completed")
        self.assertEqual((delivery.attempts, delivery.response_status), (1, 503))
        self.assertEqual(hooks.run_once(start + dt.timedelta(seconds=30)), 0)  # not yet due
        hooks.run_once(start + dt.timedelta(minutes=2))
        self.assertEqual(
            sorted(r["event"] for r in self.receiver.received), ["task.completed", "task.confirmed"]
        )
        self.assertFalse(Delivery.objects.exclude(status=DeliveryStatus.SENT).exists())

    def test_a_rolled_back_change_sends_nothing(self) -> None:
        from django.core.exceptions import ValidationError

        with self.assertRaises(ValidationError):
            services.assignment_report_completion(
                actor=self.p.lead_officer,
                task=self.task,
                output_ref="12/BC",
                output_date=dt.date(2026, 12, 31),  # in the future: refused
            )
        self.assertFalse(Delivery.objects.exists())

    def test_overdue_is_announced_once_per_deadline_and_org_filters_apply(self) -> None:
        other = Webhook.objects.create(
            name="Sở Tài chính", url=self.receiver.url, secret=SECRET, org=self.p.agency_c
        )
        with travel(dt.date(2026, 4, 1)):
            hooks.run_once(at(dt.date(2026, 4, 1), 9))
            hooks.run_once(at(dt.date(2026, 4, 1), 10))
        overdue = [r for r in self.receiver.received if r["event"] == "task.overdue"]
        self.assertEqual(len(overdue), 1)
        self.assertFalse(Delivery.objects.filter(webhook=other).exists())  # not its task

    def test_the_created_event_for_a_new_task(self) -> None:
        from nhiemvu.test import register

        register(self.p, ref="5/UBND-VX")
        hooks.run_once(at(dt.date(2026, 3, 11), 11))
        self.assertEqual([r["event"] for r in self.receiver.received], ["task.created"])
