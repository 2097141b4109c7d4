"""The annual progress report's narratives: ODE's account and the community partners'.

One row per year, versioned: a save names the version it read and is refused (409)
when someone saved since, so two writers cannot overwrite each other. A year nobody
wrote yet reads as empty, version 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.db import write_transaction
from app.errors import conflict, forbidden, invalid, not_found
from app.extensions import db
from app.models import AnnualNarrative, User
from app.models.base import utcnow
from app.permissions import Action, can_ever, require
from workflows.i18n import N_, Text

FIRST_YEAR, LAST_YEAR = 2000, 2999
#: each narrative, at most
MAX_LENGTH = 50_000


@dataclass(frozen=True)
class Narrative:
    year: int
    ode: str
    community: str
    version: int

    def to_dict(self) -> dict:
        return {"year": self.year, "ode": self.ode, "community": self.community, "version": self.version}


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise not_found(gettext("There is no annual report for the year %(year)s.", year=year))


def _row(year: int) -> AnnualNarrative | None:
    return db.session.scalar(select(AnnualNarrative).where(AnnualNarrative.year == year))


def read(year: int) -> Narrative:
    """The year's narratives (empty, version 0, when nobody wrote them yet); no permission asked."""
    _check_year(year)
    row = _row(year)
    return Narrative(year, "", "", 0) if row is None else Narrative(year, row.ode, row.community, row.version)


def get(actor: User, year: int) -> Narrative:
    if not can_ever(actor, Action.SEE_REPORTS):
        raise forbidden("The annual report is for the Office of Diversity & Equity, the clerks, the "
                        "administrators and the departments' approvers.")
    return read(year)


def save(actor: User, year: int, ode: str, community: str, version: int) -> Narrative:
    _check_year(year)
    require(actor, Action.WRITE_NARRATIVE, None,
            "Only the Office of Diversity & Equity and the administrators write the annual report.")
    too_long = Text(N_("must be at most %(limit)s characters"), {"limit": MAX_LENGTH})
    problems = {name: too_long for name, text in (("ode", ode), ("community", community))
                if len(text) > MAX_LENGTH}
    if problems:
        raise invalid(problems)
    try:
        return _write(actor, year, ode, community, version)
    except IntegrityError:  # someone wrote the year's first version between our read and insert
        raise conflict("conflict", gettext("Someone else wrote the %(year)s narratives first; reload and "
                                           "try again.", year=year), version=read(year).version) from None


def _write(actor: User, year: int, ode: str, community: str, version: int) -> Narrative:
    with write_transaction():
        row = db.session.scalar(select(AnnualNarrative).where(AnnualNarrative.year == year)
                                .with_for_update())
        current = 0 if row is None else row.version
        if version != current:
            raise conflict("conflict", gettext(
                "Someone else changed the %(year)s narratives (they are now version %(current)s, you "
                "sent %(sent)s); reload and try again.", year=year, current=current, sent=version),
                version=current)
        if row is None:
            row = AnnualNarrative(year=year, version=0)
            db.session.add(row)
        row.ode, row.community, row.version = ode, community, current + 1
        row.updated_by_id, row.updated_at = actor.id, utcnow()
    return Narrative(year, ode, community, current + 1)
