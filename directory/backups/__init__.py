"""Backups of the whole database, and restoring one: SQLite's online backup API, or
PostgreSQL's pg_dump (custom format) and pg_restore."""
