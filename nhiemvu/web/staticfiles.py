"""Static files in production: WhiteNoise's compressed files with hashed names.

Django's manifest storage answers every ``{% static %}`` with a 500 until ``collectstatic`` has
written its manifest. Forgetting that step must not take the site down: until the manifest
exists, addresses are the plain names, which WhiteNoise serves from the source folders
(``WHITENOISE_USE_FINDERS``). ``manage.py check --deploy`` reports the missing step.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    def stored_name(self, name: str) -> str:
        if not self.hashed_files:
            return name
        return super().stored_name(name)
