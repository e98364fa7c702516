"""The reorganisation pages' forms: recording a change (with a split's rules) and giving plan
lines a new holder."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from nhiemvu.assignments.reorganisation.record import LEGAL_BASIS_CHARS
from nhiemvu.forms import StyledForm, VnDateField, org_picker
from nhiemvu.orgs.models import Organisation, ReorgKind

SPLIT_RULES_CHARS = 5000
SPLIT_RULE_ROWS = 3  # successors a split names words for; the rest take the plan by hand


class ReorganisationForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind of change"), choices=ReorgKind.choices)
    effective_date = VnDateField(label=_("Effective date"))
    legal_basis = forms.CharField(
        label=_("Legal basis (decision, resolution)"),
        max_length=LEGAL_BASIS_CHARS,
        help_text=_("e.g. Nghị quyết 1664/NQ-UBTVQH15 ngày 16/6/2025"),
    )
    sources = forms.ModelMultipleChoiceField(
        label=_("Organisations before the change"),
        queryset=Organisation.objects.all(),
        to_field_name="code",
        widget=org_picker(multiple=True),
    )
    targets = forms.ModelMultipleChoiceField(
        label=_("Organisations after the change (successors)"),
        queryset=Organisation.objects.all(),
        to_field_name="code",
        widget=org_picker(multiple=True),
        required=False,
    )
    new_name = forms.CharField(label=_("New name (renaming)"), max_length=255, required=False)
    new_short_name = forms.CharField(label=_("New short name"), max_length=80, required=False)
    new_parent = forms.ModelChoiceField(
        label=_("New parent (move)"),
        queryset=Organisation.objects.all(),
        to_field_name="code",
        widget=org_picker(),
        required=False,
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A split's rules: each a successor picked like any organisation (not typed as an
        # internal code) and the words that send a task to it (issue 27 item 5).
        for n in range(1, SPLIT_RULE_ROWS + 1):
            self.fields[f"rule_{n}_to"] = forms.ModelChoiceField(
                label=gettext("Split rule %(n)s: the successor") % {"n": n},
                queryset=Organisation.objects.all(),
                to_field_name="code",
                widget=org_picker(),
                required=False,
            )
            self.fields[f"rule_{n}_words"] = forms.CharField(
                label=gettext("Split rule %(n)s: words in the task's text, separated by commas")
                % {"n": n},
                max_length=SPLIT_RULES_CHARS,
                required=False,
                help_text=_("A task whose text contains one of the words goes to that successor.")
                if n == 1
                else "",
            )
        # The note last, after the rules.
        self.fields["note"] = self.fields.pop("note")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        rules = []
        for n in range(1, SPLIT_RULE_ROWS + 1):
            to, words = data.get(f"rule_{n}_to"), data.get(f"rule_{n}_words") or ""
            words_list = [w.strip() for w in words.split(",") if w.strip()]
            if to is None and not words_list:
                continue
            if to is None:
                self.add_error(f"rule_{n}_to", _("Choose the successor these words send tasks to."))
            elif not words_list:
                self.add_error(
                    f"rule_{n}_words", _("Type the words that send a task to this successor.")
                )
            else:
                rules.append({"to": to.code, "words": words_list})
        data["split_rules"] = rules
        return data


class PlanLinesForm(StyledForm):
    """Lines of a transfer plan given a new holder at once (empty: drop coordinating lines)."""

    lines = forms.TypedMultipleChoiceField(coerce=int, choices=(), label=_("Lines"))
    to_org = forms.ModelChoiceField(
        label=_("New holder"),
        queryset=Organisation.objects.all(),
        to_field_name="code",
        widget=org_picker(),
        required=False,
    )

    def __init__(self, *args: Any, line_ids: list[int] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["lines"].choices = [(pk, pk) for pk in line_ids]  # type: ignore[attr-defined]
