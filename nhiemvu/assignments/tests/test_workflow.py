"""The workflow table is the only place that decides what may be done when: every step, tried
through the services in every work state (accepted or not, with an extension request pending or
not), succeeds exactly when the table allows it, and then leads to the table's state and leaves
the table's timeline event and audit action. The task page and the API offer the same steps."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import RequestFactory

from nhiemvu.assignments import namedsets, workflow
from nhiemvu.assignments.actions import ACTIONS, offered, pending_request
from nhiemvu.assignments.models import (
    Assignment,
    AssignmentEvent,
    Delegation,
    EventKind,
    Extension,
    WorkState,
)
from nhiemvu.audit.models import AuditEvent
from nhiemvu.lib import workdays
from nhiemvu.test import BaseTestCase, api_key

BODIES: dict[str, dict[str, str]] = {
    "accept": {},
    "refuse": {"reason": "Không thuộc chức năng"},
    "progress": {"text": "Đang thực hiện", "percent": "40"},
    "complete": {"output_ref": "12/BC-KHCN", "output_date": "2026-03-10"},
    "extend": {"proposed_deadline": "2026-04-30", "reason": "Chờ số liệu"},
    "confirm": {"note": ""},
    "return": {"reason": "Thiếu số liệu"},
    "advise": {"advice": "Đồng ý"},
    "decide": {"approve": "yes"},
    "pause": {"reason": "Tạm dừng"},
    "resume": {"note": ""},
    "reassign": {"lead": "tay-son", "reason": ""},
    "comment": {"text": "Ý kiến"},
    "delegate": {"assignee": "lead", "division": "Phòng Quản lý", "internal_deadline": ""},
    "report_inside": {"text": "Đã xong dự thảo", "percent": "50"},
    "explain": {"cause": "khong-ro-nguyen-nhan", "explanation": "Chậm tham mưu"},
    "return_explanation": {"reason": "Chưa rõ nguyên nhân"},
    "split": {"content": "Rà soát", "lead": "so-khcn", "deadline": "20/03/2026"},
    "report_upward": {"ref": "95/BC-UBND", "report_date": "10/03/2026"},
}


class _Rollback(Exception):
    pass


class WorkflowTableTest(BaseTestCase):
    def _actor(self, name: str) -> Any:
        p = self.p
        return {
            "decide": p.chairman,
            "advise": p.office,
            "confirm": p.working_group,
            "return": p.working_group,
            "pause": p.office,
            "resume": p.office,
            "reassign": p.office,
            "comment": p.coord_officer,
            "delegate": p.lead_head,
            "return_explanation": p.office,
            "split": p.office,
            "report_upward": p.office,
        }.get(name, p.lead_officer)

    def _put_in(
        self, state: str, accepted: bool, pending: bool, delegated: bool = True
    ) -> Assignment:
        """The task as the services would have left it in ``state``."""
        task = self.reload()
        if state == WorkState.PAUSED:
            AssignmentEvent.objects.create(
                assignment=task,
                kind=EventKind.PAUSED,
                at=workdays.now(),
                on=workdays.today(),
                state_after=WorkState.PAUSED,
                data={"resume_to": WorkState.RETURNED},
            )
        reported = state in (WorkState.REPORTED, WorkState.DONE)
        Assignment.objects.filter(pk=task.pk).update(
            state=state,
            accepted_at=workdays.now() if accepted else None,
            completion_date=dt.date(2026, 3, 9) if reported else None,
            completion_ref="9/BC-KHCN" if reported else "",
        )
        # The head passed the task on to the lead officer (who may then report to the head).
        if delegated:
            Delegation.objects.create(
                assignment=task,
                org=task.lead,
                assignee=self.p.lead_officer,
                delegated_by=self.p.lead_head,
                delegated_at=workdays.now(),
            )
        if pending:
            Extension.objects.create(
                assignment=task,
                requested_by=self.p.lead_officer,
                requested_at=workdays.now(),
                reason="Chờ số liệu",
                deadline_before=task.deadline,
                proposed_deadline=dt.date(2026, 4, 30),
            )
        return self.reload()

    def _take(self, name: str, task: Assignment) -> None:
        action = ACTIONS[name]
        data = dict(BODIES[name])
        pending = pending_request(task)
        if name in ("advise", "decide"):
            data["extension"] = pending.code if pending else "none"
        form = action.form(data, task=task)
        self.assertTrue(form.is_valid(), (name, form.errors))
        request = RequestFactory().post("/")
        action.run(self._actor(name), task, form.cleaned_data, request)

    def test_the_services_do_exactly_what_the_table_allows(self) -> None:
        tried = allowed = 0
        for state, accepted, pending in itertools.product(
            WorkState.values, (False, True), (False, True)
        ):
            for name, step in workflow.TRANSITIONS.items():
                where = (name, state, accepted, pending)
                try:
                    with transaction.atomic():
                        task = self._put_in(state, accepted, pending)
                        request = pending_request(task)
                        # The actor chosen may take this kind of step on this task.
                        self.assertTrue(step.may(self._actor(name), task, request), where)
                        expected = step.allowed_in(task, request)
                        events = task.events.count()
                        audits = AuditEvent.objects.count()
                        try:
                            self._take(name, task)
                        except ValidationError as exc:
                            self.assertFalse(expected, (where, exc.messages))
                            refusal = step.refusal(task, request)
                            self.assertIsNotNone(refusal, where)
                            self.assertIn(str(refusal), exc.messages, where)
                        else:
                            self.assertTrue(expected, where)
                            allowed += 1
                            after = self.reload()
                            if step.target == workflow.STATE_BEFORE_PAUSE:
                                self.assertEqual(after.state, WorkState.RETURNED, where)
                            elif step.target is not None:
                                self.assertEqual(after.state, step.target, where)
                            else:
                                self.assertEqual(after.state, state, where)
                            if step.event:
                                self.assertEqual(after.events.count(), events + 1, where)
                                last = after.events.order_by("-id").first()
                                assert last is not None
                                self.assertEqual(last.kind, step.event, where)
                            else:  # inside the agency: not on the province's timeline
                                self.assertEqual(after.events.count(), events, where)
                            # The step's own audit row; a reassignment also ends the hand-over
                            # inside the old lead agency, audited on its own (issue 24).
                            written = list(
                                AuditEvent.objects.order_by("id")[audits:].values_list(
                                    "action", flat=True
                                )
                            )
                            self.assertEqual(
                                [a for a in written if a != "assignment.delegation_end"],
                                [step.audit],
                                where,
                            )
                            if "assignment.delegation_end" in written:
                                self.assertEqual(name, "reassign", where)
                        tried += 1
                        raise _Rollback
                except _Rollback:
                    pass
        self.assertEqual(tried, len(WorkState.values) * 4 * len(workflow.TRANSITIONS))
        self.assertGreater(allowed, 40)

    def test_a_person_who_may_not_is_told_so_before_the_state_is_looked_at(self) -> None:
        task = self._put_in(WorkState.DONE, True, False)
        # A coordinating agency trying to report a finished task: not theirs to report, whatever
        # the state (403 with the reason in Vietnamese, not "already done").
        with self.assertRaisesMessage(PermissionDenied, "cơ quan chủ trì"):
            workflow.check("complete", self.p.coord_officer, task)

    def test_the_page_and_the_api_offer_what_the_table_allows(self) -> None:
        key = api_key(self.p.agency_a, role="officer")
        for state in WorkState.values:
            with transaction.atomic():
                # Not passed on inside the agency: an API key is not the person it was passed to.
                task = self._put_in(state, False, False, delegated=False)
                expected = workflow.available(self.p.lead_officer, task)
                body = self.client.get(
                    f"/api/v1/tasks/{task.code}", headers={"Authorization": f"Bearer {key}"}
                ).json()
                self.assertEqual(body["actions"], expected, state)
                self.assertEqual(list(offered(self.p.lead_officer, task, None)), expected)
                self.login(self.p.lead_officer)
                page = self.client.get(f"/nhiem-vu/{task.code}/").content.decode()
                for name, action in ACTIONS.items():
                    shown = f'id="action-{name}"' in page
                    self.assertEqual(shown, name in expected, (state, name, str(action.label)))
                transaction.set_rollback(True)

    def test_the_agency_home_lists_to_accept_what_the_table_lets_it_accept(self) -> None:
        # "New, to accept" on the agency's home is the named set to_accept (predicate and
        # filter), and the set is the accept step's state and condition: in every state,
        # accepted or not, the three say the same, and the home lists the task under "new"
        # exactly then.
        met = set()
        for state, accepted in itertools.product(WorkState.values, (False, True)):
            with transaction.atomic():
                task = self._put_in(state, accepted, False, delegated=False)
                step = workflow.allowed_in("accept", task)
                self.assertEqual(namedsets.is_to_accept(task), step, (state, accepted))
                in_filter = Assignment.objects.filter(namedsets.to_accept_q(), pk=task.pk)
                self.assertEqual(in_filter.exists(), step, (state, accepted))
                self.login(self.p.lead_officer)
                home = self.client.get("/")
                sections = {sec.key: sec for sec in home.context["agency_sections"]}
                new = [t.pk for t in sections["new"].rows]
                self.assertEqual(task.pk in new, step, (state, accepted))
                met.add(step)
                transaction.set_rollback(True)
        self.assertEqual(met, {True, False})

    def test_one_click_buttons_follow_the_task_page(self) -> None:
        # The agency's home offers a one-click button exactly when the task page offers that
        # step to the same person: in every state, with an extension request awaiting
        # decision or not (no "Extension" button while one waits).
        seen = set()
        for state, waiting in itertools.product(WorkState.values, (False, True)):
            with transaction.atomic():
                task = self._put_in(state, True, waiting, delegated=False)
                self.login(self.p.lead_officer)
                home = self.client.get("/").content.decode()
                page = self.client.get(f"/nhiem-vu/{task.code}/").content.decode()
                if f"/nhiem-vu/{task.code}/" in home:
                    for name in ("progress", "complete", "extend"):
                        shown = f"?thao-tac={name}#action-{name}" in home
                        offered_here = f'id="action-{name}"' in page
                        self.assertEqual(shown, offered_here, (state, waiting, name))
                        seen.add((name, waiting, shown))
                transaction.set_rollback(True)
        # Both outcomes were met, the pending request's "no Extension" among them.
        self.assertIn(("extend", True, False), seen)
        self.assertIn(("extend", False, True), seen)
        self.assertIn(("complete", True, True), seen)
