"""Agenda items: create one, change one, and the item page (statement, history, lifecycle)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext
from wtforms import SelectChoice

from app import permissions
from app.errors import OperationError
from app.operations import items as item_ops
from app.operations import lookup, report_backs
from app.permissions import Action
from app.web import diagram, queries, refusals, timing
from app.web.auth import me
from forms.item import ItemFieldsForm, ItemForm
from workflows.statement import State, mermaid


def new():
    user = me()
    if not permissions.can_ever(user, Action.CREATE_ITEM):
        abort(403)
    form = ItemForm()
    form.department.choices = [SelectChoice(d.code, f"{d.code} — {d.name}") for d in queries.departments()
                               if permissions.can(user, Action.CREATE_ITEM, d.code)]
    example = item_ops.file_id_example(current_app.config["REIS_FILE_ID_PATTERN"])
    if example is not None:  # the deployment's own form of file number, not always Sacramento's
        form.file_id.description = gettext("The city's file number, for example %(example)s.",
                                           example=example)
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            item = item_ops.create_item(user, form.data_for_create())
        except OperationError as exc:
            problems = refusals.place(exc, form)
        else:
            flash(gettext("Item %(file_id)s created. Now write its statement.", file_id=item.file_id),
                  "success")
            return redirect(url_for("web.statement", file_id=item.file_id), 303)
    status = 422 if form.is_submitted() else 200
    return render_template("item_new.html", form=form, problems=problems), status


def edit(file_id: str):
    user = me()
    item = lookup.item(file_id)
    if not permissions.can(user, Action.EDIT, item):
        abort(403)
    form = ItemFieldsForm(obj=item)
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            item_ops.update_item(user, file_id, form.changes())
        except OperationError as exc:
            problems = refusals.place(exc, form)
        else:
            flash(gettext("Item %(file_id)s saved.", file_id=file_id), "success")
            return redirect(url_for("web.item", file_id=file_id), 303)
    status = 422 if form.is_submitted() else 200
    return render_template("item_edit.html", form=form, item=item, problems=problems), status


def show(file_id: str):
    user = me()
    item = lookup.item(file_id)
    statement = item.statement
    may_read = permissions.can_read(user, statement)  # a never-submitted draft is its department's
    return render_template(
        "item.html", item=item, statement=statement, sections=statement.questions.sections,
        answers=(statement.answers or {}) if may_read else {},
        events=queries.history(statement.id) if may_read else [],
        timing=timing.for_item(item), diagram=diagram.svg(statement.state),
        edges=diagram.edges(), mermaid=mermaid(statement.state),
        may_edit=permissions.can(user, Action.EDIT, item),
        may_edit_statement=statement.state == State.DRAFT and permissions.can(user, Action.EDIT, item),
        may_review=permissions.can(user, Action.RETURN, statement),
        may_assign=permissions.can_ever(user, Action.ASSIGN),
        reviewers=queries.ode_reviewers() if statement.state == State.ODE_REVIEW else [],
        may_read=may_read,
        report_backs=report_backs.shown(report_backs.owed(statement.id)) if may_read else [],
        may_report=permissions.can(user, Action.REPORT_BACK, item))

