from __future__ import annotations

from django.tasks import task

from nhiemvu.directives.files import signatures_recheck
from nhiemvu.directives.importing import reading_run


@task()
def read_directive(reading_id: int) -> str:
    """Worker: read a long directive file (many pages, a scan to OCR)."""
    return reading_run(reading_id=reading_id)


@task()
def recheck_signatures() -> int:
    """Worker: after an authority is trusted, the stored files that waited for it."""
    return signatures_recheck()
