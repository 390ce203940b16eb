"""Reads for evaluations: the report's rows, what an import is checked against, links."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, distinct, func, select

from directory.accounts.tokens import digest
from directory.evaluations import report
from directory.evaluations.codes import ITEMS, sector_group
from directory.evaluations.importer import MeetingFacts
from directory.evaluations.models import EvaluationImport, Questionnaire, QuestionnaireLink
from directory.extensions import db
from directory.reference.models import Region, Sector

_CHUNK = 500  # keys per IN (…) query: well under every database's parameter limit


def report_rows() -> list[report.Questionnaire]:
    """Every questionnaire as the report's reference computation reads it (`report.compute`;
    the pages use `report_tally`, which counts in SQL)."""
    answers = [getattr(Questionnaire, item) for item in ITEMS]
    stmt = select(
        Questionnaire.meeting_id,
        Questionnaire.meeting_ref,
        Questionnaire.region_code,
        Questionnaire.meeting_type,
        Questionnaire.round,
        Questionnaire.cooccurrence,
        Questionnaire.role,
        Questionnaire.referrer,
        Questionnaire.sector_code,
        Questionnaire.meeting_date,
        *answers,
    )
    return [
        report.Questionnaire(
            meeting=f"meeting:{row.meeting_id}" if row.meeting_id else f"ref:{row.meeting_ref}",
            region=row.region_code,
            meeting_type=row.meeting_type,
            round=row.round,
            cooccurrence=row.cooccurrence,
            role=row.role,
            referrer=row.referrer,
            sector=row.sector_code,
            meeting_date=row.meeting_date,
            answers={item: getattr(row, item) for item in ITEMS},
        )
        for row in db.session.execute(stmt)
    ]


def _conditions(filters: report.Filters) -> list[ColumnElement[bool]]:
    """`report.Filters.admits` in SQL (a comparison with a NULL date is never true)."""
    conditions = []
    if filters.region is not None:
        conditions.append(Questionnaire.region_code == filters.region)
    if filters.meeting_type is not None:
        conditions.append(Questionnaire.meeting_type == filters.meeting_type)
    if filters.round is not None:
        conditions.append(Questionnaire.round == filters.round)
    if filters.start is not None:
        conditions.append(Questionnaire.meeting_date >= filters.start)
    if filters.end is not None:
        conditions.append(Questionnaire.meeting_date <= filters.end)
    return conditions


def report_tally(filters: report.Filters) -> report.Tally:
    """The report's counts, in SQL: one GROUP BY per item, whatever the number of rows."""
    where = _conditions(filters)
    keys = (Questionnaire.sector_code, Questionnaire.cooccurrence, Questionnaire.role)
    joint: dict[str, Counter[tuple[report.Key, str | None]]] = {}
    for item in ITEMS:
        answer = getattr(Questionnaire, item)
        stmt = select(*keys, answer, func.count()).where(*where).group_by(*keys, answer)
        joint[item] = Counter()
        for sector, cooccurrence, role, value, count in db.session.execute(stmt):
            joint[item][(sector_group(sector), cooccurrence, role), value] += count
    referrers = select(func.count()).where(
        *where, Questionnaire.role == "on_file", Questionnaire.referrer.is_(True)
    )
    meetings = select(
        func.count(distinct(Questionnaire.meeting_id))
        + func.count(distinct(Questionnaire.meeting_ref))
    ).where(*where)
    return report.Tally(
        joint=joint,
        referrers=db.session.scalar(referrers) or 0,
        meetings=db.session.scalar(meetings) or 0,
    )


def undated_left_out(filters: report.Filters) -> int:
    """How many questionnaires a period leaves out only because their meeting has no date."""
    if not filters.by_date:
        return 0
    undated = report.Filters(
        region=filters.region, meeting_type=filters.meeting_type, round=filters.round
    )
    stmt = select(func.count()).where(*_conditions(undated), Questionnaire.meeting_date.is_(None))
    return db.session.scalar(stmt) or 0


def reference_codes() -> tuple[frozenset[str], frozenset[str]]:
    """The region and sector codes an imported row may use."""
    regions = frozenset(db.session.scalars(select(Region.code)))
    sectors = frozenset(db.session.scalars(select(Sector.code)))
    return regions, sectors


def stored_meetings(refs: Iterable[str]) -> dict[str, MeetingFacts]:
    """What the questionnaires already imported say of these source meeting ids."""
    wanted = sorted(set(refs))
    found: dict[str, MeetingFacts] = {}
    for start in range(0, len(wanted), _CHUNK):
        stmt = (
            select(
                Questionnaire.meeting_ref,
                Questionnaire.region_code,
                Questionnaire.meeting_type,
                Questionnaire.round,
                Questionnaire.cooccurrence,
                Questionnaire.meeting_date,
            )
            .where(Questionnaire.meeting_ref.in_(wanted[start : start + _CHUNK]))
            .distinct()
        )
        for ref, *facts in db.session.execute(stmt):
            found.setdefault(ref, MeetingFacts(*facts))
    return found


def existing_source_keys(keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        stmt = select(Questionnaire.source_key).where(Questionnaire.source_key.in_(chunk))
        found.update(key for key in db.session.scalars(stmt) if key)
    return found


@dataclass(frozen=True)
class Sources:
    """Where the report's questionnaires come from (the basis shown with the tables)."""

    imported: int
    imports: int
    last_import_at: datetime | None
    online: int


def sources() -> Sources:
    imported, online = db.session.execute(
        select(
            func.count(Questionnaire.meeting_ref),  # counts non-null values: imported rows
            func.count(Questionnaire.meeting_id),
        )
    ).one()
    imports = db.session.scalar(select(func.count(EvaluationImport.id))) or 0
    last = db.session.scalar(
        select(EvaluationImport.created_at).order_by(EvaluationImport.created_at.desc()).limit(1)
    )
    return Sources(imported=imported, imports=imports, last_import_at=last, online=online)


def link_by_token(raw: str) -> QuestionnaireLink | None:
    """The link whose secret is `raw`, used or not (the view tells the two apart)."""
    return db.session.scalar(
        select(QuestionnaireLink).where(QuestionnaireLink.token_hash == digest(raw))
    )
