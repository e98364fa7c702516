"""An administrator can administer (issue 27): the Administrator role brings the admin site's
permissions (the group a data migration made), and loses them with the role."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from nhiemvu.orgs import services
from nhiemvu.orgs.models import ADMIN_GROUP, Membership, Role, admin_codenames
from nhiemvu.test import BaseTestCase
from nhiemvu.tests import certs


class AdminAccessTest(BaseTestCase):
    def test_the_group_holds_what_an_administrator_needs(self) -> None:
        # Made by accounts/0003 on the test database, which migrations built from nothing.
        group = Group.objects.get(name=ADMIN_GROUP)
        held = set(group.permissions.values_list("content_type__app_label", "codename"))
        self.assertEqual(held, set(admin_codenames()))
        self.assertIn(("orgs", "add_trustroot"), held)
        self.assertNotIn(("audit", "change_auditevent"), held)

    def test_the_administrator_adds_a_trusted_authority_in_the_admin_site(self) -> None:
        self.login(self.p.admin)
        index = self.client.get("/quan-tri/")
        self.assertNotContains(index, "Bạn không có quyền xem hoặc chỉnh sửa bất cứ gì")
        self.assertContains(index, "/quan-tri/orgs/trustroot/")
        chain = certs.chain("CA Chính phủ thử")
        upload = SimpleUploadedFile("ca.pem", chain.root.pem)
        response = self.client.post(
            "/quan-tri/orgs/trustroot/add/", {"name": "CA Chính phủ thử", "upload": upload}
        )
        self.assertEqual(response.status_code, 302)
        self.assertContains(self.client.get("/quan-tri/orgs/trustroot/"), "CA Chính phủ thử")
        self.assertEqual(self.client.get("/quan-tri/audit/auditevent/").status_code, 200)

    def test_the_role_granted_brings_the_access_and_revoked_takes_it(self) -> None:
        person = services.user_upsert(actor=self.p.admin, username="moi", full_name="Người mới")
        self.login(person)
        self.assertEqual(self.client.get("/quan-tri/").status_code, 302)  # to the admin login
        membership = services.membership_grant(
            actor=self.p.admin, user=person, org=self.p.office_org, role=Role.ADMIN
        )
        person.refresh_from_db()
        self.assertTrue(person.is_staff)
        self.assertEqual(self.client.get("/quan-tri/orgs/trustroot/add/").status_code, 200)
        services.membership_revoke(actor=self.p.admin, membership=membership)
        person.refresh_from_db()
        self.assertFalse(person.is_staff)
        self.assertFalse(person.groups.filter(name=ADMIN_GROUP).exists())
        self.assertNotEqual(self.client.get("/quan-tri/orgs/trustroot/add/").status_code, 200)

    def test_a_role_removed_in_the_admin_site_takes_the_access_too(self) -> None:
        self.login(self.p.admin)
        other = services.user_upsert(actor=self.p.admin, username="hai", full_name="Hai")
        Membership.objects.create(user=other, org=self.p.office_org, role=Role.ADMIN)
        row = Membership.objects.get(user=other)
        response = self.client.post(f"/quan-tri/orgs/membership/{row.pk}/delete/", {"post": "yes"})
        self.assertEqual(response.status_code, 302)
        other.refresh_from_db()
        self.assertFalse(other.is_staff)
        self.assertFalse(other.groups.filter(name=ADMIN_GROUP).exists())
