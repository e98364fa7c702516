"""The site as the tests serve it from a real gunicorn (test_hostile_files.py): the project's
settings, and its URLs plus one page that is slow on purpose (gunicorn_urls.py), so that the
per-request watchdog in gunicorn.conf.py can be seen ending a request that outlives the timeout.
Only ever the DJANGO_SETTINGS_MODULE of a gunicorn started by a test."""

from __future__ import annotations

from nhiemvu.settings import *  # noqa: F403

ROOT_URLCONF = "nhiemvu.tests.gunicorn_urls"
