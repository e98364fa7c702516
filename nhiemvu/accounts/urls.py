"""allauth's pages that we use (the second factor, the portal's sign-in), under /tai-khoan/.

Not allauth.urls: its own login, sign-up and password pages are not offered (our login page,
lockout and password reset stay, accounts/views.py); the names allauth reverses for them lead to
ours.
"""

from __future__ import annotations

from allauth.account import views as allauth_views
from allauth.mfa import urls as mfa_urls
from allauth.mfa.webauthn import urls as webauthn_urls
from allauth.mfa.webauthn import views as webauthn_views
from allauth.socialaccount import views as social_views
from django.urls import URLPattern, URLResolver, include, path
from django.views.generic import RedirectView

from nhiemvu.accounts import oidc, twofactor, views


def _webauthn() -> list[URLPattern | URLResolver]:
    """allauth's key pages, a key addressed by its opaque code instead of keys/<int:pk>/."""
    kept = [p for p in webauthn_urls.urlpatterns if not str(p.pattern).startswith("keys/")]
    return [
        *kept,
        path(
            "khoa/<str:code>/go/",
            twofactor.own_key(webauthn_views.remove_webauthn),
            name="mfa_remove_webauthn",
        ),
        path(
            "khoa/<str:code>/doi-ten/",
            twofactor.own_key(webauthn_views.edit_webauthn),
            name="mfa_edit_webauthn",
        ),
    ]


_mfa = [
    path("webauthn/", include(_webauthn())) if str(p.pattern) == "webauthn/" else p
    for p in mfa_urls.urlpatterns
]

urlpatterns = [
    path("2fa/", include(_mfa)),
    path("oidc/<str:provider_id>/login/", oidc.login_view, name="openid_connect_login"),
    path(
        "oidc/<str:provider_id>/login/callback/",
        oidc.callback_view,
        name="openid_connect_callback",
    ),
    path("oidc/huy/", social_views.login_cancelled, name="socialaccount_login_cancelled"),
    path("oidc/loi/", social_views.login_error, name="socialaccount_login_error"),
    path("xac-thuc-lai/", allauth_views.reauthenticate, name="account_reauthenticate"),
    path("bi-khoa/", views.refused, name="account_inactive"),
    path(
        "dang-nhap/",
        RedirectView.as_view(pattern_name="login", query_string=True),
        name="account_login",
    ),
    path("dang-xuat/", views.LogoutView.as_view(), name="account_logout"),
]
