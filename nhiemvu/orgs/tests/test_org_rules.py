"""Who counts as the office, who may reorganise, who acts for an agency (issue 25): each a
predicate in orgs.rules (with its filter where a list needs one), and every consumer gives the
same answer for every persona, a superuser and the system (actor None).

is_office       the urging page, the Excel import, the document import (views) · the menu ·
                assignments.rules.can_manage · urging_letter_register (service)
can_reorganise  the reorganisation pages (views) · the menu · reorganisation_record (the
                reorganisation package's record) · transfer_plan_build (its plan)
acts_for        acting_memberships (filter) · reminders' agency_people · the delegation form's
                people
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from nhiemvu.accounts.models import User
from nhiemvu.assignments import rules as task_rules
from nhiemvu.assignments.forms import DelegateForm
from nhiemvu.assignments.reorganisation import plan as reorg_plan
from nhiemvu.assignments.reorganisation import record as reorg_record
from nhiemvu.orgs.models import ACTING_ROLES, Membership, ReorgKind, Role
from nhiemvu.orgs.rules import acts_for, allows, can_reorganise, is_office
from nhiemvu.orgs.selectors import acting_memberships
from nhiemvu.reminders.schedule import agency_people
from nhiemvu.reminders.services import urging_letter_register
from nhiemvu.test import BaseTestCase, make_user


class _Rollback(Exception):
    pass


def refused(call: Any) -> bool:
    """Whether a service refuses the actor (nothing it did is kept either way). A validation
    error after the permission check is not a refusal of the actor: the system (None) passes
    the check, then a record that needs a person (created_by, registered_by) says so."""
    try:
        with transaction.atomic():
            call()
            raise _Rollback
    except PermissionDenied:
        return True
    except (_Rollback, ValidationError):
        return False


class OrgRulesTest(BaseTestCase):
    superuser: User
    both: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.superuser = User.objects.create_superuser(
            username="root", password="x-password-123", full_name="Quản trị hệ thống"
        )
        # A second office officer who is also an agency's head: the roles add up.
        cls.both = make_user("both", cls.p.office_org, Role.OFFICE)
        Membership.objects.create(user=cls.both, org=cls.p.agency_b, role=Role.HEAD)

    def people(self) -> dict[str, Any]:
        return {**self.p.personas(), "superuser": self.superuser, "both": self.both}

    def test_the_menu_pages_and_services_agree_on_the_office(self) -> None:
        for name, user in self.people().items():
            expected = is_office(user)
            with self.subTest(name):
                self.client.force_login(user)
                pages = {
                    url: self.client.get(url).status_code
                    for url in ("/don-doc/", "/bao-cao/nhap-excel/", "/van-ban/nhap/")
                }
                self.assertEqual(pages, dict.fromkeys(pages, 200 if expected else 403))
                menu = self.client.get("/").content.decode()
                self.assertEqual('href="/bao-cao/nhap-excel/"' in menu, expected)
                self.assertEqual(bool(task_rules.can_manage(user, self.task)), expected)
                self.assertEqual(
                    refused(lambda u=user: self._letter(u)), not allows(user, is_office)
                )

    def _letter(self, actor: Any) -> None:
        urging_letter_register(
            actor=actor, org=self.p.agency_a, ref="77/UBND-KSTT", doc_date=dt.date(2026, 3, 11)
        )

    def test_the_menu_pages_and_services_agree_on_who_may_reorganise(self) -> None:
        reorg = reorg_record.reorganisation_record(
            actor=self.p.office,
            kind=ReorgKind.MERGE,
            effective_date=dt.date(2026, 4, 1),
            legal_basis="Nghị quyết 1/NQ-HĐND",
            sources=[self.p.agency_c],
            targets=[self.p.agency_b],
        )
        for name, user in [*self.people().items(), ("system", None)]:
            expected = allows(user, can_reorganise)
            with self.subTest(name):
                if user is not None:
                    self.assertEqual(expected, can_reorganise(user))
                    self.client.force_login(user)
                    status = self.client.get("/co-quan/sap-xep/").status_code
                    self.assertEqual(status, 200 if expected else 403)
                    detail = self.client.get(f"/co-quan/sap-xep/{reorg.code}/").status_code
                    self.assertEqual(detail, 200 if expected else 403)
                    menu = self.client.get("/").content.decode()
                    self.assertEqual('href="/co-quan/sap-xep/"' in menu, expected)
                record = lambda u=user: reorg_record.reorganisation_record(  # noqa: E731
                    actor=u,
                    kind=ReorgKind.RENAME,
                    effective_date=dt.date(2026, 4, 1),
                    legal_basis="Quyết định 2/QĐ-UBND",
                    sources=[self.p.agency_a],
                    new_name="Sở Khoa học, Công nghệ và Đổi mới sáng tạo",
                )
                self.assertEqual(refused(record), not expected)
                plan = lambda u=user: reorg_plan.transfer_plan_build(actor=u, reorg=reorg)  # noqa: E731
                self.assertEqual(refused(plan), not expected)

    def test_who_acts_for_an_agency_has_one_answer(self) -> None:
        agencies = [self.p.agency_a, self.p.agency_b, self.p.agency_c, self.p.office_org]
        for org in agencies:
            members = set(acting_memberships([org.pk]).values_list("user_id", flat=True))
            reminded = set(agency_people({org.pk}, ACTING_ROLES).get(org.pk, ()))
            form = DelegateForm(task=type("Task", (), {"lead_id": org.pk})())
            offered = {person.pk for person in form.people.values()}
            for name, user in self.people().items():
                with self.subTest(org=org.code, person=name):
                    expected = acts_for(user, org.pk)
                    self.assertEqual(user.pk in members, expected)
                    self.assertEqual(user.pk in reminded, expected)
                    self.assertEqual(user.pk in offered, expected)
        self.assertTrue(acts_for(self.both, self.p.agency_b.pk))
        self.assertFalse(acts_for(self.p.viewer, self.p.agency_a.pk))
