"""What every part of the demo shares: the handle on its organisations and people, the clock at
an hour of a day, and the steps an agency takes on a task (report it done, with an explanation
when late; be confirmed or returned by the office)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from nhiemvu.assignments import services as tasks
from nhiemvu.assignments.models import Assignment, DelayCause
from nhiemvu.directives.models import Directive
from nhiemvu.lib import docref, workdays
from nhiemvu.orgs import services as orgs
from nhiemvu.orgs.models import Organisation, OrgKind, Role
from nhiemvu.orgs.selectors import acting_memberships, active_organisations

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DEMO_PASSWORD = "demo@2026"


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=TZ)


@dataclass
class Demo:
    orgs: dict[str, Organisation]
    users: dict[str, Any]


def registered(issuer: Organisation, ref: str, year: int) -> bool:
    parsed = docref.parse(ref)
    return Directive.objects.filter(
        issuer=issuer, year=year, number=parsed.number, symbol=parsed.symbol
    ).exists()


def lead_user(task: Assignment, demo: Demo) -> Any:
    """An officer of the task's lead agency; the demo lets the office's admin stand in."""
    membership = acting_memberships([task.lead_id]).select_related("user").first()
    if membership:
        return membership.user
    username = f"demo.{task.lead.code}"
    user = orgs.user_upsert(
        actor=None, username=username, full_name=f"Cán bộ {task.lead.label}", password=DEMO_PASSWORD
    )
    orgs.membership_grant(actor=None, user=user, org=task.lead, role=Role.OFFICER)
    return user


# What agencies write when they explain a delay, by cause (issue 18): the demo's words, so the
# report's "causes and lessons" section reads like a province's.
EXPLANATIONS: dict[str, tuple[str, str]] = {
    "cho-co-quan-khac": (
        "Chờ ý kiến góp ý, số liệu của cơ quan phối hợp nên chưa tổng hợp kịp.",
        "Gửi văn bản xin ý kiến sớm hơn, ấn định thời hạn trả lời và đôn đốc qua điện thoại.",
    ),
    "vuong-mac-phap-ly": (
        "Vướng quy định chuyển tiếp sau khi sắp xếp tổ chức, phải xin ý kiến bộ chuyên ngành.",
        "Rà soát quy định ngay khi nhận nhiệm vụ, đề xuất gia hạn trước khi đến hạn.",
    ),
    "chua-bo-tri-von": (
        "Kinh phí thực hiện chưa được bố trí trong dự toán năm.",
        "Lập dự toán kinh phí cùng lúc với kế hoạch triển khai.",
    ),
    "giai-phong-mat-bang": (
        "Một số hộ dân chưa đồng thuận phương án bồi thường.",
        "Phối hợp UBND xã tổ chức đối thoại sớm, công khai phương án.",
    ),
    "khoi-luong-lon": (
        "Khối lượng công việc lớn trong khi đơn vị thiếu biên chế sau sắp xếp.",
        "Phân công lại nhân sự, giao đầu mối theo dõi riêng.",
    ),
    "khong-ro-nguyen-nhan": (
        "Chưa theo dõi sát thời hạn, chậm tham mưu.",
        "Nghiêm túc rút kinh nghiệm; cập nhật thời hạn vào lịch công tác hằng tuần.",
    ),
}


def explanation_for(task: Assignment, rng: random.Random) -> Any:
    """A plausible explanation of the task's delay (only used when the service needs one)."""
    code = rng.choice(list(EXPLANATIONS))
    text, remedy = EXPLANATIONS[code]
    other = None
    if code == "cho-co-quan-khac":
        # A department in force on the day of the explanation (a 2022 one waits for a
        # department of 2022, not for one the 2025 reforms created).
        other = (
            active_organisations(workdays.today())
            .filter(kind=OrgKind.DEPARTMENT)
            .exclude(pk=task.lead_id)
            .order_by("code")[rng.randint(0, 5)]
        )
    return tasks.ExplanationSpec(
        cause=DelayCause.objects.get(code=code), text=text, remedy=remedy, other_org=other
    )


def complete(
    task: Assignment,
    demo: Demo,
    done_on: dt.date,
    *,
    confirm_after: int | None,
    rng: random.Random,
    returned_once: bool = False,
) -> None:
    today = workdays.today()
    officer = lead_user(task, demo)
    if done_on > today:
        return
    with workdays.clock(at(done_on, 10)):
        tasks.assignment_report_completion(
            actor=officer,
            task=task,
            output_ref=f"{rng.randint(10, 999)}/BC-{task.lead.code[:6].upper()}",
            output_date=done_on,
            text="Đã hoàn thành, gửi kèm báo cáo.",
            explanation=explanation_for(task, rng),
        )
    if confirm_after is None:
        return
    checked = workdays.add_working_days(done_on, confirm_after)
    if checked > today:
        return
    reviewer = demo.users["totcongtac" if rng.random() < 0.3 else "vanphong"]
    with workdays.clock(at(checked, 15)):
        if returned_once:
            tasks.assignment_return(
                actor=reviewer, task=task, reason="Báo cáo chưa đủ số liệu, đề nghị bổ sung."
            )
        else:
            tasks.assignment_confirm(actor=reviewer, task=task)
    if returned_once:
        again = workdays.add_working_days(checked, rng.randint(2, 8))
        complete(task, demo, again, confirm_after=rng.randint(1, 3), rng=rng)
