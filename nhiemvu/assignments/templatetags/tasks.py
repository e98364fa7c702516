from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from nhiemvu.assignments import rules as perms
from nhiemvu.assignments import workflow
from nhiemvu.assignments.models import Extension, ExtensionStatus
from nhiemvu.assignments.status import LABEL_COLOURS, LABEL_NAMES
from nhiemvu.lib.links import code_url
from nhiemvu.lib.vntext import fold

register = template.Library()


@register.simple_tag
def status_badge(task: Any) -> str:
    """The status as a coloured badge. Built here rather than by an included template: a list
    page draws it 200 times and a sub-template per row was a third of the page's time."""
    label = getattr(task, "st_label", None) or ""
    return format_html(
        '<span class="badge text-bg-{}" data-status="{}">{}</span>',
        LABEL_COLOURS.get(label, "secondary"),
        label,
        LABEL_NAMES.get(label, label),
    )


@register.filter
def link_to(code: str, name: str) -> str:
    """``{{ t.code|link_to:"task_detail" }}``: the page of that code (lib/links.py)."""
    return code_url(name, code)


@register.filter
def label_name(label: str) -> str:
    return str(LABEL_NAMES.get(label, label))


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)


# The home pages' one-click buttons, in their order.
QUICK_STEPS = ("progress", "complete", "extend")


def _pending_requests(context: Any, user: Any) -> dict[int, Extension]:
    """The extension requests awaiting decision on the tasks this person's agencies lead: one
    small query per page (kept on the request), whatever the number of rows."""
    request = context.get("request")
    store = request.__dict__ if request is not None else context.render_context
    if "_nhiemvu_pending" not in store:
        store["_nhiemvu_pending"] = {
            e.assignment_id: e
            for e in Extension.objects.filter(
                status=ExtensionStatus.PENDING, assignment__in=perms.led(user)
            )
        }
    return store["_nhiemvu_pending"]


@register.simple_tag(takes_context=True)
def quick_steps(context: Any, task: Any) -> list[str]:
    """The one-click steps this person may take on this row now ({% quick_steps t as steps %}):
    the question the task page asks (``workflow.available``: the state, the pending extension
    request, who may press from rules.py), so the home page never offers "Extension" on a task
    whose request awaits a decision."""
    request = context.get("request")
    user = request.user if request is not None else context.get("user")
    if user is None:
        return []
    pending = _pending_requests(context, user).get(task.pk)
    steps = []
    for name in QUICK_STEPS:
        step = workflow.TRANSITIONS[name]
        if step.allowed_in(task, pending) and step.may(user, task, pending):
            steps.append(name)
    return steps


@register.filter
def deliverable_line(task: Any) -> str:
    """The work product once: "Báo cáo kết quả", not "Báo cáo: Báo cáo kết quả" (the text
    already names its kind), else "Kế hoạch: triển khai …"; "—" when none is required."""
    kind = str(task.get_deliverable_kind_display()) if task.deliverable_kind else ""
    text = (task.deliverable_text or "").strip()
    if not text:
        return kind or "—"
    if not kind or fold(text).startswith(fold(kind.split(" (")[0])):
        return text
    return f"{kind}: {text}"
