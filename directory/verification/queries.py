"""Which public listings need their organisation to confirm them again, per region."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from directory.db import add_months, utcnow
from directory.extensions import db
from directory.organisations.models import Organisation, Service
from directory.organisations.queries import public_clause
from directory.reference.models import Region


@dataclass
class RegionReport:
    """Listings of one region that were never confirmed, or whose confirmation expired."""

    region: Region
    never: list[Organisation] = field(default_factory=list)
    stale: list[Organisation] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.never) + len(self.stale)


def listings_to_verify(now: datetime | None = None) -> list[Organisation]:
    """Public listings never confirmed or confirmed longer ago than their interval."""
    stmt = (
        select(Organisation)
        .where(public_clause())
        .options(
            selectinload(Organisation.locations),
            selectinload(Organisation.phones),
            selectinload(Organisation.services).selectinload(Service.areas),
        )
        .order_by(Organisation.name_key, Organisation.id)
    )
    moment = now or utcnow()
    return [listing for listing in db.session.scalars(stmt) if listing.is_stale(moment)]


def region_reports(now: datetime | None = None) -> list[RegionReport]:
    """One report per region (all 17, even when nothing is due), in region-code order."""
    reports = {
        region.code: RegionReport(region)
        for region in db.session.scalars(select(Region).order_by(Region.code))
    }
    for listing in listings_to_verify(now):
        for code in listing.region_codes:
            report = reports[code]
            (report.stale if listing.is_verified else report.never).append(listing)
    return list(reports.values())


def reminder_due(listing: Organisation, now: datetime) -> bool:
    """No reminder yet, or the last one is older than the listing's interval."""
    last = listing.verification_reminder_at
    return last is None or add_months(last, listing.verification_interval_months) <= now


def reminders_due(now: datetime | None = None) -> list[Organisation]:
    moment = now or utcnow()
    return [listing for listing in listings_to_verify(moment) if reminder_due(listing, moment)]
