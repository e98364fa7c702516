"""The year of tasks: about 300 tasks of the province's own documents over the past year, each
given a plausible history up to today (accepted, progress, done on time or late, returned once,
awaiting confirmation, an extension asked and decided, paused, refused, left open), and the
explanations of the overdue ones. Deterministic for a given seed."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from nhiemvu.assignments import services as tasks
from nhiemvu.assignments import status
from nhiemvu.assignments.models import Assignment, Explanation, WorkState
from nhiemvu.directives.models import Authority
from nhiemvu.directives.services import DirectiveSpec
from nhiemvu.lib import workdays
from nhiemvu.lib.orgkinds import LOCAL
from nhiemvu.orgs.models import Organisation, OrgKind
from nhiemvu.web.demo.steps import Demo, at, complete, explanation_for, lead_user, registered

SUBJECTS = [
    "triển khai thực hiện Kế hoạch chuyển đổi số năm {y}",
    "tăng cường công tác phòng, chống thiên tai, tìm kiếm cứu nạn",
    "đẩy nhanh tiến độ giải ngân vốn đầu tư công năm {y}",
    "cải cách thủ tục hành chính, nâng cao Chỉ số PAPI, PCI",
    "tăng cường quản lý đất đai, trật tự xây dựng",
    "phòng, chống dịch bệnh trên gia súc, gia cầm",
    "bảo đảm trật tự an toàn giao thông dịp Tết Nguyên đán",
    "thực hiện chính sách an sinh xã hội, giảm nghèo bền vững",
    "chấn chỉnh công tác thu ngân sách nhà nước",
    "phát triển du lịch, tổ chức các sự kiện văn hóa",
    "nâng cao chất lượng giáo dục, chuẩn bị năm học mới",
    "kết luận của Chủ tịch UBND tỉnh tại cuộc họp giao ban",
]
WORKS = [
    ("Rà soát, tổng hợp tình hình thực hiện và báo cáo kết quả", "bao_cao", "Báo cáo kết quả"),
    ("Chủ trì xây dựng kế hoạch triển khai", "ke_hoach", "Kế hoạch triển khai"),
    ("Tham mưu dự thảo Quyết định ban hành quy chế", "du_thao", "Dự thảo Quyết định"),
    ("Đề xuất phương án xử lý các tồn tại, vướng mắc", "de_xuat", "Văn bản đề xuất"),
    ("Trình UBND tỉnh phê duyệt đề án", "to_trinh", "Tờ trình kèm đề án"),
    ("Kiểm tra, đôn đốc các đơn vị thực hiện nghiêm các nội dung chỉ đạo", "", ""),
    ("Phối hợp tổ chức tuyên truyền, phổ biến đến người dân", "", ""),
]


def load_year_of_tasks(demo: Demo, *, documents: int = 70, seed: int = 2026) -> None:
    """About 300 tasks over the past year, in every status; deterministic for a given seed."""
    today = workdays.today()
    province = demo.orgs["ubnd-tinh"]
    office = demo.users["vanphong"]
    leaders = [demo.users["chutich"], demo.users["phochutich"]]
    # Read afresh: the reforms replayed since load_reference ended some of demo.orgs.
    agencies = [
        o
        for o in Organisation.objects.filter(
            kind__in=[OrgKind.DEPARTMENT, OrgKind.CENTRAL, *LOCAL]
        ).order_by("code")
        if o.is_active_on(today)
    ]
    start = today - dt.timedelta(days=365)
    for index in range(documents):
        # One generator per document: skipping a loaded document leaves the others unchanged.
        rng = random.Random(f"{seed}-{index}")
        doc_date = workdays.calendar().previous_working_day(
            start + dt.timedelta(days=int(index * 360 / documents) + rng.randint(0, 3))
        )
        number = 3000 + index * 7
        ref = f"{number}/UBND-{rng.choice(['KT', 'VX', 'TH', 'NC', 'KSTT'])}"
        task_count = rng.randint(2, 7)
        plan = [_plan_task(rng, agencies, doc_date) for _ in range(task_count)]
        leader = leaders[index % 2]
        subject = rng.choice(SUBJECTS).format(y=doc_date.year)
        outcomes = [rng.random() for _ in range(task_count)]
        extra = [rng.randint(1, 20) for _ in range(task_count)]
        if registered(province, ref, doc_date.year):
            continue
        registered_on = workdays.add_working_days(doc_date, 1)
        with workdays.clock(at(min(registered_on, today), 8)):
            directive = tasks.directive_register(
                actor=office,
                spec=DirectiveSpec(
                    issuer=province,
                    ref=ref,
                    doc_date=doc_date,
                    subject=f"Về việc {subject}",
                    signer_name=leader.full_name,
                    signer_title="Chủ tịch" if leader.username == "chutich" else "Phó Chủ tịch",
                    authority=Authority.DIRECT if leader.username == "chutich" else Authority.KT,
                    assigned_by=leader,
                    place="Gia Lai",
                    text=f"UBND tỉnh chỉ đạo {subject}.",
                ),
                tasks=[p for p in plan],
            )
        for task, roll, span in zip(
            Assignment.objects.filter(directive=directive).order_by("id"),
            outcomes,
            extra,
            strict=False,
        ):
            play(task, demo, roll, span, rng)


def _plan_task(rng: random.Random, agencies: list[Organisation], doc_date: dt.date) -> Any:
    content, deliverable, deliverable_text = rng.choice(WORKS)
    lead = rng.choice(agencies)
    coordinators = rng.sample([a for a in agencies if a != lead], k=rng.randint(0, 2))
    kind = rng.random()
    deadline: dt.date | None = None
    reason = ""
    recurrence = ""
    if kind < 0.8:
        deadline = workdays.add_working_days(doc_date, rng.choice([5, 10, 15, 20, 30, 45, 60]))
    elif kind < 0.9:
        recurrence = "monthly"
    else:
        reason = "Nhiệm vụ thường xuyên, không ấn định thời hạn." if deliverable else ""
        if deliverable and rng.random() < 0.5:
            reason = "Chờ kết quả khảo sát để ấn định thời hạn."
    return tasks.TaskSpec(
        content=f"{content} ({lead.label}).",
        lead=lead,
        coordinators=coordinators,
        deliverable_kind=deliverable,
        deliverable_text=deliverable_text,
        deadline=deadline,
        recurrence=recurrence,
        recurrence_rule="trước ngày 20 hằng tháng" if recurrence else "",
        no_deadline_reason=reason,
    )


def play(task: Assignment, demo: Demo, roll: float, span: int, rng: random.Random) -> None:
    """Give one task a plausible history up to today."""
    today = workdays.today()
    officer = lead_user(task, demo)
    base = task.deadline or workdays.add_working_days(task.assigned_on, 30)
    accepted = workdays.add_working_days(task.assigned_on, 1)
    if accepted <= today and roll > 0.03:
        with workdays.clock(at(accepted, 14)):
            tasks.assignment_accept(actor=officer, task=task)
    if roll < 0.03:  # refused: waits for the office to reassign
        if accepted <= today:
            with workdays.clock(at(accepted, 14)):
                tasks.assignment_refuse(
                    actor=officer, task=task, reason="Nội dung không thuộc chức năng của đơn vị."
                )
        return
    progress_on = workdays.add_working_days(task.assigned_on, max(1, span // 2))
    if progress_on <= today:
        with workdays.clock(at(progress_on, 11)):
            tasks.assignment_report_progress(
                actor=officer,
                task=task,
                percent=min(90, span * 5),
                text="Đang triển khai, đã họp các đơn vị liên quan.",
            )
    if roll < 0.55:  # done on time (some returned once first)
        done_on = workdays.add_working_days(base, -min(span, 4))
        complete(
            task,
            demo,
            max(done_on, progress_on),
            confirm_after=1 + span % 3,
            rng=rng,
            returned_once=roll < 0.08,
        )
    elif roll < 0.68:  # done late
        complete(
            task, demo, workdays.add_working_days(base, span), confirm_after=1 + span % 3, rng=rng
        )
    elif roll < 0.72:  # reported, awaiting confirmation
        complete(
            task, demo, min(today, workdays.add_working_days(base, -1)), confirm_after=None, rng=rng
        )
    elif roll < 0.78 and task.deadline:  # extension asked before the deadline
        asked = workdays.add_working_days(task.deadline, -2)
        if asked <= today and asked > task.assigned_on:
            with workdays.clock(at(asked, 9)):
                ext = tasks.extension_request(
                    actor=officer,
                    task=task,
                    proposed_deadline=workdays.add_working_days(task.deadline, 10 + span),
                    reason="Chờ ý kiến góp ý của các cơ quan phối hợp.",
                )
            decided = workdays.add_working_days(asked, 1)
            if decided <= today and roll < 0.76:
                leader = task.assigned_by or demo.users["chutich"]
                with workdays.clock(at(decided, 16)):
                    tasks.extension_decide(
                        actor=leader,
                        extension=ext,
                        approve=roll < 0.75,
                        note="" if roll < 0.75 else "Đề nghị hoàn thành đúng hạn.",
                    )
    elif roll < 0.80:  # paused by the office
        paused = workdays.add_working_days(task.assigned_on, 3)
        if paused <= today:
            with workdays.clock(at(paused, 9)):
                tasks.assignment_pause(
                    actor=demo.users["vanphong"], task=task, reason="Chờ chủ trương của Tỉnh ủy."
                )
    # else: left open (within deadline, due soon or overdue as time has it)


def explain_overdue(demo: Demo, *, before: dt.date | None = None) -> None:
    """Most agencies explained their overdue tasks a week past the deadline; the office found
    one explanation in eight insufficient and returned it (asked again).

    With ``before``: only the explanations given before that day, so that they are given by
    the agency that held the task then (the loader calls it before replaying the reforms that
    carried the task to another agency; issue 27 item 7)."""
    today = workdays.today()
    overdue = (
        Assignment.objects.filter(status.open_overdue_q(today))
        .filter(state__in=[WorkState.OPEN, WorkState.RETURNED])
        .exclude(pk__in=Explanation.objects.values("assignment_id"))
    )
    for task in overdue.select_related("lead", "original_lead", "directive").order_by("id"):
        assert task.deadline is not None
        day = workdays.add_working_days(task.deadline, 6)
        if before is not None and day >= before:
            continue
        # Seeded by what the task is (its document, words and first agency), never by its
        # random code: the demo tells the same history on every load.
        rng = random.Random(
            f"explain-{task.directive.ref}-{task.directive.doc_date}-{task.content}-"
            f"{task.original_lead.code}"
        )
        if day > today or rng.random() < 0.3 or task.received:
            continue
        officer = lead_user(task, demo)
        with workdays.clock(at(day, 9)):
            tasks.assignment_explain(actor=officer, task=task, spec=explanation_for(task, rng))
        back = workdays.add_working_days(day, 2)
        if rng.random() < 0.125 and back <= today:
            with workdays.clock(at(back, 14)):
                tasks.explanation_return(
                    actor=demo.users["vanphong"],
                    task=task,
                    reason="Chưa nêu rõ nguyên nhân chủ quan và thời hạn hoàn thành mới.",
                )
