"""server-side web sessions, and a generation for each user's calendar-feed URL

``user_sessions``: one row per signed-in web session, keyed by the SHA-256 of the
random id in the cookie; deleting a row ends that session on the server (sign-out,
deactivation, a new password). Sessions of the old kind (a user id in the cookie)
find no row: everyone signs in once more after the upgrade.

``users.feed_generation``: signed into the calendar-feed URL; raising it makes the
old URL stop working. Existing URLs carry no generation and count as 0, so they keep
working until their owner asks for a new one.

Revision ID: 5e4f21e38bf8
Revises: 5c1d2e7a9b30
Create Date: 2026-12-01 05:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5e4f21e38bf8'
down_revision = '5c1d2e7a9b30'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('user_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('id_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
    sa.UniqueConstraint('id_hash', name=op.f('uq_user_sessions_id_hash'))
    )
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_sessions_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('feed_generation', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('feed_generation')

    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_sessions_user_id'))

    op.drop_table('user_sessions')
