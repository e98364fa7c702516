"""The province's domain settings (settings.NHIEMVU), read in one place."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings


def setting(name: str) -> Any:
    return cast(dict[str, Any], settings.NHIEMVU)[name]
