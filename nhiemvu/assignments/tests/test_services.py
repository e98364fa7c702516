"""Each lifecycle service, its bad input, and the permission matrix over every persona."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from nhiemvu.assignments import selectors, services, status
from nhiemvu.assignments.models import (
    Assignment,
    AssignmentEvent,
    Coordination,
    Extension,
    ExtensionStatus,
    WorkState,
)
from nhiemvu.assignments.reorganisation import plan as reorg_plan
from nhiemvu.assignments.reorganisation import record as reorg_record
from nhiemvu.audit.models import AuditEvent
from nhiemvu.directives.models import Directive
from nhiemvu.directives.services import DirectiveSpec
from nhiemvu.orgs.models import ReorgKind
from nhiemvu.test import TODAY, BaseTestCase, make_org, register, travel

D = dt.date


def explained(code: str = "khoi-luong-lon") -> services.ExplanationSpec:
    from nhiemvu.assignments.models import DelayCause

    return services.ExplanationSpec(
        cause=DelayCause.objects.get(code=code), text="Khối lượng lớn", remedy="Phân công lại"
    )


class RegisterTest(BaseTestCase):
    def test_it_registers_a_document_with_its_tasks_and_audits_it(self) -> None:
        directive = register(
            self.p,
            ref="200/UBND-VX",
            tasks=[
                services.TaskSpec(content="Việc A", lead=self.p.agency_a, deadline=D(2026, 4, 1)),
                services.TaskSpec(
                    content="Việc B",
                    lead=self.p.agency_b,
                    coordinators=[self.p.agency_a, self.p.agency_b],
                ),
            ],
        )
        tasks = list(directive.assignments.order_by("id"))
        self.assertEqual([t.lead for t in tasks], [self.p.agency_a, self.p.agency_b])
        # The lead is never also a coordinator of its own task.
        self.assertEqual(list(tasks[1].coordinators.all()), [self.p.agency_a])
        self.assertEqual(tasks[1].deadline_kind, "none")
        self.assertTrue(
            AuditEvent.objects.filter(action="directive.register", target_id=directive.pk).exists()
        )
        self.assertEqual(
            AuditEvent.objects.filter(
                action="assignment.create", target_id__in=[t.pk for t in tasks]
            ).count(),
            2,
        )
        self.assertEqual(tasks[0].events.get().state_after, WorkState.OPEN)

    def test_a_group_fans_out_into_one_task_per_organisation(self) -> None:
        directive = register(
            self.p,
            ref="201/UBND-VX",
            tasks=[
                services.TaskSpec(
                    content="Rà soát",
                    group_label="các sở, ban, ngành",
                    group_orgs=[self.p.agency_a, self.p.agency_b],
                    deadline=D(2026, 4, 1),
                ),
            ],
        )
        tasks = list(directive.assignments.all())
        self.assertEqual(len(tasks), 2)
        self.assertEqual({t.group_id for t in tasks}, {tasks[0].group_id})
        group = tasks[0].group
        assert group is not None
        self.assertEqual(group.label, "các sở, ban, ngành")

    def test_a_deliverable_without_deadline_needs_a_reason_and_stays_flagged(self) -> None:
        spec = services.TaskSpec(
            content="Báo cáo", lead=self.p.agency_a, deliverable_kind="bao_cao"
        )
        with self.assertRaises(ValidationError) as info:
            register(self.p, ref="202/UBND-VX", tasks=[spec])
        self.assertIn("Nhiệm vụ 1: Nhiệm vụ yêu cầu sản phẩm", str(info.exception))
        self.assertFalse(Directive.objects.filter(number=202).exists())  # nothing half-saved
        spec.no_deadline_reason = "Chờ kết quả khảo sát."
        directive = register(self.p, ref="202/UBND-VX", tasks=[spec])
        task = directive.assignments.get()
        self.assertTrue(task.flagged)
        self.assertEqual(task.no_deadline_reason, "Chờ kết quả khảo sát.")

    def test_a_recurring_deliverable_is_not_flagged(self) -> None:
        directive = register(
            self.p,
            ref="203/UBND-VX",
            tasks=[
                services.TaskSpec(
                    content="Báo cáo tháng",
                    lead=self.p.agency_a,
                    deliverable_kind="bao_cao",
                    recurrence="monthly",
                ),
            ],
        )
        task = directive.assignments.get()
        self.assertFalse(task.flagged)
        self.assertEqual(task.deadline_kind, "recurring")

    def test_bad_input_is_refused_and_changes_nothing(self) -> None:
        before = (Directive.objects.count(), Assignment.objects.count(), AuditEvent.objects.count())
        cases: list[tuple[dict[str, Any], str]] = [
            ({"ref": "rác"}, "ref"),
            ({"ref": "100/UBND-KT"}, "ref"),  # already registered this year
            ({"doc_date": D(2026, 12, 1)}, "doc_date"),  # in the future
        ]
        for change, field in cases:
            spec: dict[str, Any] = {
                "issuer": self.p.province,
                "ref": "300/UBND-KT",
                "doc_date": D(2026, 3, 2),
                "subject": "Về việc",
            }
            spec.update(change)
            with self.assertRaises(ValidationError) as info:
                services.directive_register(
                    actor=self.p.office, spec=DirectiveSpec(**spec), tasks=[]
                )
            self.assertIn(field, info.exception.message_dict)
        with self.assertRaises(ValidationError):  # deadline before the document
            register(
                self.p,
                ref="301/UBND-KT",
                tasks=[
                    services.TaskSpec(content="x", lead=self.p.agency_a, deadline=D(2026, 2, 1))
                ],
            )
        with self.assertRaises(ValidationError):  # no lead
            register(self.p, ref="302/UBND-KT", tasks=[services.TaskSpec(content="x")])
        with self.assertRaises(ValidationError):  # empty content
            register(
                self.p,
                ref="303/UBND-KT",
                tasks=[services.TaskSpec(content="  ", lead=self.p.agency_a)],
            )
        after = (Directive.objects.count(), Assignment.objects.count(), AuditEvent.objects.count())
        self.assertEqual(before, after)

    def test_the_same_number_may_be_used_again_next_year(self) -> None:
        with travel(D(2027, 1, 5)):
            directive = register(self.p, ref="100/UBND-KT", doc_date=D(2027, 1, 4), tasks=[])
        self.assertEqual(directive.year, 2027)

    def test_a_dissolved_organisation_cannot_be_given_new_tasks(self) -> None:
        old = make_org("cu", "Sở cũ", valid_to=D(2025, 2, 28), successor=self.p.agency_a)
        with self.assertRaises(ValidationError) as info:
            register(self.p, ref="304/UBND-KT", tasks=[services.TaskSpec(content="x", lead=old)])
        self.assertIn(self.p.agency_a.name, str(info.exception))


class LifecycleTest(BaseTestCase):
    def test_completion_confirmed_on_time(self) -> None:
        services.assignment_accept(actor=self.p.lead_officer, task=self.task)
        services.assignment_report_progress(
            actor=self.p.lead_officer, task=self.task, text="Đang làm", percent=40
        )
        services.assignment_report_completion(
            actor=self.p.lead_officer,
            task=self.task,
            output_ref="12/BC-SKHCN",
            output_date=D(2026, 3, 10),
        )
        task = self.reload()
        self.assertEqual(task.state, WorkState.REPORTED)
        self.assertEqual(
            status.annotate(Assignment.objects.filter(pk=task.pk)).get().st_label,
            status.Label.AWAITING,
        )
        services.assignment_confirm(actor=self.p.working_group, task=task)
        task = self.reload()
        self.assertEqual(
            (task.state, task.completed_late, task.confirmed_on), (WorkState.DONE, False, TODAY)
        )
        kinds = list(task.events.values_list("kind", flat=True))
        self.assertEqual(kinds, ["assigned", "accepted", "progress", "completion", "confirmed"])

    def test_completion_reported_after_the_deadline_is_stamped_late(self) -> None:
        with travel(D(2026, 4, 6)):
            # Late: the report needs the explanation of the delay (issue 18).
            with self.assertRaises(ValidationError) as raised:
                services.assignment_report_completion(
                    actor=self.p.lead_head,
                    task=self.task,
                    output_ref="20/BC-SKHCN",
                    output_date=D(2026, 4, 2),
                )
            self.assertIn("cause", raised.exception.message_dict)
            services.assignment_report_completion(
                actor=self.p.lead_head,
                task=self.task,
                output_ref="20/BC-SKHCN",
                output_date=D(2026, 4, 2),
                explanation=explained(),
            )
            # Confirmed a week later: lateness is decided by the output document's date.
            services.assignment_confirm(actor=self.p.office, task=self.task)
        self.assertTrue(self.reload().completed_late)

    def test_a_returned_report_reopens_the_task(self) -> None:
        services.assignment_report_completion(
            actor=self.p.lead_officer, task=self.task, output_ref="12/BC", output_date=TODAY
        )
        services.assignment_return(actor=self.p.office, task=self.task, reason="Thiếu số liệu")
        task = self.reload()
        self.assertEqual((task.state, task.completion_date), (WorkState.RETURNED, None))
        annotated = status.annotate(Assignment.objects.filter(pk=task.pk)).get()
        self.assertEqual(annotated.st_label, status.Label.RETURNED)
        # The agency reports again; now it can be confirmed.
        services.assignment_report_completion(
            actor=self.p.lead_officer, task=task, output_ref="13/BC", output_date=TODAY
        )
        services.assignment_confirm(actor=self.p.office, task=task)
        self.assertEqual(self.reload().state, WorkState.DONE)

    def test_double_confirmation_is_refused(self) -> None:
        services.assignment_report_completion(
            actor=self.p.lead_officer, task=self.task, output_ref="12/BC", output_date=TODAY
        )
        services.assignment_confirm(actor=self.p.office, task=self.task)
        events = AssignmentEvent.objects.count()
        with self.assertRaisesMessage(ValidationError, "đã được xác nhận hoàn thành"):
            services.assignment_confirm(actor=self.p.office, task=self.task)
        self.assertEqual(AssignmentEvent.objects.count(), events)

    def test_completion_bad_input(self) -> None:
        cases: list[dict[str, Any]] = [
            {"output_ref": "", "output_date": TODAY},
            {"output_ref": "1/BC", "output_date": D(2026, 3, 20)},  # in the future
            {"output_ref": "1/BC", "output_date": D(2026, 2, 1)},  # before the assignment
            {"output_ref": "x" * 200, "output_date": TODAY},
        ]
        for kwargs in cases:
            with self.assertRaises(ValidationError):
                services.assignment_report_completion(
                    actor=self.p.lead_officer, task=self.task, **kwargs
                )
        self.assertEqual(self.reload().state, WorkState.OPEN)

    def test_a_coordinating_agency_cannot_complete_the_task(self) -> None:
        with self.assertRaises(PermissionDenied):
            services.assignment_report_completion(
                actor=self.p.coord_officer, task=self.task, output_ref="1/BC", output_date=TODAY
            )
        # But it can take part in the thread.
        services.comment_add(actor=self.p.coord_officer, task=self.task, text="Đã góp ý.")
        self.assertEqual(self.reload().state, WorkState.OPEN)

    def test_refuse_then_reassign(self) -> None:
        services.assignment_refuse(
            actor=self.p.lead_officer, task=self.task, reason="Không thuộc chức năng"
        )
        self.assertEqual(self.reload().state, WorkState.REFUSED)
        services.assignment_reassign(actor=self.p.office, task=self.task, lead=self.p.agency_b)
        task = self.reload()
        self.assertEqual(
            (task.state, task.lead, task.original_lead),
            (WorkState.OPEN, self.p.agency_b, self.p.agency_a),
        )
        # Agency B was coordinating; now leading, it is no longer a coordinator of its own task.
        self.assertFalse(Coordination.objects.filter(assignment=task, org=self.p.agency_b).exists())
        # Agency A no longer leads it: it cannot act on it any more.
        with self.assertRaises(PermissionDenied):
            services.assignment_refuse(actor=self.p.lead_officer, task=task, reason="x")

    def test_refusal_needs_a_reason(self) -> None:
        with self.assertRaises(ValidationError):
            services.assignment_refuse(actor=self.p.lead_officer, task=self.task, reason=" ")

    def test_pause_and_resume(self) -> None:
        services.assignment_pause(actor=self.p.office, task=self.task, reason="Chờ chủ trương")
        self.assertEqual(self.reload().state, WorkState.PAUSED)
        with self.assertRaises(ValidationError):
            services.assignment_report_completion(
                actor=self.p.lead_officer, task=self.task, output_ref="1/BC", output_date=TODAY
            )
        services.assignment_resume(actor=self.p.office, task=self.task)
        self.assertEqual(self.reload().state, WorkState.OPEN)


class ExtensionTest(BaseTestCase):
    def test_an_approved_extension_moves_the_deadline_and_keeps_the_original(self) -> None:
        ext = services.extension_request(
            actor=self.p.lead_officer,
            task=self.task,
            proposed_deadline=D(2026, 4, 15),
            reason="Chờ số liệu",
        )
        services.extension_advise(actor=self.p.office, extension=ext, advice="Đề nghị đồng ý")
        services.extension_decide(actor=self.p.vice_chairman, extension=ext, approve=True)
        task = self.reload()
        self.assertEqual((task.deadline, task.original_deadline), (D(2026, 4, 15), D(2026, 3, 31)))
        self.assertTrue(task.is_extended)
        ext.refresh_from_db()
        self.assertEqual(
            (ext.status, ext.office_advice), (ExtensionStatus.APPROVED, "Đề nghị đồng ý")
        )
        # Completion within the extension counts as on time (the default setting).
        with travel(D(2026, 4, 14)):
            services.assignment_report_completion(
                actor=self.p.lead_officer, task=task, output_ref="1/BC", output_date=D(2026, 4, 14)
            )
            services.assignment_confirm(actor=self.p.office, task=task)
        self.assertFalse(self.reload().completed_late)

    def test_a_denial_needs_a_reason_and_changes_no_deadline(self) -> None:
        ext = services.extension_request(
            actor=self.p.lead_officer, task=self.task, proposed_deadline=D(2026, 4, 15), reason="r"
        )
        with self.assertRaises(ValidationError):
            services.extension_decide(actor=self.p.vice_chairman, extension=ext, approve=False)
        services.extension_decide(
            actor=self.p.vice_chairman,
            extension=ext,
            approve=False,
            note="Đề nghị hoàn thành đúng hạn",
        )
        self.assertEqual(self.reload().deadline, D(2026, 3, 31))

    def test_an_extension_after_the_deadline_is_refused(self) -> None:
        passed = "Đã quá thời hạn 31/03/2026"
        with travel(D(2026, 4, 1)), self.assertRaisesMessage(ValidationError, passed):
            services.extension_request(
                actor=self.p.lead_officer,
                task=self.task,
                proposed_deadline=D(2026, 4, 15),
                reason="Muộn",
            )
        self.assertFalse(Extension.objects.exists())

    def test_extension_bad_input(self) -> None:
        for proposed in (D(2026, 3, 20), D(2026, 3, 31), D(2050, 1, 1)):
            with self.assertRaises(ValidationError):
                services.extension_request(
                    actor=self.p.lead_officer,
                    task=self.task,
                    proposed_deadline=proposed,
                    reason="r",
                )
        services.extension_request(
            actor=self.p.lead_officer, task=self.task, proposed_deadline=D(2026, 4, 10), reason="r"
        )
        with self.assertRaisesMessage(ValidationError, "đang chờ quyết định"):
            services.extension_request(
                actor=self.p.lead_officer,
                task=self.task,
                proposed_deadline=D(2026, 4, 20),
                reason="r",
            )

    def test_a_vice_chairman_decides_only_what_he_assigned(self) -> None:
        with travel(D(2026, 3, 3)):
            other = register(self.p, ref="400/UBND-KT", assigned_by=self.p.chairman)
        task = other.assignments.get()
        ext = services.extension_request(
            actor=self.p.lead_officer, task=task, proposed_deadline=D(2026, 4, 15), reason="r"
        )
        with self.assertRaises(PermissionDenied):
            services.extension_decide(actor=self.p.vice_chairman, extension=ext, approve=True)
        services.extension_decide(actor=self.p.chairman, extension=ext, approve=True)

    def test_a_date_proposed_for_a_task_without_deadline_becomes_its_deadline(self) -> None:
        with travel(D(2026, 3, 3)):
            other = register(
                self.p,
                ref="401/UBND-KT",
                tasks=[
                    services.TaskSpec(
                        content="Báo cáo",
                        lead=self.p.agency_a,
                        deliverable_kind="bao_cao",
                        no_deadline_reason="Chưa xác định",
                    )
                ],
            )
        task = other.assignments.get()
        self.assertTrue(task.flagged)
        ext = services.extension_request(
            actor=self.p.lead_officer, task=task, proposed_deadline=D(2026, 5, 29), reason="Đề xuất"
        )
        self.assertEqual(ext.kind, "set")
        services.extension_decide(actor=self.p.vice_chairman, extension=ext, approve=True)
        task = self.reload(task)
        self.assertEqual(
            (task.deadline, task.deadline_kind, task.flagged), (D(2026, 5, 29), "fixed", False)
        )


class AsOfTest(BaseTestCase):
    def test_a_past_date_shows_the_status_it_had_then(self) -> None:
        ext = services.extension_request(
            actor=self.p.lead_officer, task=self.task, proposed_deadline=D(2026, 4, 15), reason="r"
        )
        with travel(D(2026, 3, 27)):
            services.extension_decide(actor=self.p.vice_chairman, extension=ext, approve=True)
        with travel(D(2026, 4, 10)):
            services.assignment_report_completion(
                actor=self.p.lead_officer,
                task=self.task,
                output_ref="1/BC",
                output_date=D(2026, 4, 10),
            )
        with travel(D(2026, 4, 13)):
            services.assignment_confirm(actor=self.p.office, task=self.task)

        def label_on(day: dt.date) -> str:
            with travel(D(2026, 5, 1)):
                qs = status.annotate(Assignment.objects.filter(pk=self.task.pk), day)
                return str(qs.get().st_label)

        self.assertEqual(label_on(D(2026, 3, 5)), status.Label.WITHIN)
        self.assertEqual(label_on(D(2026, 3, 26)), status.Label.DUE_SOON)  # 31/3 still in force
        self.assertEqual(label_on(D(2026, 3, 27)), status.Label.WITHIN)  # extended to 15/4
        self.assertEqual(label_on(D(2026, 4, 1)), status.Label.WITHIN)
        self.assertEqual(label_on(D(2026, 4, 10)), status.Label.AWAITING)
        self.assertEqual(label_on(D(2026, 4, 13)), status.Label.DONE_ON_TIME)


class TransferTest(BaseTestCase):
    def test_open_tasks_of_a_dissolved_agency_move_to_its_successor(self) -> None:
        merged = make_org("so-moi", "Sở mới")
        reorg = reorg_record.reorganisation_record(
            actor=self.p.office,
            kind=ReorgKind.MERGE,
            effective_date=D(2026, 3, 11),
            legal_basis="QĐ 9/QĐ-UBND",
            sources=[self.p.agency_a],
            targets=[merged],
        )
        with self.assertRaises(PermissionDenied):
            reorg_plan.transfer_plan_build(actor=self.p.lead_officer, reorg=reorg)
        reorg_plan.transfer_plan_build(actor=self.p.office, reorg=reorg)
        with self.assertRaises(PermissionDenied):
            reorg_plan.reorganisation_apply(actor=self.p.lead_officer, reorg=reorg)
        moved = reorg_plan.reorganisation_apply(actor=self.p.office, reorg=reorg)["tasks"]
        task = self.reload()
        self.assertEqual((moved, task.lead, task.original_lead), (1, merged, self.p.agency_a))
        last = task.events.last()
        assert last is not None
        self.assertEqual(last.kind, "transferred")


# --- the permission matrix ---------------------------------------------------------------

Call = Callable[[Any, Assignment], object]
CALLS: dict[str, Call] = {
    "accept": lambda u, t: services.assignment_accept(actor=u, task=t),
    "refuse": lambda u, t: services.assignment_refuse(actor=u, task=t, reason="r"),
    "progress": lambda u, t: services.assignment_report_progress(actor=u, task=t, text="p"),
    "complete": lambda u, t: services.assignment_report_completion(
        actor=u, task=t, output_ref="1/BC", output_date=TODAY
    ),
    "extend": lambda u, t: services.extension_request(
        actor=u, task=t, proposed_deadline=D(2026, 4, 20), reason="r"
    ),
    "pause": lambda u, t: services.assignment_pause(actor=u, task=t, reason="r"),
    "reassign": lambda u, t: services.assignment_reassign(actor=u, task=t, lead=t.directive.issuer),
    "comment": lambda u, t: services.comment_add(actor=u, task=t, text="c"),
}
ALLOWED = {
    "accept": {"lead_officer", "lead_head"},
    "refuse": {"lead_officer", "lead_head"},
    "progress": {"lead_officer", "lead_head"},
    "complete": {"lead_officer", "lead_head"},
    "extend": {"lead_officer", "lead_head"},
    "pause": {"office"},
    "reassign": {"office"},
    "comment": {
        "chairman",
        "vice_chairman",
        "office",
        "working_group",
        "lead_officer",
        "lead_head",
        "coord_officer",
        "admin",
    },
}


class PermissionMatrixTest(BaseTestCase):
    def test_every_service_refuses_everyone_it_should(self) -> None:
        cells = 0
        for action, call in CALLS.items():
            for name, user in self.p.personas().items():
                with self.subTest(action=action, persona=name):
                    before = (AssignmentEvent.objects.count(), AuditEvent.objects.count())
                    if name in ALLOWED[action]:
                        sid = _savepoint()
                        call(user, self.reload())
                        _rollback(sid)
                    else:
                        with self.assertRaises(PermissionDenied):
                            call(user, self.reload())
                        after = (AssignmentEvent.objects.count(), AuditEvent.objects.count())
                        self.assertEqual(before, after)
                    cells += 1
        self.assertEqual(cells, len(CALLS) * len(self.p.personas()))

    def test_confirm_return_and_decide_refuse_outsiders(self) -> None:
        services.assignment_report_completion(
            actor=self.p.lead_officer, task=self.task, output_ref="1/BC", output_date=TODAY
        )
        ext_task = self.reload()
        for name, user in self.p.personas().items():
            with self.subTest(persona=name):
                if name in ("office", "working_group"):
                    continue
                with self.assertRaises(PermissionDenied):
                    services.assignment_confirm(actor=user, task=ext_task)
                with self.assertRaises(PermissionDenied):
                    services.assignment_return(actor=user, task=ext_task, reason="r")
        self.assertEqual(self.reload().state, WorkState.REPORTED)

    def test_only_the_office_registers_documents(self) -> None:
        for name, user in self.p.personas().items():
            if name == "office":
                continue
            with self.subTest(persona=name), self.assertRaises(PermissionDenied):
                services.directive_register(
                    actor=user,
                    spec=DirectiveSpec(
                        issuer=self.p.province, ref="9/UBND-KT", doc_date=D(2026, 3, 2), subject="x"
                    ),
                    tasks=[],
                )
        self.assertFalse(Directive.objects.filter(number=9).exists())


def _savepoint() -> str:
    from django.db import transaction

    return transaction.savepoint_create()


def _rollback(sid: str) -> None:
    from django.db import transaction

    transaction.savepoint_rollback(sid)


class UploadTest(BaseTestCase):
    def test_a_pdf_is_kept_and_a_disguised_file_refused(self) -> None:
        pdf = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
        event = services.assignment_report_progress(
            actor=self.p.lead_officer, task=self.task, text="Kèm báo cáo", files=[pdf]
        )
        self.assertEqual(event.attachments.get().original_name, "bao-cao.pdf")
        fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", content_type="application/pdf")
        events = AssignmentEvent.objects.count()
        with self.assertRaises(ValidationError):
            services.assignment_report_progress(
                actor=self.p.lead_officer, task=self.task, text="x", files=[fake]
            )
        self.assertEqual(AssignmentEvent.objects.count(), events)

    def test_an_oversized_file_is_refused(self) -> None:
        with self.settings(MAX_UPLOAD_BYTES=10):
            big = SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * 20)
            with self.assertRaisesMessage(ValidationError, "MB"):
                services.comment_add(actor=self.p.office, task=self.task, text="x", files=[big])


class SelectorsTest(BaseTestCase):
    def test_counts_and_rates_come_from_one_query(self) -> None:
        selectors.tasks_for(self.p.office)  # the user's scope is read once per request
        with self.assertNumQueries(1):
            counts = selectors.status_counts(selectors.tasks_for(self.p.office))
        self.assertEqual(counts["total"], 1)
        self.assertEqual(counts[status.Label.WITHIN] + counts[status.Label.DUE_SOON], 1)
