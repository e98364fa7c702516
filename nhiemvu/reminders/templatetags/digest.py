"""The morning e-mail's task lines, drawn in Python (``emails/reminders.txt`` and ``.html``)."""

from __future__ import annotations

import html
from typing import Any

from django import template
from django.utils.safestring import SafeData, mark_safe

register = template.Library()


def _shown(value: Any) -> str:
    """``{{ value }}``: escaped unless already safe (conditional_escape, without its lazy-string
    wrapper per call)."""
    return str(value) if isinstance(value, SafeData) else html.escape(str(value))


@register.simple_tag
def digest_lines(lines: Any, kind: str) -> str:
    """One section's lines, ``(reminder, link)`` each: what the templates' loop wrote, character
    for character. A head's digest holds hundreds of lines and a run ~2,500 in two templates:
    the loop's lookups were most of the run's message building (issue 28)."""
    if kind == "html":
        out = [f'<li><a href="{_shown(link)}">{_shown(due.title)}</a></li>' for due, link in lines]
    else:
        out = [f"- {_shown(due.title)}\n  {_shown(link)}\n" for due, link in lines]
    return mark_safe("".join(out))  # every value above is escaped
