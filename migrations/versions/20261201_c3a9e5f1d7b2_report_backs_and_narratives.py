"""report-backs and annual narratives

``report_backs`` holds what a department owes once its item is agendized: one
row per success indicator of the approved statement (its fields copied), with
its status (pending, reported, withdrawn: a CHECK lists them) and the current
result. ``report_back_results`` keeps every result given, corrections with
their reason. ``items.created_at`` gets an index: the reports count the items
created in a period. ``annual_narratives`` holds a year's two narratives of the
annual progress report, versioned.

Revision ID: c3a9e5f1d7b2
Revises: b7e4a1c9d2f6
Create Date: 2026-12-01 10:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'c3a9e5f1d7b2'
down_revision = 'b7e4a1c9d2f6'
branch_labels = None
depends_on = None

# copied, not imported (a later change to the enum must not rewrite this migration)
STATUSES = ('pending', 'reported', 'withdrawn')


def upgrade():
    # the reports count the items created in a period
    op.create_index('ix_items_created_at', 'items', ['created_at'], unique=False)
    op.create_table(
        'report_backs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('statement_id', sa.Integer(), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('baseline', sa.String(length=1000), nullable=False),
        sa.Column('target', sa.String(length=1000), nullable=False),
        sa.Column('due', sa.Date(), nullable=False),
        sa.Column('status', sa.Enum(*STATUSES, name='status', native_enum=False, create_constraint=True,
                                    length=16), nullable=False),
        sa.Column('result', sa.Text(), nullable=True),
        sa.Column('reported_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('reported_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status <> 'reported' OR (result IS NOT NULL AND reported_at IS NOT NULL)",
                           name=op.f('ck_report_backs_reported_has_result')),
        sa.ForeignKeyConstraint(['reported_by_id'], ['users.id'],
                                name=op.f('fk_report_backs_reported_by_id_users')),
        sa.ForeignKeyConstraint(['statement_id'], ['statements.id'],
                                name=op.f('fk_report_backs_statement_id_statements')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_report_backs')),
        sa.UniqueConstraint('statement_id', 'n', name=op.f('uq_report_backs_statement_id')),
    )
    op.create_index('ix_report_backs_status_due', 'report_backs', ['status', 'due'], unique=False)
    op.create_table(
        'report_back_results',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('report_back_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('result', sa.Text(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('reported_by_id', sa.Integer(), nullable=True),
        sa.Column('reported_by', sa.String(length=254), nullable=False),
        sa.Column('reported_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['report_back_id'], ['report_backs.id'],
                                name=op.f('fk_report_back_results_report_back_id_report_backs')),
        sa.ForeignKeyConstraint(['reported_by_id'], ['users.id'],
                                name=op.f('fk_report_back_results_reported_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_report_back_results')),
        sa.UniqueConstraint('report_back_id', 'number', name=op.f('uq_report_back_results_report_back_id')),
    )
    op.create_table(
        'annual_narratives',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('ode', sa.Text(), nullable=False),
        sa.Column('community', sa.Text(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'],
                                name=op.f('fk_annual_narratives_updated_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_annual_narratives')),
        sa.UniqueConstraint('year', name=op.f('uq_annual_narratives_year')),
    )


def downgrade():
    op.drop_table('annual_narratives')
    op.drop_table('report_back_results')
    op.drop_index('ix_report_backs_status_due', table_name='report_backs')
    op.drop_table('report_backs')
    op.drop_index('ix_items_created_at', table_name='items')
