"""Writes for confidentiality releases: ask, approve, reject (flush, never commit)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from directory.accounts.models import User
from directory.audit import operations as audit
from directory.audit.editing import Record
from directory.audit.operations import Actor
from directory.confidentiality import notifications, queries
from directory.confidentiality.models import ConfidentialityRelease
from directory.db import utcnow
from directory.extensions import db
from directory.organisations.models import Location

logger = logging.getLogger(__name__)

CHANGE = {"confidential": [True, False]}


class ReleaseError(ValueError):
    """A decision that cannot be made: already decided, or by the person who asked."""


def request_release(user: Actor, location: Location) -> ConfidentialityRelease:
    """Ask to make `location` public: the site stays confidential until an administrator
    other than `user` approves. The organisation's editors and the administrators are
    alerted by e-mail (best effort). A request already pending is returned as it is."""
    existing = queries.pending_for(location)
    if existing is not None:
        return existing
    release = ConfidentialityRelease(
        location_id=location.id,
        organisation_id=location.organisation_id,
        requested_by_id=user.id,
    )
    db.session.add(release)
    db.session.flush()
    _audit(user, release, "release_request")
    logger.info("confidentiality release %s requested by %s", release.id, user.id)
    notifications.notify_request(release)
    return release


def hold_release(user: Actor, item: Record, data: Mapping[str, Any]) -> Mapping[str, Any]:
    """An edit hold (`directory.audit.editing`) on sites: unticking a site's "confidential
    address" is not written but becomes a request that an administrator other than `user`
    approves; until then the site stays confidential."""
    if isinstance(item, Location) and item.confidential and data.get("confidential") is False:
        request_release(user, item)
        return {field: value for field, value in data.items() if field != "confidential"}
    return data


def _decide(release: ConfidentialityRelease, admin: User, status: str) -> None:
    if release.status != "pending":
        raise ReleaseError("already decided")
    release.status = status
    release.decided_by_id = admin.id
    release.decided_at = utcnow()


def approve(release: ConfidentialityRelease, admin: User) -> None:
    """Make the site public: only an administrator, and not the one who asked."""
    if admin.role != "admin" or admin.id == release.requested_by_id:
        raise ReleaseError("a second person must approve")
    _decide(release, admin, "approved")
    location = release.location
    if location.confidential:
        location.confidential = False
        location.updated_at = utcnow()  # its version moves: open edit forms see the change
    db.session.flush()
    _audit(admin, release, "release_approve")
    logger.info("confidentiality release %s approved by %s", release.id, admin.id)


def reject(release: ConfidentialityRelease, admin: User) -> None:
    """Keep the site confidential."""
    _decide(release, admin, "rejected")
    db.session.flush()
    _audit(admin, release, "release_reject", changes={})
    logger.info("confidentiality release %s rejected by %s", release.id, admin.id)


def _audit(
    user: Actor,
    release: ConfidentialityRelease,
    action: str,
    changes: dict[str, Any] | None = None,
) -> None:
    audit.record(
        user,
        release.organisation_id,
        entity="location",
        entity_id=release.location_id,
        action=action,
        changes=CHANGE if changes is None else changes,
    )
