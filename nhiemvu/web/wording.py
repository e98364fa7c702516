"""Django's own messages whose Vietnamese we word better (our catalogue is read first).

Listed here so that makemessages keeps them in locale/vi; nothing imports the list at run time.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

WORDING = [
    gettext_noop("Enter a valid email address."),
]
