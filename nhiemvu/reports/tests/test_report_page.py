"""The report page reads each figure once (issue 27 item 6) and shows what the files and a count
task by task show: the tables folded from one GROUP BY, the lists' counts and the backlog by
age from one aggregate, the first rows of each list only."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from nhiemvu.assignments import services, status
from nhiemvu.assignments.models import Assignment, DeadlineKind, WorkState
from nhiemvu.lib import periods, workdays
from nhiemvu.reports import ages, selectors
from nhiemvu.reports.causes import delay_causes
from nhiemvu.test import TODAY, BaseTestCase, register, travel

Q1 = periods.parse("2026-Q1")  # 15/12/2025 – 14/3/2026; TODAY is 11/3/2026
STATES = [
    WorkState.OPEN,
    WorkState.OPEN,
    WorkState.REPORTED,
    WorkState.DONE,
    WorkState.DONE,
    WorkState.PAUSED,
    WorkState.RETURNED,
    WorkState.REFUSED,
]


def figures(row: selectors.Row) -> dict[str, object]:
    """A row's name and counts (the page ranks its rows in place: rank and tie set)."""
    return {k: v for k, v in row.as_dict().items() if k not in ("rank", "tie")}


class ReportPageFiguresTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        p = cls.p
        rng = random.Random(27)
        leads = [p.agency_a, p.agency_b, p.agency_c]
        specs = []
        for n in range(60):
            deadline = (
                None
                if n % 7 == 0
                else dt.date(2025, 12, 1) + dt.timedelta(days=rng.randint(0, 150))
            )
            specs.append(
                services.TaskSpec(
                    content=f"Nhiệm vụ sinh số {n}",
                    lead=leads[n % 3],
                    deadline=deadline,
                    deliverable_kind="bao_cao" if n % 5 == 0 else "",
                    no_deadline_reason="Thường xuyên" if deadline is None else "",
                )
            )
        with travel(dt.date(2025, 11, 20)):
            register(p, ref="900/UBND-KT", doc_date=dt.date(2025, 11, 20), tasks=specs[:30])
            register(
                p,
                ref="901/UBND-KT",
                doc_date=dt.date(2025, 11, 20),
                tasks=specs[30:],
                assigned_by=p.chairman,
            )
        # States, completions, confirmations and extensions as the services would leave them
        # (the services are tested elsewhere): every label and both sides of each date.
        for task in Assignment.objects.filter(content__startswith="Nhiệm vụ sinh số"):
            state = rng.choice(STATES)
            done = task.assigned_on + dt.timedelta(days=rng.randint(5, 120))
            fields: dict[str, object] = {"state": state}
            if state in (WorkState.DONE, WorkState.REPORTED):
                fields["completion_date"] = min(done, TODAY)
            if state == WorkState.DONE:
                fields["confirmed_on"] = min(done + dt.timedelta(days=3), TODAY)
                fields["completed_late"] = (
                    None if task.deadline is None else fields["completion_date"] > task.deadline  # type: ignore[operator]
                )
            if task.deadline and rng.random() < 0.3:
                fields["original_deadline"] = task.deadline - dt.timedelta(days=10)
            fields["history_on"] = task.assigned_on
            Assignment.objects.filter(pk=task.pk).update(**fields)

    def _page(self, params: dict[str, str]) -> Any:
        self.login(self.p.office)
        page = self.client.get("/bao-cao/", params)
        self.assertEqual(page.status_code, 200)
        return page.context

    def test_the_page_shows_what_the_files_show(self) -> None:
        for params, as_of in (
            ({"period": "2026-Q1"}, TODAY),
            ({"period": "2026-Q1", "as_of": "20/02/2026"}, dt.date(2026, 2, 20)),
            ({"period": "2026-Q1", "kind": "department"}, TODAY),
        ):
            context = self._page(params)
            kind = params.get("kind")
            user = self.p.office
            # The tables: as each selector computes them alone (the files' way).
            alone = selectors.summary_by_org(user, Q1, as_of, kind=kind)
            summary = context["summary"]
            self.assertEqual(
                [figures(r) for r in summary.rows],
                [figures(r) for r in alone.rows],
            )
            self.assertEqual(summary.total.as_dict(), alone.total.as_dict())
            for name, build in (
                ("by_leader", selectors.summary_by_leader),
                ("by_origin", selectors.summary_by_origin),
            ):
                shown = context[name]
                self.assertEqual(
                    [r.as_dict() for r in shown.rows],
                    [r.as_dict() for r in build(user, Q1, as_of).rows],
                )
            # The first fifty documents by reference, as the whole table orders them.
            documents = selectors.summary_by_document(user, Q1, as_of)
            self.assertEqual(
                [figures(r) for r in context["by_document"].rows],
                [figures(r) for r in documents.rows[:50]],
            )
            # Every overdue task, oldest first, its age and bucket, as the files list them.
            overdue = list(selectors.overdue_pending(user, Q1, as_of))
            self.assertGreater(len(overdue), 3)
            self.assertEqual(context["overdue"], overdue[:200])
            self.assertEqual(context["buckets"], ages.age_buckets(overdue))
            self.assertEqual(
                context["late_count"], len(list(selectors.completed_late(user, Q1, as_of)))
            )
            lists = selectors.special_lists(user, Q1, as_of)
            self.assertEqual(
                [(k, n, [t.code for t in rows]) for k, n, rows in context["lists"]],
                [(k, qs.count(), [t.code for t in qs[:50]]) for k, qs in lists.items()],
            )
            self.assertEqual(
                context["causes"].as_dict(),
                delay_causes(user, Q1, as_of).as_dict(),
            )

    def test_todays_figures_are_a_count_task_by_task(self) -> None:
        # Today's status over the stored columns (status.label_filter) is classify's, task by
        # task: the page's counts are the tasks' labels counted in Python.
        context = self._page({"period": "2026-Q1"})
        covered = [
            t
            for t in Assignment.objects.exclude(
                deadline_kind=DeadlineKind.RECURRING, recurring_parent__isnull=True
            )
            if t.assigned_on <= TODAY and not (t.confirmed_on and t.confirmed_on < Q1.start)
        ]
        found = {t.pk: status.classify(status.facts_of(t), TODAY) for t in covered}
        by_lead: dict[str, status.Tally] = {}
        for t in covered:
            by_lead.setdefault(t.lead.code, status.Tally()).add(
                found[t.pk].label, found[t.pk].timing, 1
            )
        rows = {r.key: r for r in context["summary"].rows}
        for code, tally in by_lead.items():
            self.assertEqual(
                (rows[code].total, rows[code].done, rows[code].open_overdue, rows[code].paused),
                (tally.total, tally.done, tally.open_overdue, tally.paused),
            )
        overdue = [t for t in covered if found[t.pk].is_open_overdue]
        self.assertEqual(sum(n for _label, n in context["buckets"]), len(overdue))
        counts = {k: n for k, n, _rows in context["lists"]}
        self.assertEqual(
            counts["no_deadline"],
            sum(found[t.pk].label == status.Label.NO_DEADLINE for t in covered),
        )
        self.assertEqual(
            counts["returned"], sum(found[t.pk].label == status.Label.RETURNED for t in covered)
        )
        self.assertEqual(
            counts["extended"],
            sum(bool(t.original_deadline and t.deadline != t.original_deadline) for t in covered),
        )
        self.assertEqual(
            context["late_count"],
            sum(
                found[t.pk].label == status.Label.DONE_LATE
                and (t.confirmed_on or dt.date.min) >= Q1.start
                for t in covered
            ),
        )

    def test_the_age_buckets_in_sql_are_the_lists_buckets(self) -> None:
        # age_bucket_q (the page's and the dashboard's counts) against _bucket (each listed
        # row's), on every deadline around each limit.
        as_of = workdays.today()
        for days in range(1, 200):
            deadline = as_of - dt.timedelta(days=days)
            Assignment.objects.filter(pk=self.task.pk).update(deadline=deadline)
            matching = [
                label
                for label, q in ages.age_bucket_q(as_of, "deadline")
                if Assignment.objects.filter(q, pk=self.task.pk).exists()
            ]
            self.assertEqual(matching, [ages.bucket_of(days)], days)

    def test_the_page_reads_only_the_rows_it_shows(self) -> None:
        # 60 tasks or 100,000: the page asks the database for the overdue rows it shows, and
        # counts the rest; the number of queries does not grow with the tasks.
        with CaptureQueriesContext(connection) as queries:
            self._page({"period": "2026-Q1"})
        overdue = [
            q["sql"]
            for q in queries.captured_queries
            if "LIMIT 200" in q["sql"]
            and q["sql"].count("FROM") == 1
            and 'FROM "assignments_assignment"' in q["sql"]
        ]
        self.assertEqual(len(overdue), 1)

    def test_the_tables_drawn_in_python_are_the_templates_html(self) -> None:
        # The summary and ranking rows (report_tables) against the template loops they replace,
        # on the generated figures: totals, ties, rates with decimals and without ("—").
        from django.template import Context, Template

        context = self._page({"period": "2026-Q1", "as_of": "20/02/2026"})
        # A tie, and a row with nothing due (no rates) whose name needs escaping.
        ranking = [*context["ranking"], selectors.Row("x&y", "Sở <Mới>", rank=4, tie=True)]
        loops = Template(
            "{% load i18n %}"
            "{% for stt, name, figures, is_total in lines %}\n"
            '<tr{% if is_total %} class="fw-bold table-light"{% endif %}><td>{{ stt }}</td>'
            '<td>{{ name }}</td>{% for v in figures %}<td class="text-end">'
            "{% if v is not None %}{% if forloop.counter > 9 %}{{ v|floatformat:2 }}{% else %}"
            "{{ v }}{% endif %}{% endif %}</td>{% endfor %}</tr>\n{% endfor %}|"
            + "{% for r in ranking %}<tr>"
            '<td>{{ r.rank }}{% if r.tie %} <span class="badge text-bg-light" '
            "title=\"{% translate 'Same rates: same rank' %}\">"
            '{% translate "tie" %}</span>{% endif %}</td>'
            "<td>"
            "<a href=\"{% url 'task_list' %}?org={{ r.key }}&role=lead\">{{ r.name }}</a> "
            '<a class="small" href="?{{ query }}&org={{ r.key }}#trend-chart">'
            '{% translate "trend" %}</a>'
            '</td><td>{{ r.completion_rate|default_if_none:"—" }}</td>'
            '<td>{{ r.on_time_rate|default_if_none:"—" }}</td>'
            "<td>{{ r.done }} / {{ r.open_overdue }}</td></tr>{% endfor %}"
        )
        tags = Template(
            "{% load report_tables %}{% summary_rows lines %}|{% ranking_rows ranking query %}"
        )
        values = Context(
            {"lines": context["lines"], "ranking": ranking, "query": "period=2026-Q1&kind=<b>"}
        )
        self.assertEqual(tags.render(values), loops.render(values))
