"""A security key's opaque code for its page addresses (accounts/twofactor.key_code)."""

from __future__ import annotations

from django import template

from nhiemvu.accounts import twofactor

register = template.Library()


@register.filter
def key_code(pk: int) -> str:
    return twofactor.key_code(pk)
