"""The report page's long tables drawn in Python: the summary by organisation and the ranking
have a row per organisation (300 in a province with its wards and communes), and the template
loop spent most of the page's CPU on their ~8,000 variable lookups and filter calls (issue 27
item 6). Each value goes through ``render_value_in_context`` (localised, escaped) and the same
filters the template used, so the HTML is what the loop wrote, character for character."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import render_value_in_context
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()

RATE_COLUMNS = 9  # the figures after the ninth are the two rates, shown with two decimals


@register.simple_tag(takes_context=True)
def summary_rows(context: Any, lines: Any) -> SafeString:
    """The body of the summary table (``lines``: STT, name, figures, is a total)."""
    out: list[str] = []
    for stt, name, figures, is_total in lines:
        cells = []
        for n, v in enumerate(figures, 1):
            if v is None:
                shown = ""
            else:
                shown = render_value_in_context(
                    floatformat(v, 2) if n > RATE_COLUMNS else v, context
                )
            cells.append(f'<td class="text-end">{shown}</td>')
        out.append(
            f"\n<tr{' class="fw-bold table-light"' if is_total else ''}>"
            f"<td>{render_value_in_context(stt, context)}</td>"
            f"<td>{render_value_in_context(name, context)}</td>{''.join(cells)}</tr>\n"
        )
    return mark_safe("".join(out))  # every value above is escaped


@register.simple_tag(takes_context=True)
def ranking_rows(context: Any, ranking: Any, query: str) -> SafeString:
    """The body of the ranking table."""
    # Outside the f-string: xgettext does not read calls inside one (the catalogue lost them).
    same_rank, tie_word = escape(_("Same rates: same rank")), escape(_("tie"))
    tie = f' <span class="badge text-bg-light" title="{same_rank}">{tie_word}</span>'
    tasks = escape(reverse("task_list"))
    trend = escape(_("trend"))
    query = render_value_in_context(query, context)

    def show(value: Any) -> str:
        return str(render_value_in_context("—" if value is None else value, context))

    out = []
    for r in ranking:
        key = show(r.key)
        out.append(
            f"<tr><td>{show(r.rank)}{tie if r.tie else ''}</td>"
            f'<td><a href="{tasks}?org={key}&role=lead">{show(r.name)}</a> '
            f'<a class="small" href="?{query}&org={key}#trend-chart">{trend}</a></td>'
            f"<td>{show(r.completion_rate)}</td><td>{show(r.on_time_rate)}</td>"
            f"<td>{show(r.done)} / {show(r.open_overdue)}</td></tr>"
        )
    return mark_safe("".join(out))  # every value above is escaped
