"""Delivering reminders exactly once; the e-mail they write goes out through outbox.py.

deliver(): one transaction writes the log row (unique key), the in-app notifications, the
outbox messages and the task's timeline entry. A second scheduler racing for the same reminder
fails on the unique key and rolls back: nothing is doubled. A crash before the commit leaves
nothing, and the next run plans the reminder again: nothing is lost.

The messages written here are sent by outbox.send_batch (claimed with a lease, each marked sent
the moment the server accepts it).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nhiemvu.assignments.services import reminders_noted
from nhiemvu.lib import workdays
from nhiemvu.reminders import push
from nhiemvu.reminders.models import (
    DeliveryMode,
    Notification,
    NotificationPreference,
    Outbox,
    ReminderLog,
    RuleCode,
)
from nhiemvu.reminders.schedule import Due, digests_counts, pending

log = logging.getLogger(__name__)

DIGEST_RULES = {RuleCode.DAILY_DIGEST, RuleCode.WEEKLY_DIGEST}


# A digest lists the person's unread notices it has not listed before, from this long back.
DIGEST_NOTICES_DAYS = 7
DIGEST_NOTICES = 30


def _undigested(users: list[Any], now: dt.datetime) -> dict[int, list[Notification]]:
    """The notices a digest e-mail lists (title, its fact, the link), per person: unread, not
    in an earlier digest, newest first; a person who chose the digest for a kind reads them
    here. One query for everyone (the window is a week), cut to DIGEST_NOTICES each."""
    found: dict[int, list[Notification]] = {u.pk: [] for u in users}
    rows = (
        Notification.objects.filter(
            user__in=list(found),
            read_at__isnull=True,
            digested_at__isnull=True,
            created_at__gte=now - dt.timedelta(days=DIGEST_NOTICES_DAYS),
            created_at__lte=now,
        )
        .exclude(rule__in=DIGEST_RULES)
        .order_by("user_id", "-created_at", "-id")
    )
    for notice in rows:
        if len(found[notice.user_id]) < DIGEST_NOTICES:
            found[notice.user_id].append(notice)
    return found


def _render(
    due: Due,
    user: Any,
    notices: list[Notification] | None = None,
    counts: dict[str, int] | None = None,
) -> tuple[str, str, str]:
    detail = due.extra.get("detail", "")
    context = {
        "due": due,
        "detail": detail,
        # The whole text when the fact does not already say it (a long reason, a comment).
        "more": due.body if due.body and due.body.strip() not in detail else "",
        "notices": notices or [],
        "site": settings.SITE_URL.rstrip("/"),
        "user": user,
        "url": f"{settings.SITE_URL.rstrip('/')}{due.url}" if due.url else settings.SITE_URL,
        "counts": counts,
        "province_name": settings.NHIEMVU["PROVINCE_NAME"],
    }
    with translation.override("vi"):
        subject = render_to_string("emails/reminder_subject.txt", context).strip()
        text = render_to_string("emails/reminder.txt", context)
        html = render_to_string("emails/reminder.html", context)
    return " ".join(subject.split())[:300], text, html


def deliver(due: Due, now: dt.datetime) -> bool:
    """Deliver one planned reminder; False when it had already been delivered."""
    try:
        deliver_many([due], now)
    except IntegrityError:
        return False  # another scheduler delivered it first
    return True


def deliver_many(dues: list[Due], now: dt.datetime) -> int:
    """Deliver planned reminders (each its own notification and e-mail per recipient: the
    digests, the events' notices) in one transaction, each kind of row written in bulk.

    All or nothing: the log row's unique key makes a reminder another scheduler delivered
    first fail the whole call, and nothing of it is kept (``remind`` then delivers one by one,
    each once)."""
    today = timezone.localdate(now)
    with transaction.atomic():
        entries = ReminderLog.objects.bulk_create(
            [
                ReminderLog(
                    key=due.key,
                    rule=due.rule,
                    period=due.period,
                    task_id=due.task_id,
                    org_id=due.org_id,
                    created_at=now,
                    recipients=list(due.recipients),
                )
                for due in dues
            ]
        )
        wanted = {u for due in dues for u in due.recipients}
        users = {u.pk: u for u in get_user_model().objects.filter(pk__in=wanted, is_active=True)}
        modes = {
            (user_id, rule): mode
            for user_id, rule, mode in NotificationPreference.objects.filter(
                user__in=list(users), rule__in={d.rule for d in dues}
            ).values_list("user_id", "rule", "mode")
        }
        digested = [
            users[u] for d in dues if d.rule in DIGEST_RULES for u in d.recipients if u in users
        ]
        mailed = [u for u in digested if u.email]
        notices = _undigested(mailed, now) if mailed else {}
        counts = digests_counts(mailed, today) if mailed else {}
        notifications, messages, listed = [], [], []
        for due, entry in zip(dues, entries, strict=True):
            for user_id in due.recipients:
                user = users.get(user_id)
                if user is None:
                    continue
                notifications.append(
                    Notification(
                        user=user,
                        log=entry,
                        rule=due.rule,
                        title=due.title[:300],
                        detail=due.extra.get("detail", "")[:300],
                        body=due.body,
                        url=due.url,
                        created_at=now,
                    )
                )
                digest = due.rule in DIGEST_RULES
                digest_only = modes.get((user.pk, due.rule)) == DeliveryMode.DIGEST
                if user.email and (digest or not digest_only):
                    # A person with two digests this run sees their notices in the first.
                    mine = notices.pop(user.pk, []) if digest else []
                    subject, text, html = _render(
                        due, user, mine, counts.get(user.pk) if digest else None
                    )
                    listed += [n.pk for n in mine]
                    messages.append(
                        Outbox(
                            to=user.email,
                            subject=subject,
                            text=text,
                            html=html,
                            log=entry,
                            created_at=now,
                            next_attempt_at=now,
                        )
                    )
        Notification.objects.filter(pk__in=listed).update(digested_at=now)
        Notification.objects.bulk_create(notifications, batch_size=BATCH_ROWS)
        # Each notice on its person's subscribed devices too (issue 32), through the outbox.
        messages += push.queue(notifications, now)
        Outbox.objects.bulk_create(messages, batch_size=BATCH_ROWS)
        reminders_noted(
            notes=[
                (
                    d.task_id,
                    d.title,
                    {"rule": d.rule, "period": d.period, "recipients": len(d.recipients)},
                )
                for d in dues
                if d.task_id and d.on_timeline
            ]
        )
    return len(dues)


# --- The morning run: one message per person ---------------------------------------------------
# The reminders about tasks (before the deadline, on the day, overdue, the escalations, the
# 3-monthly check of tasks without deadline) and the monthly progress request reach a person as
# one e-mail and one notification per run, listing their tasks by urgency with a link each,
# instead of one e-mail per task per person (issue 15: 4,435 e-mails to 121 people). The log
# keeps one row per rule, task and period (what makes a reminder happen once) and the timeline
# of each task still shows that it was reminded.

BATCHED_RULES = (
    RuleCode.ESCALATE_OFFICE,
    RuleCode.ESCALATE_HEAD,
    RuleCode.OVERDUE,
    RuleCode.ON_DAY,
    RuleCode.BEFORE,
    RuleCode.NO_DEADLINE,
    RuleCode.MONTHLY_REQUEST,
)
# The sections of a person's message, most urgent first.
SECTIONS = (
    ((RuleCode.ESCALATE_OFFICE, RuleCode.ESCALATE_HEAD, RuleCode.OVERDUE), gettext_lazy("Overdue")),
    ((RuleCode.ON_DAY,), gettext_lazy("Due today")),
    ((RuleCode.BEFORE,), gettext_lazy("Coming due")),
    ((RuleCode.NO_DEADLINE,), gettext_lazy("Tasks without deadline: the 3-monthly check")),
    ((RuleCode.MONTHLY_REQUEST,), gettext_lazy("Monthly progress report")),
)
BATCH_ROWS = 2000


@dataclass
class Digest:
    """What one person is told in one run: their lines by section."""

    user: Any
    sections: list[tuple[str, list[tuple[Due, str]]]]  # heading, (reminder, absolute link)
    count: int
    overdue: int


def _digests(dues: list[Due], users: dict[int, Any], email_only: dict[int, set[str]]) -> Any:
    """Per person, the reminders they receive (all in the app; by e-mail those whose rule they
    did not set to "in the digest")."""
    site = settings.SITE_URL.rstrip("/")
    mine: dict[int, list[Due]] = defaultdict(list)
    for due in dues:
        for user_id in due.recipients:
            if user_id in users:
                mine[user_id].append(due)
    for user_id, items in mine.items():
        for channel in ("app", "email"):
            muted = email_only.get(user_id, set()) if channel == "email" else set()
            sections = []
            for rules_, heading in SECTIONS:
                lines = [
                    (d, f"{site}{d.url}" if d.url else site)
                    for d in items
                    if d.rule in rules_ and d.rule not in muted
                ]
                if lines:
                    sections.append((str(heading), lines))
            count = sum(len(lines) for _h, lines in sections)
            overdue = sum(1 for d in items if d.rule in SECTIONS[0][0] and d.rule not in muted)
            yield channel, Digest(users[user_id], sections, count, overdue)


def _digest_title(digest: Digest, today: dt.date) -> str:
    """The one line that names a person's reminders of the day (in Vietnamese)."""
    if digest.count == 1:
        return digest.sections[0][1][0][0].title[:300]
    with translation.override("vi"):
        title = _("Reminders of %(day)s: %(n)s tasks to act on (%(overdue)s overdue)") % {
            "day": f"{today:%d/%m/%Y}",
            "n": digest.count,
            "overdue": digest.overdue,
        }
    return title[:300]


def _digest_mail(digest: Digest, today: dt.date) -> tuple[str, str, str]:
    """(subject, text, html) of one person's e-mail, in Vietnamese."""
    title = _digest_title(digest, today)
    context = {
        "digest": digest,
        "user": digest.user,
        "day": today,
        "title": title,
        "url": settings.SITE_URL,
        "province_name": settings.NHIEMVU["PROVINCE_NAME"],
    }
    with translation.override("vi"):
        text = render_to_string("emails/reminders.txt", context)
        html = render_to_string("emails/reminders.html", context)
    subject = f"[{settings.NHIEMVU['PROVINCE_NAME']}] {title}"
    return " ".join(subject.split())[:300], text, html


def deliver_batch(dues: list[Due], now: dt.datetime) -> int:
    """Deliver many planned reminders in one transaction: the log rows, one notification and one
    e-mail per person, and each task's timeline entry, each kind written in bulk.

    All or nothing: if another scheduler logged one of them first, the unique key fails the
    whole batch and nothing of it is kept (the caller then delivers one by one)."""
    today = timezone.localdate(now)
    with transaction.atomic():
        ReminderLog.objects.bulk_create(
            (
                ReminderLog(
                    key=d.key,
                    rule=d.rule,
                    period=d.period,
                    task_id=d.task_id,
                    org_id=d.org_id,
                    created_at=now,
                    recipients=list(d.recipients),
                )
                for d in dues
            ),
            batch_size=BATCH_ROWS,
        )
        recipients = {u for d in dues for u in d.recipients}
        users = {
            u.pk: u for u in get_user_model().objects.filter(pk__in=recipients, is_active=True)
        }
        email_only: dict[int, set[str]] = defaultdict(set)
        for user_id, rule in NotificationPreference.objects.filter(
            user__in=list(users), mode=DeliveryMode.DIGEST
        ).values_list("user_id", "rule"):
            email_only[user_id].add(rule)
        notifications, messages = [], []
        for channel, digest in _digests(dues, users, email_only):
            if not digest.count:
                continue
            if channel == "app":
                notifications.append(
                    Notification(
                        user=digest.user,
                        rule=digest.sections[0][1][0][0].rule,
                        title=_digest_title(digest, today),
                        body="\n".join(d.title for _h, lines in digest.sections for d, _u in lines)[
                            :20000
                        ],
                        url=digest.sections[0][1][0][0].url if digest.count == 1 else "/",
                        created_at=now,
                    )
                )
            elif digest.user.email:
                subject, text, html = _digest_mail(digest, today)
                messages.append(
                    Outbox(
                        to=digest.user.email,
                        subject=subject,
                        text=text,
                        html=html,
                        created_at=now,
                        next_attempt_at=now,
                    )
                )
        Notification.objects.bulk_create(notifications, batch_size=BATCH_ROWS)
        # Each notice on its person's subscribed devices too (issue 32), through the outbox.
        messages += push.queue(notifications, now)
        Outbox.objects.bulk_create(messages, batch_size=BATCH_ROWS)
        reminders_noted(
            notes=[
                (
                    d.task_id,
                    d.title,
                    {"rule": d.rule, "period": d.period, "recipients": len(d.recipients)},
                )
                for d in dues
                if d.task_id and d.on_timeline
            ]
        )
    return len(dues)


def remind(now: dt.datetime) -> tuple[int, int]:
    """The reminders due now, each delivered once: (delivered, already done by another step)."""
    due = pending(now)
    batched = [d for d in due if d.rule in BATCHED_RULES]
    single = [d for d in due if d.rule not in BATCHED_RULES]
    delivered = skipped = 0
    one_by_one: list[Due] = []
    for group, send in ((batched, deliver_batch), (single, deliver_many)):
        if group:
            try:
                delivered += send(group, now)
            except IntegrityError:
                # Another scheduler got some of them first: these one at a time, each once.
                one_by_one += group
    for d in one_by_one:
        if deliver(d, now):
            delivered += 1
        else:
            skipped += 1
    return delivered, skipped


@transaction.atomic
def notifications_mark_read(*, user: Any, ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=workdays.now())


def notifications_mark_task_read(*, user: Any, task_id: int | None) -> int:
    """Mark read every notice about one task (a group of the list); None: the notices about no
    task (the digests, the monthly requests)."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    qs = qs.filter(log__task_id=task_id) if task_id else qs.filter(log__task__isnull=True)
    return qs.update(read_at=workdays.now())


@transaction.atomic
def preference_set(
    *, user: Any, rule: str, mode: str, push: bool | None = None
) -> NotificationPreference:
    """How ``user`` is told of ``rule``: e-mail at once or in the digest; on their devices or
    not (``push``; None keeps what it was)."""
    if rule not in RuleCode.values or mode not in DeliveryMode.values:
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        raise ValidationError(_("Unknown reminder kind or delivery mode."))
    fields: dict[str, Any] = {"mode": mode} if push is None else {"mode": mode, "push": push}
    pref, _created = NotificationPreference.objects.update_or_create(
        user=user, rule=rule, defaults=fields
    )
    return pref


@transaction.atomic
def urging_letter_register(*, actor: Any, org: Any, ref: str, doc_date: dt.date) -> Any:
    """The urging letter was signed and sent: register it as a document of the province."""
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _

    from nhiemvu.directives.services import DirectiveSpec, directive_create
    from nhiemvu.orgs.rules import allows, is_office
    from nhiemvu.orgs.selectors import province_on
    from nhiemvu.reminders.letters import tasks_to_urge

    if not allows(actor, is_office):
        raise PermissionDenied(_("Only the Provincial Office sends urging letters."))
    # The province in force on the letter's date (UBND tỉnh Gia Lai in 2026), not the first
    # province row (UBND tỉnh Bình Định, ceased 30/6/2025).
    issuer = province_on(doc_date)
    if issuer is None:
        from django.core.exceptions import ValidationError

        raise ValidationError(
            _("No province is in force on %(day)s among the organisations.")
            % {"day": f"{doc_date:%d/%m/%Y}"}
        )
    lines = [
        f"- {t.summary} ({t.directive.ref}, hạn {t.deadline:%d/%m/%Y})"
        for t in tasks_to_urge(org, doc_date)
        if t.deadline
    ]
    return directive_create(
        actor=actor,
        spec=DirectiveSpec(
            issuer=issuer,
            ref=ref,
            doc_date=doc_date,
            subject=f"V/v đôn đốc {org.name} thực hiện nhiệm vụ được giao",
            text="\n".join([f"Kính gửi: {org.name}", *lines]),
        ),
    )
