"""Work from above (issue 16): a task the Prime Minister gives the province, split by the office
into sub-tasks, rolled up by the one rule (rollup.py), reported upward only when every sub-task
is confirmed."""

from __future__ import annotations

import itertools
from datetime import date as D
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from nhiemvu.assignments import rollup, services, status, workflow
from nhiemvu.assignments.models import Assignment, WorkState
from nhiemvu.directives.services import DirectiveSpec
from nhiemvu.orgs.models import Organisation, OrgKind
from nhiemvu.test import BaseTestCase, Province, api_key, make_org, travel

UPWARD = D(2026, 4, 30)


def receive(p: Province, pm: Organisation, *, deadline: D = UPWARD) -> Assignment:
    directive = services.directive_register(
        actor=p.office,
        spec=DirectiveSpec(
            issuer=pm,
            ref="25/CĐ-TTg",
            doc_date=D(2026, 3, 9),
            subject="Công điện về đẩy nhanh giải ngân vốn đầu tư công",
        ),
        tasks=[
            services.TaskSpec(
                content="Đẩy nhanh giải ngân vốn đầu tư công, báo cáo Thủ tướng Chính phủ.",
                lead=p.province,
                deadline=deadline,
                deliverable_kind="bao_cao",
                external_code="NV-3",
            )
        ],
    )
    return directive.assignments.get()


def sub(p: Province, upper: Assignment, lead: Organisation, deadline: D = D(2026, 4, 15)):
    return services.subtask_create(
        actor=p.office,
        upper=upper,
        spec=services.TaskSpec(content=f"Phần việc của {lead.name}", lead=lead, deadline=deadline),
    )[0]


def finish(p: Province, task: Assignment, officer, day: D = D(2026, 3, 11)) -> None:
    services.assignment_report_completion(
        actor=officer, task=task, output_ref="1/BC", output_date=day, text="Xong"
    )
    services.assignment_confirm(actor=p.office, task=task)


class UpwardTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.pm = make_org("thu-tuong", "Thủ tướng Chính phủ", OrgKind.GOVERNMENT)
        self.upper = receive(self.p, self.pm)

    def test_a_task_from_above_is_received_by_the_province_with_its_code(self) -> None:
        self.assertTrue(self.upper.received)
        self.assertEqual((self.upper.external_code, self.upper.lead), ("NV-3", self.p.province))
        with self.assertRaises(ValidationError) as raised:
            services.directive_register(
                actor=self.p.office,
                spec=DirectiveSpec(
                    issuer=self.pm, ref="26/CĐ-TTg", doc_date=D(2026, 3, 9), subject="Thử"
                ),
                tasks=[services.TaskSpec(content="x", lead=self.p.agency_a, deadline=UPWARD)],
            )
        self.assertIn("nhiệm vụ con", raised.exception.message_dict["task1-lead"][0])

    def test_sub_tasks_have_earlier_deadlines_and_the_office_splits(self) -> None:
        with self.assertRaises(ValidationError):
            sub(self.p, self.upper, self.p.agency_a, deadline=D(2026, 5, 5))
        with self.assertRaises(PermissionDenied):
            services.subtask_create(
                actor=self.p.lead_officer,
                upper=self.upper,
                spec=services.TaskSpec(content="x", lead=self.p.agency_a, deadline=UPWARD),
            )
        child = sub(self.p, self.upper, self.p.agency_a)
        self.assertEqual(
            (child.upper, child.assigned_on, child.received), (self.upper, D(2026, 3, 11), False)
        )
        # The received task itself takes no agency step: it follows its sub-tasks.
        with self.assertRaises((ValidationError, PermissionDenied)):
            services.assignment_confirm(actor=self.p.office, task=self.upper)

    def test_reported_upward_only_when_every_sub_task_is_confirmed(self) -> None:
        with self.assertRaises(ValidationError):  # not split
            services.received_report_upward(
                actor=self.p.office, task=self.upper, ref="1/BC-UBND", report_date=D(2026, 3, 11)
            )
        a = sub(self.p, self.upper, self.p.agency_a)
        b = sub(self.p, self.upper, self.p.agency_b)
        finish(self.p, a, self.p.lead_officer)
        self.assertEqual(Assignment.objects.get(pk=self.upper.pk).progress_percent, 50)
        self.assertEqual(services.stage_of(self.upper), rollup.Stage.IN_PROGRESS)
        with self.assertRaises(ValidationError):
            services.received_report_upward(
                actor=self.p.office, task=self.upper, ref="1/BC-UBND", report_date=D(2026, 3, 11)
            )
        finish(self.p, b, self.p.coord_officer)
        self.assertEqual(services.stage_of(self.upper), rollup.Stage.READY)
        # The API gives the same roll-up to the province's other systems.
        key = api_key(self.p.office_org, scope="read", role="office")
        body = self.client.get(
            f"/api/v1/tasks/{self.upper.code}", HTTP_AUTHORIZATION=f"Bearer {key}"
        ).json()
        self.assertEqual(
            (body["received"], body["external_code"], body["rollup"]["stage"]),
            (True, "NV-3", "ready"),
        )
        self.assertTrue(body["rollup"]["may_report_upward"])
        # Only who may take the step is told it may: a province viewer sees the task, not the step.
        viewer_key = api_key(self.p.province, scope="read", role="viewer")
        seen = self.client.get(
            f"/api/v1/tasks/{self.upper.code}", HTTP_AUTHORIZATION=f"Bearer {viewer_key}"
        ).json()
        self.assertEqual(seen["rollup"]["stage"], "ready")
        self.assertFalse(seen["rollup"]["may_report_upward"])
        self.assertEqual({s["code"] for s in body["rollup"]["subtasks"]}, {a.code, b.code})
        child = self.client.get(f"/api/v1/tasks/{a.code}", HTTP_AUTHORIZATION=f"Bearer {key}")
        self.assertEqual(child.json()["upper"], self.upper.code)
        done = services.received_report_upward(
            actor=self.p.office, task=self.upper, ref="95/BC-UBND", report_date=D(2026, 3, 11)
        )
        self.assertEqual(
            (done.state, done.completed_late, done.progress_percent), ("done", False, 100)
        )
        label = status.annotate(Assignment.objects.filter(pk=done.pk)).get().st_label
        self.assertEqual(label, status.Label.DONE_ON_TIME)

    def test_the_services_do_exactly_what_the_table_allows_on_a_received_task(self) -> None:
        # Every step, at every stage (not split, a sub-task open, all confirmed), open or
        # paused: the service succeeds exactly when the table allows it, and then leads to the
        # table's state with the table's timeline event and audit action.
        from django.db import transaction
        from django.test import RequestFactory

        from nhiemvu.assignments.actions import ACTIONS
        from nhiemvu.assignments.models import AssignmentEvent, EventKind
        from nhiemvu.assignments.tests.test_workflow import BODIES
        from nhiemvu.audit.models import AuditEvent
        from nhiemvu.lib import workdays

        class Rollback(Exception):
            pass

        tried = allowed = 0
        for stage, paused in itertools.product(("not_split", "open", "ready"), (False, True)):
            for name, step in workflow.TRANSITIONS.items():
                where = (name, stage, paused)
                try:
                    with transaction.atomic():
                        if stage != "not_split":
                            child = sub(self.p, self.upper, self.p.agency_a)
                            if stage == "ready":
                                finish(self.p, child, self.p.lead_officer)
                        if paused:
                            AssignmentEvent.objects.create(
                                assignment=self.upper,
                                kind=EventKind.PAUSED,
                                at=workdays.now(),
                                on=workdays.today(),
                                state_after=WorkState.PAUSED,
                                data={"resume_to": WorkState.OPEN},
                            )
                            Assignment.objects.filter(pk=self.upper.pk).update(
                                state=WorkState.PAUSED
                            )
                        upper = Assignment.objects.get(pk=self.upper.pk)
                        expected = step.allowed_in(upper)
                        if name not in workflow.RECEIVED_STEPS:
                            self.assertFalse(expected, where)
                            raise Rollback
                        actor = self.p.office
                        self.assertTrue(step.may(actor, upper, None), where)
                        form = ACTIONS[name].form(dict(BODIES[name]), task=upper)
                        self.assertTrue(form.is_valid(), (where, form.errors))
                        events, audits = upper.events.count(), AuditEvent.objects.count()
                        try:
                            ACTIONS[name].run(
                                actor, upper, form.cleaned_data, RequestFactory().post("/")
                            )
                        except ValidationError as exc:
                            self.assertFalse(expected, (where, exc.messages))
                            self.assertIn(str(step.refusal(upper)), exc.messages, where)
                        else:
                            self.assertTrue(expected, where)
                            allowed += 1
                            after = Assignment.objects.get(pk=self.upper.pk)
                            if step.target == workflow.STATE_BEFORE_PAUSE:
                                self.assertEqual(after.state, WorkState.OPEN, where)
                            elif step.target is not None:
                                self.assertEqual(after.state, step.target, where)
                            else:
                                self.assertEqual(after.state, upper.state, where)
                            self.assertEqual(
                                after.events.count(), events + (1 if step.event else 0), where
                            )
                            written = AuditEvent.objects.order_by("id")[audits:]
                            self.assertEqual([a.action for a in written], [step.audit], where)
                        tried += 1
                        raise Rollback
                except Rollback:
                    pass
        self.assertEqual(tried, 6 * len(workflow.RECEIVED_STEPS))
        # split while open or paused at each stage, report upward when ready, pause when
        # open, resume when paused, comment always.
        self.assertEqual(allowed, 6 + 2 + 3 + 3 + 6)

    def test_overdue_when_the_upward_deadline_passes_whatever_the_sub_tasks(self) -> None:
        a = sub(self.p, self.upper, self.p.agency_a)
        with travel(D(2026, 4, 14)):
            finish(self.p, a, self.p.lead_officer, day=D(2026, 4, 14))
        with travel(D(2026, 5, 4)):
            label = status.annotate(Assignment.objects.filter(pk=self.upper.pk)).get().st_label
            self.assertEqual(label, status.Label.OVERDUE)
            late = services.received_report_upward(
                actor=self.p.office, task=self.upper, ref="96/BC-UBND", report_date=D(2026, 5, 4)
            )
        self.assertTrue(late.completed_late)


ACTIONS = ["complete", "confirm", "return", "progress"]


class RollupAgreementTest(HypothesisTestCase):
    """Random sub-task histories through the services agree with the pure rule."""

    p: Province
    pm: Organisation

    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = Province()
        cls.pm = make_org("thu-tuong", "Thủ tướng Chính phủ", OrgKind.GOVERNMENT)

    @settings(max_examples=25, deadline=None)
    @given(
        st.integers(1, 3),
        st.lists(
            st.tuples(st.sampled_from(ACTIONS), st.integers(0, 2), st.integers(0, 100)), max_size=12
        ),
    )
    def test_the_received_task_follows_the_rule(self, count: int, steps: list) -> None:
        p = self.p
        with travel(D(2026, 3, 11)):
            upper = receive(p, self.pm)
            subs = [sub(p, upper, p.agency_a if i % 2 == 0 else p.agency_b) for i in range(count)]
            officers = {p.agency_a.pk: p.lead_officer, p.agency_b.pk: p.coord_officer}
            for action, which, percent in steps:
                task = Assignment.objects.get(pk=subs[which % count].pk)
                officer = officers[task.lead_id]
                try:
                    if action == "complete":
                        services.assignment_report_completion(
                            actor=officer,
                            task=task,
                            output_ref="1",
                            output_date=D(2026, 3, 11),
                            text="x",
                        )
                    elif action == "confirm":
                        services.assignment_confirm(actor=p.office, task=task)
                    elif action == "return":
                        services.assignment_return(actor=p.office, task=task, reason="Bổ sung")
                    else:
                        services.assignment_report_progress(
                            actor=officer, task=task, text="p", percent=percent
                        )
                except ValidationError:
                    pass  # not allowed in this state: the history goes on
                rows = list(
                    Assignment.objects.filter(upper=upper).values_list("state", "progress_percent")
                )
                current = Assignment.objects.get(pk=upper.pk)
                self.assertEqual(current.progress_percent, rollup.progress(rows))
                expected = rollup.stage([state for state, _ in rows], reported=False)
                self.assertEqual(services.stage_of(current), expected)
            try:
                services.received_report_upward(
                    actor=p.office, task=upper, ref="9/BC", report_date=D(2026, 3, 11)
                )
                reported = True
            except ValidationError:
                reported = False
            states = list(Assignment.objects.filter(upper=upper).values_list("state", flat=True))
            self.assertEqual(reported, all(s == WorkState.DONE for s in states))
            # Each example starts from no received task (the test case rolls back only at its end).
            Assignment.objects.filter(upper=upper).delete()
            Assignment.objects.filter(pk=upper.pk).delete()


class UpwardPagesTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.pm = make_org("thu-tuong", "Thủ tướng Chính phủ", OrgKind.GOVERNMENT)
        self.upper = receive(self.p, self.pm)

    def test_a_sub_task_deliverable_is_named_by_its_words(self) -> None:
        # The split page names a sub-task's work product as registration does
        # (lib.deliverables.kind_of), not "báo cáo" whatever the words say.
        self.login(self.p.office)
        for words, kind in (("Tờ trình kèm dự thảo quyết định", "to_trinh"), ("", "")):
            self.client.post(
                f"/nhiem-vu/{self.upper.code}/tach/",
                {
                    "content": f"Rà soát {kind or 'chung'}",
                    "lead": "so-khcn",
                    "deadline": "15/04/2026",
                    "deliverable_text": words,
                },
            )
            child = Assignment.objects.get(upper=self.upper, content=f"Rà soát {kind or 'chung'}")
            self.assertEqual((child.deliverable_kind, child.deliverable_text), (kind, words))

    def test_the_office_splits_reports_upward_and_downloads_the_files(self) -> None:
        import io

        import docx
        import openpyxl

        self.login(self.p.office)
        page = self.client.get(f"/nhiem-vu/{self.upper.code}/")
        self.assertContains(page, "Chưa phân công nhiệm vụ con")
        late = self.client.post(
            f"/nhiem-vu/{self.upper.code}/tach/",
            {"content": "Rà soát vốn", "lead": "so-khcn", "deadline": "05/05/2026"},
        )
        self.assertContains(late, "sau thời hạn tỉnh phải báo cáo", status_code=400)
        self.client.post(
            f"/nhiem-vu/{self.upper.code}/tach/",
            {"content": "Rà soát vốn", "lead": "so-khcn", "deadline": "15/04/2026"},
        )
        child = Assignment.objects.get(upper=self.upper)
        self.assertContains(self.client.get(f"/nhiem-vu/{self.upper.code}/"), "Rà soát vốn")
        finish(self.p, child, self.p.lead_officer)
        self.assertContains(
            self.client.get(f"/nhiem-vu/{self.upper.code}/"), "sẵn sàng báo cáo cấp trên"
        )
        self.client.post(
            f"/nhiem-vu/{self.upper.code}/bao-cao-len/",
            {"ref": "95/BC-UBND", "report_date": "11/03/2026"},
        )
        self.assertEqual(Assignment.objects.get(pk=self.upper.pk).state, WorkState.DONE)
        word = self.client.get(f"/nhiem-vu/{self.upper.code}/bao-cao-len.docx")
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
        self.assertIn("Kính gửi: Thủ tướng Chính phủ", text)
        self.assertIn("25/CĐ-TTg", text)
        sheet = openpyxl.load_workbook(
            io.BytesIO(self.client.get(f"/nhiem-vu/{self.upper.code}/bao-cao-len.xlsx").content)
        ).active
        assert sheet is not None
        cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
        self.assertIn("Sở Khoa học và Công nghệ", cells)
        self.assertIn("Đã hoàn thành đúng hạn", cells)

    def test_the_workflow_table_decides_the_received_steps_on_the_page(self) -> None:
        # At each stage the office's page offers "split" and "report upward" exactly as the
        # table allows; the agency is offered neither; an ordinary task never offers them.
        def offered(user: Any) -> set[str]:
            self.login(user)
            page = self.client.get(f"/nhiem-vu/{self.upper.code}/").content.decode()
            found = {n for n in ("split", "report_upward") if f'id="action-{n}"' in page}
            upper = Assignment.objects.get(pk=self.upper.pk)
            self.assertEqual(found, {n for n in workflow.available(user, upper) if n in found})
            return found

        self.assertEqual(offered(self.p.office), {"split"})  # not split yet
        child = sub(self.p, self.upper, self.p.agency_a)
        self.assertEqual(offered(self.p.office), {"split"})  # a sub-task in progress
        self.assertEqual(offered(self.p.lead_officer), set())
        finish(self.p, child, self.p.lead_officer)
        self.assertEqual(offered(self.p.office), {"split", "report_upward"})  # ready
        self.login(self.p.office)
        reported = self.client.post(
            f"/nhiem-vu/{self.upper.code}/report_upward/",
            {"ref": "95/BC-UBND", "report_date": "11/03/2026"},
        )
        self.assertEqual(reported.status_code, 302)
        self.assertEqual(offered(self.p.office), set())  # reported: nothing more
        upper = Assignment.objects.get(pk=self.upper.pk)
        event = upper.events.order_by("-id").first()
        assert event is not None
        step = workflow.TRANSITIONS["report_upward"]
        self.assertEqual((upper.state, event.kind), (step.target, step.event))
        self.login(self.p.office)
        ordinary = self.client.get(f"/nhiem-vu/{self.task.code}/").content.decode()
        self.assertNotIn('id="action-split"', ordinary)
        with self.assertRaisesMessage(ValidationError, "cấp trên giao"):
            services.subtask_create(
                actor=self.p.office,
                upper=self.task,
                spec=services.TaskSpec(content="x", lead=self.p.agency_a, deadline=UPWARD),
            )

    def test_agencies_cannot_split_report_or_download(self) -> None:
        self.login(self.p.lead_officer)
        for url, data in (
            (f"/nhiem-vu/{self.upper.code}/tach/", {"content": "x", "lead": "so-khcn"}),
            (
                f"/nhiem-vu/{self.upper.code}/bao-cao-len/",
                {"ref": "1", "report_date": "11/03/2026"},
            ),
        ):
            self.assertIn(self.client.post(url, data).status_code, (403, 404))
        self.assertIn(
            self.client.get(f"/nhiem-vu/{self.upper.code}/bao-cao-len.docx").status_code, (403, 404)
        )
        self.assertFalse(Assignment.objects.filter(upper=self.upper).exists())
