"""production: throttling, search outbox, append-only audit, confidential-site approvals

Throttle windows; login attempts without client addresses; the search outbox; an
append-only audit trail of every event; a second person's approval to make a
confidential site public.

Revision ID: 0006_production
Revises: 0005_search
Create Date: 2026-11-30 10:00:00.000000

"""
from datetime import timedelta

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_production'
down_revision = '0005_search'
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

    _audit_upgrade()

    # Tokens expire: those issued before get 90 days from their creation.
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))
    tokens = sa.table('api_tokens', sa.column('id', sa.Uuid()), sa.column('created_at', sa.DateTime(timezone=True)), sa.column('expires_at', sa.DateTime(timezone=True)))
    connection = op.get_bind()
    for token_id, created in connection.execute(sa.select(tokens.c.id, tokens.c.created_at)).all():
        connection.execute(tokens.update().where(tokens.c.id == token_id).values(expires_at=created + timedelta(days=90)))
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=sa.DateTime(timezone=True), nullable=False)

    op.create_table('confidentiality_releases',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('location_id', sa.Uuid(), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('requested_by_id', sa.Uuid(), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('decided_by_id', sa.Uuid(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'approved', 'rejected')", name=op.f('ck_confidentiality_releases_status')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_confidentiality_releases_decided_by_id_users')),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_confidentiality_releases_location_id_locations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_confidentiality_releases_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_confidentiality_releases_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_confidentiality_releases'))
    )
    with op.batch_alter_table('confidentiality_releases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_confidentiality_releases_location_id'), ['location_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_confidentiality_releases_organisation_id'), ['organisation_id'], unique=False)


OLD_ACTIONS = ('create', 'update', 'archive', 'restore', 'revert', 'verify', 'publish')
NEW_ACTIONS = OLD_ACTIONS + (
    'invite', 'login', 'login_failed', 'password_change', 'password_reset', 'role_change',
    'disable', 'enable', 'token_issue', 'token_revoke', 'approve', 'reject',
    'release_request', 'release_approve', 'release_reject', 'confirm', 'cancel',
)


def _in(actions):
    return "action IN (" + ", ".join(f"'{action}'" for action in actions) + ")"


def _audit_upgrade():
    """Account, approval and meeting events join the trail; rows become append-only: a
    revert names the update it undid (instead of the update being marked), and no foreign
    key deletes or nulls an audit row any more."""
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reverts_id', sa.Integer(), nullable=True))
    op.execute(
        "UPDATE audit_entries SET reverts_id = (SELECT updated.id FROM audit_entries updated"
        " WHERE updated.reverted_by_id = audit_entries.id)"
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_audit_entries_reverted_by_id_audit_entries'), type_='foreignkey')
        batch_op.drop_column('reverted_by_id')
        batch_op.drop_constraint(batch_op.f('ck_audit_entries_action'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_audit_entries_organisation_id_organisations'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_audit_entries_user_id_users'), type_='foreignkey')
        batch_op.alter_column('action', existing_type=sa.String(length=10), type_=sa.String(length=20), existing_nullable=False)
        batch_op.alter_column('organisation_id', existing_type=sa.Uuid(), nullable=True)
        batch_op.create_check_constraint('action', _in(NEW_ACTIONS))
        batch_op.create_foreign_key(batch_op.f('fk_audit_entries_organisation_id_organisations'), 'organisations', ['organisation_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_audit_entries_user_id_users'), 'users', ['user_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_audit_entries_reverts_id_audit_entries'), 'audit_entries', ['reverts_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_audit_entries_reverts_id'), ['reverts_id'], unique=False)


def _audit_downgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reverted_by_id', sa.Integer(), nullable=True))
    op.execute(
        "UPDATE audit_entries SET reverted_by_id = (SELECT revert.id FROM audit_entries revert"
        " WHERE revert.reverts_id = audit_entries.id)"
    )
    op.execute("DELETE FROM audit_entries WHERE " + _in(NEW_ACTIONS[len(OLD_ACTIONS):]))
    op.execute("DELETE FROM audit_entries WHERE organisation_id IS NULL")
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entries_reverts_id'))
        batch_op.drop_constraint(batch_op.f('fk_audit_entries_reverts_id_audit_entries'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_audit_entries_user_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_audit_entries_organisation_id_organisations'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('ck_audit_entries_action'), type_='check')
        batch_op.drop_column('reverts_id')
        batch_op.alter_column('organisation_id', existing_type=sa.Uuid(), nullable=False)
        batch_op.alter_column('action', existing_type=sa.String(length=20), type_=sa.String(length=10), existing_nullable=False)
        batch_op.create_check_constraint('action', _in(OLD_ACTIONS))
        batch_op.create_foreign_key(batch_op.f('fk_audit_entries_organisation_id_organisations'), 'organisations', ['organisation_id'], ['id'], ondelete='CASCADE')
        batch_op.create_foreign_key(batch_op.f('fk_audit_entries_user_id_users'), 'users', ['user_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_audit_entries_reverted_by_id_audit_entries'), 'audit_entries', ['reverted_by_id'], ['id'])


def downgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('expires_at')

    with op.batch_alter_table('confidentiality_releases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_confidentiality_releases_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_confidentiality_releases_location_id'))
    op.drop_table('confidentiality_releases')

    _audit_downgrade()

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
