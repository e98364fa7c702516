"""Forms of "Nhập văn bản": read a directive, review the proposed tasks, register them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nhiemvu.assignments.models import DeliverableKind, Recurrence
from nhiemvu.directives.models import Authority, Urgency
from nhiemvu.forms import (
    DATE_FORMATS,
    DATE_WIDGET,
    StyledForm,
    VnDateField,
    WholeNumberField,
    org_picker,
)
from nhiemvu.orgs.models import Organisation, Role

MAX_TEXT = 200_000


class ReadForm(StyledForm):
    """Step 1: the text pasted, or a file."""

    text = forms.CharField(
        label=_("Full text of the document"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=MAX_TEXT,
    )
    file = forms.FileField(label=_("Or a file (PDF, DOCX, TXT)"), required=False)
    doc_date = VnDateField(
        label=_("Document date (if the text does not say)"),
        required=False,
        widget=DATE_WIDGET,
        input_formats=DATE_FORMATS,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("text") or "").strip() and not data.get("file"):
            raise forms.ValidationError(_("Paste the text of the document or choose a file."))
        return data


def _leaders() -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(memberships__role=Role.LEADER).distinct()


class HeaderForm(StyledForm):
    """Step 2: the document's header, prefilled from what was read."""

    text = forms.CharField(widget=forms.HiddenInput, required=False, max_length=MAX_TEXT)
    issuer = forms.ModelChoiceField(
        empty_label="—",
        label=_("Issuer"),
        queryset=Organisation.objects.all(),
        to_field_name="code",
    )
    ref = forms.CharField(label=_("Number and symbol"), max_length=80)
    doc_date = VnDateField(label=_("Document date"), widget=DATE_WIDGET, input_formats=DATE_FORMATS)
    subject = forms.CharField(
        label=_("Subject (trích yếu)"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    signer_name = forms.CharField(label=_("Signer"), max_length=150, required=False)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=150, required=False)
    authority = forms.ChoiceField(
        label=_("Signing authority"), choices=Authority.choices, required=False
    )
    assigned_by: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Assigning leader"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="—",
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigned_by"].queryset = _leaders()  # type: ignore[attr-defined]
        self.fields["issuer"].queryset = Organisation.objects.order_by("kind", "name")  # type: ignore[attr-defined]


class TaskForm(StyledForm):
    """One proposed task. Several lead agencies fan out into one task each, under a group."""

    keep = forms.BooleanField(label=_("Register this task"), required=False, initial=True)
    content = forms.CharField(
        label=_("Content"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    summary = forms.CharField(label=_("Summary"), max_length=300, required=False)
    group_label = forms.CharField(label=_("Agencies as written"), max_length=255, required=False)
    leads = forms.ModelMultipleChoiceField(
        label=_("Lead agency (several: one task each)"),
        queryset=Organisation.objects.all(),
        to_field_name="code",
        required=False,
        widget=org_picker(multiple=True),
    )
    coordinators = forms.ModelMultipleChoiceField(
        label=_("Coordinating agencies"),
        queryset=Organisation.objects.all(),
        to_field_name="code",
        required=False,
        widget=org_picker(multiple=True),
    )
    deliverable_kind = forms.ChoiceField(
        label=_("Deliverable"), choices=DeliverableKind.choices, required=False
    )
    deliverable_text = forms.CharField(
        label=_("Deliverable description"), max_length=300, required=False
    )
    deadline = VnDateField(
        label=_("Deadline"), required=False, widget=DATE_WIDGET, input_formats=DATE_FORMATS
    )
    recurrence = forms.ChoiceField(
        label=_("Recurrence"), required=False, choices=[("", "—"), *Recurrence.choices]
    )
    recurrence_day = WholeNumberField(
        label=_("Due on day (of each period)"),
        required=False,
        min_value=1,
        max_value=31,
        help_text=_("e.g. 20: each month's report is due on the 20th"),
    )
    no_deadline_reason = forms.CharField(
        label=_("Reason for no deadline"), max_length=2000, required=False
    )
    # The issuer's own code of a task received from above, kept on the task and printed in the
    # province's report upward (issue 27 item 3).
    external_code = forms.CharField(
        label=_("Issuer's task code"),
        max_length=60,
        required=False,
        help_text=_(
            "For a task from the Government, the Prime Minister or a ministry, as the letter "
            "writes it (e.g. NV-2026-92)."
        ),
    )
    warnings = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)
    evidence = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = Organisation.objects.order_by("kind", "name")
        self.fields["leads"].queryset = orgs  # type: ignore[attr-defined]
        self.fields["coordinators"].queryset = orgs  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("keep") and not (data.get("content") or "").strip():
            raise forms.ValidationError(_("A task to register needs its content."))
        if data.get("keep") and not data.get("leads"):
            raise forms.ValidationError(_("Choose the lead agency."))
        return data


TaskFormSet = forms.formset_factory(TaskForm, extra=0, max_num=200, absolute_max=200)
