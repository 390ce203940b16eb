"""search: the hours of a phone line, shown with search results and the printed short list

Revision ID: 0005_search
Revises: 0003_meetings
Create Date: 2026-11-30 10:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_search'
down_revision = '0003_meetings'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('phones', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hours', sa.String(length=80), nullable=True))


def downgrade():
    with op.batch_alter_table('phones', schema=None) as batch_op:
        batch_op.drop_column('hours')
