"""Launchpad's CrossGuard policy pack (rules in `rules.py`; the pack itself in `__main__.py`)."""
