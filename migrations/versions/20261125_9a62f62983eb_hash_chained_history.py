"""hash-chained history

Adds ``prev_hash`` and ``hash`` to every history row and computes the chain
for the rows that already exist, statement by statement in ``seq`` order.
The hash is repeated here rather than imported: a revision must keep doing
what it did when it was written, whatever the application later becomes
(the application's copy is ``app.models.history.content_hash``).

Revision ID: 9a62f62983eb
Revises: 382d414e9c48
Create Date: 2026-11-25 16:00:09.590017

"""
import hashlib
import json
from datetime import UTC

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '9a62f62983eb'
down_revision = '382d414e9c48'
branch_labels = None
depends_on = None

GENESIS = "0" * 64

history = sa.table(
    "history_events",
    sa.column("id", sa.Integer), sa.column("statement_id", sa.Integer), sa.column("seq", sa.Integer),
    sa.column("event", sa.String), sa.column("from_state", sa.String), sa.column("to_state", sa.String),
    sa.column("actor", sa.String), sa.column("comment", sa.Text),
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("prev_hash", sa.String), sa.column("hash", sa.String),
)


def _hash(row, prev_hash):
    at = row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC)  # SQLite reads back naive UTC
    content = {"statement_id": row.statement_id, "seq": row.seq, "event": row.event,
               "from_state": row.from_state, "to_state": row.to_state, "actor": row.actor,
               "comment": row.comment, "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
               "prev_hash": prev_hash}
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _backfill():
    conn = op.get_bind()
    rows = conn.execute(sa.select(history).order_by(history.c.statement_id, history.c.seq)).all()
    statement_id, prev_hash, updates = None, GENESIS, []
    for row in rows:
        if row.statement_id != statement_id:
            statement_id, prev_hash = row.statement_id, GENESIS
        digest = _hash(row, prev_hash)
        updates.append({"row_id": row.id, "new_prev": prev_hash, "new_hash": digest})
        prev_hash = digest
    if updates:
        conn.execute(history.update().where(history.c.id == sa.bindparam("row_id"))
                     .values(prev_hash=sa.bindparam("new_prev"), hash=sa.bindparam("new_hash")),
                     updates)


def upgrade():
    with op.batch_alter_table('history_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))

    _backfill()

    with op.batch_alter_table('history_events', schema=None) as batch_op:
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_history_events_hash'), ['hash'])


def downgrade():
    with op.batch_alter_table('history_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_history_events_hash'), type_='unique')
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
