"""Report speed over 1,000,000 tasks and 2,000 organisations on PostgreSQL.

    .venv/bin/python bench/reports.py [--tasks 1000000] [--orgs 2000] [--url postgres://…]

Creates (or reuses) the database `nhiemvu_bench`, fills it with SQL generate_series (a minute),
then times the quarterly summary (this quarter, and a past quarter as of its last day, which
rebuilds every status from events), the overdue list, and a 10,000-row XLSX export. Prints
seconds, the ratio to the 2 s goal and peak memory.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import ensure_database, peak_mb

GOAL = 2.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--orgs", type=int, default=2000)
    parser.add_argument("--url", default="postgres://postgres@127.0.0.1:5432/nhiemvu_bench")
    args = parser.parse_args()
    ensure_database(args.url)
    os.environ["DATABASE_URL"] = args.url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nhiemvu.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM assignments_assignment")
        have = cur.fetchone()[0]
    if have < args.tasks:
        fill(args.tasks, args.orgs)
    run(args.tasks)


def fill(tasks: int, orgs: int) -> None:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE assignments_assignmentevent, assignments_coordination, "
            "assignments_assignment, directives_directive, orgs_membership, "
            "orgs_organisation, accounts_user CASCADE"
        )
        cur.execute("""INSERT INTO accounts_user (password, is_superuser, username, first_name,
            last_name, email, is_staff, is_active, date_joined, full_name, job_title, phone)
            VALUES ('!', false, 'bench', '', '', '', false, true, now(), 'Chủ tịch', '', '')""")
        cur.execute(
            "INSERT INTO orgs_organisation (code, name, short_name, kind, email, "
            "search_text) VALUES ('ubnd', 'UBND tỉnh', '', 'province', '', 'ubnd tinh')"
        )
        cur.execute("""INSERT INTO orgs_membership (user_id, org_id, role, leader_title)
            SELECT u.id, o.id, 'leader', 'chu_tich' FROM accounts_user u, orgs_organisation o""")
        cur.execute(f"""INSERT INTO orgs_organisation (code, name, short_name, kind, email,
                search_text)
            SELECT 'org-' || i, 'Cơ quan ' || i, '',
                   (ARRAY['department','district','commune','central','public_unit'])[1 + i % 5],
                   '', 'co quan ' || i
            FROM generate_series(1, {int(orgs)}) i""")
        cur.execute("""INSERT INTO directives_directive (code, issuer_id, number, year, symbol,
            ref, doc_type, doc_date, place, subject, signer_name, signer_title, authority,
            urgency, text, search_text, registered_by_id, created_at)
            SELECT 'd' || lpad(to_hex(i), 10, '0'), (SELECT id FROM orgs_organisation
                WHERE code = 'ubnd'), i, 2026, 'UBND-KT', i || '/UBND-KT', 'CV',
                date '2024-06-01' + (i % 900), '', 'Về việc ' || i, '', '', '', 'normal', '',
                '', (SELECT id FROM accounts_user LIMIT 1), now()
            FROM generate_series(1, 5000) i""")
        # Tasks: a realistic mix of states, deadlines over two and a half years.
        cur.execute(f"""
            WITH o AS (SELECT array_agg(id) ids FROM orgs_organisation WHERE kind <> 'province'),
                 d AS (SELECT array_agg(id) ids FROM directives_directive)
            INSERT INTO assignments_assignment (code, directive_id, content, summary, lead_id,
                original_lead_id, deliverable_kind, deliverable_text, deadline_kind,
                original_deadline, deadline, recurrence, recurrence_rule, no_deadline_reason,
                flagged, assigned_by_id, assigned_on, urgency, state, progress_percent,
                completion_date, completion_ref, confirmed_on, completed_late, search_text,
                created_by_id, created_at, updated_at, period)
            SELECT 't' || lpad(to_hex(i), 10, '0'), d.ids[1 + i % 5000], 'Nhiệm vụ ' || i,
                'Nhiệm vụ ' || i, o.ids[1 + (i::bigint * 7919) % array_length(o.ids, 1)],
                o.ids[1 + (i::bigint * 7919) % array_length(o.ids, 1)], '', '',
                CASE WHEN i % 10 = 0 THEN 'none' ELSE 'fixed' END,
                CASE WHEN i % 10 = 0 THEN NULL ELSE date '2024-06-01' + (i % 900) + 30 END,
                CASE WHEN i % 10 = 0 THEN NULL ELSE date '2024-06-01' + (i % 900) + 30 END,
                '', '', '', false, (SELECT id FROM accounts_user LIMIT 1),
                date '2024-06-01' + (i % 900), 'normal',
                CASE WHEN i % 10 < 6 THEN 'done' WHEN i % 10 = 6 THEN 'reported'
                     WHEN i % 10 = 7 THEN 'paused' ELSE 'open' END,
                0,
                CASE WHEN i % 10 < 7 THEN date '2024-06-01' + (i % 900) + 20 + (i % 20) END,
                '', CASE WHEN i % 10 < 6 THEN date '2024-06-01' + (i % 900) + 45 END,
                CASE WHEN i % 10 < 6 THEN (i % 20) > 10 END,
                'nhiem vu ' || i, (SELECT id FROM accounts_user LIMIT 1), now(), now(), ''
            FROM generate_series(1, {int(tasks)}) i, o, d""")
        cur.execute("""INSERT INTO assignments_assignmentevent (assignment_id, kind, at, "on",
            state_after, text, data, doc_date)
            SELECT id, 'assigned', assigned_on::timestamptz, assigned_on, 'open', '', '{}', NULL
            FROM assignments_assignment""")
        cur.execute("""INSERT INTO assignments_assignmentevent (assignment_id, kind, at, "on",
            state_after, text, data, doc_date)
            SELECT id, 'completion', completion_date::timestamptz, completion_date, 'reported',
                   '', '{}', completion_date
            FROM assignments_assignment WHERE completion_date IS NOT NULL""")
        cur.execute("""INSERT INTO assignments_assignmentevent (assignment_id, kind, at, "on",
            state_after, text, data, doc_date)
            SELECT id, 'confirmed', confirmed_on::timestamptz, confirmed_on, 'done', '', '{}', NULL
            FROM assignments_assignment WHERE confirmed_on IS NOT NULL""")
        cur.execute(
            "UPDATE assignments_assignment SET history_on = "
            "greatest(assigned_on, completion_date, confirmed_on)"
        )
        cur.execute("ANALYZE")
    print(f"filled {tasks:,} tasks in {time.perf_counter() - started:.0f} s")


def timed(label: str, fn: object) -> object:
    started = time.perf_counter()
    result = fn()  # type: ignore[operator]
    seconds = time.perf_counter() - started
    print(
        f"{label:48} {seconds:6.2f} s  ratio to {GOAL:.0f} s goal {seconds / GOAL:5.2f}  "
        f"peak {peak_mb():5.0f} MB"
    )
    return result


def run(tasks: int) -> None:
    import datetime as dt

    from nhiemvu.accounts.models import User
    from nhiemvu.lib import periods
    from nhiemvu.reports import exporters, selectors

    user = User.objects.get(username="bench")
    today = dt.date.today()
    current = periods.containing(today, "quarter")
    past = periods.parse("2025-Q3")
    print(f"{tasks:,} tasks; this quarter {current.key}, past quarter {past.key}")
    summary = timed(
        "quarterly summary, this quarter", lambda: selectors.summary_by_org(user, current)
    )
    print(f"  rows: {len(summary.rows):,}; tasks covered: {summary.total.total:,}")
    timed(
        "quarterly summary, past quarter as of its end",
        lambda: selectors.summary_by_org(user, past, past.end),
    )
    overdue = timed(
        "overdue pending list (every row), this quarter",
        lambda: list(selectors.overdue_pending(user, current)),
    )
    print(f"  overdue pending: {len(overdue):,}")
    rows = overdue[:10_000]
    content = timed("XLSX export, 10,000-row list", lambda: exporters.to_xlsx(summary, rows, []))
    print(f"  XLSX size: {len(content):,} bytes")


if __name__ == "__main__":
    main()
