"""Dates at the ends of the calendar (issue 24, found by the fuzz test): the report page with
"as of 31/12/9999" or the period "0001-01-01..0001-01-01" answered 500 (the day after or the
year before left what a date holds). Now the form says which dates it takes."""

from __future__ import annotations

from nhiemvu.test import BaseTestCase


class ReportDatesTest(BaseTestCase):
    def test_it_refuses_an_as_of_date_beyond_the_years_anyone_types(self) -> None:
        self.login(self.p.office)
        for path in ("/bao-cao/", "/bao-cao/tai-ve/"):
            with self.subTest(path=path):
                response = self.client.get(path, {"period": "2026-Q1", "as_of": "31/12/9999"})
                self.assertLess(response.status_code, 500)
                if path == "/bao-cao/":
                    self.assertContains(
                        response,
                        "Nhập ngày trong khoảng từ 01/01/1900 đến 31/12/2200",
                        status_code=400,
                    )

    def test_it_refuses_a_period_at_the_ends_of_the_calendar(self) -> None:
        self.login(self.p.office)
        for period in ("0001-01-01..0001-01-01", "9999-12-31..9999-12-31"):
            with self.subTest(period=period):
                response = self.client.get("/bao-cao/", {"period": period})
                self.assertContains(
                    response,
                    "Kỳ báo cáo phải nằm trong khoảng từ năm 1990 đến năm 2100",
                    status_code=400,
                )

    def test_a_period_within_the_years_is_still_reported(self) -> None:
        self.login(self.p.office)
        response = self.client.get("/bao-cao/", {"period": "2026-01-01..2026-03-31"})
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Kỳ báo cáo phải nằm")
