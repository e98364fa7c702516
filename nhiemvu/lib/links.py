"""Links to pages: by an object's code, reversed once per URL name instead of once per link;
and the few pages the scheduler's messages link to, built without the URL configuration.

A list page draws 200 links and a morning's reminder plan builds thousands; each ``reverse``
walks the URL resolver (~0.25 ms). The URL name is reversed with a placeholder code and the
code put in its place. (The script prefix is the deployment's, fixed for a process.)
"""

from __future__ import annotations

import functools
import re

from django.urls import get_script_prefix, reverse

_PLACEHOLDER = "__code__"

# The pages a morning run's messages link to, their routes written once: here, and mounted at
# the site's root by web/urls.py. A cron step builds these links from the routes instead of
# reversing, which imports the whole URL configuration: every view, the API's schemas and the
# admin, about a second of each run's start (issue 28). test_links holds them to ``reverse``.
ROUTES = {
    "home": "",
    "task_list": "nhiem-vu/",
    "task_detail": "nhiem-vu/<str:code>/",
}


@functools.cache
def _pattern(name: str) -> str:
    route = ROUTES.get(name)
    if route is not None:
        return get_script_prefix() + re.sub(r"<[^>]+>", _PLACEHOLDER, route)
    return reverse(name, args=[_PLACEHOLDER])


def code_url(name: str, code: str) -> str:
    """The path of URL ``name`` for this code, e.g. ``code_url("task_detail", "ab12")``."""
    return _pattern(name).replace(_PLACEHOLDER, code)


def page_url(name: str) -> str:
    """The path of a page of ``ROUTES`` that takes no code (``page_url("home")``)."""
    return get_script_prefix() + ROUTES[name]
