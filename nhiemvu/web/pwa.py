"""The installable app (issue 32): the web app manifest, the service worker and the offline page.

The service worker is served from the site's root (its scope is the whole site) and rendered
from a template: the shell's file names are the static storage's (hashed after collectstatic)
and its words are the catalogue's. Its version is the hash of what it says, so a deploy that
changes a static file or a word installs a new worker, which drops the old shell.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

# What the app needs to open at once and to draw the offline page, whatever the network.
SHELL = (
    "vendor/bootstrap/bootstrap.min.css",
    "css/app.css",
    "vendor/htmx/htmx.min.js",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "js/app.js",
    "js/orgpicker.js",
    "js/pwa.js",
    "favicon.svg",
    "bell.svg",
    "icons/icon-192.png",
)
THEME = "#0a3a82"  # .bg-province (static/css/app.css)


@cache_control(max_age=3600)
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest, in Vietnamese, with the province's name."""
    province = settings.NHIEMVU["PROVINCE_NAME"]
    with translation.override(settings.LANGUAGE_CODE):
        body = {
            "name": _("Task tracking · %(province)s") % {"province": province},
            "short_name": "nhiemvu",
            "description": _(
                "Tasks assigned by the Provincial People's Committee of %(province)s: reports, "
                "deadlines and notices."
            )
            % {"province": province},
            "lang": settings.LANGUAGE_CODE,
            "dir": "ltr",
            "start_url": reverse("home"),
            "scope": reverse("home"),
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": THEME,
            "icons": [
                {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
                {
                    "src": static("icons/icon-maskable-512.png"),
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "maskable",
                },
            ],
        }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), content_type="application/manifest+json"
    )


# The browser asks for the worker again at every visit; a cached copy would delay a deploy.
@cache_control(no_cache=True, max_age=0)
def service_worker(request: HttpRequest) -> HttpResponse:
    with translation.override(settings.LANGUAGE_CODE):
        config = {
            "shell": [static(path) for path in SHELL],
            # The prefix itself (a manifest storage has no hashed name for "": a 500).
            "static_prefix": settings.STATIC_URL,
            "offline_url": reverse("offline"),
            "last_seen": [reverse("home"), reverse("task_list")],
            "icon": static("icons/icon-192.png"),
            # The time is filled in by the worker (it knows when it kept the page).
            "banner": _("Offline: this page was saved at %(time)s and may no longer be current."),
        }
        text = render_to_string("pwa/sw.js", {"config": json.dumps(config, ensure_ascii=False)})
    version = hashlib.sha256(text.encode()).hexdigest()[:12]
    response = HttpResponse(
        text.replace("__VERSION__", version), content_type="text/javascript; charset=utf-8"
    )
    response["Service-Worker-Allowed"] = reverse("home")
    return response


def offline(request: HttpRequest) -> HttpResponse:
    """What the app shows when it cannot reach the server: that it is offline, and the last seen
    home and task list (static/js/pwa.js lists them with the time they were fetched). Kept in
    the worker's cache, so it names no one."""
    return render(request, "pwa/offline.html")
