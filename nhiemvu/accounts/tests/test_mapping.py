"""accounts/mapping.py: what a provider or the directory says of a person → the person, their
organisation and role, or a refusal saying whom to ask (issue 30). The sign-ins (OIDC, LDAP)
and the directory sync all go through it; these tests hold the rules themselves."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import TestCase, override_settings
from django.utils import translation

from nhiemvu.accounts.mapping import Identity, Refused, deactivate, provision, resolve
from nhiemvu.accounts.models import ExternalAccount, User
from nhiemvu.audit.models import AuditEvent
from nhiemvu.orgs import matching
from nhiemvu.orgs.models import Membership, OrgAlias, Role
from nhiemvu.test import TODAY, Province, make_org, travel

RULES = {
    "org_groups": {
        "cn=skhcn-canbo,ou=groups,dc=gialai,dc=gov,dc=vn": "so-khcn",
        "stc-all": "so-tc",
    },
    "role_groups": {
        "cn=nhiemvu-lanhdao,ou=groups,dc=gialai,dc=gov,dc=vn": "head",
        "nhiemvu-vanphong": "office",
    },
    "contact": "Văn phòng UBND tỉnh (số máy lẻ 123)",
}


def person(username: str = "nguyen.van.a", **claims: Any) -> Identity:
    return Identity(
        source="ldap",
        subject=f"uuid-{username}",
        username=username,
        email=f"{username}@gialai.gov.vn",
        full_name="Nguyễn Văn A",
        claims={k: tuple(v) if isinstance(v, list) else (v,) for k, v in claims.items()},
    )


@override_settings(NHIEMVU_ACCOUNT_RULES=RULES)
class ResolveTest(TestCase):
    p: Province

    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = Province()
        OrgAlias.objects.create(org=cls.p.agency_b, alias="Sở Tài chính tỉnh Gia Lai")

    def setUp(self) -> None:
        self.traveller = travel(TODAY)
        self.traveller.start()
        self.addCleanup(self.traveller.stop)

    def test_it_places_a_person_by_the_organisation_code_claim_as_an_officer(self) -> None:
        found = resolve(person(departmentNumber="so-khcn"))
        self.assertEqual((found.org, found.role, found.refusal), (self.p.agency_a, "officer", ""))

    def test_it_places_a_person_by_a_group_dn_or_its_name(self) -> None:
        by_dn = resolve(
            person(memberOf="CN=SKHCN-canbo, OU=groups, DC=gialai, DC=gov, DC=vn")
        )  # as Active Directory writes it: capitals and spaces
        by_name = resolve(person(groups=["stc-all"]))
        self.assertEqual(by_dn.org, self.p.agency_a)
        self.assertEqual(by_name.org, self.p.agency_b)

    def test_it_takes_the_role_from_groups(self) -> None:
        found = resolve(
            person(
                departmentNumber="so-khcn",
                memberOf=["cn=nhiemvu-lanhdao,ou=groups,dc=gialai,dc=gov,dc=vn"],
            )
        )
        self.assertEqual((found.org, found.role), (self.p.agency_a, Role.HEAD))

    def test_it_matches_a_department_name_as_the_organisation_matcher_does_exactly(self) -> None:
        texts = [
            "SỞ TÀI CHÍNH",
            "so tai chinh",
            "Sở Tài chính tỉnh Gia Lai",  # an alias
            "Sở KH&CN",
            "Tài chính",  # a part of a name names no one
            "STC",  # initials: the picker's guess, never access
            "Sở",
        ]
        for text in texts:
            with self.subTest(text=text):
                expected = matching.find(text, strictness=matching.Strictness.EXACT, on=TODAY)
                self.assertEqual(resolve(person(department=text)).org, expected)
        self.assertIsNone(resolve(person(department="STC")).org)
        self.assertEqual(resolve(person(department="SỞ TÀI CHÍNH")).org, self.p.agency_b)

    def test_a_code_claim_decides_before_a_department(self) -> None:
        found = resolve(person(org_code="so-tc", department="Sở Khoa học và Công nghệ"))
        self.assertEqual(found.org, self.p.agency_b)

    def test_a_person_naming_no_organisation_is_told_whom_to_ask(self) -> None:
        found = resolve(person(department="Phòng Không Tồn Tại"))
        self.assertIsNone(found.org)
        self.assertEqual(found.reason, "no_org")
        self.assertIn("Văn phòng UBND tỉnh (số máy lẻ 123)", found.refusal)
        with translation.override("vi"):
            found = resolve(person())
        self.assertIn("không", found.refusal)  # said in Vietnamese
        self.assertIn("Văn phòng UBND tỉnh (số máy lẻ 123)", found.refusal)

    def test_a_person_naming_two_organisations_is_refused_not_guessed(self) -> None:
        found = resolve(person(departmentNumber=["so-khcn", "so-tc"]))
        self.assertEqual(found.reason, "ambiguous")
        self.assertIn("Sở Tài chính", found.refusal)
        self.assertIn("Sở Khoa học và Công nghệ", found.refusal)

    def test_an_organisation_that_ceased_gives_no_access(self) -> None:
        make_org("so-cu", "Sở Cũ", valid_to=dt.date(2025, 6, 30))
        found = resolve(person(org_code="so-cu"))
        self.assertEqual((found.org, found.reason), (None, "ceased"))

    def test_a_role_the_organisation_may_not_hold_is_refused(self) -> None:
        found = resolve(person(org_code="so-khcn", groups=["nhiemvu-vanphong"]))
        self.assertEqual(found.reason, "role")
        self.assertIsNone(found.org)
        office = resolve(person(org_code="vp", groups=["nhiemvu-vanphong"]))
        self.assertEqual((office.org, office.role), (self.p.office_org, Role.OFFICE))

    def test_the_defaults_place_nobody_by_groups(self) -> None:
        with override_settings(NHIEMVU_ACCOUNT_RULES={}):
            found = resolve(person(groups=["stc-all"]))
            self.assertEqual(found.reason, "no_org")
            self.assertEqual(resolve(person(departmentNumber="so-tc")).org, self.p.agency_b)


@override_settings(NHIEMVU_ACCOUNT_RULES=RULES)
class ProvisionTest(TestCase):
    p: Province

    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = Province()

    def setUp(self) -> None:
        self.traveller = travel(TODAY)
        self.traveller.start()
        self.addCleanup(self.traveller.stop)

    def sign_in(self, identity: Identity) -> User:
        return provision(identity, resolve(identity))

    def test_it_creates_the_person_without_a_password_and_with_the_membership(self) -> None:
        user = self.sign_in(person(departmentNumber="so-khcn"))
        self.assertFalse(user.has_usable_password())
        self.assertEqual(user.full_name, "Nguyễn Văn A")
        self.assertEqual(user.email, "nguyen.van.a@gialai.gov.vn")
        self.assertEqual(
            list(Membership.objects.filter(user=user).values_list("org__code", "role")),
            [("so-khcn", "officer")],
        )
        actions = set(AuditEvent.objects.values_list("action", flat=True))
        self.assertLessEqual({"user.create", "membership.grant"}, actions)

    def test_signing_in_again_changes_nothing(self) -> None:
        first = self.sign_in(person(departmentNumber="so-khcn"))
        events = AuditEvent.objects.count()
        again = self.sign_in(person(departmentNumber="so-khcn"))
        self.assertEqual(first.pk, again.pk)
        self.assertEqual(AuditEvent.objects.count(), events)
        self.assertEqual(Membership.objects.filter(user=first).count(), 1)

    def test_a_move_replaces_the_membership_and_is_audited(self) -> None:
        user = self.sign_in(person(departmentNumber="so-khcn"))
        # A membership an administrator granted by hand is not the directory's to take away.
        Membership.objects.create(user=user, org=self.p.agency_c, role=Role.VIEWER)
        self.sign_in(person(departmentNumber="so-tc"))
        self.assertEqual(
            set(Membership.objects.filter(user=user).values_list("org__code", "role")),
            {("so-tc", "officer"), ("tay-son", "viewer")},
        )
        move = AuditEvent.objects.get(action="account.move")
        self.assertEqual(str(move.target_id), str(user.pk))
        self.assertEqual(move.before, {"org": "so-khcn", "role": "officer"})
        self.assertEqual(move.after["org"], "so-tc")
        self.assertTrue(AuditEvent.objects.filter(action="membership.revoke").exists())

    def test_a_refused_person_gets_no_account(self) -> None:
        identity = person(department="Phòng Không Tồn Tại")
        with self.assertRaises(Refused) as caught:
            self.sign_in(identity)
        self.assertIn("Văn phòng UBND tỉnh", caught.exception.message)
        self.assertFalse(User.objects.filter(username="nguyen.van.a").exists())
        self.assertFalse(ExternalAccount.objects.exists())

    def test_a_local_account_of_the_same_name_is_not_taken_over(self) -> None:
        with self.assertRaises(Refused):
            self.sign_in(person("admin", departmentNumber="vp"))
        admin = User.objects.get(username="admin")
        self.assertTrue(admin.has_usable_password())
        self.assertFalse(ExternalAccount.objects.exists())

    def test_a_person_who_left_comes_back_but_one_disabled_by_hand_does_not(self) -> None:
        user = self.sign_in(person(departmentNumber="so-khcn"))
        deactivate(ExternalAccount.objects.get(user=user), reason="left")
        user.refresh_from_db()
        self.assertFalse(user.is_active)
        self.assertTrue(AuditEvent.objects.filter(action="account.leave").exists())
        self.assertTrue(self.sign_in(person(departmentNumber="so-khcn")).is_active)

        User.objects.filter(pk=user.pk).update(is_active=False)  # an administrator's decision
        with self.assertRaises(Refused):
            self.sign_in(person(departmentNumber="so-khcn"))
        user.refresh_from_db()
        self.assertFalse(user.is_active)


class RulesCheckTest(TestCase):
    def test_the_shipped_rules_pass_and_a_misspelt_or_wrong_rule_is_reported(self) -> None:
        from nhiemvu.accounts.apps import account_rules_check

        self.assertEqual(account_rules_check(), [])
        with override_settings(NHIEMVU_ACCOUNT_RULES=RULES):
            self.assertEqual(account_rules_check(), [])
        bad = {"org_code_claim": ["x"], "role_groups": {"g": "chief"}, "group_claims": "groups"}
        with override_settings(NHIEMVU_ACCOUNT_RULES=bad):
            messages = " ".join(m.msg for m in account_rules_check())
        self.assertIn("unknown key 'org_code_claim'", messages)
        self.assertIn("unknown role 'chief'", messages)
        self.assertIn("group_claims must be a list", messages)
