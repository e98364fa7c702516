"""deploy/ agrees with the application (issue 31 item 1): the proxy's upload bound with the
application's, the units' commands with the commands that exist, the proxy's address with the
one the application trusts. (`deploy/check.sh` loads the files with systemd and nginx.)"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands
from django.test import SimpleTestCase
from django.urls import reverse

from nhiemvu.web.middleware import _BODY_MARGIN

DEPLOY = Path(settings.BASE_DIR) / "deploy"
MB = 1024 * 1024


def units() -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted((DEPLOY / "systemd").glob("nhiemvu-*"))}


class DeployTest(SimpleTestCase):
    def test_nginx_lets_through_every_body_the_application_answers_itself(self) -> None:
        # A body the application would take, or refuse with its own Vietnamese message, must
        # reach it; nginx's English 413 is only for what is well beyond.
        site = (DEPLOY / "nginx" / "nhiemvu.conf").read_text()
        (size, legacy) = re.findall(r"^\s*client_max_body_size (\d+)m;", site, re.M)
        bound = settings.MAX_UPLOAD_BYTES + _BODY_MARGIN
        self.assertGreaterEqual(int(size) * MB, bound)
        self.assertLessEqual(int(size) * MB, bound + 2 * MB)
        # The switch-over page's own bound (export + zip in one request), on its location.
        self.assertIn("location = " + reverse("legacy_home") + " {", site)
        self.assertGreaterEqual(int(legacy) * MB, settings.LEGACY_UPLOAD_MAX_BYTES)
        self.assertLessEqual(int(legacy) * MB, settings.LEGACY_UPLOAD_MAX_BYTES + 2 * MB)

    def test_the_units_run_commands_that_exist_as_the_unprivileged_user(self) -> None:
        commands = get_commands()
        services = {n: t for n, t in units().items() if n.endswith(".service")}
        self.assertEqual(
            set(services),
            {
                "nhiemvu-web.service",
                "nhiemvu-worker.service",
                "nhiemvu-scheduler.service",
                "nhiemvu-backup.service",
            },
        )
        for name, text in services.items():
            self.assertIn("\nUser=nhiemvu\n", text, name)
            self.assertIn("\nEnvironmentFile=/etc/nhiemvu/env\n", text, name)
            self.assertIn("\nNoNewPrivileges=yes\n", text, name)
            self.assertIn("\nProtectSystem=strict\n", text, name)
            self.assertIn("\nReadWritePaths=/var/lib/nhiemvu\n", text, name)
            self.assertIn("\nPrivateTmp=yes\n", text, name)
            (exec_start,) = re.findall(r"^ExecStart=(.+)$", text, re.M)
            argv = shlex.split(exec_start)
            if argv[1:2] == ["manage.py"]:
                self.assertIn(argv[2], commands, name)
            if name != "nhiemvu-backup.service":
                self.assertIn("\nRestart=on-failure\n", text, name)
                self.assertIn("\nMemoryMax=", text, name)

    def test_the_sample_env_trusts_the_proxy_the_site_proxies_from(self) -> None:
        env = (DEPLOY / "systemd" / "env.example").read_text()
        self.assertIn("NHIEMVU_TRUSTED_PROXIES=127.0.0.1", env)
        site = (DEPLOY / "nginx" / "nhiemvu.conf").read_text()
        self.assertIn("server 127.0.0.1:8000;", site)
        self.assertIn("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;", site)
