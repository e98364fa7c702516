from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Max, Q, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from nhiemvu.accounts.models import User
from nhiemvu.assignments import namedsets
from nhiemvu.assignments.models import Assignment
from nhiemvu.directives.files import office_key
from nhiemvu.forms import DATE_FORMATS, DATE_WIDGET, StyledForm, VnDateField
from nhiemvu.lib import workdays
from nhiemvu.lib.inputs import whole_number, whole_numbers
from nhiemvu.orgs.models import Organisation
from nhiemvu.orgs.rules import is_office
from nhiemvu.reminders import services
from nhiemvu.reminders.letters import urging_letter, urging_letter_pdf
from nhiemvu.reminders.models import DeliveryMode, Notification, NotificationPreference, RuleCode


def _me(request: HttpRequest) -> User:
    """The logged-in user (every view here is behind login_required)."""
    return cast(User, request.user)


GROUPS_PER_PAGE = 20
NOTICES_PER_GROUP = 5  # the newest with its fact, and a few earlier ones folded beneath


def _notifications(request: HttpRequest, *, status_code: int = 200) -> HttpResponse:
    """A person's notices grouped by task (issue 27: a wall of long identical titles), the
    group with the newest notice first; each group shows its newest notices with their fact.
    Three queries: the groups of the page, their newest notices, their tasks."""
    mine = Notification.objects.filter(user_id=_me(request).pk)
    groups = (
        mine.values("log__task_id")
        .annotate(
            last=Max("created_at"),
            total=Count("id"),
            unread=Count("id", filter=Q(read_at__isnull=True)),
        )
        .order_by("-last", "log__task_id")
    )
    page = Paginator(groups, GROUPS_PER_PAGE).get_page(whole_number(request.GET.get("page")))
    task_ids = [g["log__task_id"] for g in page.object_list]
    newest = (
        mine.filter(
            Q(log__task_id__in=[t for t in task_ids if t is not None])
            | (Q(log__task__isnull=True) if None in task_ids else Q(pk__in=[]))
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("log__task_id"),
                order_by=[F("created_at").desc(), F("id").desc()],
            ),
            task_id=F("log__task_id"),
        )
        .filter(rank__lte=NOTICES_PER_GROUP)
        .order_by("-created_at", "-id")
    )
    notices: dict[int | None, list[Notification]] = {}
    for notice in newest:
        notices.setdefault(notice.task_id, []).append(notice)
    tasks = Assignment.objects.filter(pk__in=task_ids).only("code", "summary").in_bulk()
    rows = [
        {
            **group,
            "task": tasks.get(group["log__task_id"]),
            "key": group["log__task_id"] or 0,
            "newest": notices.get(group["log__task_id"], [None])[0],
            "earlier": notices.get(group["log__task_id"], [])[1:],
        }
        for group in page.object_list
    ]
    context = {"page": page, "groups": rows}
    return render(request, "reminders/notifications.html", context, status=status_code)


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    return _notifications(request)


@login_required
@require_POST
def notification_read(request: HttpRequest) -> HttpResponse:
    """Mark the notifications sent (``id``, repeated) as read, or every notice of one task
    (``task``, its id; 0 for the notices about no task), or all when neither is sent. One id
    that is not a whole number (a Unicode digit, too large) refuses the whole request."""
    if "task" in request.POST:
        task_id = whole_number(request.POST.get("task"))
        if task_id is None:
            messages.error(request, _("That is not a task: nothing was marked as read."))
            return _notifications(request, status_code=400)
        services.notifications_mark_task_read(user=_me(request), task_id=task_id or None)
        return redirect("notifications")
    ids = whole_numbers(request.POST.getlist("id"))
    if ids is None:
        messages.error(request, _("That is not a notification: nothing was marked as read."))
        return _notifications(request, status_code=400)
    services.notifications_mark_read(user=_me(request), ids=ids or None)
    return redirect("notifications")


class PreferencesForm(StyledForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in RuleCode.choices:
            self.fields[code] = forms.ChoiceField(label=label, choices=DeliveryMode.choices)


@login_required
def notification_preferences(request: HttpRequest) -> HttpResponse:
    current = dict(
        NotificationPreference.objects.filter(user=_me(request)).values_list("rule", "mode")
    )
    initial = {code: current.get(code, DeliveryMode.IMMEDIATE) for code in RuleCode.values}
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        for code, mode in form.cleaned_data.items():
            services.preference_set(user=_me(request), rule=code, mode=mode)
        messages.success(request, _("Your notification settings were saved."))
        return redirect("notification_preferences")
    return render(request, "reminders/preferences.html", {"form": form})


class RegisterLetterForm(StyledForm):
    ref = forms.CharField(label=gettext_lazy("Number and symbol"), max_length=80)
    doc_date = VnDateField(
        label=gettext_lazy("Document date"), widget=DATE_WIDGET, input_formats=DATE_FORMATS
    )


def _office(request: HttpRequest) -> None:
    if not is_office(request.user):
        raise PermissionDenied


@login_required
def urging(request: HttpRequest) -> HttpResponse:
    """Agencies with overdue or soon-due work, for the office's urging letters (one query)."""
    _office(request)
    today = workdays.today()
    rows = (
        Assignment.objects.filter(namedsets.urging_q(today))
        .values("lead__code", "lead__name")
        .annotate(n=Count("*"))
        .order_by("-n", "lead__name")
    )
    context = {"rows": rows, "form": RegisterLetterForm(), "signing": office_key() is not None}
    return render(request, "reminders/urging.html", context)


@login_required
def urging_letter_download(request: HttpRequest, code: str) -> HttpResponse:
    _office(request)
    org = get_object_or_404(Organisation, code=code)
    response = HttpResponse(
        urging_letter(org),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="don-doc-{org.code}.docx"'
    return response


@login_required
def urging_letter_pdf_download(request: HttpRequest, code: str) -> HttpResponse:
    """The letter as PDF, signed with the office's certificate when one is configured."""
    _office(request)
    org = get_object_or_404(Organisation, code=code)
    pdf, _signed = urging_letter_pdf(org)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="don-doc-{org.code}.pdf"'
    return response


@login_required
@require_POST
def urging_letter_register(request: HttpRequest, code: str) -> HttpResponse:
    _office(request)
    org = get_object_or_404(Organisation, code=code)
    form = RegisterLetterForm(request.POST)
    if form.is_valid():
        try:
            directive = services.urging_letter_register(
                actor=_me(request),
                org=org,
                ref=form.cleaned_data["ref"],
                doc_date=form.cleaned_data["doc_date"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Registered %(ref)s.") % {"ref": directive.ref})
            return redirect("directive_detail", code=directive.code)
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("urging")
