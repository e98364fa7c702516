"""Which organisation a text names (issue 25): one matcher, orgs.matching, its strictness said at
each call. EXACT is identity (a registered name, short name, alias or code, diacritics, case,
spaces and punctuation aside); SCORED (the picker) adds initials, beginnings and words, and its
best tier is exactly EXACT's identity. Aliases count everywhere.

The agreement test holds every consumer to an identity written here, independently of the
module, over generated organisations and texts:

EXACT   matching.Directory.matches / find · matching.names_org · directives.files.signed_by
        (a certificate's O/OU) · the Excel import's rows (directives.excel.validate) · the
        reader's named issuer (directives.selectors._issuer_for)
SCORED  matching.score (tier 0 = identity) · picker.search (best first) · picker.find (the task
        list's filter)
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from nhiemvu.directives import excel
from nhiemvu.directives.files import signed_by
from nhiemvu.directives.selectors import _issuer_for
from nhiemvu.lib.vntext import fold
from nhiemvu.orgs import matching, picker
from nhiemvu.orgs.models import OrgAlias, Organisation, OrgKind
from nhiemvu.orgs.selectors import province_on
from nhiemvu.test import BaseTestCase, Province


class MatchingTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        OrgAlias.objects.create(org=cls.p.agency_a, alias="Sở Khoa học Công nghệ Gia Lai")

    def test_it_filters_the_task_list_by_an_alias_only_name(self) -> None:
        # The picker suggests an organisation by its alias; the filter must take it too.
        self.login(self.p.office)
        page = self.client.get(
            "/nhiem-vu/", {"org": "Sở Khoa học Công nghệ Gia Lai", "role": "lead"}
        )
        self.assertContains(page, f'href="/nhiem-vu/{self.task.code}/"')
        self.assertEqual(picker.search("Khoa học Công nghệ Gia Lai")[0].value, "so-khcn")

    def test_it_takes_no_word_of_a_name_for_the_organisation(self) -> None:
        for text in ("Sở", "SỞ", "TÀI CHÍNH", "Khoa học", "tỉnh", "Sở Tài"):
            self.assertIsNone(matching.find(text), text)
            self.assertFalse(matching.names_org([text], self.p.agency_b), text)

    def test_it_takes_a_name_however_it_is_written(self) -> None:
        for text in ("SỞ TÀI CHÍNH", "so tai chinh", "Sở  Tài-chính", "so-tc"):
            self.assertEqual(matching.find(text), self.p.agency_b, text)
        self.assertEqual(matching.find("Sở KH-CN"), self.p.agency_a)  # the short name

    def test_it_takes_the_codes_a_certificate_writes(self) -> None:
        self.p.agency_b.tax_code = "4100259211"
        self.p.agency_b.electronic_id = "000.00.12.H21"
        self.p.agency_b.save()
        for code in ("MST:4100259211", "VATVN-4100259211", "000.00.12.H21", "NTRVN-000.00.12.H21"):
            self.assertTrue(matching.names_org([], self.p.agency_b, codes=[code]), code)
        self.assertFalse(matching.names_org([], self.p.agency_b, codes=["MST:41002592"]))
        self.assertFalse(matching.names_org([], self.p.agency_a, codes=["MST:4100259211"]))

    def test_an_ambiguous_name_names_no_one(self) -> None:
        Organisation.objects.create(code="so-tc-2", name="Sở Tài chính", kind=OrgKind.DEPARTMENT)
        self.assertIsNone(matching.find("Sở Tài chính"))

    def test_the_import_names_a_lead_by_its_short_name_written_otherwise(self) -> None:
        headers = [title for _key, title, _required in excel.FIELDS]
        mapping: dict[str, int | None] = {key: i for i, (key, _t, _r) in enumerate(excel.FIELDS)}
        row = ["1/UBND-KT", "02/03/2026", "Về việc", "Việc", "SỞ KH-CN", "", "", "31/03/2026", ""]
        (parsed,) = excel.validate(headers, [row], mapping)
        self.assertEqual(parsed.values["lead_org"], self.p.agency_a)
        row[4] = "Tài chính"  # part of a name: refused, with the name suggested
        (parsed,) = excel.validate(headers, [row], mapping)
        self.assertIsNone(parsed.values["lead_org"])
        self.assertIn("Sở Tài chính", " ".join(parsed.errors))


# --- agreement over generated organisations and texts ----------------------------------------

WORDS = ["Sở", "Tài", "chính", "Khoa", "học", "Công", "nghệ", "Ban", "Dân", "tộc", "Y", "tế"]
NAME = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)
ORG = st.tuples(NAME, st.one_of(st.just(""), NAME), st.lists(NAME, max_size=2))


def _bare(text: str) -> str:
    """The test's own identity key (not the module's): no marks, no case, letters and digits."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^a-z0-9]", "", text)


def _spellings(name: str) -> list[str]:
    words = name.split()
    return [name, name.upper(), name.lower(), "-".join(words), words[0], f"{name} tỉnh Gia Lai"]


class AgreementTest(HypothesisTestCase):
    p: Province

    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = Province()
        # Only generated organisations take part (the personas' would add fixed names).
        Organisation.objects.exclude(pk__in=[cls.p.province.pk]).filter(
            memberships__isnull=True
        ).delete()

    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        orgs=st.lists(ORG, min_size=1, max_size=4), picks=st.lists(st.integers(0, 99), max_size=6)
    )
    def test_every_consumer_names_the_same_organisation(
        self, orgs: list[tuple[str, str, list[str]]], picks: list[int]
    ) -> None:
        Organisation.objects.filter(code__startswith="gen-").delete()
        made: list[tuple[Organisation, set[str]]] = []
        taken: set[str] = set()
        for n, (name, short, aliases) in enumerate(orgs):
            org = Organisation.objects.create(
                code=f"gen-{n}", name=name, short_name=short, kind=OrgKind.DEPARTMENT
            )
            keys = {_bare(name), _bare(short), _bare(org.code)} - {""}
            for alias in aliases:
                folded = fold(alias)
                if folded in taken:
                    continue
                taken.add(folded)
                OrgAlias.objects.create(org=org, alias=alias)
                keys.add(_bare(alias))
            made.append((org, keys))
        everyone = {o.pk: o for o in Organisation.objects.all()}
        known = matching.Directory.load()
        other_keys = {
            pk: {_bare(n) for n in (o.name, o.short_name, o.code)} - {""}
            for pk, o in everyone.items()
            if not o.code.startswith("gen-")
        }
        texts = [s for org, _keys in made for s in _spellings(org.name)]
        texts += [WORDS[i % len(WORDS)] for i in picks]
        headers = [title for _key, title, _required in excel.FIELDS]
        mapping: dict[str, int | None] = {key: i for i, (key, _t, _r) in enumerate(excel.FIELDS)}
        day = dt.date(2026, 3, 2)
        for text in texts:
            truth = {org.pk for org, keys in made if _bare(text) in keys}
            truth |= {pk for pk, keys in other_keys.items() if _bare(text) in keys}
            one = everyone[next(iter(truth))] if len(truth) == 1 else None
            entries = {e.id: e for e in known.entries}
            self.assertEqual(
                {e.id for e in known.matches(text, matching.Strictness.EXACT)}, truth, text
            )
            self.assertEqual(
                {pk for pk, e in entries.items() if matching.score(text, e) == 0}, truth, text
            )
            self.assertEqual(matching.find(text), one, text)
            for org, _keys in made:
                named = org.pk in truth
                self.assertEqual(matching.names_org([text], org), named, (text, org.name))
                verdict = {"organisation": text, "organisation_names": [text]}
                self.assertEqual(signed_by(verdict, org), named, (text, org.name))
            self.assertEqual(_issuer_for(text, day), one or province_on(day), text)
            row = ["1/UBND-KT", "02/03/2026", "Về việc", "Việc", text, "", "", "31/03/2026", ""]
            (parsed,) = excel.validate(headers, [row], mapping)
            self.assertEqual(parsed.values.get("lead_org"), one, text)
            # SCORED: the picker's best tier is identity; its filter takes the one clear match.
            choices = [c for c in picker.search(text, on=day) if not c.value.startswith("group:")]
            if truth:
                self.assertIn(choices[0].value, {everyone[pk].code for pk in truth}, text)
            clear = [
                pk
                for pk, e in entries.items()
                if (s := matching.score(text, e)) is not None and s <= 1
            ]
            expected = everyone[clear[0]] if len(clear) == 1 else None
            self.assertEqual(picker.find(text), expected, text)
