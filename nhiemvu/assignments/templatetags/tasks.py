from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from nhiemvu.assignments import workflow
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


@register.filter
def allows(task: Any, step: str) -> bool:
    """Whether the workflow allows this step in the task's state ({% if t|allows:"complete" %}):
    the home pages' one-click buttons ask the same table as the task page and the services."""
    return workflow.allowed_in(step, task)


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
