"""Reminders and escalation (issue 5)."""
