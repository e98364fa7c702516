"""The old tracker's export of the shared dataset imported through the importer alone, on
PostgreSQL, and every count of the dataset's summary checked as of 2026-11-01 (issue 29).

    .venv/bin/python bench/legacy_import.py [--url postgres://…/nhiemvu_bench_legacy] [-n 100000]

Recreates the database, migrates, sets up the directory (the province, the office and the
dataset's 60 agencies: what any province has before its switch-over), writes the export
(bench/legacy_export.py), then imports it with the office's profile (directives/legacy: run_start,
run_step, the worker's function), checks the counts, imports the same file again and checks that
nothing changed. Prints time and peak memory.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import ensure_database, peak_mb
from bench.dataset import REF_DATE, agencies, generate, summarize


def recreate(url: str) -> None:
    import psycopg

    admin, name = url.rsplit("/", 1)
    with psycopg.connect(admin + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    ensure_database(url)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="postgres://postgres@127.0.0.1:5432/nhiemvu_bench_legacy")
    parser.add_argument("-n", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args()
    recreate(args.url)
    os.environ["DATABASE_URL"] = args.url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nhiemvu.settings")
    os.environ.setdefault("MEDIA_ROOT", str(Path("var/bench/legacy-media").resolve()))
    import django

    django.setup()
    from django.core.files.uploadedfile import UploadedFile
    from django.core.management import call_command
    from django.db.models import Count

    from nhiemvu.assignments import status
    from nhiemvu.assignments.models import Assignment, AssignmentEvent, Coordination
    from nhiemvu.directives.legacy import imports, runs
    from nhiemvu.orgs.models import OrgKind, Role
    from nhiemvu.test import make_org, make_user

    call_command("migrate", verbosity=0)
    make_org("ubnd", "UBND tỉnh", OrgKind.PROVINCE)
    office = make_user("office", make_org("vp", "Văn phòng UBND tỉnh", OrgKind.OFFICE), Role.OFFICE)
    for code, name, kind in agencies():
        make_org(code, name, OrgKind.DEPARTMENT if kind == "so" else OrgKind.DISTRICT)
    path = Path("var/bench/legacy.csv")
    # Written by a child process: this one never holds the dataset while it imports, so its
    # peak memory is the importer's (the summary is generated after both imports).
    subprocess.run(
        [sys.executable, "bench/legacy_export.py", "--out", str(path), "-n", str(args.n)],
        check=True,
    )
    print(f"export: {args.n} rows, {path.stat().st_size / 1e6:.1f} MB; peak {peak_mb():.0f} MB")
    profile = runs.profile_create(actor=office, name="iDesk", source="idesk")

    def reset_peak() -> None:
        # The process's peak so far is Django's set-up and migrations (over 200 MB); Linux
        # forgets it on request (clear_refs 5), so the peak printed after a run is the run's.
        Path("/proc/self/clear_refs").write_text("5")

    def run_once() -> tuple[float, dict]:
        reset_peak()
        # Uploaded from disk, as the web server hands a large upload over (a temporary file).
        handle = path.open("rb")
        upload = UploadedFile(handle, "legacy.csv", "text/csv", path.stat().st_size)
        started = time.perf_counter()
        run = runs.run_start(
            actor=office, profile=profile, upload=upload, checksum=imports.checksum_of(upload)
        )
        handle.close()
        run = runs.run_step(run.pk, batch=args.batch)
        assert run.status == "done", run.error
        outcomes = {k: v for k, v in run.counts.items() if k in ("new", "unchanged", "updated")}
        print(
            "reconciliation: rows that differ from the export's words:",
            run.counts["reconcile"]["differing"],
        )
        return time.perf_counter() - started, outcomes

    cpu = time.process_time()
    seconds, counts = run_once()
    print(
        f"import: {seconds:.1f} s wall, {time.process_time() - cpu:.1f} s CPU (this process), "
        f"{counts}, peak {peak_mb():.0f} MB"
    )
    tasks = Assignment.objects.filter(legacy_source="idesk")
    before = (tasks.count(), AssignmentEvent.objects.count())
    cpu = time.process_time()
    seconds2, counts2 = run_once()
    after = (tasks.count(), AssignmentEvent.objects.count())
    print(
        f"second import: {seconds2:.1f} s wall, {time.process_time() - cpu:.1f} s CPU, "
        f"{counts2}, peak {peak_mb():.0f} MB"
    )
    assert counts2 == {"unchanged": args.n}, counts2
    assert before == after, (before, after)
    labels = dict(
        status.annotate(status.as_of_filter(tasks, REF_DATE), as_of=REF_DATE)
        .values("st_label")
        .annotate(n=Count("id"))
        .values_list("st_label", "n")
    )
    got = {
        "overdue": labels.get("overdue", 0),
        "in_progress": labels.get("within", 0) + labels.get("due_soon", 0),
        "open_no_deadline": labels.get("no_deadline", 0),
        "closed_on_time": labels.get("done_on_time", 0) + labels.get("done_no_deadline", 0),
        "closed_late": labels.get("done_late", 0),
    }
    open_states = ["open", "reported", "returned", "refused", "paused"]
    got["s04_open_lead"] = tasks.filter(lead__code="S04", state__in=open_states).count()
    got["s04_open_coord"] = Coordination.objects.filter(
        org__code="S04", assignment__in=tasks.filter(state__in=open_states)
    ).count()
    ags, dataset = generate(args.n)
    summary = summarize(ags, dataset)
    want = dict(summary["classes"]) if "classes" in summary else {}
    want["s04_open_lead"] = summary["S5_open_tasks_led_by_S04"]
    want["s04_open_coord"] = summary["S5b_open_tasks_coordinated_by_S04"]
    want = {k: want[k] for k in got if k in want}
    print("counts as of", REF_DATE, got)
    print("summary     ", want)
    mismatched = {k: (got[k], want[k]) for k in want if got[k] != want[k]}
    if mismatched:
        print("MISMATCH", mismatched)
        sys.exit(1)
    print("every count matches; the second import changed nothing")


if __name__ == "__main__":
    main()
