"""The PostgreSQL backend ranks a concept on the plain disjunction of its words, and tests the
field-free words before the field-bound query: both shortcuts must change nothing. Checked on
the seed directory's search tables (the PostgreSQL leg of the suite, where `postgres` is the
default backend)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from directory.search import pg_query, service
from directory.search.analysis import word_spans
from directory.search.planner import plan

QUERIES = (
    "violence conjugale",
    "maison d'hébergement",
    "femme victime",
    "toxicomanie",
    "hébergement d'urgence pour femmes",
    "aide aux victimes d'actes criminels",
    "agresseur",
    "santé mentale",
)


@pytest.fixture
def postgres_app(app):
    if app.config["SEARCH_BACKEND"] != "postgres":
        pytest.skip("the PostgreSQL backend's ranking (run by make test-postgres)")
    return app


def _concepts(session, query: str) -> list[pg_query.ConceptQuery]:
    """The query's concepts as the PostgreSQL backend plans them (as `engine` does)."""
    retrieval = pg_query.PostgresRetrieval(session)
    thesaurus = service.thesaurus()
    typed = [word for word, _start, _end in word_spans(query)]
    vocabulary = retrieval.vocabulary(typed, thesaurus)
    query_plan = plan(query, vocabulary=vocabulary, thesaurus=thesaurus, places=service.places())
    assert query_plan is not None, query
    assert query_plan.concepts, query
    return pg_query.concept_queries(session, query_plan.concepts)


@pytest.mark.parametrize("query", QUERIES)
def test_plain_disjunction_ranks_as_the_field_bound_query(postgres_app, db_session, query):
    with postgres_app.test_request_context():
        concepts = [c for c in _concepts(db_session, query) if c.tsquery]
        compared = 0
        for concept in concepts:
            rows = db_session.execute(
                text(
                    "SELECT ts_rank(CAST(:w AS float4[]), document, CAST(:q AS tsquery)),"
                    " ts_rank(CAST(:w AS float4[]), document, CAST(:r AS tsquery))"
                    " FROM search_documents WHERE document @@ CAST(:q AS tsquery)"
                ),
                {"w": pg_query.RANK_WEIGHTS, "q": concept.tsquery, "r": concept.rank_query},
            ).all()
            for bound, plain in rows:
                assert plain == pytest.approx(bound, rel=1e-6), (query, concept.tsquery)
            compared += len(rows)
        assert compared > 0, query  # the seed holds services for every query above


@pytest.mark.parametrize("query", QUERIES)
def test_field_free_words_keep_every_field_bound_match(postgres_app, db_session, query):
    with postgres_app.test_request_context():
        bound_by_fields = [c for c in _concepts(db_session, query) if c.loose]
        for concept in bound_by_fields:
            missed = db_session.execute(
                text(
                    "SELECT count(*) FROM search_documents WHERE document @@ CAST(:q AS tsquery)"
                    " AND NOT document @@ CAST(:l AS tsquery)"
                ),
                {"q": concept.tsquery, "l": concept.loose},
            ).scalar()
            assert missed == 0, (query, concept.tsquery)
