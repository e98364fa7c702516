from __future__ import annotations

from django.tasks import task

from nhiemvu.reports.services import report_generate


@task()
def generate_report(report_id: int) -> str:
    """Worker: build a report file (db_worker runs it; progress is saved as it goes)."""
    return report_generate(report_id=report_id)
