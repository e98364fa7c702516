"""The form kit's quick select (nhiemvu/forms.py) writes Django's HTML, character for character:
every select of the task list's filters and the report's form (option groups), with and without
a value, a value no option has, escaping, lazy labels and numbers."""

from __future__ import annotations

from django import forms
from django.utils import translation

from nhiemvu.assignments.forms import TaskFilterForm
from nhiemvu.forms import QuickSelect, StyledForm
from nhiemvu.test import BaseTestCase


class QuickSelectTest(BaseTestCase):
    def assert_same_html(self, form: forms.Form) -> int:
        checked = 0
        for bound in form:
            widget = bound.field.widget
            if not isinstance(widget, QuickSelect):
                continue
            django_select = forms.Select(attrs=widget.attrs, choices=widget.choices)
            for value in (bound.value(), "", None, "không-có", ["a", "b"]):
                attrs = {"id": bound.auto_id, "aria-describedby": 'x"<y>'}
                self.assertEqual(
                    widget.render(bound.html_name, value, attrs),
                    django_select.render(bound.html_name, value, attrs),
                    bound.name,
                )
            self.assertEqual(str(bound), bound.as_widget(widget=django_select))
            checked += 1
        return checked

    def test_the_filters_of_the_task_list(self) -> None:
        for data in (
            {},
            {"status": "open", "sort": "-assigned_on", "size": "100", "leader": "x"},
            {"org": "so-tc", "role": "coord", "deliverable": "yes", "origin": "received"},
        ):
            for language in ("vi", "en"):
                with translation.override(language):
                    form = TaskFilterForm(data)
                    form.is_valid()
                    # status, org (the picker), role, leader, deliverable, origin, sort, size
                    self.assertEqual(self.assert_same_html(form), 8)

    def test_option_groups_and_odd_labels(self) -> None:
        from nhiemvu.reports.views import ReportForm

        form = ReportForm({"period": "2026-Q1"})
        self.assertGreater(self.assert_same_html(form), 1)  # the period's groups by kind

        class Odd(StyledForm):
            pick = forms.ChoiceField(
                choices=[
                    ("", "—"),
                    ("Nhóm <1>", [(1, 1000), ("a&b", 'Sở "Tài chính" & <Kế hoạch>')]),
                    (2.5, True),
                ],
                widget=forms.Select(attrs={"disabled": True, "hidden": False, "data-n": 3}),
            )

        odd = Odd({"pick": "a&b"})
        self.assertEqual(self.assert_same_html(odd), 1)


class ListTitleTest(BaseTestCase):
    def test_a_rows_title_is_the_truncators(self) -> None:
        # The task list cuts a summary at 140 characters as Django's Truncator does, also for
        # decomposed Vietnamese (NFD), exactly 140, 141 and long texts.
        import unicodedata

        from django.utils.text import Truncator

        from nhiemvu.assignments.templatetags.tasks import _title

        base = "Báo cáo kết quả thực hiện nhiệm vụ chuyển đổi số của Sở Tài chính "
        for text in (
            "",
            "Ngắn",
            "x" * 140,
            "x" * 141,
            base * 3,
            unicodedata.normalize("NFD", base * 2)[:150],
            unicodedata.normalize("NFD", "Đắk Lắk " * 17),
        ):
            self.assertEqual(_title(text), Truncator(text).chars(140), text[:20])
