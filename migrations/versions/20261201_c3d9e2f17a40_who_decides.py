"""who decides: delegations, ODE assignment, stalls, and "on behalf of" in the history

``delegations`` holds who named whom for which span of City dates (both ends
included), who set it and whether it was revoked. ``statements`` gains the ODE
reviewer it is assigned to (``assignee_id``, ``assigned_at``) and
``stalled_since`` (nobody can take its next decision). ``history_events``
gains ``on_behalf_of``: the delegator's email when a delegate acted; it enters
a row's hash only when set, so every existing row verifies unchanged.
``notifications.kind`` gains ``assigned``, ``stalled`` and ``delegated``. The
values are copied here, not imported.

Revision ID: c3d9e2f17a40
Revises: c1a7e5f04d21
Create Date: 2026-12-01 10:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'c3d9e2f17a40'
down_revision = 'c1a7e5f04d21'
branch_labels = None
depends_on = None

OLD_KINDS = ('submitted', 'approved', 'returned', 'ready', 'reopened', 'agendized', 'unagendized',
             'reminder', 'digest')
NEW_KINDS = (*OLD_KINDS, 'assigned', 'stalled', 'delegated')


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _kinds(values: tuple[str, ...]) -> None:
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_notifications_kind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_notifications_kind'), _in('kind', values))


def upgrade():
    op.create_table(
        'delegations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('delegator_id', sa.Integer(), nullable=False),
        sa.Column('delegate_id', sa.Integer(), nullable=False),
        sa.Column('starts', sa.Date(), nullable=False),
        sa.Column('ends', sa.Date(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint('ends >= starts', name=op.f('ck_delegations_ends_not_before_starts')),
        sa.CheckConstraint('delegator_id <> delegate_id', name=op.f('ck_delegations_not_oneself')),
        sa.ForeignKeyConstraint(['delegator_id'], ['users.id'],
                                name=op.f('fk_delegations_delegator_id_users')),
        sa.ForeignKeyConstraint(['delegate_id'], ['users.id'], name=op.f('fk_delegations_delegate_id_users')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_delegations_created_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_delegations')),
    )
    op.create_index('ix_delegations_delegate_span', 'delegations', ['delegate_id', 'ends'])
    op.create_index('ix_delegations_delegator_span', 'delegations', ['delegator_id', 'ends'])
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assignee_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('stalled_since', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_statements_assignee_id_users'), 'users',
                                    ['assignee_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_statements_assignee_id'), ['assignee_id'])
    with op.batch_alter_table('history_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('on_behalf_of', sa.String(length=254), nullable=True))
    _kinds(NEW_KINDS)


def downgrade():
    op.execute(f"DELETE FROM notifications WHERE NOT ({_in('kind', OLD_KINDS)})")
    _kinds(OLD_KINDS)
    with op.batch_alter_table('history_events', schema=None) as batch_op:
        batch_op.drop_column('on_behalf_of')
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statements_assignee_id'))
        batch_op.drop_constraint(batch_op.f('fk_statements_assignee_id_users'), type_='foreignkey')
        batch_op.drop_column('stalled_since')
        batch_op.drop_column('assigned_at')
        batch_op.drop_column('assignee_id')
    op.drop_index('ix_delegations_delegator_span', table_name='delegations')
    op.drop_index('ix_delegations_delegate_span', table_name='delegations')
    op.drop_table('delegations')
