"""Home: the person's department's items by statement state, with deadlines, late flags,
and which drafts were sent back (returned by a reviewer, or reopened)."""

from __future__ import annotations

from flask import render_template

from app import permissions
from app.web import queries, timing
from app.web.auth import me
from workflows.statement import STATES, State
from workflows.states import Event


def index():
    user = me()
    department = user.department.code if user.department is not None else None
    items = queries.department_items(department)
    today = timing.today()
    rows = [(item, timing.for_item(item, today)) for item in items]
    groups = [(state, [r for r in rows if r[0].statement.state == state]) for state in STATES]
    late = [r for r in rows if r[1].late]
    sent_back = queries.sent_back(item.statement.id for item in items if item.statement.state == State.DRAFT)
    returned = [e for e in sent_back.values() if e.event == Event.RETURN]
    queues = [(state, dept, len(queries.queue(state, dept))) for state, dept in permissions.queues(user)]
    return render_template("home.html", groups=groups, late=late, department=user.department,
                           queues=queues, today=today, sent_back=sent_back, returned=returned)
