"""Safety rules, tested: a confidential address never leaves the server, nothing loads from outside.

The crawl visits every route in `app.url_map` with every value its arguments can take
(regions, sectors, slugs, ids, languages), follows every internal link it finds (pagination
included), in French and English, plus error pages. A canary street address, postal code and
coordinates sit on confidential sites; a public address sits on a public one as a control.
"""

from __future__ import annotations

import re
import uuid
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.extensions import db
from directory.organisations import queries
from directory.organisations.models import Organisation
from directory.reference.models import Municipality, Region, Sector
from directory.search import service as search_service
from tests.factories import add_phone, add_site, create_organisation, indexed, rolled_back_session

# One worker runs the whole module (--dist loadgroup): its module fixture is set up once.
pytestmark = pytest.mark.xdist_group("test_safety")

CANARY_ADDRESS = "4321 rue des Canaris-Cachés"
CANARY_POSTAL = "G8H 9Z9"
CANARY_LATITUDE = 48.765432
CANARY_LONGITUDE = -72.345678
PUBLIC_ADDRESS = "77 boulevard du Témoin-Public"
CANARY_NEEDLES = (
    "Canaris-Cachés",
    "Canaris-Cach&eacute;s",
    "Canaris-Cach\\u00e9s",
    "4321 rue",
    "G8H 9Z9",
    "G8H9Z9",
    "9Z9",
    "48.7654",
    "72.3456",
    "48,7654",
    "72,3456",
)
RESOURCE_TAGS = {"script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src",
                 "video": "src", "embed": "src", "object": "data", "link": "href"}  # fmt: skip


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.resources: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.tags.append((tag, values))
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        attribute = RESOURCE_TAGS.get(tag)
        if attribute and values.get(attribute):
            self.resources.append(values[attribute])
        if values.get("srcset"):
            self.resources.append(values["srcset"])


def _plant_canaries() -> list[Organisation]:
    """A fictional shelter and a real seed shelter, both with canary data on confidential sites."""
    roberval = db.session.scalars(
        select(Municipality).where(Municipality.name == "Roberval")
    ).first()
    fictional = create_organisation("refuge-canari", name="Refuge Canari (fictif)")
    canary_site = {
        "region_code": "02",
        "municipality": roberval,
        "address": CANARY_ADDRESS,
        "postal_code": CANARY_POSTAL,
        "latitude": CANARY_LATITUDE,
        "longitude": CANARY_LONGITUDE,
        "confidential": True,
    }
    add_site(fictional, **canary_site)
    add_site(fictional, region_code="02", address=PUBLIC_ADDRESS, postal_code="G8H 1A1")
    add_phone(fictional, "418-555-0199")
    seeded = queries.organisation_by_slug("auberge-de-l-amitie-roberval")
    for field in ("address", "postal_code", "latitude", "longitude"):
        setattr(seeded.locations[0], field, canary_site[field])
    sub_programme = create_organisation("refuge-canari-antenne", name="Antenne Canari (fictif)")
    sub_programme.parent = fictional
    add_site(sub_programme, **canary_site)
    db.session.flush()
    return [fictional, seeded, sub_programme]


def _argument_values() -> dict[str, list[str]]:
    organisations = db.session.scalars(select(Organisation)).all()
    return {
        "code": [region.code for region in db.session.scalars(select(Region))] + ["99"],
        "sector_code": [sector.code for sector in db.session.scalars(select(Sector))] + ["NOPE"],
        "slug": [org.slug for org in organisations] + ["inconnu"],
        "identifier": [org.slug for org in organisations] + [str(org.id) for org in organisations],
        "filename": [
            "css/app.css",
            "css/print.css",
            "css/neutral.css",
            "js/quick-exit.js",
            "js/ui.js",
        ],
        "token": ["jeton-inconnu"],
        "user_id": [str(uuid.UUID(int=0))],
        "part": ["services", "lieux", "contacts", "telephones", "experts"],
        "item_id": [str(uuid.UUID(int=0))],
        "entry_id": ["0"],
        "meeting_id": [str(uuid.UUID(int=0))],
        "table_id": ["tableau-2", "tableau-5", "annexe-c-security-sector", "inconnu"],
    }


def _expand(rule_path: str, arguments: list[str], values: dict[str, list[str]]) -> list[str]:
    paths = [rule_path]
    for argument in arguments:
        pattern = re.compile(r"<(?:[^:<>]+:)?" + argument + ">")
        paths = [pattern.sub(value, path) for path in paths for value in values[argument]]
    return paths


def _starting_points(app) -> list[str]:
    values = _argument_values()
    starts = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        if rule.endpoint == "core.set_language":
            starts += ["/langue/fr?next=/", "/langue/en?next=/", "/langue/xx"]
            continue
        starts += _expand(rule.rule, sorted(rule.arguments), values)
    starts += [
        "/api/v1/organizations?per_page=100",
        "/api/v1/organizations?per_page=100&page=2",
        "/api/v1/organizations?region=02&per_page=100",
        "/api/v1/organizations?q=canari",
        "/recherche?q=canari",
        "/recherche?q=refuge+canari&near=Roberval&radius_km=25",
        "/recherche?q=h%C3%A9bergement&near=G8H&sort=distance",
        "/recherche?region=02",
        "/recherche?q=canari&region=02&sector=VCF&type=community",
        "/api/v1/search?q=canari",
        "/api/v1/search?q=canari&near=Roberval&radius_km=50",
        "/api/v1/search?near=G8H+9Z9&sort=distance&per_page=100",
        "/api/v1/search?region=02&per_page=100",
        "/api/v1/search?q=canari&near=Laval&radius_km=10",
        "/api/v1/search?q=refuge+canari+Laval",
        "/recherche?q=canari&near=Laval&radius_km=10",
        "/recherche?q=refuge+canari+Laval",
        "/liste",
        "/api/v1/suggest?q=canari",
        "/api/v1/organizations?region=nope",
        "/api/v1/reports/evaluation?region=02",
        "/rapports?region=02&round=first",
        "/une/page/inexistante",
        "/api/v1/inexistant",
    ]
    return starts


def _crawl(client, starts: list[str], language: str) -> dict[str, tuple[int, str, str]]:
    """Every reachable local page in `language`: path → (status, content type, body)."""
    seen: dict[str, tuple[int, str, str]] = {}
    queue = deque(starts)
    while queue:
        path = queue.popleft()
        if path in seen:
            continue
        client.set_cookie("lang", language)  # visiting /langue/… must not switch the crawl
        response = client.get(path)
        body = response.get_data(as_text=True)
        response.close()
        seen[path] = (response.status_code, response.content_type, body)
        if response.status_code in (301, 302):
            queue.append(response.headers["Location"])
        if response.content_type.startswith("text/html"):
            parser = _PageParser()
            parser.feed(body)
            for link in parser.links:
                parts = urlsplit(urljoin(path, link))
                if parts.scheme or parts.netloc:  # other sites, mailto:, tel:
                    continue
                if path.startswith("/recherche") and parts.path == "/recherche":
                    continue  # facet links combine endlessly; search pages are seeded above
                local = parts.path + (f"?{parts.query}" if parts.query else "")
                if local.startswith("/") and not local.startswith("/langue/"):
                    queue.append(local)
    return seen


@pytest.fixture(scope="module")
def crawled(app):
    """One crawl for the module, inside a transaction of its own that is rolled back after."""
    with rolled_back_session(app) as session:
        planted = _plant_canaries()
        seeded_id = planted[1].id
        client = app.test_client()
        with indexed(app, session, *planted):
            pages = _crawl(client, _starting_points(app), "fr")
            english = _crawl(
                client, [path for path in pages if not path.startswith("/static/")], "en"
            )
    # The seed shelter carried canary data in the index: put its committed state back.
    with app.test_request_context(), Session(db.engine) as fresh:
        search_service.index_document(fresh, [seeded_id])
    return {**pages, **{f"[en]{path}": page for path, page in english.items()}}


def test_crawl_covers_every_public_route(app, crawled):
    visited_rules = set()
    adapter = app.url_map.bind("localhost")
    for path in crawled:
        try:
            endpoint, _ = adapter.match(urlsplit(path.removeprefix("[en]")).path)
        except Exception:  # noqa: BLE001, S112 - unmatched paths are the 404 pages we wanted
            continue
        visited_rules.add(endpoint)
    expected = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    assert expected <= visited_rules
    statuses = {status for status, _, _ in crawled.values()}
    assert {200, 302, 400, 404} <= statuses
    assert len(crawled) > 500


def test_no_confidential_canary_anywhere(crawled):
    leaks = [
        (path, needle)
        for path, (_, _, body) in crawled.items()
        for needle in CANARY_NEEDLES
        if needle in body
    ]
    assert leaks == []


def test_control_public_address_and_phone_are_shown(crawled):
    """The crawl would prove nothing if the pages did not render sites at all."""
    page = crawled["/organismes/refuge-canari"][2]
    assert PUBLIC_ADDRESS in page
    assert "418-555-0199" in page
    assert "Roberval" in page
    api = crawled["/api/v1/organizations/refuge-canari"][2]
    assert PUBLIC_ADDRESS in api
    # The canary listings are in the index during the crawl: search pages show them.
    assert "Refuge Canari (fictif)" in crawled["/recherche?q=canari"][2]
    assert "refuge-canari" in crawled["/api/v1/search?q=canari&near=Roberval&radius_km=50"][2]
    # Its public phone travels with every search answer: results, nearest, partial matches.
    for path in (
        "/recherche?q=canari",
        "/api/v1/search?q=canari",
        "/api/v1/search?q=canari&near=Laval&radius_km=10",
        "/recherche?q=canari&near=Laval&radius_km=10",
        "/api/v1/search?q=refuge+canari+Laval",
    ):
        assert "418-555-0199" in crawled[path][2], path


def test_html_pages_load_nothing_from_outside(crawled):
    offenders = []
    for path, (_, content_type, body) in crawled.items():
        if not content_type.startswith("text/html"):
            continue
        parser = _PageParser()
        parser.feed(body)
        offenders += [
            (path, url) for url in parser.resources if urlsplit(url).scheme or url.startswith("//")
        ]
        if "@import" in body or re.search(r"url\(\s*['\"]?(https?:)?//", body):
            offenders.append((path, "inline CSS import"))
    assert offenders == []


def test_every_html_page_has_the_quick_exit_except_the_neutral_page(crawled):
    missing = [
        path
        for path, (status, content_type, body) in crawled.items()
        if content_type.startswith("text/html")
        and not 300 <= status < 400
        and not path.removeprefix("[en]").startswith("/jardinage")
        and "data-quick-exit" not in body
    ]
    assert missing == []


def test_static_assets_reference_nothing_external(app):
    static = Path(app.static_folder)
    for asset in static.rglob("*"):
        if asset.suffix in {".css", ".js"}:
            text = asset.read_text(encoding="utf-8")
            assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text, re.IGNORECASE), asset
            assert "@import" not in text, asset


def test_every_html_page_has_the_accessible_skeleton(crawled):
    """Language, landmarks, one h1, a skip link, and a name for every navigation block."""
    problems = []
    for path, (status, content_type, body) in crawled.items():
        if not content_type.startswith("text/html") or 300 <= status < 400:
            continue
        parser = _PageParser()
        parser.feed(body)
        tags = [tag for tag, _ in parser.tags]
        html_lang = next(attrs.get("lang") for tag, attrs in parser.tags if tag == "html")
        expected_lang = "en" if path.startswith("[en]") else "fr"
        if html_lang != expected_lang:
            problems.append((path, f"lang={html_lang}"))
        if tags.count("h1") != 1 or tags.count("main") != 1:
            problems.append((path, "one h1 and one main"))
        if path.removeprefix("[en]").startswith("/jardinage"):
            continue
        if "header" not in tags or "footer" not in tags or 'href="#contenu"' not in body:
            problems.append((path, "banner, contentinfo and skip link"))
        unnamed = [
            attrs for tag, attrs in parser.tags if tag == "nav" and not attrs.get("aria-label")
        ]
        if unnamed:
            problems.append((path, "nav without aria-label"))
    assert problems == []
