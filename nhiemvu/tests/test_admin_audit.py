"""What an administrator changes in the admin is audited like what a service changes, and the
rules of the services hold there too."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from nhiemvu.audit.models import AuditEvent
from nhiemvu.orgs.models import CalendarOverride, Membership, Organisation
from nhiemvu.test import BaseTestCase
from nhiemvu.webhooks.models import Webhook


class AdminAuditTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        root = get_user_model().objects.create_superuser("root", "root@example.invalid", "x")
        self.client.force_login(root)
        self.root = root

    def events(self, action: str) -> list[AuditEvent]:
        return list(AuditEvent.objects.filter(action=action, actor=self.root).order_by("id"))

    def test_an_organisation_renamed_in_the_admin_is_audited_with_before_and_after(self) -> None:
        org = self.p.agency_b
        response = self.client.post(
            f"/quan-tri/orgs/organisation/{org.pk}/change/",
            {
                "code": org.code,
                "name": "Sở Tài chính tỉnh Gia Lai",
                "short_name": "",
                "kind": org.kind,
                "aliases-TOTAL_FORMS": "1",
                "aliases-INITIAL_FORMS": "0",
                "aliases-0-alias": "STC Gia Lai",
            },
        )
        self.assertEqual(response.status_code, 302, response.content[-2000:])
        (change,) = self.events("organisation.admin_change")
        self.assertEqual(change.before["name"], "Sở Tài chính")
        self.assertEqual(change.after["name"], "Sở Tài chính tỉnh Gia Lai")
        self.assertEqual(len(self.events("orgalias.admin_create")), 1)

    def test_a_calendar_day_off_is_audited_and_takes_effect(self) -> None:
        from nhiemvu.lib import workdays

        response = self.client.post(
            "/quan-tri/orgs/calendaroverride/add/",
            {"date": "2026-03-13", "is_working": "", "reason": "Nghỉ bù"},
        )
        self.assertEqual(response.status_code, 302)
        # Through the service: its audit row (one, not the admin's as well) and its cache refresh.
        (created,) = self.events("calendar.override")
        self.assertEqual(created.after["reason"], "Nghỉ bù")
        self.assertEqual(self.events("calendaroverride.admin_create"), [])
        self.assertFalse(workdays.is_working_day(CalendarOverride.objects.get().date))
        # Moving the day in the form moves it: the old date is a working day again.
        override = CalendarOverride.objects.get()
        self.client.post(
            f"/quan-tri/orgs/calendaroverride/{override.pk}/change/",
            {"date": "2026-03-16", "is_working": "", "reason": "Nghỉ bù"},
        )
        self.assertEqual(
            list(CalendarOverride.objects.values_list("date", flat=True)), [dt.date(2026, 3, 16)]
        )
        self.assertTrue(workdays.is_working_day(dt.date(2026, 3, 13)))
        self.assertFalse(workdays.is_working_day(dt.date(2026, 3, 16)))

    def test_a_webhook_secret_never_reaches_the_audit_log(self) -> None:
        response = self.client.post(
            "/quan-tri/webhooks/webhook/add/",
            {
                "name": "QLVB",
                "url": "https://qlvb.example.invalid/hook",
                "secret": "s3cret-value-123",
                "events": ["task.created"],
                "active": "on",
            },
        )
        self.assertEqual(response.status_code, 302, response.content[-2000:])
        self.assertTrue(Webhook.objects.exists())
        (created,) = self.events("webhook.admin_create")
        self.assertNotIn("s3cret-value-123", str(created.after))
        self.client.post(
            f"/quan-tri/webhooks/webhook/{Webhook.objects.get().pk}/delete/", {"post": "yes"}
        )
        self.assertEqual(len(self.events("webhook.admin_delete")), 1)

    def test_an_agency_member_cannot_be_given_the_offices_powers(self) -> None:
        before = Membership.objects.count()
        response = self.client.post(
            "/quan-tri/orgs/membership/add/",
            {"user": self.p.coord_officer.pk, "org": self.p.agency_b.pk, "role": "office"},
        )
        self.assertContains(
            response, "Không ai trong Sở Tài chính", status_code=200
        )  # the form again, refused
        self.assertEqual(Membership.objects.count(), before)
        self.assertEqual(self.events("membership.admin_create"), [])
        self.assertTrue(Organisation.objects.filter(pk=self.p.agency_b.pk).exists())
