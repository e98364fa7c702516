"""An organisation is found the way a clerk types it, everywhere an organisation is chosen."""

from __future__ import annotations

from nhiemvu.orgs import picker
from nhiemvu.orgs.models import OrgAlias, Organisation, OrgKind
from nhiemvu.test import BaseTestCase


class PickerTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for n, name in enumerate(["Phường Quy Nhơn", "Xã Tuy Phước", "Xã An Nhơn"]):
            Organisation.objects.create(code=f"xa-{n}", name=name, kind=OrgKind.COMMUNE)
        OrgAlias.objects.create(org=cls.p.agency_a, alias="Sở KHCN")

    def values(self, typed: str) -> list[str]:
        return [choice.value for choice in picker.search(typed)]

    def test_a_name_is_found_with_or_without_diacritics_and_in_part(self) -> None:
        for typed in ("Sở Tài chính", "so tai chinh", "tài chính", "TAI CHINH"):
            self.assertEqual(self.values(typed)[0], "so-tc", typed)

    def test_an_abbreviation_finds_its_organisation(self) -> None:
        self.assertEqual(self.values("STC")[0], "so-tc")
        self.assertEqual(self.values("KH&CN")[0], "so-khcn")
        self.assertEqual(self.values("khcn")[0], "so-khcn")
        self.assertEqual(self.values("Sở KHCN")[0], "so-khcn")  # an alias

    def test_a_group_is_offered_whole_with_its_count(self) -> None:
        (group, *_rest) = picker.search("xã, phường")
        self.assertEqual(group.value, "group:communes")
        self.assertEqual(sorted(group.members), ["xa-0", "xa-1", "xa-2"])
        self.assertEqual(group.as_dict()["count"], 3)

    def test_nothing_typed_nothing_found_and_long_input_is_bounded(self) -> None:
        self.assertEqual(picker.search("   "), [])
        self.assertEqual(picker.search("x" * 10_000), [])

    def test_the_search_endpoint_needs_a_signed_in_person(self) -> None:
        response = self.client.get("/co-quan/tim/?q=STC")
        self.assertEqual(response.status_code, 302)
        self.login(self.p.lead_officer)
        results = self.client.get("/co-quan/tim/?q=STC").json()["results"]
        self.assertEqual(results[0]["value"], "so-tc")
        self.assertEqual(results[0]["label"], "Sở Tài chính")

    def test_the_task_list_filter_takes_a_typed_name(self) -> None:
        self.login(self.p.office)
        page = self.client.get("/nhiem-vu/", {"org": "Sở Khoa học và Công nghệ", "role": "lead"})
        self.assertContains(page, self.task.summary[:30])
        self.assertContains(page, 'data-org-picker="/co-quan/tim/"')
        other = self.client.get("/nhiem-vu/", {"org": "STC", "role": "lead"})
        self.assertNotContains(other, f'href="/nhiem-vu/{self.task.code}/"')
        unknown = self.client.get("/nhiem-vu/", {"org": "Sở Không Có"})
        self.assertContains(unknown, "Không có cơ quan")
