"""The form kit every screen shares: Bootstrap styling, day-first dates, the organisation picker.

It lives at the project level, beside ``apicommon.py`` (the API's kit), so that one app's screens
never import another app's forms to get them (import contract "apps share no forms with the task
screens"). It imports no app.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from nhiemvu.lib.inputs import TYPED_DATE_MAX, TYPED_DATE_MIN, whole_number


def _attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html: `` name="value"``, a bare name for True, none for False."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _shown(value: Any) -> str:
    """``{{ value }}`` in a form template: localised, then escaped."""
    return str(conditional_escape(value if isinstance(value, str) else str(localize(value))))


class QuickSelect(forms.Select):
    """Django's select, drawn in Python. A list page renders its filter form on every request:
    through the templates each of the ~40 options was an include and a dozen lookups, 14 % of
    the first task page's CPU (issue 28). The HTML is Django's, character for character
    (``select.html``, ``select_option.html``, ``attrs.html``; tests/test_forms_kit.py)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        name, attrs_html = _shown(widget["name"]), _attrs(widget["attrs"])
        out = [f'<select name="{name}"{attrs_html}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                out.append(f'\n  <optgroup label="{_shown(group_name)}">')
            for option in options:
                out.append(
                    f'\n  <option value="{escape(option["value"])}"{_attrs(option["attrs"])}>'
                    f"{_shown(option['label'])}</option>\n"
                )
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return mark_safe("".join(out))  # every value above is escaped


class StyledForm(forms.Form):
    """Bootstrap classes on every widget, so templates can render fields plainly; Django's
    plain selects drawn by ``QuickSelect`` (the same HTML, without the template engine)."""

    def __init__(self, *args: Any, task: Any = None, **kwargs: Any) -> None:
        # ``task``: the task an action form is for (forms that list its agency's people).
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
                if type(widget) is forms.Select:  # the field's own copy (forms deep-copy them)
                    widget.__class__ = QuickSelect
            elif not isinstance(widget, forms.HiddenInput):
                widget.attrs.setdefault("class", "form-control")


# Dates are typed and shown day first, whatever the browser's language: a native date input
# shows mm/dd/yyyy in an English browser, and "02/12" would become 12 February. A text input
# read on the server (d/m/Y, also d-m-Y, d.m.Y, and ISO for scripts) gives one reading to all.
DATE_WIDGET = forms.DateInput(
    attrs={
        "placeholder": "dd/mm/yyyy",
        "inputmode": "numeric",
        "autocomplete": "off",
        # No character classes: browsers compile `pattern` with the "v" flag, where "/" and "-"
        # inside [...] must be escaped and an invalid pattern is silently ignored.
        "pattern": r"\d{1,2}(\/|\.|-)\d{1,2}(\/|\.|-)\d{4}|\d{4}-\d{2}-\d{2}",
        "class": "form-control date-dmy",
    },
    format="%d/%m/%Y",
)
DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]


def org_picker(*, multiple: bool = False) -> forms.Select:
    """The searchable organisation picker (static/js/orgpicker.js) on a select of codes."""
    widget = forms.SelectMultiple if multiple else forms.Select
    return widget(
        attrs={
            "data-org-picker": reverse_lazy("organisation_search"),
            "data-placeholder": _("Type part of a name or an abbreviation (e.g. STC)"),
            "data-remove-label": _("Remove"),
        }
    )


class VnDateField(forms.DateField):
    """A date typed day first (dd/mm/yyyy), with a message that says how to type it."""

    widget = DATE_WIDGET
    input_formats = DATE_FORMATS
    default_error_messages = {
        "invalid": _("Type the date day first, as dd/mm/yyyy (for example 02/12/2026)."),
        "out_of_range": _("Type a date between %(first)s and %(last)s."),
    }

    def to_python(self, value: Any) -> dt.date | None:
        day: dt.date | None = super().to_python(value)
        if day is not None and not TYPED_DATE_MIN <= day <= TYPED_DATE_MAX:
            raise forms.ValidationError(
                self.error_messages["out_of_range"],
                code="out_of_range",
                params={
                    "first": f"{TYPED_DATE_MIN:%d/%m/%Y}",
                    "last": f"{TYPED_DATE_MAX:%d/%m/%Y}",
                },
            )
        return day


class WholeNumberField(forms.IntegerField):
    """A whole number typed with the digits 0-9 (lib.inputs.whole_number): Django's IntegerField
    also takes "٣" or "３" and any size, which a column or a date computation may not hold."""

    default_error_messages = {
        "invalid": _("Type a whole number with the digits 0-9."),
    }

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        number = whole_number(value if isinstance(value, int) else str(value))
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number
