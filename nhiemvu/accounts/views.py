from __future__ import annotations

import datetime as dt
from typing import Any

from allauth.account.internal.flows.login import perform_password_login
from allauth.account.models import Login
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from nhiemvu.accounts import mapping, oidc
from nhiemvu.accounts.forms import LoginForm
from nhiemvu.lib import workdays


def sprayed_from(ip: str | None) -> bool:
    """Password spraying: one or two wrong passwords on each of many accounts from one address.

    django-axes locks a (user, address) pair after AXES_FAILURE_LIMIT failures, which spraying
    never reaches. An address that has failed on NHIEMVU_LOGIN_IP_USERNAMES different accounts
    within the axes cool-off window is refused for every account until the window passes.
    Counted from axes' own rows, so it holds across processes and machines."""
    if not ip:
        return False
    from axes.models import AccessAttempt

    since = workdays.now() - dt.timedelta(hours=settings.AXES_COOLOFF_TIME)
    accounts = (
        AccessAttempt.objects.filter(ip_address=ip, attempt_time__gte=since)
        .values("username")
        .distinct()
        .count()
    )
    return accounts >= settings.NHIEMVU_LOGIN_IP_USERNAMES


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm  # a refused directory person is told why (issue 30)
    """Our login page: local accounts (and the directory's, when configured) with the lockout;
    a correct password is handed to allauth's sign-in flow, which asks for the second factor
    when the person has one (accounts/twofactor.py). The province's portal, when configured,
    is a button here (accounts/oidc.py)."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["oidc_login_url"] = oidc.login_url()
        return context

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        login = Login(user=user, redirect_url=self.get_success_url())
        return perform_password_login(self.request, {"username": user.get_username()}, login)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from axes.helpers import get_client_ip_address

        if sprayed_from(get_client_ip_address(request)):
            return render(
                request, settings.AXES_LOCKOUT_TEMPLATE, {"address_locked": True}, status=429
            )
        return super().post(request, *args, **kwargs)


class LogoutView(auth_views.LogoutView):
    """Ends our session and, after a portal sign-in, the portal's too where it offers an
    end_session_endpoint: the browser goes there and comes back to our login page."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        id_token = request.session.get(oidc.ID_TOKEN_KEY)
        response = super().post(request, *args, **kwargs)
        if id_token:
            url = oidc.end_session_url(request, id_token)
            if url:
                return HttpResponseRedirect(url)
        return response


def refused(request: HttpRequest) -> HttpResponse:
    """Allauth's "account inactive" step: a deactivated person (one who left the directory)."""
    return oidc.refused_page(
        request,
        _("Your account here has been disabled. Ask %(contact)s.") % {"contact": mapping.contact()},
    )
