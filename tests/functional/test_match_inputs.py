"""How the seed directory becomes the engine's candidates: institutions, territories,
populations and positions, decided from data the directory really has."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.accounts import operations as account_operations
from directory.extensions import db
from directory.matching.types import DistanceBasis
from directory.meetings import candidates as candidate_inputs
from directory.organisations import queries as organisation_queries
from directory.seeding import seed_id
from tests.factories import add_site, create_organisation, create_user


@pytest.fixture
def by_slug(app: Flask) -> Iterator[dict]:
    """The engine's candidates of the seed, by organisation slug (one each: no offer yet)."""
    with app.test_request_context():
        network = candidate_inputs.Network(
            organisation_queries.public_organisations(with_services=True)
        )
        found = candidate_inputs.build(network, {"02": (48.6, -71.8), "03": (46.9, -71.3)})
        yield {c.organisation.slug: c for c in found}


# Territorial: institutional and part of the public network (a parent or sub-programs, or a
# CISSS/CIUSSS/CLSC/DPJ name), or offering youth protection, police or school services.
TERRITORIAL = [
    ("ciusss-capitale-nationale", {"03"}),  # a CIUSSS with programs (DPJ)
    ("crdq", {"03"}),  # one of its programs
    ("ciusss-saguenay-lac-saint-jean-protection-de-la-jeunesse", {"02"}),
    ("centre-jeunesse-de-verdun", {"06"}),
    ("spvm", {"06"}),  # police
    ("surete-municipale-ville-de-saguenay", {"02"}),
    ("commission-scolaire-du-pays-des-bleuets", {"02"}),  # school board
    ("ecole-le-carignan", {"06"}),
    ("commission-scolaire-de-laval", {"13"}),
    ("institut-douglas-troubles-complexes-de-l-humeur", {"06"}),
    ("hopital-maisonneuve-rosemont", None),  # institutional, but nothing says a territory
    ("petit-revdec", None),  # community school-dropout organisation
    ("portage-quebec", None),  # community addiction centre
    ("la-maison-grise", None),
    ("gapi", None),
]


@pytest.mark.parametrize(("slug", "territory"), TERRITORIAL)
def test_territorial_services_from_the_directorys_data(by_slug, slug, territory):
    found = by_slug[slug].territory
    assert (set(found) if found is not None else None) == territory


@pytest.mark.parametrize(
    ("slug", "institution"),
    [
        ("crdq", "ciusss-capitale-nationale"),
        ("ciusss-capitale-nationale-fej", "ciusss-capitale-nationale"),
        ("ciusss-centre-sud-enfance-sud-est-1", "ciusss-centre-sud-de-l-ile-de-montreal"),
        ("ciusss-capitale-nationale", "ciusss-capitale-nationale"),
        ("gapi", "gapi"),
    ],
)
def test_a_program_belongs_to_its_top_level_institution(by_slug, slug, institution):
    assert by_slug[slug].organisation.institution == str(seed_id(institution))


@pytest.mark.parametrize(
    ("slug", "populations"),
    [
        ("youth-mental-health-team", {"PSM": {"youth"}}),
        (
            "ciusss-capitale-nationale-fej",
            {"MT": {"families", "children", "youth"}, "PSM": {"families", "children", "youth"}},
        ),
        ("maison-marie-rollet", {"VCF": {"women", "children"}}),
        ("portage-quebec", {}),  # not stated: open to everyone
    ],
)
def test_populations_per_sector(by_slug, slug, populations):
    found = by_slug[slug].populations
    assert {code: set(codes) for code, codes in found.items()} == populations


@pytest.mark.parametrize(
    ("slug", "basis"),
    [
        ("auberge-de-l-amitie-roberval", DistanceBasis.MUNICIPALITY),  # confidential, Roberval
        ("maison-marie-rollet", DistanceBasis.REGION),  # confidential, no municipality
        ("gapi", DistanceBasis.MUNICIPALITY),
        ("violence-info", DistanceBasis.REGION),
    ],
)
def test_positions_say_their_basis(by_slug, slug, basis):
    assert by_slug[slug].location_basis is basis


def test_a_public_site_gives_its_own_position_a_confidential_one_never():
    public = create_organisation("position-publique")
    add_site(public, region_code="02", latitude=48.4, longitude=-71.1)
    hidden = create_organisation("position-cachee")
    hidden.locations[0].confidential = True
    hidden.locations[0].latitude, hidden.locations[0].longitude = 48.765432, -72.345678
    db.session.flush()
    centroids = {"02": (48.6, -71.8)}
    site, basis = candidate_inputs.position(public, centroids)
    assert basis is DistanceBasis.SITE
    assert (site.latitude, site.longitude) == (48.4, -71.1)
    place, basis = candidate_inputs.position(hidden, centroids)
    assert basis is DistanceBasis.REGION
    assert (place.latitude, place.longitude) == (48.6, -71.8)


ALMA = str(seed_id("centre-de-femmes-au-quatre-temps-alma"))
FILE = [ALMA, str(seed_id("cran-d-arret-alma")), str(seed_id("le-renfort-alma"))]


@pytest.fixture
def api(client) -> tuple:
    """A facilitator's client and token (shared by the property's examples)."""
    user = create_user("type-property@fictif.example", role="facilitator")
    token = account_operations.issue_api_token(user)
    db.session.commit()
    return client, {"Authorization": f"Bearer {token}"}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=st.sampled_from(["concertation", "consultation"]),
    on_file=st.integers(0, 3),
    consents=st.booleans(),
)
def test_rule_4_the_type_agrees_with_the_file_and_the_consents(api, kind, on_file, consents):
    """Tableau 1: concertation ⇔ two or more on the file and consents; consultation ⇔ one or
    more on the file and no consent; anything else is a 400 naming the field at fault."""
    client, headers = api
    body = {
        "region": "02",
        "cooccurrences": ["PSM"],
        "followed": ["victim"],
        "meeting_type": kind,
        "on_file_organization_ids": FILE[:on_file],
        "consents_attested": consents,
    }
    response = client.post("/api/v1/match", json=body, headers=headers)
    needed = 2 if kind == "concertation" else 1
    if on_file < needed:
        expected = "on_file_organization_ids"
    elif consents is not (kind == "concertation"):
        expected = "consents_attested"
    else:
        expected = None
    if expected is None:
        assert response.status_code == 200
    else:
        assert response.status_code == 400
        assert response.get_json()["error"]["parameter"] == expected
