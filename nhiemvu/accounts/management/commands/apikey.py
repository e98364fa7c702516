"""API keys for scripts: create (the key is printed once), revoke, list.

manage.py apikey create --org so-khcn --scope write --name "QLVB Sở KH&CN"
manage.py apikey revoke PREFIX
manage.py apikey list
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from nhiemvu.accounts.models import ApiKey
from nhiemvu.accounts.services import KEY_ROLES, apikey_create, apikey_revoke
from nhiemvu.orgs.models import Organisation


class Command(BaseCommand):
    help = "Create, revoke or list API keys."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("--org", required=True, help="organisation code")
        create.add_argument("--scope", required=True, choices=["read", "write"])
        create.add_argument("--name", default="", help="the system that will use the key")
        create.add_argument("--role", choices=[r.value for r in KEY_ROLES])
        create.add_argument("--rate", type=int, default=120, help="requests per minute")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("prefix")
        sub.add_parser("list")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            org = Organisation.objects.filter(code=options["org"]).first()
            if org is None:
                raise CommandError(f"Không có cơ quan mã “{options['org']}”.")
            try:
                key, plaintext = apikey_create(
                    actor=None,
                    org=org,
                    scope=options["scope"],
                    name=options["name"] or f"Hệ thống của {org.name}",
                    role=options["role"],
                    rate_per_minute=options["rate"],
                )
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            # The only place the secret ever appears: stdout, for the script to keep.
            self.stdout.write(plaintext)
        elif action == "revoke":
            found = ApiKey.objects.filter(prefix=options["prefix"]).first()
            if found is None:
                raise CommandError(f"Không có khoá API “{options['prefix']}”.")
            apikey_revoke(actor=None, key=found)
            self.stdout.write(f"Đã thu hồi {found}")
        else:
            for key in ApiKey.objects.select_related("org"):
                state = "thu hồi" if key.revoked_at else "hiệu lực"
                self.stdout.write(f"{key.prefix}\t{key.org.code}\t{key.scope}\t{state}\t{key.name}")
