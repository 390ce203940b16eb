"""Tables of the cross-cutting services: rate-limit windows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from directory.extensions import Model


class ThrottleWindow(Model):
    """How many times one key did one thing during one fixed window.

    The primary key makes the row unique, so counting is one atomic upsert
    (`INSERT … ON CONFLICT DO UPDATE SET count = count + 1 RETURNING count`), never a
    count-then-insert that concurrent workers could both pass.
    """

    __tablename__ = "throttle_windows"

    scope: Mapped[str] = mapped_column(String(40), primary_key=True)
    # A keyed hash (HMAC) of what is counted: a client address, an e-mail, or both.
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(primary_key=True, index=True)
    count: Mapped[int] = mapped_column(default=0)
