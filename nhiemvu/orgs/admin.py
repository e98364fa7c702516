from __future__ import annotations

from django.contrib import admin

from nhiemvu.lib import workdays
from nhiemvu.orgs.models import CalendarOverride, Membership, OrgAlias, Organisation


class AliasInline(admin.TabularInline):
    model = OrgAlias
    extra = 1
    fields = ["alias"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "short_name", "kind", "valid_from", "valid_to", "successor"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "short_name", "search_text"]
    autocomplete_fields = ["parent", "successor"]
    inlines = [AliasInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "org", "role", "leader_title"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name", "org__name"]
    autocomplete_fields = ["user", "org"]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working", "reason"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        workdays.invalidate()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        workdays.invalidate()
