"""The Whoosh schema, declared once. One document per service (or per organisation without any)."""

from __future__ import annotations

from whoosh.fields import BOOLEAN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from directory.search.analysis import french_analyzer, word_analyzer

# Field boosts: a name or acronym match outranks a description match.
FIELD_BOOSTS = {
    "name": 8.0,
    "acronym": 8.0,
    "parent_name": 3.0,
    "service_name": 3.0,
    "municipality": 2.5,
    "sector_text": 2.0,
    "region_name": 1.5,
    "body": 1.0,
}
TEXT_FIELDS = tuple(FIELD_BOOSTS)
FACET_FIELDS = ("region", "sector", "population", "language", "mode", "type")


def build_schema() -> Schema:
    analyzer = french_analyzer()
    return Schema(
        doc_id=ID(stored=True, unique=True),
        org_id=ID(stored=True),
        # Folded full name and acronym: what organisation names are fuzzy-matched against.
        name_exact=ID,
        acronym_exact=ID,
        name_sort=ID(sortable=True),
        name=TEXT(analyzer=analyzer, field_boost=FIELD_BOOSTS["name"]),
        acronym=TEXT(analyzer=analyzer, field_boost=FIELD_BOOSTS["acronym"]),
        parent_name=TEXT(analyzer=analyzer, field_boost=FIELD_BOOSTS["parent_name"]),
        service_name=TEXT(analyzer=analyzer, field_boost=FIELD_BOOSTS["service_name"]),
        municipality=TEXT(analyzer=analyzer, field_boost=FIELD_BOOSTS["municipality"]),
        sector_text=TEXT(analyzer=analyzer, field_boost=FIELD_BOOSTS["sector_text"]),
        region_name=TEXT(analyzer=analyzer, field_boost=FIELD_BOOSTS["region_name"]),
        body=TEXT(analyzer=analyzer),
        # Unstemmed words of the names and places: the vocabulary for typo correction.
        words=TEXT(analyzer=word_analyzer()),
        region=KEYWORD(commas=True),
        sector=KEYWORD(commas=True),
        population=KEYWORD(commas=True),
        language=KEYWORD(commas=True),
        mode=KEYWORD(commas=True),
        type=ID,
        remote=BOOLEAN,
        verified=NUMERIC(int, sortable=True),
        payload=STORED,
    )
