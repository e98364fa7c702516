from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from nhiemvu.orgs.models import Membership
from nhiemvu.orgs.rules import scope_of
from nhiemvu.reminders.models import Notification


def shell(request: HttpRequest) -> dict[str, Any]:
    """The header's organisation and role for every page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"province_name": settings.NHIEMVU["PROVINCE_NAME"]}
    scope = scope_of(user)  # read by the view already, with the memberships
    if scope.memberships is not None:
        memberships = list(scope.memberships[:5])
    else:
        memberships = list(Membership.objects.filter(user=user).select_related("org")[:5])
    return {
        "province_name": settings.NHIEMVU["PROVINCE_NAME"],
        "memberships": memberships,
        "scope": scope,
        # The bell: counted lazily, so pages that do not render the header pay nothing.
        "unread": lambda: Notification.objects.filter(user=user, read_at__isnull=True).count(),
    }
