from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

WARNINGS = {
    "deliverable_without_deadline": _(
        "A deliverable without a deadline: set one or give the reason"
    ),
    "no_lead": _("No lead agency found"),
    "ambiguous_agency": _("An agency name matches several organisations: choose"),
    "deadline_before_document": _("The deadline is before the document date"),
    "year_inferred": _("The year of the deadline was taken from the document date"),
    "requested_not_bound": _("“Đề nghị”: a request, not an assignment (not registered by default)"),
    "urgent_without_date": _("Urgent (khẩn trương, ngay) but no date"),
    "decision": _("A decision (“Đồng ý …”): register it only if it gives the agency work"),
    "deadline_year_unknown": _("The deadline has no year and the document no date: type it"),
}


@register.filter
def warning_labels(codes: str) -> list[str]:
    return [str(WARNINGS.get(code, code)) for code in (codes or "").split(",") if code]


@register.filter
def date_dmy(value: object) -> str:
    """A date as d/m/Y, or the value as the person typed it (a refused save shows it back)."""
    strftime = getattr(value, "strftime", None)
    return strftime("%d/%m/%Y") if strftime else str(value or "")
