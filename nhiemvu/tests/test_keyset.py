"""Keyset pages against the database: forward and backward walks give every row once, in order."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from nhiemvu import keyset
from nhiemvu.assignments.models import Assignment
from nhiemvu.assignments.services import TaskSpec
from nhiemvu.test import Province, register

DAYS = st.one_of(st.none(), st.integers(min_value=0, max_value=4))  # few values: many ties


class KeysetTest(HypothesisTestCase):
    def setUp(self) -> None:
        self.p = Province()

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        offsets=st.lists(DAYS, min_size=0, max_size=23),
        size=st.integers(min_value=1, max_value=7),
        descending=st.booleans(),
        field=st.sampled_from(["deadline", "assigned_on"]),
    )
    def test_walks_cover_every_row_once_in_order(
        self, offsets: list[int | None], size: int, descending: bool, field: str
    ) -> None:
        if offsets:
            register(
                self.p,
                ref="9/UBND-VX",
                tasks=[
                    TaskSpec(
                        content=f"Việc {i}",
                        lead=self.p.agency_a,
                        deadline=None if o is None else dt.date(2026, 4, 1 + o),
                        no_deadline_reason="" if o is not None else "Thường xuyên",
                    )
                    for i, o in enumerate(offsets)
                ],
            )
        order = keyset.Order(field, descending=descending)
        qs = Assignment.objects.all()
        expected = list(qs.order_by(*order.order_by()).values_list("code", flat=True))
        dated = [c for c in expected if getattr(qs.get(code=c), field) is not None]
        self.assertEqual(expected[: len(dated)], dated)  # no-deadline tasks come last

        pages, after = [], ""
        while True:
            page = keyset.page(qs, order, size=size, after=after)
            pages.append([t.code for t in page.rows])
            if page.next is None:
                break
            after = page.next
        self.assertEqual([c for p in pages for c in p], expected)
        self.assertTrue(all(len(p) == size for p in pages[:-1]))

        # Walking back from the last page visits the same pages in reverse.
        back, before = [pages[-1]], page.previous
        while before:
            page = keyset.page(qs, order, size=size, before=before)
            back.append([t.code for t in page.rows])
            before = page.previous
        self.assertEqual(back[::-1], pages)

    def test_a_forged_cursor_is_refused(self) -> None:
        for token in ["x", "e30", keyset.encode(None, "a" * 50)[:-2] + "!!"]:
            with self.assertRaises(keyset.CursorError):
                keyset.decode(token)
