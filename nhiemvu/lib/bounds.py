"""The bounds on files people upload (settings.FILE_BOUNDS, the README's configuration table):
PDF pages, zip parts and unpacked size, workbook sheets, rows and columns. Each reader checks its
bound before the costly step; the values are read once, when the reader's module is imported."""

from __future__ import annotations


def bound(name: str, default: int) -> int:
    """``settings.FILE_BOUNDS[name]``, or ``default`` where Django is not configured (the
    extraction command line before its setup)."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        bounds = getattr(settings, "FILE_BOUNDS", {})
    except ImproperlyConfigured:
        return default
    return int(bounds.get(name, default))
