from __future__ import annotations

import copy
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from nhiemvu.accounts.models import User
from nhiemvu.assignments.models import DelayCause, DeliverableKind
from nhiemvu.assignments.namedsets import OPEN_FILTER
from nhiemvu.assignments.status import LABEL_ALIASES, LABEL_NAMES
from nhiemvu.forms import (
    DATE_FORMATS,
    DATE_WIDGET,
    StyledForm,
    VnDateField,
    WholeNumberField,
    org_picker,
)
from nhiemvu.orgs import picker
from nhiemvu.orgs.models import Organisation
from nhiemvu.orgs.selectors import acting_memberships, leaders

# Rows per page a list offers (web); the API takes any limit from 1 to 200.
PAGE_SIZES = (50, 100, 200)


class ReasonForm(StyledForm):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class NoteForm(StyledForm):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000, required=False
    )


class ProgressForm(StyledForm):
    text = forms.CharField(
        label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20000
    )
    percent = WholeNumberField(label=_("Percent done"), min_value=0, max_value=100, required=False)
    file = forms.FileField(label=_("Attachment (PDF, DOCX)"), required=False)


class DelegateForm(StyledForm):
    """The head passes the task on to one of the agency's people."""

    assignee = forms.ChoiceField(label=_("Pass to"))
    division = forms.CharField(label=_("Division"), max_length=200, required=False)
    internal_deadline = VnDateField(
        label=_("Internal deadline"),
        required=False,
        help_text=_("Seen inside the agency only; the province's deadline does not change."),
    )
    note = forms.CharField(
        label=_("Instructions"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, task: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = (
            User.objects.filter(
                pk__in=acting_memberships([getattr(task, "lead_id", None)]).values("user_id")
            )
            .distinct()
            .order_by("full_name", "username")
        )
        self.people = {person.username: person for person in people}
        cast(forms.ChoiceField, self.fields["assignee"]).choices = [
            (person.username, person.display_name) for person in people
        ]

    def clean_assignee(self) -> Any:
        return self.people[self.cleaned_data["assignee"]]


class InternalReportForm(StyledForm):
    text = forms.CharField(
        label=_("Report to the head"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20000
    )
    percent = WholeNumberField(label=_("Percent done"), min_value=0, max_value=100, required=False)


class ExplanationFields(StyledForm):
    """The explanation of a delay (issue 18): asked with a late completion or extension
    request, and on its own for an overdue task. Required by the service when the rule says."""

    cause = forms.ModelChoiceField(
        label=_("Cause of the delay"),
        queryset=DelayCause.objects.filter(active=True),
        to_field_name="code",
        required=False,
        empty_label=_("— if late: choose the cause —"),
    )
    other_org = forms.ModelChoiceField(
        label=_("Waited for (the other organisation)"),
        queryset=Organisation.objects.all(),
        to_field_name="code",
        widget=org_picker(),
        required=False,
    )
    explanation = forms.CharField(
        label=_("Explanation of the delay"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        required=False,
    )
    remedy = forms.CharField(
        label=_("What will be done differently"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        required=False,
    )


class CompletionForm(ExplanationFields):
    output_ref = forms.CharField(label=_("Output document number and symbol"), max_length=120)
    output_date = VnDateField(
        label=_("Output document date"), widget=DATE_WIDGET, input_formats=DATE_FORMATS
    )
    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=20000, required=False
    )
    file = forms.FileField(label=_("Output document (PDF, DOCX)"), required=False)


class ExtensionForm(ExplanationFields):
    proposed_deadline = VnDateField(
        label=_("Proposed deadline"), widget=DATE_WIDGET, input_formats=DATE_FORMATS
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


def _required(field: forms.Field) -> Any:
    required = copy.deepcopy(field)
    required.required = True
    return required


class ExplainForm(ExplanationFields):
    # Required on the class, not in __init__: the API's body schema reads the form's class.
    cause = _required(ExplanationFields.base_fields["cause"])
    explanation = _required(ExplanationFields.base_fields["explanation"])


class DecisionForm(StyledForm):
    extension = forms.CharField(widget=forms.HiddenInput, max_length=12)
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Approve")), ("no", _("Deny"))],
    )
    new_deadline = VnDateField(
        label=_("Approved deadline (if other than proposed)"),
        widget=DATE_WIDGET,
        input_formats=DATE_FORMATS,
        required=False,
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000, required=False
    )


class AdviceForm(StyledForm):
    extension = forms.CharField(widget=forms.HiddenInput, max_length=12)
    advice = forms.CharField(
        label=_("Office's advice"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class CommentForm(StyledForm):
    text = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=20000
    )
    file = forms.FileField(label=_("Attachment (PDF, DOCX)"), required=False)


class ReassignForm(StyledForm):
    lead = forms.ModelChoiceField(
        label=_("New lead agency"),
        queryset=Organisation.objects.all(),
        to_field_name="code",
        widget=org_picker(),
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000, required=False
    )


class TaskFilterForm(StyledForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All statuses")),
            (OPEN_FILTER, _("Not yet completed (all open work)")),
            *((k, v) for k, v in LABEL_NAMES.items()),
        ],
    )
    # A code from the picker, or a name or abbreviation typed into the address ("Sở Tài chính").
    org = forms.CharField(
        label=_("Organisation"), required=False, max_length=100, widget=org_picker()
    )
    role = forms.ChoiceField(
        label=_("As"),
        required=False,
        choices=[
            ("", _("Lead or coordinating")),
            ("lead", _("Lead")),
            ("coord", _("Coordinating")),
        ],
    )
    doc = forms.CharField(label=_("Document (number/symbol)"), required=False, max_length=80)
    leader = forms.ChoiceField(label=_("Assigning leader"), required=False, choices=[])
    deliverable = forms.ChoiceField(
        label=_("Deliverable"),
        required=False,
        choices=[
            ("", _("Any")),
            ("yes", _("With a deliverable")),
            ("no", _("Without a deliverable")),
            *((k, v) for k, v in DeliverableKind.choices if k),
        ],
    )
    flagged = forms.BooleanField(label=_("Deliverable without deadline"), required=False)
    origin = forms.ChoiceField(
        label=_("Assigned by"),
        required=False,
        choices=[
            ("", _("Any")),
            ("received", _("The Government, the Prime Minister (received)")),
            ("province", _("The provincial People's Committee")),
        ],
    )
    deadline_from = VnDateField(
        label=_("Deadline from"), required=False, widget=DATE_WIDGET, input_formats=DATE_FORMATS
    )
    deadline_to = VnDateField(
        label=_("Deadline to"), required=False, widget=DATE_WIDGET, input_formats=DATE_FORMATS
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("deadline", _("Deadline, earliest first")),
            ("-deadline", _("Deadline, latest first")),
            ("-assigned_on", _("Newest assigned first")),
            ("assigned_on", _("Oldest assigned first")),
        ],
    )

    size = forms.TypedChoiceField(
        label=_("Rows per page"),
        required=False,
        coerce=int,
        empty_value=None,  # the view falls back to PAGE_SIZES[0]
        choices=[(n, n) for n in PAGE_SIZES],
    )

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        if data is not None and data.get("status") in LABEL_ALIASES:
            data = data.copy()  # a bookmark from before a label was renamed
            data["status"] = LABEL_ALIASES[data["status"]]
        super().__init__(data, *args, **kwargs)
        # Provincial leaders (a dozen people): kept per process, forgotten on a membership's
        # or a person's write (orgs.selectors.leaders).
        cast(forms.ChoiceField, self.fields["leader"]).choices = [
            ("", _("Any leader")),
            *leaders(),
        ]
        # The organisation list is searched, not sent whole: only the chosen one is an option.
        chosen = picker.find(str(self.data.get("org") or "")) if self.data else None
        self._chosen_org = chosen  # clean_org reads it: one directory lookup per request
        org_choices: list[tuple[str, str]] = [("", str(_("All organisations")))]
        if chosen is not None:
            org_choices.append((chosen.code, chosen.name))
        cast(forms.Select, self.fields["org"].widget).choices = org_choices
        self.fields["org"].widget.attrs.pop("maxlength", None)  # a select has no length

    def clean_org(self) -> str:
        typed = (self.cleaned_data.get("org") or "").strip()
        if not typed:
            return ""
        found = self._chosen_org
        if found is None:
            raise forms.ValidationError(
                _("No organisation is called “%(name)s”: choose one from the list.")
                % {"name": typed}
            )
        return found.code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("deadline_from"), data.get("deadline_to")
        if start and end and start > end:
            raise forms.ValidationError(_("“Deadline from” is after “Deadline to”."))
        return data

    def drawn_key(self) -> tuple[Any, ...] | None:
        """What the fields' HTML depends on besides the language: the submitted values and the
        choices set per request (the leaders, the chosen organisation); ``None`` when there are
        errors to show (tasks.filter_fields keeps the HTML of error-free forms per process)."""
        if self.is_bound and self.errors:
            return None
        data = self.data
        values = tuple(
            (name, tuple(data.getlist(name)) if hasattr(data, "getlist") else (data.get(name),))
            for name in self.fields
            if name in data
        )
        leaders_drawn: Any = cast(forms.ChoiceField, self.fields["leader"]).choices
        org = cast(forms.Select, self.fields["org"].widget)
        return values, tuple(leaders_drawn), tuple(org.choices)

    def filters(self) -> dict[str, Any]:
        """The cleaned filters as keyword arguments of ``selectors.filter_tasks``."""
        return {k: v for k, v in self.cleaned_data.items() if k not in ("sort", "size")}


# --- work from above (issue 16) ---------------------------------------------------------------


class ExternalCodeForm(StyledForm):
    """The issuer's own code of a received task, typed or corrected by the office."""

    external_code = forms.CharField(
        label=_("Issuer's task code"),
        max_length=60,
        required=False,
        help_text=_("As the letter from above writes it (e.g. NV-2026-92)."),
    )


class SubtaskForm(StyledForm):
    content = forms.CharField(
        label=_("Content"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20_000
    )
    lead = forms.ModelChoiceField(
        label=_("Lead agency"),
        queryset=Organisation.objects.all(),
        to_field_name="code",
        widget=org_picker(),
    )
    coordinators = forms.ModelMultipleChoiceField(
        label=_("Coordinating agencies"),
        queryset=Organisation.objects.all(),
        to_field_name="code",
        widget=org_picker(multiple=True),
        required=False,
    )
    deadline = VnDateField(label=_("Internal deadline"))
    deliverable_text = forms.CharField(label=_("Deliverable"), max_length=300, required=False)


class UpwardReportForm(StyledForm):
    ref = forms.CharField(label=_("Number and symbol of the report sent upward"), max_length=120)
    report_date = VnDateField(label=_("Date of the report"))
    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000, required=False
    )
