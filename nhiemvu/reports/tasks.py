"""The reports' background job is services.generate_report (the step is the job: no wrapper here
importing the service back); its name is kept here for jobs queued under it."""

from __future__ import annotations

from nhiemvu.reports.services import generate_report

__all__ = ["generate_report"]
