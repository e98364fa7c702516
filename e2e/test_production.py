"""The system as the README's production section starts it: gunicorn, production settings, its
own database and folders. Pages come with their styles and scripts (served by the application,
compressed and with hashed names after collectstatic), errors show no traceback, and the system
refuses to start with a missing or development secret key."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(tmp: Path, **extra: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG")}
    return {
        **keep,
        "NHIEMVU_PRODUCTION": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "NHIEMVU_VAR_DIR": str(tmp),
        **extra,
    }


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("production")
    env = _env(tmp)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "collectstatic", "--no-input", "-v0"], env=env, check=True, cwd=ROOT)
    port = _free_port()
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "nhiemvu.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2"],
        env={**env, "GUNICORN_ACCESS_LOG": "/dev/null"},
        cwd=ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                _get(f"{url}/healthz")
                break
            except OSError:
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_pages_get_their_styles_and_scripts_under_gunicorn(server: str, page: Any) -> None:
    status, headers, body = _get(f"{server}/dang-nhap/")
    assert status == 200
    assert headers["Server"] == "gunicorn"  # no version advertised
    html = body.decode()
    assets = [part.split('"')[0] for part in html.split('="/static/')[1:]]
    assert any(
        a.startswith("vendor/bootstrap/bootstrap.min.") and a.endswith(".css") for a in assets
    )
    for asset in assets:
        # Hashed names (bootstrap.min.6a7df65a8257.css), cached for a year, compressed.
        assert asset.count(".") >= 2, asset
        status, headers, _ = _get(f"{server}/static/{asset}", **{"Accept-Encoding": "gzip"})
        assert status == 200, asset
        assert "immutable" in headers.get("Cache-Control", ""), asset
    css = next(a for a in assets if a.endswith(".css"))
    _, headers, _ = _get(f"{server}/static/{css}", **{"Accept-Encoding": "gzip"})
    assert headers.get("Content-Encoding") == "gzip"
    # In a real browser: Bootstrap is applied (its button colour) and nothing fails to load.
    page.goto(f"{server}/dang-nhap/")
    colour = page.eval_on_selector(
        "button[type=submit]", "b => getComputedStyle(b).backgroundColor"
    )
    assert colour not in ("rgba(0, 0, 0, 0)", "rgb(239, 239, 239)", "rgb(240, 240, 240)")
    assert page.console_errors == []


def test_errors_show_no_traceback(server: str) -> None:
    status, _, body = _get(f"{server}/khong-co-trang-nay/")
    assert status == 404
    text = body.decode()
    assert "Traceback" not in text and "DEBUG = True" not in text and "settings.py" not in text
    assert "Không tìm thấy" in text or "không tồn tại" in text
    status, _, body = _get(f"{server}/nhiem-vu/a%00b/")
    assert status == 400
    assert "NUL" in body.decode()


def test_production_refuses_a_missing_or_development_key(tmp_path: Path) -> None:
    manage = [sys.executable, str(ROOT / "manage.py"), "check"]
    for key in ("", "dev-only-insecure-key-change-me", "short"):
        result = subprocess.run(
            manage,
            env=_env(tmp_path, SECRET_KEY=key),
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert result.returncode != 0
        assert "SECRET_KEY" in result.stderr


def test_debug_is_off_unless_asked_for(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "NHIEMVU_PRODUCTION")}
    env["NHIEMVU_VAR_DIR"] = str(tmp_path)
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    env["DJANGO_SETTINGS_MODULE"] = "nhiemvu.settings"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
    # …and the local key is random, kept in the var folder, never the old development value.
    key = (tmp_path / "secret_key").read_text().strip()
    assert len(key) >= 40 and key != "dev-only-insecure-key-change-me"
