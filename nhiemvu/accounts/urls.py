"""allauth's pages that we use (the second factor, the portal's sign-in), under /tai-khoan/.

Not allauth.urls: its own login, sign-up and password pages are not offered (our login page,
lockout and password reset stay, accounts/views.py); the names allauth reverses for them lead to
ours.
"""

from __future__ import annotations

from allauth.account import views as allauth_views
from allauth.socialaccount import views as social_views
from django.urls import include, path
from django.views.generic import RedirectView

from nhiemvu.accounts import oidc, views

urlpatterns = [
    path("2fa/", include("allauth.mfa.urls")),
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
