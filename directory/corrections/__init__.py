"""Corrections suggested by the public on an organisation's page."""
