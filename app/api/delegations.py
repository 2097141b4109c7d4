"""Who decides (API.md): one's delegation, an administrator's for anyone, the ODE
assignment, and the stalled statements. Views parse, call one operation, serialise."""

from __future__ import annotations

from datetime import date, datetime

from flask import g, jsonify
from pydantic import BaseModel, Field

from app.api import serialize
from app.api.blueprint import api
from app.api.schemas import StatementOut, Strict
from app.api.spec import parse
from app.errors import forbidden
from app.operations import assignment, deciders, delegation, lookup
from app.permissions import Action, can


class DelegationIn(Strict):
    delegate: str = Field(min_length=1, max_length=254)
    starts: date
    ends: date


class DelegationOut(BaseModel):
    delegator: str
    delegate: str
    starts: date
    ends: date
    #: whether the span holds today (City date)
    active: bool
    created_by: str | None
    created_at: datetime


class AssignIn(Strict):
    assignee: str | None = Field(max_length=254)


class StalledEntry(BaseModel):
    file_id: str
    state: str
    since: datetime


class StalledList(BaseModel):
    statements: list[StalledEntry]


class Empty(BaseModel):
    """No body (204)."""


def _someone(email: str):
    """The person an administrator manages (others learn nothing about who exists: 403)."""
    if not can(g.actor, Action.ADMINISTER):
        raise forbidden("Only administrators manage someone else's delegation.")
    return lookup.user_by_email(email)


def _set(delegator_email: str | None):
    body = parse(DelegationIn)
    delegator = g.actor if delegator_email is None else _someone(delegator_email)
    row = delegation.set_delegate(g.actor, delegator, body.delegate, body.starts, body.ends)
    return jsonify(delegation.to_dict(row))


@api.route("GET", "/me/delegation", summary="The caller's delegate and span (404: none named)",
           response=DelegationOut, errors=(403, 404))
def delegation_get():
    return jsonify(delegation.to_dict(delegation.current(g.actor, g.actor)))


@api.route("PUT", "/me/delegation", summary="Name the caller's delegate for a span of City dates "
           "(replaces any earlier one)", body=DelegationIn, response=DelegationOut, errors=(403,))
def delegation_put():
    return _set(None)


@api.route("DELETE", "/me/delegation", summary="Revoke the caller's delegation", response=Empty,
           status=204, errors=(403, 404))
def delegation_delete():
    delegation.revoke(g.actor, g.actor)
    return "", 204


@api.route("GET", "/users/<email>/delegation", summary="Someone's delegate (admin)",
           response=DelegationOut, errors=(403, 404))
def user_delegation_get(email):
    return jsonify(delegation.to_dict(delegation.current(g.actor, _someone(email))))


@api.route("PUT", "/users/<email>/delegation", summary="Name a delegate for someone who is away (admin)",
           body=DelegationIn, response=DelegationOut, errors=(403, 404))
def user_delegation_put(email):
    return _set(email)


@api.route("DELETE", "/users/<email>/delegation", summary="Revoke someone's delegation (admin)",
           response=Empty, status=204, errors=(403, 404))
def user_delegation_delete(email):
    delegation.revoke(g.actor, _someone(email))
    return "", 204


@api.route("POST", "/items/<file_id>/statement/assign", summary="Give a statement in ODE review to an "
           "ODE reviewer (null: to nobody)", body=AssignIn, response=StatementOut, errors=(403, 404, 409))
def statement_assign(file_id):
    body = parse(AssignIn)
    return jsonify(serialize.statement(assignment.assign(g.actor, file_id, body.assignee)))


@api.route("GET", "/stalled", summary="Statements in review that nobody can decide now (admin)",
           response=StalledList, errors=(403,))
def stalled_list():
    if not can(g.actor, Action.ADMINISTER):
        raise forbidden("Only administrators list the stalled statements.")
    found = deciders.stalled()
    return jsonify({"statements": [{"file_id": s.item.file_id, "state": s.state.value,
                                    "since": since.isoformat()} for s, since in found]})
