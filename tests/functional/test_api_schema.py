"""The OpenAPI 3.1 document of /api/v1 is true: every route is described, and schemathesis
calls every operation with generated input (valid and invalid) without a single 5xx, each
answer matching the document, each 400 naming the parameter at fault."""

from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from jsonschema import Draft202012Validator
from schemathesis import checks
from schemathesis.specs.openapi import checks as openapi_checks

from directory.accounts import operations
from directory.api import openapi
from tests.factories import create_user

_ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def test_the_document_is_served_as_valid_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.1")
    for name, schema in document["components"]["schemas"].items():
        Draft202012Validator.check_schema(schema), name


def test_every_api_route_is_described(app):
    described = {
        (path, method.upper())
        for path, operations_ in openapi.document()["paths"].items()
        for method in operations_
    }
    routes = {
        (_ARGUMENT.sub(r"{\1}", rule.rule), method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes - described == set()
    assert described - routes == set()


@schemathesis.check
def bad_requests_name_the_parameter(_ctx, response, _case):
    """A 400 says which parameter, path part, header or body field was wrong."""
    if response.status_code == 400:
        error = response.json()["error"]
        assert error.get("parameter"), f"400 without error.parameter: {error}"


@pytest.fixture
def api_schema(app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.fixture
def admin_token():
    """Generated calls act as an admin (editors' and facilitators' operations included);
    what they write is rolled back with the test."""
    return operations.issue_api_token(create_user("schemathesis@fictif.example", role="admin"))


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_answers_every_generated_call_as_documented(case, admin_token):
    # Not `positive_data_acceptance`: a place name, an id or a slug can match its schema and
    # still name nothing in the directory, and a 400 or 404 is then the right answer.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {admin_token}"},
        checks=[
            checks.not_a_server_error,
            openapi_checks.status_code_conformance,
            openapi_checks.content_type_conformance,
            openapi_checks.response_schema_conformance,
            openapi_checks.negative_data_rejection,
            bad_requests_name_the_parameter,
        ],
    )
