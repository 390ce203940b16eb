"""The record types edited through `directory.audit.editing` declare what the trail needs."""

from __future__ import annotations

import uuid

import pytest

import directory.models  # noqa: F401 - the whole schema, so that the mappers configure
from directory.audit import editing
from directory.audit.labels import ENTITY_LABELS
from directory.expertise.models import Expert, ExpertiseOffer
from directory.organisations.models import Contact, Location, Organisation, Phone, Service

RECORD_TYPES = (Organisation, Service, Location, Contact, Phone, ExpertiseOffer, Expert)


@pytest.mark.parametrize("model", RECORD_TYPES)
def test_each_record_type_is_found_back_by_its_audit_name(model):
    assert editing.record_type(model.audit_entity) is model
    assert model.audit_entity in ENTITY_LABELS  # the history page names it


def test_an_unknown_audit_name_is_no_record_type():
    with pytest.raises(KeyError):
        editing.record_type("account_request")


def test_the_organisation_of_a_record():
    organisation_id = uuid.uuid4()
    assert editing.organisation_id_of(Organisation(id=organisation_id)) == organisation_id
    for model in RECORD_TYPES[1:]:
        record = model(id=uuid.uuid4(), organisation_id=organisation_id)
        assert editing.organisation_id_of(record) == organisation_id


@pytest.mark.parametrize("model", RECORD_TYPES)
def test_editable_fields_are_attributes_of_the_record(model):
    assert model.editable_fields
    assert all(hasattr(model, field) for field in model.editable_fields)
