"""Administrators' edits of domain data leave an audit row, like every service's change.

The Django admin saves models itself; this base class writes the AuditEvent of each add,
change (the fields that changed, before and after), delete and inline row, inside the admin's
own transaction (its change and delete views are atomic), so a refused or failed save leaves no
row and a saved one always has one. Secrets (passwords, webhook secrets) are never copied.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models

from nhiemvu.audit.services import record

SECRET_FIELDS = frozenset({"password", "secret", "digest"})


def snapshot(obj: models.Model) -> dict[str, Any]:
    return {
        field.name: getattr(obj, field.attname)
        for field in obj._meta.concrete_fields
        if field.name not in SECRET_FIELDS and not field.primary_key
    }


def _action(obj: models.Model, verb: str) -> str:
    return f"{obj._meta.model_name}.admin_{verb}"[:60]


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        stored = type(obj)._default_manager.filter(pk=obj.pk).first() if change else None
        before = snapshot(stored) if stored is not None else {}
        super().save_model(request, obj, form, change)
        after = snapshot(obj)
        changed = {k: v for k, v in after.items() if before.get(k) != v}
        if change and not changed:
            return
        record(
            actor=request.user,
            action=_action(obj, "change" if change else "create"),
            target=obj,
            before={k: before.get(k) for k in changed} if change else {},
            after=changed,
        )

    def delete_model(self, request: Any, obj: Any) -> None:
        record(actor=request.user, action=_action(obj, "delete"), target=obj, before=snapshot(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        for obj in queryset:
            record(
                actor=request.user, action=_action(obj, "delete"), target=obj, before=snapshot(obj)
            )
        super().delete_queryset(request, queryset)

    def save_formset(self, request: Any, form: Any, formset: Any, change: bool) -> None:
        for obj in getattr(formset, "deleted_objects", []) or []:
            record(
                actor=request.user, action=_action(obj, "delete"), target=obj, before=snapshot(obj)
            )
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            record(
                actor=request.user, action=_action(obj, "create"), target=obj, after=snapshot(obj)
            )
        for obj, fields in formset.changed_objects:
            record(
                actor=request.user,
                action=_action(obj, "change"),
                target=obj,
                after={k: v for k, v in snapshot(obj).items() if k in fields},
            )
