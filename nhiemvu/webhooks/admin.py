from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from nhiemvu.audit.adminaudit import AuditedAdmin
from nhiemvu.webhooks.models import Delivery, EventName, Webhook


class WebhookForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        choices=EventName.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Webhook
        fields = ["name", "url", "secret", "events", "org", "active"]


@admin.register(Webhook)
class WebhookAdmin(AuditedAdmin):
    form = WebhookForm
    list_display = ["name", "url", "org", "active", "created_at"]
    list_filter = ["active"]
    autocomplete_fields = ["org"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Read-only: what was sent to whom, when, with which answer."""

    list_display = ["created_at", "event", "webhook", "status", "attempts", "response_status"]
    list_filter = ["status", "event", "webhook"]
    search_fields = ["code", "key"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
