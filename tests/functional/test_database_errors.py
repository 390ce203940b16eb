"""What a failed database write leaves in the logs."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from directory.core import errors
from directory.extensions import db
from directory.organisations.models import Location


def test_a_failed_write_logs_no_value(app, caplog):
    """SQL parameters are hidden from database errors, and the error page's log line carries
    only the error's kind: PostgreSQL's own message quotes the failing row."""
    db.session.add(Location(region_code="99", address="1234 rue Canari-Secret"))
    with pytest.raises(IntegrityError) as raised:
        db.session.flush()
    db.session.rollback()
    assert "hidden due to hide_parameters" in str(raised.value)
    with app.test_request_context("/gestion/organismes/x/lieux/nouveau", method="POST"):
        _page, status = errors._handle_unexpected(raised.value)  # noqa: SLF001 - the app's handler
    assert status == 500
    assert "IntegrityError" in caplog.text
    assert "Canari-Secret" not in caplog.text
