from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

# Property tests run many examples locally and a fixed, smaller number in CI (same seed logic).
settings.register_profile(
    "default", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci",
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("ci" if os.environ.get("CI") else "default")


@pytest.fixture(autouse=True)
def _calendar_without_database(request: pytest.FixtureRequest) -> Iterator[None]:
    """Pure tests (no database) count working days with holidays.VN alone.

    The calendar reads the administrators' overrides from the database and caches them for a
    while; a pure test used to pass only when an earlier test on the same worker had warmed that
    cache, and failed when test distribution put it first."""
    from django.test import TransactionTestCase

    from nhiemvu.lib import workdays

    uses_db = (
        request.node.get_closest_marker("django_db") is not None
        or bool({"db", "transactional_db", "live_server"} & set(request.fixturenames))
        or isinstance(request.instance, TransactionTestCase)
    )
    if uses_db:
        yield
        return
    loader = workdays.override_loader()
    workdays.set_override_loader(None)
    workdays.invalidate()
    try:
        yield
    finally:
        workdays.set_override_loader(loader)
        workdays.invalidate()
