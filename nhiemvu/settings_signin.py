"""Settings for signing in through the province's portal (OpenID Connect) and for the second
factor (issue 30; accounts/oidc.py, accounts/twofactor.py), read from the environment with
settings.py's own helpers and taken in by it at its end (settings.py stays the one entry point;
this part was split off so that neither module passes 500 lines).

django-allauth runs the portal's protocol and keeps the factors (TOTP, recovery codes); its own
account pages are not offered: our login page, lockout and password reset stay.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from nhiemvu.settings import PRODUCTION, env_bool, env_int, env_str

SIGNIN_APPS = [
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
]
SIGNIN_MIDDLEWARE = [
    "allauth.account.middleware.AccountMiddleware",
    # After it: a person who must have a second factor, signed in with a password and has none
    # is sent to enrol before any other page.
    "nhiemvu.accounts.twofactor.EnrolmentMiddleware",
]
ACCOUNT_ADAPTER = "nhiemvu.accounts.twofactor.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "nhiemvu.accounts.oidc.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_REQUESTS_TIMEOUT = env_int("NHIEMVU_OIDC_TIMEOUT_SECONDS", 10)

# The province's portal: an issuer URL turns the login page's button on.
OIDC_ISSUER = env_str("NHIEMVU_OIDC_ISSUER", "")
SOCIALACCOUNT_PROVIDERS: dict[str, Any] = {
    "openid_connect": {
        # Ours asks and checks a nonce (accounts/oidc.py).
        "provider_class": "nhiemvu.accounts.oidc.ProvinceProvider",
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": "tinh",
                "name": env_str("NHIEMVU_OIDC_NAME", "Cổng dịch vụ một cửa của tỉnh"),
                "client_id": env_str("NHIEMVU_OIDC_CLIENT_ID", ""),
                "secret": env_str("NHIEMVU_OIDC_CLIENT_SECRET", ""),
                "settings": {
                    "server_url": OIDC_ISSUER,
                    "scope": env_str("NHIEMVU_OIDC_SCOPES", "openid profile email").split(),
                    # Logging out ends the portal's session too (its end_session_endpoint).
                    "end_session": env_bool("NHIEMVU_OIDC_END_SESSION", True),
                },
            }
        ]
        if OIDC_ISSUER
        else [],
    }
}
# The login button's form and the logout's end at the portal (a redirect after a form is held
# to form-action): its origin joins ours there, and nowhere else.
PORTAL_FORM_ACTION = (
    ["{0.scheme}://{0.netloc}".format(urlsplit(OIDC_ISSUER))] if OIDC_ISSUER else []
)

# Security keys and passkeys (WebAuthn) as a second factor beside the app's codes: allauth's own
# script (static/mfa/js, served from our origin, started from data blocks: no inline script)
# asks the browser. Only https origins are accepted; the browser tests on http://127.0.0.1 turn
# MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN on for themselves, production never does.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False
# A key's answer that cannot be read is refused in words, not with a server error (twofactor.py).
MFA_FORMS = {
    "add_webauthn": "nhiemvu.accounts.twofactor.AddKeyForm",
    "authenticate_webauthn": "nhiemvu.accounts.twofactor.KeyAuthenticateForm",
}
MFA_TOTP_ISSUER = "nhiemvu"
MFA_ALLOW_UNVERIFIED_EMAIL = True  # our people have no allauth e-mail rows to verify
# Must have a second factor when they sign in with a password here (not through the portal).
# Production asks it of the office, the Working Group and administrators by default; the demo
# (make run) does not, so that each role's day can be tried with the demo's passwords alone.
NHIEMVU_MFA_REQUIRED_ROLES = [
    r.strip()
    for r in env_str(
        "NHIEMVU_MFA_REQUIRED_ROLES", "office,working_group,admin" if PRODUCTION else ""
    ).split(",")
    if r.strip()
]
