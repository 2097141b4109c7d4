"""summary translations: the plain-language summary in other languages, entered by the department

``statements.summary_translations`` holds ``{language tag: text}`` (API.md,
"Languages": ``PUT`` may carry ``summary_translations``); the public page and the
packet show the reader's. Every existing statement has none.

Revision ID: c1a7e5f04d21
Revises: c3a9e5f1d7b2
Create Date: 2026-12-01 09:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'c1a7e5f04d21'
down_revision = 'c3a9e5f1d7b2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('summary_translations', sa.JSON(), server_default='{}',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.drop_column('summary_translations')
