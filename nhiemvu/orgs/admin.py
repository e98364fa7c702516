from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _

from nhiemvu.audit.adminaudit import AuditedAdmin
from nhiemvu.lib import workdays
from nhiemvu.orgs.models import (
    CalendarOverride,
    Membership,
    OrgAlias,
    Organisation,
    Role,
    TrustRoot,
    role_allowed,
)
from nhiemvu.orgs.services import (
    CERTIFICATE_BYTES,
    calendar_override_set,
    read_certificate,
    trust_root_add,
)


class AliasInline(admin.TabularInline):
    model = OrgAlias
    extra = 1
    fields = ["alias"]


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    """Reference data. An organisation ends (its end date, its successor) only by a recorded
    reorganisation, whose transfer plan moves its open tasks first: ended here, its tasks would
    keep a holder that no longer exists. So those two fields are read here, not edited."""

    list_display = ["code", "name", "short_name", "kind", "valid_from", "valid_to", "successor"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "short_name", "search_text"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["ended"]
    inlines = [AliasInline]

    def get_fields(self, request: Any, obj: Any = None) -> Any:
        return [
            "code",
            "name",
            "short_name",
            "kind",
            "parent",
            "electronic_id",
            "tax_code",
            "email",
            "valid_from",
            "ended",
        ]

    @admin.display(description=gettext_lazy("Ceased on / successor"))
    def ended(self, obj: Organisation | None) -> str:
        url = reverse("reorganisations")
        if obj is None or obj.valid_to is None:
            state = gettext("In force.")
        else:
            state = gettext("Ceased on %(d)s.") % {"d": f"{obj.valid_to:%d/%m/%Y}"}
            if obj.successor_id:
                state += " " + gettext("Successor:") + f" {obj.successor}"
        return format_html(
            '{} <a href="{}">{}</a>',
            state,
            url,
            gettext(
                "An organisation ends, merges, splits or is renamed through a reorganisation, "
                "which moves its open tasks."
            ),
        )


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["user", "org", "role", "leader_title"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        org, role = data.get("org"), data.get("role")
        if org is not None and role and not role_allowed(org, role):
            # The province-wide roles belong to the province's own bodies (orgs.models).
            raise forms.ValidationError(
                _("No one in %(org)s may hold the role “%(role)s”.")
                % {"org": org.name, "role": Role(role).label}
            )
        return data


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    form = MembershipForm
    list_display = ["user", "org", "role", "leader_title"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name", "org__name"]
    autocomplete_fields = ["user", "org"]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(AuditedAdmin):
    list_display = ["date", "is_working", "reason"]
    date_hierarchy = "date"

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        # Through the service (its checks, its audit row, the calendar cache refreshed); a date
        # moved in the form is the old date's override removed and the new one set.
        if change and "date" in form.changed_data:
            stored = CalendarOverride.objects.get(pk=obj.pk)
            super().delete_model(request, stored)
        saved = calendar_override_set(
            actor=request.user, date=obj.date, is_working=obj.is_working, reason=obj.reason
        )
        obj.pk = saved.pk

    def delete_model(self, request: Any, obj: Any) -> None:
        super().delete_model(request, obj)
        workdays.invalidate()


class TrustRootForm(forms.ModelForm):
    upload = forms.FileField(label=_("Certificate file (.cer, .crt, .pem)"))

    class Meta:
        model = TrustRoot
        fields = ["name"]

    def clean_upload(self) -> bytes:
        from django.core.exceptions import ValidationError

        data: bytes = self.cleaned_data["upload"].read(CERTIFICATE_BYTES + 1)
        try:
            read_certificate(data)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc
        return data


@admin.register(TrustRoot)
class TrustRootAdmin(AuditedAdmin):
    """Adding goes through the service (the certificate parsed, fingerprinted, audited)."""

    form = TrustRootForm
    list_display = ["name", "subject", "not_after", "fingerprint", "added_at"]
    readonly_fields = ["subject", "not_after", "fingerprint"]

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False if obj is not None else super().has_change_permission(request, obj)

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        saved = trust_root_add(actor=request.user, name=obj.name, data=form.cleaned_data["upload"])
        obj.pk = saved.pk
