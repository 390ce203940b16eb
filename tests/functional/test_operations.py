"""Listing operations: optimistic locking, audited changes in JSON-friendly form, revert."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from directory.audit import editing
from directory.audit import operations as audit
from directory.audit.models import AuditEntry
from directory.extensions import db
from directory.organisations.models import Location
from tests.factories import create_organisation, create_user


@pytest.fixture
def editor():
    return create_user("unitaire@fictif.example", role="admin")


def test_diff_keeps_changed_fields_only():
    before = {"name": "A", "sectors": ["VCF"], "email": None}
    after = {"name": "A", "sectors": ["MT", "VCF"], "email": "a@fictif.example"}
    assert audit.diff(before, after) == {
        "sectors": [["VCF"], ["MT", "VCF"]],
        "email": [None, "a@fictif.example"],
    }


def test_update_bumps_the_version_and_audits_collections_as_codes(editor):
    service = create_organisation("op-a").services[0]
    version = service.version
    data = {"sectors": ["VCF", "MT"], "languages": ["fr"], "modes": ["phone"]}
    editing.update(editor, service, data, version=version)
    assert service.version == version + 1  # collections alone still move the version
    entry = db.session.scalars(select(AuditEntry)).one()
    assert entry.changes == {
        "sectors": [["VCF"], ["MT", "VCF"]],
        "languages": [[], ["fr"]],
        "modes": [[], ["phone"]],
    }


def test_update_without_change_writes_no_entry(editor):
    organisation = create_organisation("op-b")
    editing.update(editor, organisation, editing.values(organisation), version=1)
    assert db.session.scalars(select(AuditEntry)).first() is None


def test_stale_version_raises_a_conflict_with_the_current_values(editor):
    organisation = create_organisation("op-c", name="Nom courant")
    with pytest.raises(editing.ConflictError) as caught:
        editing.update(editor, organisation, {"name": "Autre"}, version=0)
    assert caught.value.current["name"] == "Nom courant"
    assert organisation.name == "Nom courant"


def test_revert_restores_collections_and_refuses_a_second_time(editor):
    service = create_organisation("op-d").services[0]
    editing.update(editor, service, {"sectors": ["MT"]}, version=service.version)
    entry = db.session.scalars(select(AuditEntry)).one()
    editing.revert(editor, entry)
    assert [sector.code for sector in service.sectors] == ["VCF"]
    assert entry.reverted_by_id is not None
    with pytest.raises(editing.ConflictError):
        editing.revert(editor, entry)


def test_create_site_finds_the_municipality_in_its_region(editor):
    organisation = create_organisation("op-e")
    site = editing.create(
        editor, Location, organisation.id, {"region_code": "02", "municipality": "Roberval"}
    )
    assert site.municipality is not None
    assert site.municipality.region_code == "02"
    entry = db.session.scalars(select(AuditEntry)).one()
    assert entry.action == "create"
    assert entry.changes["municipality"] == [None, "Roberval"]
