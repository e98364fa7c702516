"""Directive text → candidate tasks. Pure Python: no Django, no models (see import-linter)."""
