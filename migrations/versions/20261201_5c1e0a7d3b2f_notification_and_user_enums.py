"""notification and user enums: CHECK constraints on kind, email_status, language, notify_mode

``NotificationKind``, ``EmailStatus``, ``Language`` and ``NotifyMode`` became
enums in the models (as ``State`` and ``Role`` are), stored as VARCHAR with a
CHECK constraint listing the values, so a typo in code cannot write a kind or
a status nobody reads. The columns keep their lengths; only the constraints
are new. The values are copied here, not imported: this revision must mean
the same thing whatever the enums become. ``agendized`` and ``unagendized``
are new kinds (the item's staff are told when the clerk changes the agenda).

Revision ID: 5c1e0a7d3b2f
Revises: 5e4f21e38bf8
Create Date: 2026-11-26 09:00:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '5c1e0a7d3b2f'
down_revision = '5e4f21e38bf8'
branch_labels = None
depends_on = None

KINDS = ('submitted', 'approved', 'returned', 'ready', 'reopened', 'agendized', 'unagendized',
         'reminder', 'digest')
EMAIL_STATUSES = ('pending', 'sent', 'failed', 'skipped')
LANGUAGES = ('en', 'es', 'vi', 'zh-Hant')
NOTIFY_MODES = ('each', 'digest')

CHECKS = {
    'notifications': (('kind', KINDS), ('email_status', EMAIL_STATUSES)),
    'users': (('language', LANGUAGES), ('notify_mode', NOTIFY_MODES)),
}


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade():
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, values in checks:
                batch_op.create_check_constraint(op.f(f'ck_{table}_{column}'), _in(column, values))


def downgrade():
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, _values in checks:
                batch_op.drop_constraint(op.f(f'ck_{table}_{column}'), type_='check')
