"""Signing in through the province's single sign-on portal (OpenID Connect), issue 30.

django-allauth runs the protocol: discovery, the state (one use, kept in the session), PKCE, the
code exchange and the id token's issuer and audience. Two things it does not do are done here:
a nonce is asked for and checked against the id token (allauth sends none), and the raw id token
is kept in the session so that logging out ends the portal's session too (RP-initiated logout).

Who the person is here is not decided here: the claims become an ``mapping.Identity`` and the one
home of the province's rules (accounts/mapping.py) resolves and provisions them, or refuses them
with words saying whom to ask; a refused person gets that page and no session.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from allauth.account.internal.decorators import login_not_required
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from requests import RequestException

from nhiemvu.accounts import mapping

log = logging.getLogger(__name__)

PROVIDER_ID = "tinh"  # the one portal; its URLs are /tai-khoan/oidc/tinh/login/(callback/)
# What the session keeps of a portal sign-in: the id token, sent back as the logout's hint.
ID_TOKEN_KEY = "nhiemvu_oidc_id_token"


def enabled() -> bool:
    return bool(getattr(settings, "OIDC_ISSUER", ""))


def login_url() -> str:
    """The login page's button posts here; empty when no portal is configured."""
    return reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID}) if enabled() else ""


class ProvinceProvider(OpenIDConnectProvider):
    """allauth's OpenID Connect provider asking a nonce, kept with the state until the callback
    (SOCIALACCOUNT_PROVIDERS' provider_class)."""

    def redirect(
        self,
        request: HttpRequest,
        process: Any,
        next_url: str | None = None,
        data: Any = None,
        **kwargs: Any,
    ) -> HttpResponse:
        nonce = secrets.token_urlsafe(32)
        auth_params = kwargs.pop("auth_params", None)
        if auth_params is None:
            auth_params = self.get_auth_params()
        auth_params["nonce"] = nonce
        # Extra keyword arguments are stashed with the state (providers.base stash_redirect_state).
        return super().redirect(
            request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs
        )


class _Adapter(OpenIDConnectOAuth2Adapter):
    def complete_login(self, request: HttpRequest, app: Any, token: Any, **kwargs: Any) -> Any:
        login = super().complete_login(request, app, token, **kwargs)
        # The raw id token, for the logout's id_token_hint; it rides on the login object to
        # pre_social_login and is put in the session only if the person is let in.
        login.nhiemvu_id_token = kwargs["response"].get("id_token", "")
        return login


@login_not_required
def login_view(request: HttpRequest, provider_id: str) -> HttpResponse:
    try:
        return OAuth2LoginView.adapter_view(_Adapter(request, provider_id))(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None


@login_not_required
def callback_view(request: HttpRequest, provider_id: str) -> HttpResponse:
    try:
        return OAuth2CallbackView.adapter_view(_Adapter(request, provider_id))(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None


def _values(value: Any) -> tuple[str, ...]:
    if value is None or isinstance(value, dict):
        return ()
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value if v is not None and not isinstance(v, dict))
    return (str(value),)


def identity_from(claims: Mapping[str, Any], uid: str) -> mapping.Identity:
    """What the portal says of the person (the id token and userinfo merged, userinfo last)."""
    name = claims.get("name") or " ".join(
        str(p) for p in (claims.get("family_name"), claims.get("given_name")) if p
    )
    return mapping.Identity(
        source="oidc",
        subject=uid,
        username=str(claims.get("preferred_username") or uid),
        email=str(claims.get("email") or ""),
        full_name=str(name or ""),
        claims={key: _values(value) for key, value in claims.items()},
    )


def _claims(sociallogin: SocialLogin) -> tuple[dict[str, Any], dict[str, Any]]:
    extra = sociallogin.account.extra_data or {}
    id_token = extra.get("id_token") or {}
    return id_token, {**id_token, **(extra.get("userinfo") or {})}


def refused_page(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "accounts/sso_refused.html", {"message": message}, status=403)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Every portal sign-in goes through the province's rules; nobody signs up by themselves."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        id_token, claims = _claims(sociallogin)
        expected = sociallogin.state.get("nonce") or ""
        if not expected or not secrets.compare_digest(str(id_token.get("nonce", "")), expected):
            # A replayed or injected id token: the callback shows the sign-in error page.
            log.warning("OIDC sign-in refused: the id token's nonce is not the one asked for")
            raise PermissionDenied("nonce")
        identity = identity_from(claims, sociallogin.account.uid)
        resolution = mapping.resolve(identity)
        try:
            user = mapping.provision(identity, resolution)
        except mapping.Refused as refused:
            log.info("OIDC sign-in refused for %s: %s", identity.subject, resolution.reason)
            raise ImmediateHttpResponse(refused_page(request, refused.message)) from None
        # accounts.mapping's link (source, subject) decides who the person is; allauth's own
        # link follows it.
        if sociallogin.is_existing:
            if sociallogin.account.user_id != user.pk:
                sociallogin.account.user = user
                sociallogin.account.save(update_fields=["user"])
            sociallogin.user = user
        else:
            sociallogin.connect(request, user)
        request.session[ID_TOKEN_KEY] = getattr(sociallogin, "nhiemvu_id_token", "") or "-"


def end_session_url(request: HttpRequest, id_token: str) -> str:
    """Where to send the browser so the portal ends its session too: its end_session_endpoint
    (discovery) with our login page to come back to; empty when it offers none, when the setting
    turns it off, or when the portal cannot be reached (the local logout stands)."""
    try:
        adapter = _Adapter(request, PROVIDER_ID)
        app = adapter.get_provider().app
        if not app.settings.get("end_session", True):
            return ""
        endpoint = adapter.openid_config.get("end_session_endpoint")
    except (SocialApp.DoesNotExist, RequestException, ValueError) as error:
        log.warning("OIDC logout: the portal's configuration could not be read: %s", error)
        return ""
    if not endpoint:
        return ""
    params = {
        "client_id": app.client_id,
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
    }
    if id_token and id_token != "-":
        params["id_token_hint"] = id_token
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(params)}"
