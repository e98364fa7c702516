"""The login page's form: Django's, saying why a directory person was refused (issue 30)."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from nhiemvu.accounts.ldap import REFUSAL_ATTR


class LoginForm(AuthenticationForm):
    def get_invalid_login_error(self) -> ValidationError:
        # The directory knew the person and their password, but the rules place them nowhere:
        # "wrong password" would send them to reset a password that is right. Said only after
        # a successful bind, so it tells nothing to someone guessing passwords.
        refusal = getattr(self.request, REFUSAL_ATTR, "") if self.request else ""
        if refusal:
            return ValidationError(refusal, code="refused")
        return super().get_invalid_login_error()
