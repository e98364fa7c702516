"""The causes of delay an explanation chooses from (issue 18), edited by administrators as the
README says (``/quan-tri/assignments/delaycause/``); every edit audited (audit/adminaudit.py).

A cause once given keeps its code (reports, their files and the API key causes by it) and
cannot be deleted (explanations protect it): it is taken out of use instead, which keeps past
explanations and reports as they were."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from nhiemvu.assignments.models import DelayCause
from nhiemvu.audit.adminaudit import AuditedAdmin


@admin.register(DelayCause)
class DelayCauseAdmin(AuditedAdmin):
    list_display = ["name", "code", "names_org", "position", "active"]
    list_editable = ["position", "active"]
    list_filter = ["active", "names_org"]
    search_fields = ["name", "code"]
    ordering = ["position", "name"]

    def get_readonly_fields(self, request: Any, obj: Any = None) -> list[str]:
        return ["code"] if obj is not None else []

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        # Given in an explanation: kept (taken out of use instead, "active").
        if obj is not None and obj.explanations.exists():
            return False
        return super().has_delete_permission(request, obj)
