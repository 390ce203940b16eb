"""pg_search: the PostgreSQL full-text search backend's tables

The search documents (one row per service: a weighted tsvector, filter and facet values,
what a result shows), their places for distances, and the typo vocabulary. On PostgreSQL,
the extensions unaccent and pg_trgm and the text search configuration `filet_fr` (French
stemming over unaccent) come first; on SQLite the tables are created with plain types and
stay empty (the Whoosh backend is the only one there).

Revision ID: 0011_pg_search
Revises: 0010_meeting_lifecycle
Create Date: 2026-11-30 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = '0011_pg_search'
down_revision = '0010_meeting_lifecycle'
branch_labels = None
depends_on = None

TEXT_LIST = postgresql.ARRAY(sa.Text()).with_variant(sa.JSON(), 'sqlite')
VECTOR = postgresql.TSVECTOR().with_variant(sa.Text(), 'sqlite')

# unaccent and pg_trgm are "trusted" extensions (PostgreSQL 13+): the database's owner may
# create them without being a superuser. Both ship with PostgreSQL (contrib).
POSTGRESQL_SETUP = (
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS filet_fr",
    "CREATE TEXT SEARCH CONFIGURATION filet_fr (COPY = pg_catalog.french)",
    "ALTER TEXT SEARCH CONFIGURATION filet_fr ALTER MAPPING FOR"
    " asciiword, asciihword, hword_asciipart, word, hword, hword_part"
    " WITH unaccent, french_stem",
)


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for statement in POSTGRESQL_SETUP:
            op.execute(statement)

    op.create_table('search_documents',
    sa.Column('doc_id', sa.String(length=80), nullable=False),
    sa.Column('docnum', sa.BigInteger(), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('document', VECTOR, nullable=False),
    sa.Column('name_key', sa.Text(), nullable=False),
    sa.Column('acronym_key', sa.Text(), nullable=True),
    sa.Column('name_sort', sa.Text(), nullable=False),
    sa.Column('facets', TEXT_LIST, nullable=False),
    sa.Column('facet_list', sa.Text(), nullable=False),
    sa.Column('served', TEXT_LIST, nullable=False),
    sa.Column('verified', sa.Boolean(), nullable=False),
    sa.Column('flags', sa.SmallInteger(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('doc_id', name=op.f('pk_search_documents')),
    sa.UniqueConstraint('docnum', name=op.f('uq_search_documents_docnum'))
    )
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_documents_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index('ix_search_documents_document', ['document'], unique=False, postgresql_using='gin')
        batch_op.create_index('ix_search_documents_facets', ['facets'], unique=False, postgresql_using='gin')
        batch_op.create_index('ix_search_documents_name_key', ['name_key'], unique=False, postgresql_using='gin', postgresql_ops={'name_key': 'gin_trgm_ops'})
        batch_op.create_index('ix_search_documents_acronym_key', ['acronym_key'], unique=False, postgresql_using='gin', postgresql_ops={'acronym_key': 'gin_trgm_ops'})

    op.create_table('search_places',
    sa.Column('docnum', sa.BigInteger(), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=False),
    sa.Column('longitude', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('docnum', 'latitude', 'longitude', name=op.f('pk_search_places'))
    )
    with op.batch_alter_table('search_places', schema=None) as batch_op:
        batch_op.create_index('ix_search_places_latitude', ['latitude', 'longitude', 'docnum'], unique=False)

    op.create_table('search_words',
    sa.Column('word', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('word', name=op.f('pk_search_words'))
    )
    with op.batch_alter_table('search_words', schema=None) as batch_op:
        batch_op.create_index('ix_search_words_trigrams', ['word'], unique=False, postgresql_using='gin', postgresql_ops={'word': 'gin_trgm_ops'})


def downgrade():
    op.drop_table('search_words')
    op.drop_table('search_places')
    op.drop_table('search_documents')
    if op.get_bind().dialect.name == 'postgresql':
        # The extensions stay: other schemas may use them.
        op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS filet_fr")
