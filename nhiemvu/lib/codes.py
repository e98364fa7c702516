"""Opaque codes for URLs: sequential primary keys never leave the database (DESIGN.md rule 3)."""

from __future__ import annotations

import secrets

_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i: codes get read over the phone


def new_code(length: int = 10) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def new_message_id() -> str:
    """A globally unique e-mail Message-ID under the site's own domain (RFC 5322).

    Random, not built from row ids: ids restart after a restore and repeat on a second
    installation, and mail systems that drop duplicates by Message-ID would then drop real
    reminders. Stored with the message, so every retry of one message keeps its id."""
    from urllib.parse import urlsplit

    from django.conf import settings

    domain = urlsplit(getattr(settings, "SITE_URL", "")).hostname or "nhiemvu.invalid"
    return f"<{secrets.token_hex(16)}@{domain}>"
