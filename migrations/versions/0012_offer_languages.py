"""offer_languages: an expertise offer's languages in a child table, as a service's

The comma-separated `expertise_offers.languages` becomes rows of
`expertise_offer_languages` (offer_id, code), like `service_languages`. An empty string
gives no row; the downgrade writes the codes back, in alphabetical order.

The column is dropped with a plain ALTER TABLE (recreate="never", SQLite 3.35 or later):
batch mode's copy-and-move would DROP the old table, and with foreign keys on SQLite that
deletes the offer's sectors, regions and languages through their ON DELETE CASCADE.

Revision ID: 0012_offer_languages
Revises: 0011_pg_search
Create Date: 2026-11-30 20:30:00.000000

"""
from collections import defaultdict

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_offer_languages'
down_revision = '0011_pg_search'
branch_labels = None
depends_on = None

offers = sa.table(
    'expertise_offers', sa.column('id', sa.Uuid()), sa.column('languages', sa.String(60))
)
offer_languages = sa.table(
    'expertise_offer_languages', sa.column('offer_id', sa.Uuid()), sa.column('code', sa.String(3))
)


def upgrade():
    op.create_table('expertise_offer_languages',
    sa.Column('offer_id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=3), nullable=False),
    sa.ForeignKeyConstraint(['offer_id'], ['expertise_offers.id'], name=op.f('fk_expertise_offer_languages_offer_id_expertise_offers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('offer_id', 'code', name=op.f('pk_expertise_offer_languages'))
    )
    connection = op.get_bind()
    rows = [
        {'offer_id': offer_id, 'code': code}
        for offer_id, languages in connection.execute(sa.select(offers.c.id, offers.c.languages))
        for code in dict.fromkeys(part.strip() for part in (languages or '').split(','))
        if code
    ]
    if rows:
        op.bulk_insert(offer_languages, rows)
    with op.batch_alter_table('expertise_offers', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('languages')


def downgrade():
    with op.batch_alter_table('expertise_offers', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('languages', sa.String(length=60), nullable=False, server_default=''))
    connection = op.get_bind()
    codes = defaultdict(list)
    stmt = sa.select(offer_languages.c.offer_id, offer_languages.c.code).order_by(
        offer_languages.c.offer_id, offer_languages.c.code
    )
    for offer_id, code in connection.execute(stmt):
        codes[offer_id].append(code)
    for offer_id, found in codes.items():
        connection.execute(
            offers.update().where(offers.c.id == offer_id).values(languages=','.join(found))
        )
    if connection.dialect.name != 'sqlite':
        # SQLite cannot drop a column's default without rebuilding the table (see above):
        # there the column keeps DEFAULT '', which only applies when no value is given.
        with op.batch_alter_table('expertise_offers', schema=None) as batch_op:
            batch_op.alter_column('languages', server_default=None)
    op.drop_table('expertise_offer_languages')
