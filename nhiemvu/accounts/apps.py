from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


def account_rules_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from nhiemvu.accounts.mapping import rule_errors

    return [
        checks.Error(f"NHIEMVU_ACCOUNT_RULES: {error}", id="nhiemvu.accounts.E001")
        for error in rule_errors()
    ]


class AccountsConfig(AppConfig):
    name = "nhiemvu.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        checks.register(account_rules_check)
        # Connects the audit of second factors to allauth's signals (before any request).
        from nhiemvu.accounts import twofactor  # noqa: F401
