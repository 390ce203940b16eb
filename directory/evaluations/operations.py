"""Writes for evaluations (flush, never commit): store an import, issue the questionnaire links
of a held meeting, record an online answer."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import insert, update

from directory.accounts.tokens import new_secret
from directory.db import rowcount, utcnow
from directory.evaluations import queries
from directory.evaluations.codes import ITEMS, ON_FILE_ONLY, cooccurrence_key
from directory.evaluations.importer import Row
from directory.evaluations.models import EvaluationImport, Questionnaire, QuestionnaireLink
from directory.extensions import db

if TYPE_CHECKING:
    from directory.meetings.models import Meeting  # types only: meetings imports this module

logger = logging.getLogger(__name__)

_BATCH = 1000
ATTENDEE_ROLES = ("on_file", "referrer", "external_expert")


@dataclass(frozen=True)
class ImportOutcome:
    rows: int
    stored: int

    @property
    def already_present(self) -> int:
        return self.rows - self.stored


def store_import(
    filename: str,
    sha256: str,
    rows: list[Row],
    keys: list[str],
    *,
    progress: Callable[[int], None] | None = None,
) -> ImportOutcome:
    """Store the checked rows not imported before (by `keys`); nothing at all when every row
    is already there. `keys` are `importer.source_keys(rows)`."""
    present = queries.existing_source_keys(keys)
    new = [(row, key) for row, key in zip(rows, keys, strict=True) if key not in present]
    if not new:
        return ImportOutcome(rows=len(rows), stored=0)
    batch = EvaluationImport(filename=filename, sha256=sha256, rows=len(rows), stored=len(new))
    db.session.add(batch)
    db.session.flush()
    for start in range(0, len(new), _BATCH):
        chunk = new[start : start + _BATCH]
        values = [_imported_values(row, key, batch) for row, key in chunk]
        db.session.execute(insert(Questionnaire), values)
        if progress is not None:
            progress(len(chunk))
    logger.info("evaluation import %s: %d of %d rows stored", batch.id, len(new), len(rows))
    return ImportOutcome(rows=len(rows), stored=len(new))


def _imported_values(row: Row, key: str, batch: EvaluationImport) -> dict[str, object]:
    meeting = row.meeting
    return {
        "meeting_ref": row.meeting_ref,
        "import_id": batch.id,
        "source_key": key,
        "region_code": meeting.region,
        "meeting_type": meeting.meeting_type,
        "round": meeting.round,
        "cooccurrence": meeting.cooccurrence,
        "meeting_date": meeting.meeting_date,
        "role": row.role,
        "referrer": row.referrer,
        "sector_code": row.sector,
        # Paper forms were filled in at the end of the meeting (report, §2.6).
        "answered_on": meeting.meeting_date,
        **row.answers,
    }


@dataclass(frozen=True)
class Attendee:
    """Who receives a questionnaire: the address it is sent to (never stored), the role at the
    meeting (on_file, referrer — on the file and referring — or external_expert) and the sector
    of attachment."""

    email: str
    role: str
    sector: str


@dataclass(frozen=True)
class IssuedLink:
    attendee: Attendee
    token: str  # the secret of the link, to be sent now: only its hash is kept
    link: QuestionnaireLink


def issue_questionnaires(
    meeting: Meeting,
    attendees: Iterable[Attendee],
    *,
    held_on: date | None = None,
    valid_days: int | None = None,
) -> list[IssuedLink]:
    """One single-use questionnaire link per attendee of `meeting`, held on `held_on` (today
    by default); each stays open `valid_days` (QUESTIONNAIRE_VALID_DAYS by default).

    The meeting lifecycle calls this when a meeting is recorded as held, then sends each link
    with `notifications.send_questionnaire` once the links are committed.
    """
    days = current_app.config["QUESTIONNAIRE_VALID_DAYS"] if valid_days is None else valid_days
    held_on = held_on or utcnow().date()
    issued = []
    for attendee in attendees:
        if attendee.role not in ATTENDEE_ROLES:
            raise ValueError(f"unknown attendee role: {attendee.role}")
        raw, hashed = new_secret()
        link = QuestionnaireLink(
            token_hash=hashed,
            meeting_id=meeting.id,
            role="external_expert" if attendee.role == "external_expert" else "on_file",
            referrer=attendee.role == "referrer",
            sector_code=attendee.sector,
            meeting_date=held_on,
            expires_at=utcnow() + timedelta(days=days),
        )
        db.session.add(link)
        issued.append(IssuedLink(attendee=attendee, token=raw, link=link))
    db.session.flush()
    logger.info("meeting %s: %d questionnaire links issued", meeting.id, len(issued))
    return issued


class LinkClosedError(Exception):
    """The link was used meanwhile (another tab, a double click): nothing is stored."""


def _close(link: QuestionnaireLink) -> None:
    # One UPDATE that only succeeds on an unused link: two submissions racing each other
    # cannot both get through, whatever the database's isolation level.
    closed = db.session.execute(
        update(QuestionnaireLink)
        .where(QuestionnaireLink.id == link.id, QuestionnaireLink.used.is_(False))
        .values(used=True)
        .execution_options(synchronize_session="fetch")
    )
    if rowcount(closed) != 1:
        raise LinkClosedError


def record_answers(
    link: QuestionnaireLink, answers: Mapping[str, str | None], *, helped: str, difficult: str
) -> Questionnaire:
    """Store an online answer (anonymous: the meeting, role and sector) and close the link;
    LinkClosedError when it was used meanwhile."""
    _close(link)
    meeting = link.meeting
    given = {item: answers.get(item) or None for item in ITEMS}
    if link.role != "on_file":
        given.update(dict.fromkeys(ON_FILE_ONLY))
    questionnaire = Questionnaire(
        meeting_id=meeting.id,
        region_code=meeting.region_code,
        meeting_type=meeting.meeting_type,
        round="follow_up" if meeting.previous_meeting_id else "first",
        cooccurrence=cooccurrence_key(meeting.cooccurrences),
        meeting_date=link.meeting_date,
        role=link.role,
        referrer=link.referrer if link.role == "on_file" else None,
        sector_code=link.sector_code,
        helped=helped.strip() or None,
        difficult=difficult.strip() or None,
        **given,
    )
    db.session.add(questionnaire)
    db.session.flush()
    logger.info("questionnaire answered for meeting %s", meeting.id)
    return questionnaire
