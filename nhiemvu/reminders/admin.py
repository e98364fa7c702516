from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from nhiemvu.audit.adminaudit import AuditedAdmin
from nhiemvu.reminders.models import Outbox, ReminderLog, ReminderRule


@admin.register(ReminderRule)
class ReminderRuleAdmin(AuditedAdmin):
    list_display = ["code", "enabled", "values"]


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "rule", "period", "task", "org"]
    list_filter = ["rule"]
    list_select_related = ["task", "org"]
    date_hierarchy = "created_at"
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Outbox)
class OutboxAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to", "subject", "attempts", "sent_at", "failed", "last_error"]
    list_filter = ["failed"]
    search_fields = ["to", "subject"]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
