"""separation of duties across a round; history event names as a checked enum

``statements.department_approved_by_id`` names who gave the department approval
of the current round, so that the same person (an admin included) cannot also
give the ODE approval (API.md, "Separation of duties"). Existing statements take
it from their history: the last department-level approval since the last
submission. ``history_events.event`` gets the CHECK constraint that ``State``
and ``Role`` already have: only the engine's own event names.

Revision ID: 5c1d2e7a9b30
Revises: 914f060a1d18
Create Date: 2026-12-01 06:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '5c1d2e7a9b30'
down_revision = '914f060a1d18'
branch_labels = None
depends_on = None

# copied, not imported (a later change to the enum must not rewrite this migration)
EVENTS = ('submit', 'approve', 'return', 'reopen', 'create', 'agendize', 'unagendize')


def upgrade():
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('department_approved_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_statements_department_approved_by_id_users'),
                                    'users', ['department_approved_by_id'], ['id'])
    op.execute("""
        UPDATE statements SET department_approved_by_id = (
            SELECT h.actor_id FROM history_events h
            WHERE h.statement_id = statements.id AND h.event = 'approve'
              AND h.from_state = 'department_review'
              AND h.seq > COALESCE((SELECT MAX(s.seq) FROM history_events s
                                    WHERE s.statement_id = statements.id AND s.event = 'submit'), 0)
            ORDER BY h.seq DESC LIMIT 1)
        WHERE state IN ('ode_review', 'ready_to_agendize')
    """)
    with op.batch_alter_table('history_events', schema=None) as batch_op:
        batch_op.alter_column('event', existing_type=sa.String(length=32),
                              type_=sa.Enum(*EVENTS, name='event', native_enum=False, create_constraint=True,
                                            length=32),
                              existing_nullable=False)


def downgrade():
    with op.batch_alter_table('history_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_history_events_event'), type_='check')
        batch_op.alter_column('event', existing_type=sa.Enum(*EVENTS, name='event', native_enum=False,
                                                             length=32),
                              type_=sa.String(length=32), existing_nullable=False)
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_statements_department_approved_by_id_users'),
                                 type_='foreignkey')
        batch_op.drop_column('department_approved_by_id')
