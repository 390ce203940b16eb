"""Who sees expert contact details: active facilitators and administrators only.

The rule: docs/domain.md#restricted-data.
"""

from __future__ import annotations

import pytest

import directory.models  # noqa: F401 - the whole schema, so that the mappers configure
from directory.accounts.models import ROLES, User
from directory.accounts.permissions import can_see_experts


@pytest.mark.parametrize("role", ROLES)
def test_only_facilitators_and_admins_see_experts(role):
    user = User(email=f"{role}@fictif.example", role=role, active=True)
    assert can_see_experts(user) is (role in {"admin", "facilitator"})


@pytest.mark.parametrize("role", ["admin", "facilitator"])
def test_a_disabled_account_sees_no_expert(role):
    assert can_see_experts(User(email=f"{role}@fictif.example", role=role, active=False)) is False


def test_an_anonymous_visitor_sees_no_expert():
    assert can_see_experts(None) is False
