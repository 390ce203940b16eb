"""The Whoosh schema, declared once. One document per service (or per organisation without any)."""

from __future__ import annotations

from whoosh import columns
from whoosh.fields import BOOLEAN, COLUMN, ID, KEYWORD, STORED, TEXT, Schema

from directory.search.analysis import french_analyzer
from directory.search.documents import FACET_FIELDS

__all__ = ["FACET_FIELDS", "FIELD_BOOSTS", "TEXT_FIELDS", "build_schema"]

# Field boosts: a name or acronym match outranks a description match. Few fields on
# purpose: each one costs postings and a length per document at indexing time.
FIELD_BOOSTS = {
    "name": 8.0,  # the organisation's name and acronym
    "parent_name": 3.0,
    "service_name": 3.0,
    "place": 2.0,  # municipalities and region names
    "sector_text": 2.0,
    "body": 1.0,
}
TEXT_FIELDS = tuple(FIELD_BOOSTS)


def build_schema() -> Schema:
    analyzer = french_analyzer()
    return Schema(
        # Only what is searched or counted is indexed: a term per document (an ID, a sort
        # key, a flag) costs a term, a posting and a block at indexing time for nothing.
        doc_id=STORED,
        org_id=ID(stored=True),
        # Folded full name and acronym: what organisation names are fuzzy-matched against.
        name_exact=ID,
        acronym_exact=ID,
        name_sort=COLUMN(columns.VarBytesColumn()),  # UTF-8: bytes sort like the text
        name=TEXT(analyzer=analyzer, phrase=False, field_boost=FIELD_BOOSTS["name"]),
        parent_name=TEXT(analyzer=analyzer, phrase=False, field_boost=FIELD_BOOSTS["parent_name"]),
        service_name=TEXT(
            analyzer=analyzer, phrase=False, field_boost=FIELD_BOOSTS["service_name"]
        ),
        place=TEXT(analyzer=analyzer, phrase=False, field_boost=FIELD_BOOSTS["place"]),
        sector_text=TEXT(analyzer=analyzer, phrase=False, field_boost=FIELD_BOOSTS["sector_text"]),
        body=TEXT(analyzer=analyzer, phrase=False),
        # Unstemmed folded words of names and places: the vocabulary typos are corrected
        # against. Not scored, no positions: only its lexicon is read.
        words=KEYWORD(scorable=False),
        region=KEYWORD(commas=True),
        sector=KEYWORD(commas=True),
        population=KEYWORD(commas=True),
        language=KEYWORD(commas=True),
        mode=KEYWORD(commas=True),
        type=ID,
        remote=BOOLEAN,
        verified=COLUMN(columns.NumericColumn("B", default=0)),
        payload=STORED,
    )
