"""The audit trail as JSON Lines or CSV, for archiving and review outside the application.

A site's street address, postal code and coordinates never leave in an export, whether or
not the site is confidential today: an entry may date from when it was, or be about to be.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from directory.audit.models import AuditEntry

COLUMNS = (
    "id", "at", "user_id", "user_email", "organisation_id", "organisation_slug", "entity",
    "entity_id", "action", "changes", "reverts_id",
)  # fmt: skip
REDACTED = "[masqué]"
SITE_FIELDS = frozenset({"address", "postal_code", "latitude", "longitude"})


def _redacted(entry: AuditEntry) -> dict[str, Any]:
    changes = dict(entry.changes or {})
    if entry.entity == "location":
        for field in SITE_FIELDS & changes.keys():
            changes[field] = [None if value is None else REDACTED for value in changes[field]]
    return changes


def row(entry: AuditEntry) -> dict[str, Any]:
    """One entry as a flat record (JSON-friendly)."""
    return {
        "id": entry.id,
        "at": entry.at.isoformat(),
        "user_id": str(entry.user_id) if entry.user_id else None,
        "user_email": entry.user.email if entry.user else None,
        "organisation_id": str(entry.organisation_id) if entry.organisation_id else None,
        "organisation_slug": entry.organisation.slug if entry.organisation else None,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "action": entry.action,
        "changes": _redacted(entry),
        "reverts_id": entry.reverts_id,
    }


def write_jsonl(entries: Iterable[AuditEntry], out: IO[str]) -> int:
    count = 0
    for entry in entries:
        out.write(json.dumps(row(entry), ensure_ascii=False, sort_keys=False) + "\n")
        count += 1
    return count


def _csv_rows(entries: Iterable[AuditEntry]) -> Iterator[dict[str, Any]]:
    for entry in entries:
        record = row(entry)
        record["changes"] = json.dumps(record["changes"], ensure_ascii=False)
        yield record


def write_csv(entries: Iterable[AuditEntry], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    count = 0
    for record in _csv_rows(entries):
        writer.writerow(record)
        count += 1
    return count
