"""Accounts from the province's directory (issue 30).

manage.py accounts sync             deactivate who left, apply moves; print the counts
manage.py accounts sync --create    also open accounts for listed people who never signed in
manage.py accounts sync --dry-run   the same counts, nothing kept
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from nhiemvu.accounts.ldap import SYNC_COUNTS, DirectoryError, sync


def _labels() -> dict[str, str]:
    return {
        "listed": _("people listed in the directory"),
        "unchanged": _("unchanged"),
        "moved": _("moved (membership changed)"),
        "returned": _("listed again (reactivated)"),
        "created": _("accounts opened"),
        "new": _("listed, not yet signed in"),
        "left": _("left the directory (deactivated)"),
        "refused": _("no longer placed by the rules (deactivated)"),
        "unmapped": _("placed by no rule (no account)"),
        "skipped": _("skipped (a local account of the same name, or disabled by hand)"),
    }


class Command(BaseCommand):
    help = "Bring the directory's accounts in line with the directory (LDAP)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("sync", help="read the directory and apply what changed")
        run.add_argument("--dry-run", action="store_true", help="count, change nothing")
        run.add_argument(
            "--create", action="store_true", help="open accounts for people not yet signed in"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = sync(create=options["create"], dry_run=options["dry_run"])
        except DirectoryError as error:
            raise CommandError(
                _("The directory could not be read; nothing was changed: %(error)s")
                % {"error": error}
            ) from error
        labels = _labels()
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was changed."))
        for key in SYNC_COUNTS:
            self.stdout.write(f"{labels[key]}: {counts.get(key, 0)}")
