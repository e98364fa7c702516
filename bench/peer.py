"""The peer comparison (scenarios S1–S7 of the province's benchmark) against nhiemvu as it runs
in production, on the same deterministic dataset as the peer.

    .venv/bin/python bench/peer.py [--url postgres://postgres@127.0.0.1:5432/nhiemvu_bench_peer]
                                   [--reload] [--workers 2] [--threads 2] [--wrk-seconds 20]
                                   [--tasks 1000000 --skip-csv]   # the same at a million

1. Writes the deterministic 100,000-task dataset with ``bench/dataset.py`` (a verbatim copy of
   the shared generator) into ``var/bench-peer/`` and checks its sha256.
2. Loads it into nhiemvu (PostgreSQL), every date shifted by ``today − 2026-11-01`` so that the
   dataset's "today" is the real today (as the peer's loader does); each agency gets two users
   (an officer and the head) and the tasks their documents, leads and coordinating agencies.
3. Checks that nhiemvu classifies the tasks exactly as ``summary.json`` counts them.
4. Starts gunicorn with production settings (DEBUG off, the gunicorn.conf.py of the README) on
   127.0.0.1 and times the scenarios S1–S7 with ``curl -w %{time_total}`` (3 warm-ups, 20
   timed, p50/p95 by nearest rank), checking every response; S6 runs ``manage.py scheduler
   --once`` as cron would (process start included) into a file sink; S2c loads the task list
   with 8 and 32 concurrent connections (``wrk`` when installed, else a threaded client).
5. Prints each scenario with the peer's figures and the ratio (below 1: nhiemvu is faster), the
   server's peak memory, and exits non-zero when a correctness check fails.

Reads are made as the Provincial Office: S2 and S4 with its browser session, the JSON
scenarios with a read-only API key of the office.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import csv
import datetime as dt
import hashlib
import html
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.common import ensure_database  # noqa: E402

REF_DATE = dt.date(2026, 11, 1)
SHA256 = "b1c3050a093d2701dc4232ebde31a0ea534b36ada2fee6050a0cd73b0fa4d660"
DATA = ROOT / "var" / "bench-peer"
PASSWORD = "bench-peer-2026"
PY = str(ROOT / ".venv" / "bin" / "python")
# The peer's figures (Redmine 5.0.4, puma 2 × 5 threads; issue 15): p50 seconds.
PEER = {
    "S1": 0.0,  # not quoted in the issue; printed as "—"
    "S2": 0.31,
    "S3": 0.78,
    "S4": 0.0,
    "S5": 0.0,
    "S6": 49.5,
}
WARMUP, TIMED = 3, 20


# --- 1. the dataset ---------------------------------------------------------------------------


def dataset(n: int) -> tuple[list[dict[str, Any]], dict[str, Any], list[list[str]]]:
    """The generator's output for ``n`` tasks (the contract's 100,000 are checked by hash)."""
    data = DATA if n == 100_000 else DATA.with_name(f"bench-peer-{n}")
    tasks_file = data / "tasks.jsonl"
    if not tasks_file.exists():
        data.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "dataset.py"), "--out", str(data), "-n", str(n)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    if n == 100_000:
        digest = hashlib.sha256(tasks_file.read_bytes()).hexdigest()
        if digest != SHA256:
            sys.exit(f"dataset hash {digest} is not the contract's {SHA256}")
    tasks = [json.loads(line) for line in tasks_file.open(encoding="utf-8")]
    summary = json.loads((data / "summary.json").read_text(encoding="utf-8"))
    with (data / "agencies.csv").open(encoding="utf-8") as f:
        agencies = list(csv.reader(f))[1:]
    return tasks, summary, agencies


# --- 2. loading -------------------------------------------------------------------------------


def load(tasks: list[dict[str, Any]], agencies: list[list[str]], shift: dt.timedelta) -> None:
    from django.db import connection, transaction

    from nhiemvu.accounts.models import User
    from nhiemvu.assignments.models import Assignment, AssignmentEvent, Coordination
    from nhiemvu.directives.models import Directive
    from nhiemvu.lib import deliverables, docref
    from nhiemvu.lib.vntext import fold
    from nhiemvu.orgs.models import Membership, Organisation
    from nhiemvu.reminders.models import Notification, Outbox, ReminderLog

    started = time.perf_counter()

    def day(text: str | None) -> dt.date | None:
        return dt.date.fromisoformat(text) + shift if text else None

    with transaction.atomic():
        for model in (Outbox, Notification, ReminderLog, AssignmentEvent, Coordination):
            model.objects.all().delete()
        Assignment.objects.all().delete()
        Directive.objects.all().delete()
        Membership.objects.all().delete()
        User.objects.all().delete()
        Organisation.objects.all().delete()
        province = Organisation.objects.create(
            code="ubnd", name="UBND tỉnh", kind="province", search_text=fold("UBND tỉnh")
        )
        office = Organisation.objects.create(
            code="vp", name="Văn phòng UBND tỉnh", kind="office", search_text="van phong ubnd tinh"
        )
        orgs = {
            code: Organisation.objects.create(
                code=code,
                name=name,
                kind="department" if kind == "so" else "district",
                search_text=fold(name),
            )
            for code, name, kind in agencies
        }
        people = []
        for username, org, role, title in (
            ("chairman", province, "leader", "chu_tich"),
            ("office", office, "office", ""),
        ):
            people.append((username, org, role, title))
        for code, org in orgs.items():
            people.append((f"{code.lower()}.officer", org, "officer", ""))
            people.append((f"{code.lower()}.head", org, "head", ""))
        users = {}
        hashed = User(username="x")
        hashed.set_password(PASSWORD)  # one hash for all: argon2 per user would take minutes
        for username, org, role, title in people:
            user = User.objects.create(
                username=username,
                password=hashed.password,
                full_name=username,
                email=f"{username}@bench.invalid",
            )
            Membership.objects.create(user=user, org=org, role=role, leader_title=title)
            users[username] = user
        chairman = users["chairman"]
        # One directive per document reference and year (a yearly counter per kind).
        keys: dict[tuple[str, int], Directive] = {}
        for t in tasks:
            doc_date = day(t["doc_date"])
            assert doc_date is not None
            key = (t["doc_ref"], doc_date.year)
            if key in keys:
                continue
            ref = docref.parse(t["doc_ref"])
            keys[key] = Directive(
                issuer=province,
                number=ref.number,
                year=doc_date.year,
                symbol=ref.symbol,
                ref=str(ref),
                doc_type=ref.doc_type,
                doc_date=doc_date,
                subject=f"Về việc giao nhiệm vụ ({t['doc_ref']})",
                registered_by=chairman,
                assigned_by=chairman,
            )
        Directive.objects.bulk_create(keys.values(), batch_size=5000)
        by_key = {
            (ref, year): pk
            for ref, year, pk in Directive.objects.values_list("ref", "year", "id").iterator()
        }
        batch: list[Assignment] = []
        for t in tasks:
            doc_date = day(t["doc_date"])
            assert doc_date is not None
            deadline, closed = day(t["deadline"]), day(t["closed_date"])
            lead = orgs[t["lead_agency"]]
            batch.append(
                Assignment(
                    directive_id=by_key[(str(docref.parse(t["doc_ref"])), doc_date.year)],
                    content=t["subject"],
                    summary=t["subject"],
                    lead=lead,
                    original_lead=lead,
                    deliverable_kind=deliverables.kind_of(t["product"]),
                    deliverable_text=t["product"],
                    deadline_kind="fixed" if deadline else "none",
                    original_deadline=deadline,
                    deadline=deadline,
                    flagged=deadline is None,
                    assigned_by=chairman,
                    assigned_on=doc_date,
                    state="done" if t["closed"] else "open",
                    progress_percent=100 if t["closed"] else 0,
                    completion_date=closed,
                    confirmed_on=closed,
                    completed_late=(closed > deadline if deadline else None) if closed else None,
                    history_on=closed or doc_date,
                    search_text=fold(t["subject"]),
                    created_by=chairman,
                )
            )
            if len(batch) == 5000:
                Assignment.objects.bulk_create(batch)
                batch = []
        Assignment.objects.bulk_create(batch)
        ids = list(Assignment.objects.order_by("id").values_list("id", flat=True))
        Coordination.objects.bulk_create(
            (
                Coordination(assignment_id=pk, org=orgs[code])
                for pk, t in zip(ids, tasks, strict=True)
                for code in t["coord_agencies"]
            ),
            batch_size=5000,
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"loaded {len(tasks):,} tasks in {time.perf_counter() - started:.0f} s")


def check_counts(summary: dict[str, Any]) -> list[str]:
    """nhiemvu's own status labels against the dataset's classes."""
    from nhiemvu.assignments import status
    from nhiemvu.assignments.models import Assignment
    from nhiemvu.assignments.selectors import status_counts

    counts = status_counts(status.annotate(Assignment.objects.all()))
    label = status.Label
    ours = {
        "overdue": counts[label.OVERDUE],
        "in_progress": counts[label.WITHIN] + counts[label.DUE_SOON],
        "open_no_deadline": counts[label.NO_DEADLINE],
        "closed_on_time": counts[label.DONE_ON_TIME] + counts[label.DONE_NO_DEADLINE],
        "closed_late": counts[label.DONE_LATE],
    }
    expected = summary["classes"]
    problems = [
        f"{name}: nhiemvu {ours[name]:,}, dataset {expected[name]:,}"
        for name in ours
        if ours[name] != expected[name]
    ]
    print("classification:", ", ".join(f"{k} {v:,}" for k, v in ours.items()))
    return problems


# --- 3. the server ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """gunicorn with production settings on 127.0.0.1, as the README's Production section."""

    def __init__(self, url: str, workers: int, threads: int, mail_dir: Path) -> None:
        self.port = free_port()
        self.env = {
            **os.environ,
            "DATABASE_URL": url,
            "NHIEMVU_PRODUCTION": "1",
            "SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback (TLS ends at the proxy)
            "SECRET_KEY": "bench-" + hashlib.sha256(url.encode()).hexdigest(),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": f"http://127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_THREADS": str(threads),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_ACCESS_LOG": "",
            "EMAIL_FILE_PATH": str(mail_dir),
            # The office signs in with a password here, and since issue 30 that asks it to enrol
            # a second factor first: every page would be the redirect to enrolment. The bench
            # measures the pages, so only administrators are held to it (as the setting allows).
            "NHIEMVU_MFA_REQUIRED_ROLES": "admin",
        }
        if self.env.pop("PYTHONDONTWRITEBYTECODE", None):
            # As deployed (a production virtualenv holds its bytecode): compiled once and kept
            # here, so a cron step's start is not every module compiled again, each run.
            self.env["PYTHONPYCACHEPREFIX"] = str(DATA / "pycache")
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def manage(self, *args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [PY, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True
        )
        if done.returncode:
            sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done

    def start(self) -> None:
        self.manage("collectstatic", "--noinput", "-v0")
        self.proc = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "nhiemvu.wsgi", "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        # A loaded machine (CI, helpers) can take well over 20 s to import and fork the
        # workers: wait up to 2 minutes, and say so if the server died instead.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit("gunicorn exited while starting")
            try:
                urllib.request.urlopen(self.base + "/dang-nhap/", timeout=2).read()
                return
            except OSError:
                time.sleep(0.1)
        raise SystemExit("gunicorn did not start within 120 s")

    def rss_mb(self) -> float:
        """Resident memory of the master and its workers now."""
        assert self.proc is not None
        out = subprocess.run(
            ["ps", "-o", "rss=", "--ppid", str(self.proc.pid), "-p", str(self.proc.pid)],
            capture_output=True,
            text=True,
        ).stdout
        return sum(int(x) for x in out.split()) / 1024

    def cpu_seconds(self) -> float:
        """User + system CPU the master and its workers have used so far (from /proc): the
        machine is shared, so wall time alone says little about the server's own cost."""
        assert self.proc is not None
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.proc.pid), "-p", str(self.proc.pid)],
            capture_output=True,
            text=True,
        ).stdout
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in out.split():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / ticks

    def stop(self) -> None:
        if self.proc is not None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)


def login(base: str) -> str:
    """The office's session cookie, obtained through the login form like a browser."""
    with tempfile.NamedTemporaryFile(delete=False) as jar:
        pass
    page = subprocess.run(
        ["curl", "-s", "-c", jar.name, "-b", jar.name, base + "/dang-nhap/"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "no CSRF token on the login page"
    subprocess.run(
        [
            "curl",
            "-s",
            "-o",
            "/dev/null",
            "-c",
            jar.name,
            "-b",
            jar.name,
            "-H",
            f"Referer: {base}/dang-nhap/",
            "--data-urlencode",
            f"csrfmiddlewaretoken={token.group(1)}",
            "--data-urlencode",
            "username=office",
            "--data-urlencode",
            f"password={PASSWORD}",
            base + "/dang-nhap/",
        ],
        check=True,
    )
    cookies = {}
    for line in Path(jar.name).read_text().splitlines():
        parts = line.split("\t")
        if len(parts) == 7:
            cookies[parts[5]] = parts[6]
    os.unlink(jar.name)
    assert "sessionid" in cookies, "login failed"
    return f"sessionid={cookies['sessionid']}"


# --- 4. scenarios -----------------------------------------------------------------------------


def curl(url: str, headers: list[str], out: Path) -> float:
    args = ["curl", "-s", "-o", str(out), "-w", "%{time_total} %{http_code}"]
    for h in headers:
        args += ["-H", h]
    result = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    seconds, code = result.split()
    if code != "200":
        raise AssertionError(f"{url}: HTTP {code}")
    return float(seconds)


def timed(url: str, headers: list[str]) -> tuple[float, float, Path]:
    out = Path(tempfile.mkstemp(suffix=".out")[1])
    for _ in range(WARMUP):
        curl(url, headers, out)
    times = sorted(curl(url, headers, out) for _ in range(TIMED))
    return times[9], times[18], out  # p50 and p95 by nearest rank of 20


def ids_in(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"Nhiệm vụ (\d+):", text)]


def scenarios(
    server: Server,
    cookie: str,
    key: str,
    tasks: list[dict[str, Any]],
    summary: dict[str, Any],
    shift: dt.timedelta,
    *,
    csv_export: bool = True,
) -> list[tuple[str, float, float, str, bool]]:
    """S1–S5b; every expected figure comes from the dataset (summary.json, or the tasks)."""
    from nhiemvu import keyset
    from nhiemvu.assignments.models import Assignment

    base = server.base
    api = [f"Authorization: Bearer {key}"]
    web = [f"Cookie: {cookie}"]
    codes = {
        int(summary.split(":")[0].split()[-1]): (code, summary)
        for code, summary in Assignment.objects.values_list("code", "summary").iterator()
    }
    results = []

    # S1: the overdue list, earliest deadline first, with the total.
    p50, p95, out = timed(
        f"{base}/api/v1/tasks?status=overdue&sort=deadline&limit=100&count=true", api
    )
    body = json.loads(out.read_text())
    first = dt.date.fromisoformat(body["items"][0]["deadline"])
    classes = summary["classes"]
    earliest = min(t["deadline"] for t in tasks if not t["closed"] and t["deadline"])
    ok = body["count"] == classes["overdue"] and len(body["items"]) == 100
    ok &= first == dt.date.fromisoformat(earliest) + shift
    results.append(("S1 overdue list + count (JSON)", p50, p95, f"total {body['count']:,}", ok))

    # S2: the default list as HTML: open work, newest first, 100 rows, with the total.
    p50, p95, out = timed(f"{base}/nhiem-vu/?status=open&sort=-assigned_on&size=100", web)
    text = html.unescape(out.read_text())
    total = re.search(r'id="task-total">([\d.]+)', text)
    newest = [
        t["id"]
        for t in sorted(
            (t for t in tasks if not t["closed"]),
            key=lambda t: (t["created_date"], codes[t["id"]][0]),
            reverse=True,
        )[:100]
    ]
    ok = bool(total) and total.group(1).replace(".", "") == str(summary["open"])
    ok &= ids_in(text) == newest
    results.append(
        (
            "S2 task list, open, newest (HTML)",
            p50,
            p95,
            f"total {total.group(1) if total else '?'}",
            ok,
        )
    )

    # S3: all tasks in assignment order from row 90,000 (a cursor to that row), with the total.
    ordered = sorted(tasks, key=lambda t: (t["created_date"], codes[t["id"]][0]))
    deep = len(tasks) * 9 // 10  # row 90,000 of 100,000
    row = ordered[deep - 1]
    cursor = keyset.encode(dt.date.fromisoformat(row["created_date"]) + shift, codes[row["id"]][0])
    p50, p95, out = timed(
        f"{base}/api/v1/tasks?sort=assigned_on&limit=100&count=true&after={cursor}", api
    )
    body = json.loads(out.read_text())
    got = [int(i["summary"].split(":")[0].split()[-1]) for i in body["items"]]
    ok = body["count"] == len(tasks) and got == [t["id"] for t in ordered[deep : deep + 100]]
    results.append((f"S3 deep page, row {deep:,} (JSON)", p50, p95, f"total {body['count']:,}", ok))

    # S4: every task as CSV, fully downloaded.
    if not csv_export:
        return results + s5(base, api, summary)
    out = Path(tempfile.mkstemp(suffix=".csv")[1])
    times, cpu = [], []
    for i in range(WARMUP + 5):  # 100,000 rows: 5 timed runs, not 20
        before = server.cpu_seconds()
        seconds = curl(f"{base}/nhiem-vu/xuat.csv", web, out)
        if i >= WARMUP:
            times.append(seconds)
            cpu.append(server.cpu_seconds() - before)
    times.sort()
    cpu.sort()
    with out.open(encoding="utf-8-sig") as f:
        lines = sum(1 for _ in csv.reader(f))
    size = out.stat().st_size / 1e6
    results.append(
        (
            "S4 CSV export, 100,000 rows",
            times[2],
            times[-1],
            f"{lines:,} lines {size:.1f} MB, server CPU p50 {cpu[2]:.2f} s "
            f"(ratio CPU/wall {cpu[2] / times[2]:.2f})",
            lines == len(tasks) + 1,
        )
    )

    return results + s5(base, api, summary)


def s5(
    base: str, api: list[str], summary: dict[str, Any]
) -> list[tuple[str, float, float, str, bool]]:
    results = []
    # S5 / S5b: one agency's open work, as lead and as coordinating agency, with the total.
    wants = (
        ("lead", summary["S5_open_tasks_led_by_S04"], "S5 "),
        ("coord", summary["S5b_open_tasks_coordinated_by_S04"], "S5b"),
    )
    for role, want, name in wants:
        p50, p95, out = timed(
            f"{base}/api/v1/tasks?org=S04&role={role}&status=open&limit=100&count=true", api
        )
        body = json.loads(out.read_text())
        ok = body["count"] == want and len(body["items"]) == 100
        results.append(
            (f"{name} S04 open as {role} (JSON)", p50, p95, f"total {body['count']:,}", ok)
        )
    return results


def s6(server: Server, mail_dir: Path, today: dt.date) -> list[tuple[str, float, float, str, bool]]:
    """The morning reminder run as cron runs it: with the province's rules on a Monday (the
    heaviest morning: the weekly digests and the "no deadline" nudges go out too) and on today,
    and with the rules widened to the S6 shape (every open task due within 7 days, overdue
    included) on today."""
    from nhiemvu.reminders.models import Notification, Outbox, ReminderLog, ReminderRule

    results = []
    monday = today - dt.timedelta(days=today.weekday())
    shapes: dict[str, tuple[dt.date, dict[str, Any] | None]] = {
        f"default rules, Monday {monday:%d/%m}": (monday, None),
    }
    if monday != today:
        shapes[f"default rules, {today:%a %d/%m}"] = (today, None)
    shapes["S6 shape"] = (
        today,
        {
            "before": [1, 2, 3, 4, 5],
            "on_day": [0],
            "overdue": [1],
            "escalate_head": None,
            "escalate_office": None,
            "no_deadline": None,
            "monthly_request": None,
            "daily_digest": None,
            "weekly_digest": None,
        },
    )
    # The modules a step imports compiled before the first timed step, as on a server that
    # has run the scheduler before (see Server: the bytecode is kept).
    server.manage("shell", "-c", "import nhiemvu.scheduler, nhiemvu.web.management")
    for name, (day, shape) in shapes.items():
        at = f"{day.isoformat()}T08:00"
        Outbox.objects.all().delete()
        Notification.objects.all().delete()
        ReminderLog.objects.all().delete()
        ReminderRule.objects.all().delete()
        for code, values in (shape or {}).items():
            ReminderRule.objects.create(code=code, enabled=values is not None, values=values or [])
        shutil.rmtree(mail_dir, ignore_errors=True)
        mail_dir.mkdir(parents=True)
        t0 = time.perf_counter()
        cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        server.manage("scheduler", "--once", "--now", at)
        wall = time.perf_counter() - t0
        # The scheduler process's own CPU (user + sys), whatever else the machine is doing.
        cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = cpu1.ru_utime - cpu0.ru_utime + cpu1.ru_stime - cpu0.ru_stime
        messages = sum(
            len(re.findall(r"^Message-ID: ", p.read_text(), re.M)) for p in mail_dir.iterdir()
        )
        # The reminders go out as one message per person (no log row of their own); the
        # digests of the office and the heads are their own messages, counted apart.
        batched = Outbox.objects.filter(log__isnull=True)
        recipients = len(set(batched.values_list("to", flat=True)))
        one_each = batched.count() == recipients
        digests = Outbox.objects.filter(log__isnull=False).count()
        logs = ReminderLog.objects.filter(task__isnull=False)
        lines = sum(len(r) for r in logs.values_list("recipients", flat=True))
        tasks = logs.values("task").distinct().count()
        note = (
            f"CPU {cpu:.2f} s; {tasks:,} tasks, {lines:,} task lines, {messages} e-mails: "
            f"{batched.count()} reminder messages to {recipients} people + {digests} digests"
        )
        results.append((f"S6 scheduler --once, {name}", wall, wall, note, one_each))
    ReminderRule.objects.all().delete()
    return results


def s7(today: dt.date, want: int) -> tuple[str, float, float, str, bool]:
    from django.db import connection

    sql = "SELECT count(*) FROM assignments_assignment WHERE state = 'open' AND deadline < %s"
    times = []
    with connection.cursor() as cursor:
        cursor.execute(sql, [today])
        count = cursor.fetchone()[0]
        for i in range(WARMUP + TIMED):
            cursor.execute("EXPLAIN (ANALYZE) " + sql, [today])
            plan = "\n".join(r[0] for r in cursor.fetchall())
            ms = float(re.search(r"Execution Time: ([\d.]+) ms", plan).group(1))
            if i >= WARMUP:
                times.append(ms / 1000)
    times.sort()
    return (
        "S7 overdue count, EXPLAIN ANALYZE",
        times[9],
        times[18],
        f"count {count:,}",
        count == want,
    )


def load_test(server: Server, cookie: str, connections: int, seconds: int) -> str:
    """S2c: the S2 page under ``connections`` concurrent clients for ``seconds``."""
    url = f"{server.base}/nhiem-vu/?status=open&sort=-assigned_on&size=100"
    # wrk counts a redirect as an answer: make sure the session gets the page itself.
    first = urllib.request.urlopen(urllib.request.Request(url, headers={"Cookie": cookie}))
    if first.url != url or first.read().count(b'class="task-title"') != 100:
        sys.exit(f"S2c: the session does not get the task list (answered {first.url})")
    if shutil.which("wrk"):
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout",
                "30s",
                "--latency",
                "-H",
                f"Cookie: {cookie}",
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        rps = re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)
        p50 = re.search(r"50%\s+(\S+)", out).group(1)
        p99 = re.search(r"99%\s+(\S+)", out).group(1)
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        socket_errors = re.search(r"Socket errors: (.*)", out)
        return (
            f"wrk -c{connections}: {rps} req/s, p50 {p50}, p99 {p99}, "
            f"non-2xx {errors.group(1) if errors else 0}, "
            f"socket errors {socket_errors.group(1) if socket_errors else 0}"
        )
    import http.client

    stop = time.monotonic() + seconds
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def client() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            try:
                conn.request("GET", url, headers={"Cookie": cookie})
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                ok = False
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            with lock:
                latencies.append(time.perf_counter() - t0)
                errors += not ok

    with concurrent.futures.ThreadPoolExecutor(connections) as pool:
        for _ in range(connections):
            pool.submit(client)
    latencies.sort()
    n = len(latencies)
    return (
        f"threaded client -c{connections}: {n / seconds:.1f} req/s, "
        f"p50 {latencies[n // 2] * 1000:.0f} ms, p99 {latencies[int(n * 0.99)] * 1000:.0f} ms, "
        f"errors {errors}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="postgres://postgres@127.0.0.1:5432/nhiemvu_bench_peer")
    parser.add_argument("--reload", action="store_true", help="load the dataset again")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--wrk-seconds", type=int, default=20)
    parser.add_argument("--only", default="", help="comma-separated: http,s6,s7,load")
    parser.add_argument("--tasks", type=int, default=100_000, help="dataset size")
    parser.add_argument("--skip-csv", action="store_true", help="no S4 (a million-row CSV)")
    args = parser.parse_args()
    only = set(filter(None, args.only.split(","))) or {"http", "s6", "s7", "load"}
    ensure_database(args.url)
    os.environ["DATABASE_URL"] = args.url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nhiemvu.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from nhiemvu.accounts.models import ApiKey
    from nhiemvu.accounts.services import apikey_create
    from nhiemvu.assignments.models import Assignment
    from nhiemvu.lib import workdays
    from nhiemvu.orgs.models import Organisation

    call_command("migrate", verbosity=0)
    tasks, summary, agencies = dataset(args.tasks)
    today = workdays.today()
    shift = today - REF_DATE
    loaded_for = (
        Organisation.objects.filter(code="ubnd").values_list("short_name", flat=True).first()
    )
    if args.reload or Assignment.objects.count() != len(tasks) or loaded_for != today.isoformat():
        load(tasks, agencies, shift)
        Organisation.objects.filter(code="ubnd").update(short_name=today.isoformat())
    print(f"today {today} (dataset's 2026-11-01 shifted by {shift.days} days)")
    problems = check_counts(summary)
    from nhiemvu.accounts.models import User

    # A key brings its own user (an office member): the previous run's go with their keys, or
    # every run would add one more recipient to the office's morning reminders (S6).
    ApiKey.objects.all().delete()
    User.objects.filter(username__startswith="api-").delete()
    _key, token = apikey_create(
        actor=User.objects.get(username="office"),
        org=Organisation.objects.get(code="vp"),
        name="bench",
        scope="read",
        role="office",
        rate_per_minute=100_000,
    )
    mail_dir = DATA / "mail"
    server = Server(args.url, args.workers, args.threads, mail_dir)
    rows: list[tuple[str, float, float, str, bool]] = []
    loads = []
    rss = 0.0
    if "http" in only or "load" in only:  # S6 and S7 need no web server
        server.start()
        try:
            cookie = login(server.base)
            if "http" in only:
                rows += scenarios(
                    server, cookie, token, tasks, summary, shift, csv_export=not args.skip_csv
                )
            if "load" in only:
                for connections in (8, 32):
                    loads.append(load_test(server, cookie, connections, args.wrk_seconds))
            rss = server.rss_mb()
        finally:
            server.stop()
    if "s6" in only:
        rows += s6(server, mail_dir, today)
    if "s7" in only:
        rows.append(s7(today, summary["classes"]["overdue"]))
    print(
        f"\ngunicorn {args.workers} processes × {args.threads} threads (gthread), PostgreSQL, "
        f"production settings; reads as the office (session for HTML/CSV, API key for JSON)"
    )
    print(f"{'scenario':42} {'p50 s':>8} {'p95 s':>8} {'peer p50':>8} {'ratio':>6}  check")
    for name, p50, p95, note, ok in rows:
        peer = PEER.get(name.split()[0], 0.0)
        ratio = f"{p50 / peer:6.2f}" if peer else "     —"
        print(
            f"{name:42} {p50:8.4f} {p95:8.4f} {peer or '—':>8} {ratio}  "
            f"{'ok' if ok else 'FAILED'}: {note}"
        )
        problems += [] if ok else [name]
    for line in loads:
        print("S2c", line)
    if "http" in only or "load" in only:
        print(f"server resident memory after the run: {rss:.0f} MB (2 workers + master)")
    if problems:
        print("FAILED:", "; ".join(problems))
        sys.exit(1)


if __name__ == "__main__":
    main()
