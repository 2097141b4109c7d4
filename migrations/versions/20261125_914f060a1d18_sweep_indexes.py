"""sweep indexes: drop ix_statements_state, redundant with ix_statements_state_entered

The reminder sweep reads "statements in state X entered before T". With both
an index on ``state`` and one on ``(state, state_entered_at)``, PostgreSQL
chose the narrower one (it cannot know that the old rows of a review state are
few) and filtered every review in progress; the composite index serves
``state = X`` alone just as well, so the single-column one only cost writes.
See docs/PERFORMANCE.md, "Reminder sweep".

Revision ID: 914f060a1d18
Revises: 91dfd17836a5
Create Date: 2026-11-25 16:18:09.260234

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '914f060a1d18'
down_revision = '91dfd17836a5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statements_state'))


def downgrade():
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statements_state'), ['state'], unique=False)
