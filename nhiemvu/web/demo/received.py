"""Work from above: two tasks the province received from the Government and a ministry, each
split by the office among its agencies; one still in progress, one reported upward."""

from __future__ import annotations

import datetime as dt
import random

from nhiemvu.assignments import services as tasks
from nhiemvu.directives.services import DirectiveSpec
from nhiemvu.lib import workdays
from nhiemvu.web.demo.steps import Demo, at, complete, registered
from nhiemvu.web.demo.year import play


def load_work_from_above(demo: Demo) -> None:
    """Two tasks the province received, each split by the office for its agencies: one still in
    progress with the upward deadline near, one every agency finished and the province has
    reported upward. Illustrative documents: their numbers are not real ones."""
    today = workdays.today()
    office = demo.users["vanphong"]
    plans = [
        (
            "thu-tuong",
            "9017/VPCP-KTTH",
            today - dt.timedelta(days=75),
            "Đẩy nhanh tiến độ giải ngân vốn đầu tư công năm {y}; báo cáo Thủ tướng Chính phủ "
            "kết quả thực hiện.",
            "NV-{y}-17",
            today + dt.timedelta(days=13),
            [("so-tai-chinh", -5, True), ("so-xay-dung", -5, False), ("p-quy-nhon", 2, False)],
            None,
        ),
        (
            "bo-khcn",
            "9018/BKHCN-CĐSQG",
            today - dt.timedelta(days=170),
            "Báo cáo tình hình triển khai chuyển đổi số và phát triển chính quyền số của tỉnh.",
            "",
            today - dt.timedelta(days=90),
            [("so-khcn", -20, True), ("so-noi-vu", -20, True)],
            today - dt.timedelta(days=95),
        ),
    ]
    for issuer_code, ref, issued, content, code, deadline, parts, reported in plans:
        issuer = demo.orgs[issuer_code]
        issued = workdays.calendar().previous_working_day(issued)
        if registered(issuer, ref, issued.year):
            continue
        with workdays.clock(at(issued, 8)):
            directive = tasks.directive_register(
                actor=office,
                spec=DirectiveSpec(
                    issuer=issuer,
                    ref=ref,
                    doc_date=issued,
                    subject=content.format(y=issued.year)[:200],
                    text=content.format(y=issued.year),
                ),
                tasks=[
                    tasks.TaskSpec(
                        content=content.format(y=issued.year),
                        lead=demo.orgs["ubnd-tinh"],
                        deliverable_kind="bao_cao",
                        deliverable_text="Báo cáo kết quả thực hiện",
                        deadline=deadline,
                        external_code=code.format(y=issued.year),
                    )
                ],
            )
        upper = directive.assignments.get()
        split_on = workdays.add_working_days(issued, 2)
        for lead_code, before, done in parts:
            with workdays.clock(at(split_on, 9)):
                (sub,) = tasks.subtask_create(
                    actor=office,
                    upper=upper,
                    spec=tasks.TaskSpec(
                        content=f"{content.format(y=issued.year)} (phần việc của "
                        f"{demo.orgs[lead_code].label})",
                        lead=demo.orgs[lead_code],
                        deadline=deadline + dt.timedelta(days=min(before, 0) or -2),
                        deliverable_kind="bao_cao",
                        deliverable_text="Báo cáo kết quả",
                    ),
                )
            rng = random.Random(f"{ref}-{lead_code}")
            if done:
                complete(
                    sub, demo, workdays.add_working_days(split_on, 20), confirm_after=2, rng=rng
                )
            else:
                play(sub, demo, 0.9, 8, rng)
        if reported is not None:
            with workdays.clock(at(reported, 15)):
                tasks.received_report_upward(
                    actor=office,
                    task=upper,
                    ref=f"{rng.randint(100, 999)}/BC-UBND",
                    report_date=reported,
                )
