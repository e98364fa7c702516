"""Periodic reports (issue 6)."""
