"""The test portal's URLs (its login page, the OIDC endpoints under /o/) and the claims it
gives: those of the people file, beside the standard ones."""

from __future__ import annotations

import json
import os
from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import include, path
from oauth2_provider.oauth2_validators import OAuth2Validator


def people() -> dict[str, dict[str, Any]]:
    with open(os.environ["PORTAL_PEOPLE"], encoding="utf-8") as handle:
        data: dict[str, dict[str, Any]] = json.load(handle)
    return data


class Validator(OAuth2Validator):
    # Every claim the people file gives, whatever scope asked for it (org_code, groups, …).
    oidc_claim_scope = None

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        person = people()[request.user.username]
        return {"preferred_username": request.user.username, **person["claims"]}


urlpatterns = [
    # A browser asks every site for one; a 404 would be an error in the browser tests' console.
    path("favicon.ico", lambda request: HttpResponse(status=204)),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
