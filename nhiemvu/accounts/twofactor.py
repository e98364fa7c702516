"""The second factor (issue 30 item 4): who must have one, when it is asked, enrolment first.

allauth.mfa keeps the factors (TOTP, recovery codes) and asks for one during a sign-in it runs;
our login page hands a correct password to that flow (accounts/views.py), so a person with a
factor is asked for it before the session opens. Here, once:

- ``required_for``: the roles in NHIEMVU_MFA_REQUIRED_ROLES (default: the office, the Working
  Group, administrators; a superuser counts as an administrator) must have a factor;
- a sign-in through the province's portal is not asked for ours: the portal authenticates the
  person (with its own second factor where the province requires one), and asking twice would
  only teach people to type codes anywhere (README, "Đăng nhập một lần");
- ``EnrolmentMiddleware``: a person who must have a factor, signed in with a password and has
  none is sent to enrol before any other page.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.mfa import signals
from allauth.mfa.models import Authenticator
from allauth.mfa.stages import AuthenticateStage
from allauth.mfa.utils import is_mfa_enabled
from allauth.mfa.webauthn.forms import AddWebAuthnForm, AuthenticateWebAuthnForm
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext, gettext_noop

from nhiemvu.audit.services import record
from nhiemvu.orgs.models import Role
from nhiemvu.orgs.rules import scope_of

FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]

# allauth has no Vietnamese catalogue: the words of its forms that our pages show are kept in
# ours (named here so that `make messages` keeps them; our catalogue comes first).
ALLAUTH_WORDS = (
    gettext_noop("Incorrect code."),
    gettext_noop("Incorrect password."),
    gettext_noop("Authenticator code"),
    gettext_noop("Code"),
)


def required_for(user: Any) -> bool:
    """Whether ``user``'s roles oblige them to have a second factor."""
    roles = set(scope_of(user).roles)
    if getattr(user, "is_superuser", False):
        roles.add(Role.ADMIN)
    return bool(roles & set(settings.NHIEMVU_MFA_REQUIRED_ROLES))


def signed_in_with_password(request: HttpRequest) -> bool:
    """This session was opened by a password typed here (allauth's record of the sign-in), not
    through the portal."""
    methods = {r.get("method") for r in get_authentication_records(request, request.user)}
    return "password" in methods and "socialaccount" not in methods


def must_enrol(request: HttpRequest) -> bool:
    user = request.user
    return (
        user.is_authenticated
        and signed_in_with_password(request)
        and required_for(user)
        and not is_mfa_enabled(user, FACTORS)
    )


# What a person on their way to enrol may still open: the enrolment itself (an app or a key),
# the codes it gives, confirming their password again, logging out, the language.
ENROLMENT_PAGES = frozenset(
    {
        "mfa_activate_totp",
        # A security key does instead of the app (a key needs no phone).
        "mfa_add_webauthn",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_index",
        "mfa_reauthenticate",
        "account_reauthenticate",
        "logout",
        "account_logout",
        "set_language",
    }
)


# A second factor added, removed or its recovery codes made anew is a change to how the person
# signs in: audited like any other (allauth's signals, sent once its own transaction commits).
FACTOR_EVENTS = {
    signals.authenticator_added: "account.factor_add",
    signals.authenticator_removed: "account.factor_remove",
    signals.authenticator_reset: "account.factor_reset",
}


def _audit_factor(signal: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    with transaction.atomic():
        record(
            actor=user,
            action=FACTOR_EVENTS[signal],
            target=user,
            after={"type": authenticator.type},
        )


for _signal in FACTOR_EVENTS:
    _signal.connect(_audit_factor, dispatch_uid=f"nhiemvu-audit-{FACTOR_EVENTS[_signal]}")


class EnrolmentMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if must_enrol(request):
            try:
                name = resolve(request.path_info).url_name
            except Resolver404:
                name = None
            if name not in ENROLMENT_PAGES:
                return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


class PasswordSignInStage(AuthenticateStage):
    """allauth's "enter your code" step, for password sign-ins only (see the module's note)."""

    def _should_handle(self, request: HttpRequest) -> bool:
        if (self.login.signal_kwargs or {}).get("sociallogin") is not None:
            return False
        return super()._should_handle(request)


class AccountAdapter(DefaultAccountAdapter):
    """allauth's account side, reduced to what the second factor and the portal need: no
    sign-up, our login page, no English "signed in as" messages."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_login_stages(self) -> list[str]:
        return [
            "nhiemvu.accounts.twofactor.PasswordSignInStage"
            if path == "allauth.mfa.stages.AuthenticateStage"
            else path
            for path in super().get_login_stages()
        ]

    def add_message(
        self,
        request: HttpRequest,
        level: int,
        message_template: str | None = None,
        message_context: dict[str, Any] | None = None,
        extra_tags: str = "",
        message: str | None = None,
    ) -> None:
        # Our pages never said "signed in" or "signed out"; the factor's own messages are
        # templates overridden in Vietnamese (templates/mfa/messages/).
        if message_template and message_template.startswith("account/messages/"):
            return
        super().add_message(request, level, message_template, message_context, extra_tags, message)

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        # A person who signed in minutes ago (password or portal) and is sent to enrol is not
        # asked to confirm it is them again; later changes to a factor are (allauth's rule).
        request = self.request or context.request
        if request is not None and request.user.is_authenticated:
            window = account_settings.REAUTHENTICATION_TIMEOUT
            records = get_authentication_records(request, request.user)
            if any(time.time() - r.get("at", 0) < window for r in records):
                return False
        return bool(super().is_reauthentication_required(app=app, **kwargs))

    def login(self, request: HttpRequest, user: Any) -> None:
        if not hasattr(user, "backend"):
            # A portal sign-in authenticated no backend: the model backend loads the person
            # on later requests (allauth would pick the first backend with get_user).
            user.backend = "django.contrib.auth.backends.ModelBackend"
        super().login(request, user)


# A security key's answer is JSON the browser posts; allauth reads it assuming the shape a
# browser gives, and a malformed one (a missing field, a wrong type) ends in a server error
# (KeyError from fido2). Here any answer that cannot be read is the key not answering: the
# form says so and nothing is stored. (settings_signin.MFA_FORMS)
UNREADABLE_ANSWER = (KeyError, TypeError, ValueError, AttributeError)


def _unreadable(error: Exception) -> ValidationError:
    return ValidationError(gettext("The key's answer could not be read. Try again."))


class AddKeyForm(AddWebAuthnForm):
    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except UNREADABLE_ANSWER as error:
            raise _unreadable(error) from error


class KeyAuthenticateForm(AuthenticateWebAuthnForm):
    def clean_credential(self) -> Any:
        try:
            return super().clean_credential()
        except UNREADABLE_ANSWER as error:
            raise _unreadable(error) from error


# A security key's pages are addressed by an opaque code, not the key's row number (DESIGN rule 3:
# no page address carries a sequential id; allauth's own routes use <int:pk>). The code is a keyed
# hash of the row, resolved only among the signed-in person's own keys.
_KEY_CODE_SALT = "nhiemvu.accounts.twofactor.key"


def key_code(pk: int) -> str:
    return salted_hmac(_KEY_CODE_SALT, str(pk), algorithm="sha256").hexdigest()[:20]


def own_key(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """allauth's key view (remove, rename) for the person's key whose code is in the address."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, code: str) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        keys = Authenticator.objects.filter(
            user=request.user, type=Authenticator.Type.WEBAUTHN
        ).values_list("pk", flat=True)
        for pk in keys:
            if constant_time_compare(key_code(pk), code):
                return view(request, pk=pk)
        raise Http404

    return wrapped
