from __future__ import annotations

import html
import unicodedata
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

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


def _escape(value: Any) -> str:
    """Django's ``escape`` (the same five characters replaced, via ``html.escape``) without its
    lazy-string wrapper and ``SafeString`` per call: a page escapes ~700 values here."""
    return html.escape(str(value))


def _day(value: Any) -> str:
    """``|date:"d/m/Y"``: 07/03/2026."""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


TITLE_CHARS = 140


def _title(summary: str) -> str:
    """``Truncator(summary).chars(140)``: a summary that fits (nearly all) is returned as the
    truncator would return it, NFC, without building the lazy truncator and its translated
    ellipsis for each of the page's rows."""
    text = unicodedata.normalize("NFC", summary)
    return text if len(text) <= TITLE_CHARS else Truncator(text).chars(TITLE_CHARS)


@register.simple_tag(takes_context=True)
def task_rows(context: Any, tasks: Any, full: Any = False, quick: Any = False) -> str:
    """The body of a task table (``_rows.html``), every row drawn here in Python.

    A list page draws 100–200 rows; the template loop spent about two thirds of the page's CPU
    on ~2,800 variable lookups and filter calls (issue 28). The HTML is what the loop wrote,
    character for character (the HTMX partials and the tests read it); every value from the
    database goes through ``escape`` as the template's autoescaping did."""
    rows = tasks if hasattr(tasks, "__len__") else list(tasks)
    if not rows:
        colspan = 6 if quick else 7 if full else 5
        # Translations outside the f-strings: xgettext does not read calls inside one.
        none = _escape(_("No tasks."))
        return mark_safe(
            f'\n    <tr><td colspan="{colspan}" class="text-body-secondary">{none}</td></tr>\n  '
        )
    l_lead, l_doc = _escape(_("Lead agency")), _escape(_("Source document"))
    l_deadline, l_status = _escape(_("Deadline")), _escape(_("Status"))
    l_done, l_coord = _escape(_("Completed on")), _escape(_("Coordinating agencies"))
    flag_title = _escape(_("Deliverable without deadline"))
    flag_word = _escape(_("No deadline for deliverable"))
    flag = f'<span class="badge text-bg-danger" title="{flag_title}">{flag_word}</span>'
    quick_links = (
        ("progress", "btn-outline-primary", _escape(_("Progress"))),
        ("complete", "btn-outline-success", _escape(_("Done"))),
        ("extend", "btn-outline-secondary", _escape(_("Extension"))),
    )
    badges: dict[str, str] = {}  # a badge depends on the label alone: built once per label
    out: list[str] = []
    add = out.append
    for t in rows:
        label = getattr(t, "st_label", None) or ""
        badge = badges.get(label)
        if badge is None:
            badge = badges[label] = status_badge(t)
        href = _escape(code_url("task_detail", t.code))
        directive = t.directive
        add(
            f'\n    <tr>\n      <td class="task-title"><a href="{href}">'
            f"{_escape(_title(t.summary))}</a>\n        "
        )
        if t.flagged:
            add(flag)
        add(
            f'</td>\n      <td data-label="{l_lead}">{_escape(t.lead.label)}</td>\n'
            f'      <td data-label="{l_doc}"><a href="'
            f'{_escape(code_url("directive_detail", directive.code))}">{_escape(directive.ref)}</a>'
            f'</td>\n      <td data-label="{l_deadline}">'
            f"{_day(t.deadline) if t.deadline else '—'}</td>\n"
            f'      <td data-label="{l_status}">{badge}</td>\n      '
        )
        if full:
            done = t.completion_date if t.state == "done" else None
            coordinating = getattr(t, "coordinating", None) or ()
            add(
                f'<td data-label="{l_done}">{_day(done) if done else ""}</td>\n'
                f'      <td data-label="{l_coord}" class="small">'
                f"{'; '.join(_escape(c) for c in coordinating)}</td>"
            )
        add("\n      ")
        if quick:
            steps = quick_steps(context, t)
            add('<td class="text-nowrap task-actions">\n        ')
            for n, (name, style, text) in enumerate(quick_links):
                if n:
                    add("\n        ")
                if name in steps:
                    add(
                        f'<a class="btn btn-sm {style}" href="{href}?thao-tac={name}'
                        f'#action-{name}">{text}</a>'
                    )
            add("\n      </td>")
        add("\n    </tr>\n  ")
    return mark_safe("".join(out))  # every value above is escaped


# The task list's filter fields by (language, what the form says they depend on). The same few
# filters come back all day (the default list, a status, an agency); drawing the fields' ~13
# widgets and ~60 options again on every page was a seventh of the list's CPU (issue 28).
FILTER_FIELDS_KEPT = 256
_filter_fields: dict[Any, str] = {}


@register.simple_tag
def filter_fields(form: Any) -> str:
    """The filter form's fields (``task_list.html#fields``), kept per process when error-free."""
    key = form.drawn_key()
    if key is None:
        return render_to_string("assignments/task_list.html#fields", {"form": form})
    key = (get_language(), key)
    drawn = _filter_fields.get(key)
    if drawn is None:
        drawn = render_to_string("assignments/task_list.html#fields", {"form": form})
        if len(_filter_fields) >= FILTER_FIELDS_KEPT:
            _filter_fields.clear()  # rare: a bound, not an eviction policy
        _filter_fields[key] = drawn
    return drawn
