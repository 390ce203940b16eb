"""Declarative base, constraint naming and shared column types."""

from __future__ import annotations

import calendar
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from sqlalchemy import CheckConstraint, CursorResult, DateTime, MetaData, Result, String, Text
from sqlalchemy.orm import DeclarativeBase, mapped_column, registry
from sqlalchemy.types import TypeDecorator

# Stable constraint names make Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def add_months(moment: datetime, months: int) -> datetime:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def rowcount(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE touched.

    `Session.execute` is typed to return a `Result`; for these statements it is the
    `CursorResult` subclass, the one that carries `rowcount`.
    """
    if not isinstance(result, CursorResult):
        raise TypeError(f"not the result of an UPDATE or DELETE: {type(result).__name__}")
    return result.rowcount


def one_of(column: str, values: tuple[str, ...]) -> CheckConstraint:
    """A CHECK constraint (named after `column`) that keeps `column` within `values`."""
    allowed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=column)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:  # noqa: ARG002, ANN401 - SQLAlchemy's signature
        if value is None:
            return None
        if value.tzinfo is None:
            msg = "naive datetimes are ambiguous; pass a timezone-aware value"
            raise ValueError(msg)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:  # noqa: ARG002, ANN401 - SQLAlchemy's signature
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    # A registry of our own: Flask-SQLAlchemy reads the metadata from it.
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime(), str: String(255)},
    )


uuid_pk = Annotated[uuid.UUID, mapped_column(primary_key=True, default=uuid.uuid4)]
created_at = Annotated[datetime, mapped_column(default=utcnow)]
updated_at = Annotated[datetime, mapped_column(default=utcnow, onupdate=utcnow)]
long_text = Annotated[str, mapped_column(Text, default="")]
