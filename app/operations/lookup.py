"""Loading rows for operations and views, with the 404s people expect."""

from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from app.errors import OperationError, not_found
from app.extensions import db
from app.models import Department, Item, Statement, User

_WITH_SUBMITTER = (joinedload(Item.statement).joinedload(Statement.submitted_by),
                   joinedload(Item.statement).joinedload(Statement.assignee))


def item(file_id: str, *, submitter: bool = False) -> Item:
    """The item (with its department and statement; ``submitter``: and the statement's
    submitter, in the same query, for the statement's JSON)."""
    query = select(Item).where(Item.file_id == file_id)
    found = db.session.scalar(query.options(*_WITH_SUBMITTER) if submitter else query)
    if found is None:
        raise no_item(file_id)
    if submitter:  # the way back, which the option does not fill in: no query for it
        set_committed_value(found.statement, "item", found)
    return found


def no_item(file_id: str) -> OperationError:
    """The 404 for a file ID no item has (also the Core reads of ``app.api``)."""
    return not_found(gettext("No agenda item has file ID %(file_id)s.", file_id=repr(file_id)))


def locked_statement(file_id: str) -> Statement:
    """The item's statement, locked for the rest of the transaction.

    On PostgreSQL this is ``SELECT … FOR UPDATE``: a second reviewer waits,
    then sees the first one's result. On SQLite the write transaction already
    holds the database's write lock (``BEGIN IMMEDIATE``).
    """
    statement = db.session.scalar(
        select(Statement).join(Statement.item).where(Item.file_id == file_id)
        .with_for_update(of=Statement).execution_options(populate_existing=True)
    )
    if statement is None:
        raise no_item(file_id)
    db.session.refresh(statement.item)
    return statement


def department(code: str) -> Department | None:
    return db.session.scalar(select(Department).where(Department.code == code))


def user_by_email(email: str) -> User:
    """The user with this email, whatever its case."""
    found = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if found is None:
        raise not_found(gettext("No user has the email %(email)s.", email=repr(email)))
    return found
