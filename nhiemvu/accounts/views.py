from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

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
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from axes.helpers import get_client_ip_address

        if sprayed_from(get_client_ip_address(request)):
            return render(
                request, settings.AXES_LOCKOUT_TEMPLATE, {"address_locked": True}, status=429
            )
        return super().post(request, *args, **kwargs)
