"""Test personas (DESIGN.md rule 7): one per role, across two agencies, and an outsider.

lead_officer, lead_head, viewer   Sở Khoa học (agency A), which leads `self.task`
coord_officer                     Sở Tài chính (agency B), which coordinates it
outsider                          UBND huyện Tây Sơn (agency C), nothing to do with it
office, working_group             Văn phòng UBND tỉnh, Tổ công tác
chairman, vice_chairman           UBND tỉnh
admin                             administrator
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import time_machine
from django.test import TestCase

from nhiemvu.accounts.models import User
from nhiemvu.assignments import services
from nhiemvu.assignments.models import Assignment
from nhiemvu.directives.models import Directive
from nhiemvu.directives.services import DirectiveSpec
from nhiemvu.lib import workdays
from nhiemvu.orgs.models import LeaderTitle, Membership, Organisation, OrgKind, Role

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PASSWORD = "test-password-123"
# A Wednesday with no holiday near it; tests that care about the date travel explicitly.
TODAY = dt.date(2026, 3, 11)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


def travel(day: dt.date, hour: int = 10) -> Any:
    return time_machine.travel(at(day, hour), tick=False)


def make_org(code: str, name: str, kind: str = OrgKind.DEPARTMENT, **extra: Any) -> Organisation:
    return Organisation.objects.create(code=code, name=name, kind=kind, **extra)


def make_user(username: str, org: Organisation, role: str, title: str = "") -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, full_name=username)
    Membership.objects.create(user=user, org=org, role=role, leader_title=title)
    return user


class Province:
    """The organisations and personas, built once per test class."""

    def __init__(self) -> None:
        self.province = make_org("ubnd", "UBND tỉnh", OrgKind.PROVINCE)
        self.office_org = make_org("vp", "Văn phòng UBND tỉnh", OrgKind.OFFICE)
        self.wg_org = make_org("tct", "Tổ công tác", OrgKind.WORKING_GROUP)
        self.agency_a = make_org("so-khcn", "Sở Khoa học và Công nghệ", short_name="Sở KH&CN")
        self.agency_b = make_org("so-tc", "Sở Tài chính")
        self.agency_c = make_org("tay-son", "UBND huyện Tây Sơn", OrgKind.DISTRICT)
        self.chairman = make_user("chairman", self.province, Role.LEADER, LeaderTitle.CHAIRMAN)
        self.vice_chairman = make_user(
            "vice", self.province, Role.LEADER, LeaderTitle.VICE_CHAIRMAN
        )
        self.office = make_user("office", self.office_org, Role.OFFICE)
        self.working_group = make_user("wg", self.wg_org, Role.WORKING_GROUP)
        self.lead_officer = make_user("lead", self.agency_a, Role.OFFICER)
        self.lead_head = make_user("head", self.agency_a, Role.HEAD)
        self.viewer = make_user("viewer", self.agency_a, Role.VIEWER)
        self.coord_officer = make_user("coord", self.agency_b, Role.OFFICER)
        self.outsider = make_user("outsider", self.agency_c, Role.OFFICER)
        self.admin = make_user("admin", self.office_org, Role.ADMIN)

    def personas(self) -> dict[str, User]:
        return {
            name: getattr(self, name)
            for name in (
                "chairman",
                "vice_chairman",
                "office",
                "working_group",
                "lead_officer",
                "lead_head",
                "viewer",
                "coord_officer",
                "outsider",
                "admin",
            )
        }


def register(
    p: Province,
    *,
    ref: str = "100/UBND-KT",
    doc_date: dt.date = dt.date(2026, 3, 2),
    tasks: list[services.TaskSpec] | None = None,
    assigned_by: User | None = None,
) -> Directive:
    spec = DirectiveSpec(
        issuer=p.province,
        ref=ref,
        doc_date=doc_date,
        subject="Về việc thử",
        assigned_by=assigned_by or p.vice_chairman,
    )
    if tasks is None:
        tasks = [
            services.TaskSpec(
                content="Báo cáo kết quả",
                lead=p.agency_a,
                coordinators=[p.agency_b],
                deliverable_kind="bao_cao",
                deadline=dt.date(2026, 3, 31),
            )
        ]
    return services.directive_register(actor=p.office, spec=spec, tasks=tasks)


class BaseTestCase(TestCase):
    """A province with personas and one registered task led by agency A, coordinated by B."""

    p: Province
    directive: Directive
    task: Assignment

    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = Province()
        with travel(dt.date(2026, 3, 3)):
            cls.directive = register(cls.p)
        cls.task = Assignment.objects.get(directive=cls.directive)

    def setUp(self) -> None:
        self.traveller = travel(TODAY)
        self.traveller.start()
        self.addCleanup(self.traveller.stop)
        # The working-day calendar is re-read once a minute (workdays.CACHE_SECONDS: how soon
        # other processes see an edited override; this one is told at once). On a slow run an
        # earlier test's reading expired between two query counts (an eighth query, the
        # overrides, where seven were counted): within a test it is read once.
        kept = mock.patch.object(workdays, "CACHE_SECONDS", 3600.0)
        kept.start()
        self.addCleanup(kept.stop)
        for user in self.p.personas().values():
            user.__dict__.pop("_nhiemvu_scope", None)

    def reload(self, task: Assignment | None = None) -> Assignment:
        return Assignment.objects.get(pk=(task or self.task).pk)

    def login(self, user: User) -> None:
        self.client.force_login(user)


def task_with_history(
    p: Province,
    directive: Directive,
    *,
    assigned: dt.date,
    deadline: dt.date | None,
    events: Sequence[tuple[dt.date, str]] = (),
    extensions: Sequence[tuple[dt.date, dt.date]] = (),
    completion: dt.date | None = None,
    **fields: Any,
) -> Assignment:
    """A task as the services leave it after a history, written straight to the tables so a
    test can put any history anywhere in time: the assignment event, one event per state
    change (a REPORTED one is a completion carrying ``completion`` as its document date), one
    approved extension per ``(decided_on, new_deadline)``, and ``history_on`` (the last day of
    a state change or an approved extension, which the services maintain). ``fields`` are the
    task's own columns (lead, state, completed_late …); its deadline is the last extension's."""
    from nhiemvu.assignments.models import AssignmentEvent, DeadlineKind, Extension, WorkState

    effective = extensions[-1][1] if extensions else deadline
    fields = {
        "content": "x",
        "summary": "x",
        "lead": p.agency_a,
        "original_lead": p.agency_a,
        "state": events[-1][1] if events else WorkState.OPEN,
        "deadline_kind": DeadlineKind.FIXED if deadline else DeadlineKind.NONE,
        **fields,
    }
    task = Assignment.objects.create(
        directive=directive,
        created_by=p.office,
        assigned_on=assigned,
        original_deadline=deadline,
        deadline=effective,
        completion_date=completion,
        **fields,
    )
    AssignmentEvent.objects.create(
        assignment=task, kind="assigned", at=at(assigned), on=assigned, state_after=WorkState.OPEN
    )
    for i, (day, state) in enumerate(events):
        reported = state == WorkState.REPORTED
        AssignmentEvent.objects.create(
            assignment=task,
            kind="completion" if reported else "progress",
            at=at(day, 11 + i % 6),
            on=day,
            state_after=state,
            doc_date=completion if reported else None,
        )
    for decided, new in extensions:
        Extension.objects.create(
            assignment=task,
            requested_by=p.lead_officer,
            requested_at=at(decided),
            reason="r",
            proposed_deadline=new,
            status="approved",
            decided_on=decided,
            decided_at=at(decided, 15),
            new_deadline=new,
        )
    decisive = [assigned, *(day for day, _state in events), *(d for d, _new in extensions)]
    Assignment.objects.filter(pk=task.pk).update(history_on=max(decisive))
    task.refresh_from_db()
    return task


def api_key(org: Organisation, scope: str = "write", role: str | None = None, **extra: Any) -> str:
    """A live API key for ``org``; returns the secret to send as ``Authorization: Bearer``."""
    from nhiemvu.accounts.services import apikey_create

    _key, plaintext = apikey_create(
        actor=None, org=org, scope=scope, name=f"Hệ thống {org.code}", role=role, **extra
    )
    return plaintext
