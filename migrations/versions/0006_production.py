"""production: throttle windows, login attempts without addresses, search outbox

Revision ID: 0006_production
Revises: 0003_meetings
Create Date: 2026-11-30 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_production'
down_revision = '0003_meetings'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('throttle_windows',
    sa.Column('scope', sa.String(length=40), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('scope', 'key', 'window_start', name=op.f('pk_throttle_windows'))
    )
    with op.batch_alter_table('throttle_windows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_throttle_windows_window_start'), ['window_start'], unique=False)

    op.create_table('search_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_outbox'))
    )
    with op.batch_alter_table('search_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_outbox_organisation_id'), ['organisation_id'], unique=False)

    # Login attempts kept raw client addresses: they go, with the rows that held them.
    op.execute("DELETE FROM login_attempts")
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_attempts_ip'))
        batch_op.drop_column('ip')
        batch_op.add_column(sa.Column('client_key', sa.String(length=64), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.drop_column('client_key')
        batch_op.add_column(sa.Column('ip', sa.String(length=45), nullable=False, server_default=''))
        batch_op.create_index(batch_op.f('ix_login_attempts_ip'), ['ip'], unique=False)

    with op.batch_alter_table('search_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_outbox_organisation_id'))
    op.drop_table('search_outbox')

    with op.batch_alter_table('throttle_windows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_throttle_windows_window_start'))
    op.drop_table('throttle_windows')
