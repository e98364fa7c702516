"""The outbox sends each message once through a sender's death and a batch that outlives its
lease (issue 28): what a person notices is the same reminder arriving twice."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any
from unittest import mock

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import TestCase

from nhiemvu.reminders import outbox
from nhiemvu.reminders.models import Outbox
from nhiemvu.test import at

D = dt.date
WHEN = at(D(2026, 3, 13), 8)


class Killed(BaseException):
    """kill -9 of the sender: nothing of it runs after this point (no except clause sees it)."""


def queue(count: int) -> list[Outbox]:
    return [
        Outbox.objects.create(
            to=f"can.bo{i}@example.gov.vn",
            subject=f"Nhắc việc {i}",
            text="Nhiệm vụ sắp đến hạn",
            created_at=WHEN,
            next_attempt_at=WHEN,
        )
        for i in range(count)
    ]


def delivered() -> Counter[str]:
    return Counter(m.extra_headers["Message-ID"] for m in mail.outbox)


class OutboxTest(TestCase):
    def test_it_resends_at_most_the_message_in_flight_when_the_sender_dies_mid_batch(
        self,
    ) -> None:
        messages = queue(6)
        real_send = EmailBackend.send_messages
        calls = {"n": 0}

        def accept_then_die_on_the_third(backend: Any, batch: Any) -> int:
            sent = real_send(backend, batch)  # the mail server has accepted it…
            calls["n"] += 1
            if calls["n"] == 3:
                raise Killed  # …and the sender dies before it can note that
            return sent

        with (
            mock.patch("django.utils.timezone.now", return_value=WHEN),
            mock.patch.object(EmailBackend, "send_messages", accept_then_die_on_the_third),
            self.assertRaises(Killed),
        ):
            outbox.send_batch(WHEN)
        self.assertEqual(Outbox.objects.filter(sent_at__isnull=False).count(), 2)

        later = WHEN + outbox.LEASE + dt.timedelta(minutes=1)
        with mock.patch("django.utils.timezone.now", return_value=later):
            outbox.send_outbox(later)

        counts = delivered()
        self.assertEqual(Outbox.objects.filter(sent_at__isnull=True).count(), 0)
        self.assertEqual(set(counts), {m.message_id for m in messages})  # nothing lost
        self.assertEqual(counts[messages[0].message_id], 1)
        self.assertEqual(counts[messages[1].message_id], 1)
        self.assertEqual(counts[messages[2].message_id], 2)  # the one in flight at the kill
        self.assertEqual(sum(counts.values()), 7)

    def test_a_batch_that_outlives_its_lease_does_not_send_what_another_sender_took(
        self,
    ) -> None:
        messages = queue(5)
        real_send = EmailBackend.send_messages
        clock: dict[str, Any] = {"now": WHEN, "sends": 0}

        def slow_server(backend: Any, batch: Any) -> int:
            # A slow mail server: two minutes a message. After the third, the batch has outlived
            # the lease it took at the start, and a second sender claims and sends what is left.
            sent = real_send(backend, batch)
            clock["now"] += dt.timedelta(minutes=2)
            clock["sends"] += 1
            if clock["sends"] == 3:
                outbox.send_outbox(clock["now"])
            return sent

        with (
            mock.patch("django.utils.timezone.now", side_effect=lambda: clock["now"]),
            mock.patch.object(EmailBackend, "send_messages", slow_server),
        ):
            outbox.send_batch(WHEN)

        counts = delivered()
        self.assertEqual(counts, Counter({m.message_id: 1 for m in messages}))
        self.assertEqual(Outbox.objects.filter(sent_at__isnull=True).count(), 0)
