from __future__ import annotations

import json
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Max, Q, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest, HttpResponse, JsonResponse
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
from nhiemvu.reminders import push, services
from nhiemvu.reminders.letters import urging_letter, urging_letter_pdf
from nhiemvu.reminders.models import (
    DeliveryMode,
    Notification,
    NotificationPreference,
    PushSubscription,
    RuleCode,
)


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


PUSH_PREFIX = "push_"


class PreferencesForm(StyledForm):
    """Per kind: e-mail at once or only in the digest, and whether to be told on the person's
    subscribed devices (issue 32)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in RuleCode.choices:
            self.fields[code] = forms.ChoiceField(label=label, choices=DeliveryMode.choices)
            self.fields[PUSH_PREFIX + code] = forms.BooleanField(
                label=gettext_lazy("On my devices"), required=False
            )

    def rows(self) -> list[tuple[Any, Any]]:
        """(e-mail choice, push box) per kind, in the kinds' order."""
        return [(self[code], self[PUSH_PREFIX + code]) for code in RuleCode.values]


@login_required
def notification_preferences(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    current = {
        rule: (mode, pushed)
        for rule, mode, pushed in NotificationPreference.objects.filter(user=me).values_list(
            "rule", "mode", "push"
        )
    }
    initial: dict[str, Any] = {}
    for code in RuleCode.values:
        mode, pushed = current.get(code, (DeliveryMode.IMMEDIATE, True))
        initial[code], initial[PUSH_PREFIX + code] = mode, pushed
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        for code in RuleCode.values:
            services.preference_set(
                user=me,
                rule=code,
                mode=form.cleaned_data[code],
                push=form.cleaned_data[PUSH_PREFIX + code],
            )
        messages.success(request, _("Your notification settings were saved."))
        return redirect("notification_preferences")
    context = {
        "form": form,
        "devices": PushSubscription.objects.filter(user=me),
        "push_key": settings.VAPID_PUBLIC_KEY if push.enabled() else "",
    }
    return render(request, "reminders/preferences.html", context)


# A subscription is a few hundred bytes of JSON; anything much larger is not one.
SUBSCRIPTION_BODY_BYTES = 4096


@login_required
@require_POST
def push_subscribe(request: HttpRequest) -> JsonResponse:
    """This device's subscription (the browser's PushSubscription as JSON, sent by
    static/js/pwa.js): the person is told on it from now on."""
    try:
        if len(request.body) > SUBSCRIPTION_BODY_BYTES:
            raise ValueError
        data = json.loads(request.body)
        endpoint, keys = data["endpoint"], data["keys"]
        p256dh, auth = keys["p256dh"], keys["auth"]
        if not all(isinstance(v, str) for v in (endpoint, p256dh, auth)):
            raise ValueError
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": _("That is not a device's subscription.")}, status=400)
    device = request.headers.get("User-Agent", "")
    try:
        push.subscription_add(
            user=_me(request),
            endpoint=endpoint,
            p256dh=p256dh,
            auth=auth,
            device=device,
            now=workdays.now(),
        )
    except ValidationError as exc:
        return JsonResponse({"error": " ".join(exc.messages)}, status=400)
    return JsonResponse({"ok": True})


@login_required
@require_POST
def push_unsubscribe(request: HttpRequest) -> HttpResponse:
    """Stop telling the person on one device: the row from the settings page (``id``) or this
    device's endpoint (``endpoint``, from static/js/pwa.js)."""
    pk = whole_number(request.POST.get("id")) if "id" in request.POST else None
    endpoint = request.POST.get("endpoint", "")
    if pk is None and not endpoint:
        messages.error(request, _("That is not one of your devices: nothing was changed."))
        return redirect("notification_preferences")
    if push.subscription_remove(user=_me(request), pk=pk, endpoint=endpoint or None):
        messages.success(request, _("That device will not be told any more."))
    else:
        messages.error(request, _("That is not one of your devices: nothing was changed."))
    return redirect("notification_preferences")


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
