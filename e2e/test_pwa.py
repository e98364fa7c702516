"""The installable app in a real browser (issue 32): the service worker installs from the site's
root; offline, the last seen task list is shown from the cache with the time it was fetched
(never as current), and a page never seen gets the offline page, which lists what was kept."""

from __future__ import annotations

import json
from typing import Any

import pytest

from e2e.test_task_flow import login, one_task

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

KEPT = "() => caches.open('nhiemvu-pages').then((c) => c.match('/nhiem-vu/')).then((r) => !!r)"


def test_offline_the_app_says_so_and_shows_the_marked_last_seen_list(
    live_server: Any, page: Any
) -> None:
    _p, task = one_task()
    base = live_server.url
    login(page, base, "lead")

    manifest = json.loads(page.request.get(f"{base}/manifest.webmanifest").text())
    assert manifest["lang"] == "vi" and "Gia Lai" in manifest["name"]
    assert page.request.get(f"{base}{manifest['icons'][0]['src']}").ok

    # The worker installs and takes the page (clients.claim) without a reload.
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller")
    page.goto(f"{base}/nhiem-vu/")
    assert task.summary[:20] in page.inner_text("main")
    page.wait_for_function(KEPT)
    assert page.console_errors == []

    page.context.set_offline(True)
    page.goto(f"{base}/nhiem-vu/")
    banner = page.locator("#offline-banner")
    assert "Đang ngoại tuyến" in banner.inner_text()
    assert "được lưu lúc" in banner.inner_text()  # with the time it was fetched
    assert task.summary[:20] in page.inner_text("main")  # what was seen, marked as such

    page.goto(f"{base}/thong-bao/")  # never seen: the offline page
    assert "Bạn đang ngoại tuyến" in page.inner_text("#offline-notice")
    kept = page.locator("#last-seen li")
    kept.first.wait_for()
    lines = kept.all_inner_texts()
    assert any(line.startswith("Nhiệm vụ") for line in lines), lines
    assert all("lưu lúc" in line for line in lines), lines  # each with when it was fetched

    # Back online: the list is current again, without the banner.
    page.context.set_offline(False)
    page.goto(f"{base}/nhiem-vu/")
    assert page.locator("#offline-banner").count() == 0
