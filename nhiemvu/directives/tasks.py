"""The directives' background jobs. Reading a long file is importing.read_directive (the step is
the job: no wrapper here importing the service back); its name is kept here for jobs queued
under it."""

from __future__ import annotations

from django.tasks import task

from nhiemvu.directives.files import signatures_recheck
from nhiemvu.directives.importing import read_directive

__all__ = ["read_directive", "recheck_signatures"]


@task()
def recheck_signatures() -> int:
    """Worker: after an authority is trusted, the stored files that waited for it."""
    return signatures_recheck()
