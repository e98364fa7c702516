"""manage.py upgrade: after the new release's code is in place, back up, migrate, check, and say
how to roll back (issue 31 item 2).

1. The migrations to apply are listed; one that would hold a big table locked for long on
   PostgreSQL (web/migrationlocks.py) stops the upgrade unless --allow-locks (a maintenance
   window: stop the web service first).
2. A backup (web/backup.py, sealed when NHIEMVU_BACKUP_KEY is set): the way back.
3. `migrate`, then /readyz's checks: the database answers and every migration is applied (the
   scheduler's and the outbox's checks are reported; they pass once the services run again).
4. How to roll back: the backup's file and, for each app migrated, the migration it was at.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

from nhiemvu.web import health, migrationlocks
from nhiemvu.web.backup import BackupError, backup
from nhiemvu.web.models import Duty

# Must pass after the migration; the others need the scheduler running, which an upgrade stops.
REQUIRED = ("database", "migrations")


class Command(BaseCommand):
    help = "Upgrade the database to this code: back up, migrate, check; says how to roll back."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-locks",
            action="store_true",
            help="apply migrations that lock a big table for long (in a maintenance window)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        pending = [f"{m.app_label}.{m.name}" for m, _backwards in plan]
        before = self._positions(executor, {m.app_label for m, _b in plan})
        self.stdout.write(
            _("Migrations to apply: %(n)s") % {"n": len(pending)}
            + "".join(f"\n  {name}" for name in pending)
        )
        locking = [f for f in migrationlocks.findings(skip=set()) if f.migration in pending]
        if locking:
            listed = "\n".join(f"  {f}" for f in locking)
            if not options["allow_locks"]:
                raise CommandError(
                    _(
                        "These migrations would lock a large table for a long time:\n%(list)s\n"
                        "Stop the web service and run again with --allow-locks, in a "
                        "maintenance window. Nothing was changed."
                    )
                    % {"list": listed}
                )
            self.stdout.write(_("Applied although they lock a large table:") + "\n" + listed)
        try:
            written = backup()
        except BackupError as exc:
            raise CommandError(
                _("The backup failed, nothing was migrated: %(error)s") % {"error": exc}
            ) from exc
        health.beat(Duty.BACKUP, done=1)
        self.stdout.write(_("Backup: %(file)s") % {"file": written[0]})
        call_command("migrate", interactive=False, verbosity=options["verbosity"])
        health._migrated = False
        verdicts = health.readiness()
        self.stdout.write(self._rollback(written[0], before))
        failed = [name for name in REQUIRED if not verdicts.get(name)]
        if failed:
            raise CommandError(
                _("Checks failed after the migration: %(checks)s. Roll back as above.")
                % {"checks": ", ".join(failed)}
            )
        waiting = [name for name, ok in verdicts.items() if not ok]
        if waiting:
            self.stdout.write(
                _("Not ready yet (they pass once the services run again): %(checks)s")
                % {"checks": ", ".join(waiting)}
            )
        self.stdout.write(self.style.SUCCESS(_("Upgrade done: database and migrations ready.")))

    @staticmethod
    def _positions(executor: MigrationExecutor, apps: set[str]) -> dict[str, str]:
        """For each app about to be migrated, its last applied migration ("zero" when none)."""
        applied = executor.loader.applied_migrations or {}
        positions = {}
        for app in sorted(apps):
            names = [
                name
                for (label, name) in executor.loader.graph.nodes
                if label == app and (label, name) in applied
            ]
            positions[app] = max(names) if names else "zero"
        return positions

    @staticmethod
    def _rollback(backup_file: Any, before: dict[str, str]) -> str:
        lines = [
            _("To roll back:"),
            _("  1. stop the web, worker and scheduler services;"),
            _("  2. put back the previous release's code (git checkout <previous tag>);"),
            _(
                "  3. manage.py restore %(file)s --yes (the database and files as they were "
                "before this upgrade; what was written since is lost);"
            )
            % {"file": backup_file},
            _("  4. start the services."),
        ]
        if before:
            lines.append(
                _(
                    "Or, while nothing was written since and each migration can be reversed "
                    "(with this release's code, before step 2):"
                )
            )
            lines += [f"  manage.py migrate {app} {name}" for app, name in before.items()]
        return "\n".join(lines)
