from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from nhiemvu.accounts.views import LoginView, LogoutView
from nhiemvu.api import mount, redoc

admin.site.site_header = "nhiemvu — Quản trị"
admin.site.site_title = "nhiemvu"

urlpatterns = [
    path("", include("nhiemvu.web.urls")),
    path("dang-nhap/", LoginView.as_view(), name="login"),
    path("dang-xuat/", LogoutView.as_view(), name="logout"),
    # The second factor and the province's portal (issue 30): allauth's pages that we use.
    path("tai-khoan/", include("nhiemvu.accounts.urls")),
    # The admin site's own login would open a session without the second factor: ours serves.
    path(
        "quan-tri/login/",
        RedirectView.as_view(pattern_name="login", query_string=True),
        name="admin_login_redirect",
    ),
    path("mat-khau/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "mat-khau/xong/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    # Password reset by e-mail: the same answer whether or not the address is known.
    path(
        "quen-mat-khau/",
        auth_views.PasswordResetView.as_view(
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
        ),
        name="password_reset",
    ),
    path(
        "quen-mat-khau/da-gui/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "quen-mat-khau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "quen-mat-khau/xong/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("api/v1/redoc", redoc, name="api_redoc"),
    path("api/v1/", mount().urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
]
