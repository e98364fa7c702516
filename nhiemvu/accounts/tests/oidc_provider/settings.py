"""A province's single sign-on portal for the tests: django-oauth-toolkit's OpenID Connect
provider in its own process, own database and own settings (never the system's).

Started by ``Provider`` (``__init__.py``) with the environment below; the people it knows, their
passwords and claims come from a JSON file (PORTAL_PEOPLE)."""

from __future__ import annotations

import os

SECRET_KEY = "oidc-test-provider-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "nhiemvu.accounts.tests.oidc_provider.urls"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {
            "loaders": [
                (
                    "django.template.loaders.locmem.Loader",
                    {
                        "registration/login.html": (
                            "<!doctype html><title>Cổng một cửa (thử)</title>"
                            "<h1>Cổng dịch vụ một cửa</h1>"
                            '<form method="post">{% csrf_token %}{{ form.as_p }}'
                            '<input type="hidden" name="next" value="{{ next }}">'
                            '<button type="submit" id="portal-login">Đăng nhập</button></form>'
                        ),
                        "oauth2_provider/logout_confirm.html": "<p>logout</p>",
                    },
                )
            ],
            "context_processors": ["django.template.context_processors.request"],
        },
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["PORTAL_DB"]}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
LOGIN_URL = "/login/"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; test-only
ISSUER = os.environ["PORTAL_ISSUER"]
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_ISS_ENDPOINT": ISSUER,
    "OIDC_RSA_PRIVATE_KEY": os.environ["PORTAL_RSA_KEY"],
    "PKCE_REQUIRED": True,
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
    "SCOPES": {"openid": "OpenID Connect", "profile": "Profile", "email": "E-mail"},
    "OAUTH2_VALIDATOR_CLASS": "nhiemvu.accounts.tests.oidc_provider.urls.Validator",
}
