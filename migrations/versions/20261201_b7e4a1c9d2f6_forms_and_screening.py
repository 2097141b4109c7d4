"""forms and screening: each statement's form, screening answers and questionnaire version; ODE's rules

``statements.form`` says which questions a statement asks (full, short, exemption),
``statements.screening`` holds its screening answers and
``statements.questionnaire_version`` the version of the questions it was written
against: every existing statement is a full statement of version 1, which is what
the server defaults give them. ``statement_revisions.form`` records the form of each
submission. ``screening_rules`` maps an item type to an exemption category.

Revision ID: b7e4a1c9d2f6
Revises: 5c1e0a7d3b2f
Create Date: 2026-12-01 09:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'b7e4a1c9d2f6'
down_revision = '5c1e0a7d3b2f'
branch_labels = None
depends_on = None

# copied, not imported (a later change to the enums must not rewrite this migration)
FORMS = ('full', 'short', 'exemption')
CATEGORIES = ('ceremonial', 'minutes_procedural', 'appointments', 'receipt_of_reports', 'other')


def _form():
    return sa.Enum(*FORMS, name='statement_form', native_enum=False, create_constraint=True, length=16)


def upgrade():
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('form', _form(), server_default='full', nullable=False))
        batch_op.add_column(sa.Column('screening', sa.JSON(), server_default='{}', nullable=False))
        batch_op.add_column(sa.Column('questionnaire_version', sa.Integer(), server_default='1',
                                      nullable=False))
    with op.batch_alter_table('statement_revisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('form', _form(), server_default='full', nullable=False))

    op.create_table(
        'screening_rules',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('item_type', sa.String(length=200), nullable=False),
        sa.Column('item_type_key', sa.String(length=200), nullable=False),
        sa.Column('category', sa.Enum(*CATEGORIES, name='exemption_category', native_enum=False,
                                      create_constraint=True, length=32), nullable=False),
        sa.Column('set_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['set_by_id'], ['users.id'], name=op.f('fk_screening_rules_set_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_screening_rules')),
        sa.UniqueConstraint('item_type_key', name=op.f('uq_screening_rules_item_type_key')),
    )


def downgrade():
    op.drop_table('screening_rules')
    with op.batch_alter_table('statement_revisions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_statement_revisions_statement_form'), type_='check')
        batch_op.drop_column('form')
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_statements_statement_form'), type_='check')
        batch_op.drop_column('questionnaire_version')
        batch_op.drop_column('screening')
        batch_op.drop_column('form')
