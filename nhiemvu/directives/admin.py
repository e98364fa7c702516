from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from nhiemvu.directives.models import Directive


@admin.register(Directive)
class DirectiveAdmin(admin.ModelAdmin):
    """Browse only: documents are registered through the application's services."""

    list_display = ["ref", "doc_date", "issuer", "subject"]
    search_fields = ["ref", "search_text"]
    list_select_related = ["issuer"]
    date_hierarchy = "doc_date"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
