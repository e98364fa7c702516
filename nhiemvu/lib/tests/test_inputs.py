"""Whole numbers from requests: ASCII digits within bounds, nothing else (issue 24 item 3)."""

from __future__ import annotations

from django.test import SimpleTestCase
from hypothesis import given
from hypothesis import strategies as st

from nhiemvu.lib.inputs import ID_MAX, whole_number, whole_numbers


class WholeNumberTest(SimpleTestCase):
    def test_it_reads_ascii_digits_within_bounds(self) -> None:
        self.assertEqual(whole_number("42"), 42)
        self.assertEqual(whole_number(" 7 "), 7)
        self.assertEqual(whole_number(str(ID_MAX)), ID_MAX)
        self.assertEqual(whole_number("100", maximum=100), 100)

    def test_it_refuses_what_int_or_isdigit_would_misread(self) -> None:
        for value in (
            "²",
            "①",
            "٣",
            "３",
            "99999999999999999999",
            str(ID_MAX + 1),
            "-1",
            "+1",
            "1.0",
            "1e3",
            "1\x00",
            "",
            " ",
            "0x10",
            "1_000",
            None,
            True,
            [1],
            1.0,
        ):
            with self.subTest(value=value):
                self.assertIsNone(whole_number(value))
        self.assertIsNone(whole_number("101", maximum=100))
        self.assertIsNone(whole_number("0", minimum=1))

    def test_one_bad_value_refuses_them_all(self) -> None:
        self.assertEqual(whole_numbers(["1", "2"]), [1, 2])
        self.assertEqual(whole_numbers([]), [])
        self.assertIsNone(whole_numbers(["1", "²"]))

    @given(st.text(max_size=30))
    def test_any_text_is_a_bounded_number_or_none_never_an_error(self, text: str) -> None:
        number = whole_number(text)
        if number is None:
            return
        self.assertTrue(0 <= number <= ID_MAX)
        self.assertEqual(str(number), text.strip(" \t").lstrip("0") or "0")
