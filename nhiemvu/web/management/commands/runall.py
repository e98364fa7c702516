"""Run web, worker and scheduler together for a local installation (the README's first command).

In production each runs as its own service (gunicorn, `manage.py worker`,
`manage.py scheduler --loop`), as many of each as needed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import get_commands
from django.core.management.base import BaseCommand

from nhiemvu.web.demo.organisations import USERS
from nhiemvu.web.demo.steps import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Run the web server, the task worker and the scheduler in one terminal."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args: Any, **options: Any) -> None:
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        address = f"{options['host']}:{options['port']}"
        commands = {"web": [*manage, "runserver", "--noreload", address]}
        available = get_commands()
        if "worker" in available:
            commands["worker"] = [*manage, "worker"]
        if "scheduler" in available:
            commands["scheduler"] = [*manage, "scheduler", "--loop"]
        # E-mail links name the address the site is served on (unless SITE_URL says otherwise).
        env = dict(os.environ)
        if not env.get("SITE_URL"):
            shown_host = "127.0.0.1" if options["host"] in ("0.0.0.0", "::") else options["host"]
            env["SITE_URL"] = f"http://{shown_host}:{options['port']}"
        processes = {name: subprocess.Popen(cmd, env=env) for name, cmd in commands.items()}
        self.stdout.write(self.style.SUCCESS(f"\nnhiemvu: http://{address}/"))
        self.stdout.write(
            f"Running: {', '.join(processes)}. Demo logins (password {DEMO_PASSWORD}):"
        )
        for username, full_name, org, role, _title in USERS:
            self.stdout.write(f"  {username:<14} {role:<14} {org:<12} {full_name}")
        self.stdout.write("Press Ctrl+C to stop.\n")
        stopping = False

        def stop(*_args: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while not stopping:
                for name, process in processes.items():
                    if process.poll() is not None:
                        self.stderr.write(f"{name} exited with {process.returncode}; stopping.")
                        stopping = True
                time.sleep(0.5)
        finally:
            for process in processes.values():
                if process.poll() is None:
                    process.terminate()
            for process in processes.values():
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
