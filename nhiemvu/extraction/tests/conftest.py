from __future__ import annotations

from collections.abc import Iterator

import pytest

from nhiemvu.lib import workdays


@pytest.fixture(autouse=True)
def pure_calendar() -> Iterator[None]:
    """The engine is pure: its tests use holidays.VN alone, without the database's overrides."""
    previous = workdays.override_loader()
    workdays.set_override_loader(None)
    yield
    workdays.set_override_loader(previous)
