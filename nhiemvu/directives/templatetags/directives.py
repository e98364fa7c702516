from __future__ import annotations

from typing import Any

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


@register.filter
def signature_lines(directive: Any) -> list[str]:
    """The signature block as Decree 30 writes it: "KT. CHỦ TỊCH" over "PHÓ CHỦ TỊCH",
    "TM. ỦY BAN NHÂN DÂN" over "CHỦ TỊCH", then the signer's name."""
    title = (directive.signer_title or "").strip()
    authority = directive.authority
    lines: list[str] = []
    if authority == "KT" and title.lower().startswith("phó "):
        lines = [f"KT. {title[4:].upper()}", title.upper()]
    elif authority == "TM":
        lines = ["TM. ỦY BAN NHÂN DÂN", title.upper()] if title else ["TM. ỦY BAN NHÂN DÂN"]
    elif authority:
        lines = [f"{authority}. {title.upper()}".strip()]
    elif title:
        lines = [title.upper()]
    if directive.signer_name:
        lines.append(directive.signer_name)
    return [line for line in lines if line]


@register.simple_tag(takes_context=True)
def trust_root_link(context: Any) -> str:
    """For an administrator, the link to the page where a certificate authority is trusted (the
    step an unknown issuer waits for); nothing for anyone else, who cannot take it."""
    from django.urls import reverse
    from django.utils.html import format_html
    from django.utils.translation import gettext

    from nhiemvu.orgs.rules import is_admin

    request = context.get("request")
    if request is None or not is_admin(request.user):
        return ""
    return format_html(
        '<a href="{}" data-trust-root-link>{}</a>',
        reverse("admin:orgs_trustroot_add"),
        gettext("Add a trusted certification authority"),
    )


@register.simple_tag(takes_context=True)
def signature_info(context: Any, stored: Any, lead: Any = None) -> str:
    """Beside a file: "Ký số bởi Sở Tài chính — Nguyễn Văn A, 12/11/2026 09:14 — hợp lệ", one
    line per signature; "chưa ký số" for an unsigned PDF; nothing for other files. With the
    task's ``lead``, a signature by another organisation says so; an unknown issuer says what an
    administrator must do (issue 27)."""
    from django.utils.html import format_html, format_html_join
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext

    from nhiemvu.directives.files import (
        STATE_COLOURS,
        STATE_LABELS,
        State,
        signed_at,
        signed_by,
        verdict_advice,
    )

    if getattr(stored, "content_type", "") != "application/pdf":
        return ""
    if stored.signature_error:
        return format_html(
            '<div class="small text-danger" data-signature="error">{}</div>',
            gettext("Signatures could not be read: %(why)s") % {"why": stored.signature_error},
        )
    if not stored.signatures:
        return format_html(
            '<div class="small text-body-secondary" data-signature="none">{}</div>',
            gettext("Not digitally signed"),
        )
    rows = []
    for verdict in stored.signatures:
        when = signed_at(verdict)
        state = verdict.get("state", "")
        if state == State.TOO_COMPLEX and not verdict.get("signer"):
            # Stopped before a signer was read (the time limit): nothing to name but the fact.
            rows.append(("warning", state, gettext("Digital signatures"), STATE_LABELS[state], ""))
            continue
        unchecked = verdict.get("revocation") == "not_checked"
        note = (
            format_html(
                '<span class="text-body-secondary"> ({})</span>', gettext("revocation not checked")
            )
            if unchecked
            else ""
        )
        if lead is not None and not signed_by(verdict, lead):
            note += format_html(
                ' <span class="badge text-bg-danger" data-signer="other">{}</span>',
                gettext("not the lead agency %(lead)s") % {"lead": lead.name},
            )
        advice = verdict_advice(verdict)
        if advice:
            note += format_html(
                '<div class="text-body-secondary" data-signature-advice>{} {}</div>',
                advice,
                trust_root_link(context),
            )
        rows.append(
            (
                STATE_COLOURS.get(state, "danger"),
                state,
                gettext("Signed by %(org)s — %(name)s, %(when)s")
                % {
                    "org": verdict.get("organisation") or "?",
                    "name": verdict.get("signer") or "?",
                    "when": when.strftime("%d/%m/%Y %H:%M") if when else "?",
                },
                STATE_LABELS.get(state, state),
                mark_safe(note),  # built above from escaped parts
            )
        )
    return format_html_join(
        "",
        '<div class="small" data-signature="{1}">{2} — <span class="badge text-bg-{0}">{3}</span>'
        "{4}</div>",
        rows,
    )
