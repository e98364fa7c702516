from __future__ import annotations

from django.tasks import task

from nhiemvu.directives.legacy.runs import dry_step, run_step


@task()
def import_legacy(run_id: int) -> str:
    """Worker: the import of an old tracker's export, batch by batch from its checkpoint."""
    return run_step(run_id).status


@task()
def dry_run_legacy(run_id: int) -> int:
    """Worker: every row's outcome, nothing written."""
    return len((dry_step(run_id).counts or {}).get("dry", {}).get("rows", []))
