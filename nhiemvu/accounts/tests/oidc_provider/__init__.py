"""A real OpenID Connect provider for the tests (django-oauth-toolkit, in its own process).

``Provider(people, redirect_uris)`` starts it on a free local port; ``settings()`` gives the
overrides that point nhiemvu at it; ``authorize()`` signs in at the portal as a browser would
(its login form, then the authorization endpoint) and returns where the portal sends the person
back. ``stop()`` ends the process."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

# The portal's people, as the directory's demo.ldif is the directory's: an agency officer, a
# person whose organisation code matches nothing here, and one of the office by group.
PEOPLE: dict[str, dict[str, Any]] = {
    "nguyenvana": {
        "password": "cong-mot-cua-1",
        "claims": {"name": "Nguyễn Văn A", "email": "a@skhcn.gov.vn", "org_code": "so-khcn"},
    },
    "tranthib": {
        "password": "cong-mot-cua-2",
        "claims": {"name": "Trần Thị B", "org_code": "so-khong-co"},
    },
    "levanphong": {
        "password": "cong-mot-cua-3",
        "claims": {"name": "Lê Văn Phòng", "org_code": "vp", "groups": ["cn=theo-doi,ou=vp"]},
    },
}

CLIENT_ID = "nhiemvu-test"
CLIENT_SECRET = "nhiemvu-test-secret-0123456789"
ROOT = Path(__file__).resolve().parents[4]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rsa_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


class Provider:
    def __init__(
        self,
        people: dict[str, dict[str, Any]],
        redirect_uris: list[str],
        logout_uris: list[str] = (),  # type: ignore[assignment]
    ) -> None:
        self.folder = tempfile.TemporaryDirectory(prefix="oidc-portal-")
        port = _free_port()
        self.base = f"http://127.0.0.1:{port}"
        self.issuer = f"{self.base}/o"
        people_file = Path(self.folder.name) / "people.json"
        people_file.write_text(json.dumps(people, ensure_ascii=False), encoding="utf-8")
        env = {
            **os.environ,
            "PORTAL_DB": str(Path(self.folder.name) / "portal.sqlite3"),
            "PORTAL_ISSUER": self.issuer,
            "PORTAL_RSA_KEY": _rsa_key(),
            "PORTAL_PEOPLE": str(people_file),
            "PORTAL_CLIENT_ID": CLIENT_ID,
            "PORTAL_CLIENT_SECRET": CLIENT_SECRET,
            "PORTAL_REDIRECT_URIS": " ".join(redirect_uris),
            "PORTAL_LOGOUT_URIS": " ".join(logout_uris),
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "nhiemvu.accounts.tests.oidc_provider", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if line.strip() != "READY":
            self.stop()
            raise RuntimeError(f"the test OIDC provider did not start: {line!r}")

    def settings(self) -> dict[str, Any]:
        """Settings that point nhiemvu's sign-in at this portal (as the environment would)."""
        return {
            "OIDC_ISSUER": self.issuer,
            "SOCIALACCOUNT_PROVIDERS": {
                "openid_connect": {
                    "provider_class": "nhiemvu.accounts.oidc.ProvinceProvider",
                    "OAUTH_PKCE_ENABLED": True,
                    "APPS": [
                        {
                            "provider_id": "tinh",
                            "name": "Cổng một cửa (thử)",
                            "client_id": CLIENT_ID,
                            "secret": CLIENT_SECRET,
                            "settings": {
                                "server_url": self.issuer,
                                "scope": ["openid", "profile", "email"],
                                "end_session": True,
                            },
                        }
                    ],
                }
            },
        }

    def authorize(self, authorize_url: str, username: str, password: str) -> str:
        """Sign in at the portal and follow its authorization endpoint; returns the URL the
        portal sends the browser back to (our callback, with code and state)."""
        session = requests.Session()
        form = session.get(f"{self.base}/login/", timeout=10)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        assert token, form.text
        done = session.post(
            f"{self.base}/login/",
            data={"username": username, "password": password, "csrfmiddlewaretoken": token[1]},
            headers={"Referer": f"{self.base}/login/"},
            allow_redirects=False,
            timeout=10,
        )
        assert done.status_code == 302, done.text
        answer = session.get(authorize_url, allow_redirects=False, timeout=10)
        assert answer.status_code == 302, answer.text
        return str(answer.headers["Location"])

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()
        self.folder.cleanup()


def path_of(url: str) -> str:
    """The path and query of ``url`` (the test client speaks to testserver)."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path
