from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from nhiemvu.accounts.models import ApiKey, User
from nhiemvu.accounts.services import KEY_ROLES, apikey_create, apikey_revoke
from nhiemvu.audit.adminaudit import AuditedAdmin
from nhiemvu.orgs.models import Membership, Role


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["org"]


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    """People and their memberships: each change (and each membership row) is audited."""

    list_display = ["username", "full_name", "email", "is_active"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (_("Profile"), {"fields": ["full_name", "job_title", "phone"]}),
    ]
    inlines = [MembershipInline]


class ApiKeyAddForm(forms.ModelForm):
    role = forms.ChoiceField(
        label=_("Acts as"),
        choices=[(r.value, r.label) for r in KEY_ROLES],
        initial=Role.OFFICER,
    )

    class Meta:
        model = ApiKey
        fields = ["name", "org", "scope", "rate_per_minute"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys are created here (the secret shown once, in the confirmation message) and revoked
    with the list action; nothing else about a key can be edited."""

    list_display = ["name", "prefix", "org", "scope", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["scope", "revoked_at"]
    search_fields = ["name", "prefix", "org__name"]
    # The searchable organisation box (Django admin's own, served from our static files).
    autocomplete_fields = ["org"]
    actions = ["revoke"]

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = ApiKeyAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        if obj is None:
            return []
        return [
            "name",
            "prefix",
            "org",
            "user",
            "scope",
            "rate_per_minute",
            "created_by",
            "created_at",
            "revoked_at",
            "last_used_at",
        ]

    def get_fields(self, request: Any, obj: Any = None) -> Any:
        if obj is None:
            return ["name", "org", "scope", "role", "rate_per_minute"]
        return self.get_readonly_fields(request, obj)

    def save_model(self, request: Any, obj: ApiKey, form: Any, change: bool) -> None:
        if change:
            return
        key, plaintext = apikey_create(
            actor=request.user,
            org=form.cleaned_data["org"],
            scope=form.cleaned_data["scope"],
            name=form.cleaned_data["name"],
            role=form.cleaned_data["role"],
            rate_per_minute=form.cleaned_data["rate_per_minute"],
        )
        obj.pk = key.pk
        messages.warning(
            request,
            _("The key is shown only this once; copy it now: %(key)s") % {"key": plaintext},
        )

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request: Any, queryset: Any) -> None:
        for key in queryset:
            apikey_revoke(actor=request.user, key=key)
