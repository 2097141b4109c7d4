"""Screening: a few yes/no questions that decide how much review an item needs.

King County screens first and Minneapolis keeps a standard and a comprehensive
form; Madison has a "fast track" for narrow items. Here a statement has one of
three forms (``FormName``): the ``full`` statement, always allowed; the
``short`` form, allowed only when every screening answer is "no"; and an
``exemption`` request (ceremonial items, minutes, appointments, receipt of
reports, ...), allowed unless an answer is "yes". Whatever the form, the
statement goes through the same two approvals and the same gate: the form
only changes which questions are asked, and an exemption is granted by ODE's
approval, never by the department alone.

``allowed_forms`` is the whole rule, a pure function of the answers; the
lifecycle refuses a ``submit`` of a form the answers do not allow
(``blocking``). Each question is backed by practice (see docs/QUESTIONS.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from workflows.i18n import N_, Text


class FormName(StrEnum):
    FULL = "full"
    SHORT = "short"
    EXEMPTION = "exemption"


FORM_TITLES = {
    FormName.FULL: N_("Full statement"),
    FormName.SHORT: N_("Short form"),
    FormName.EXEMPTION: N_("Exemption request"),
}


@dataclass(frozen=True)
class Question:
    key: str
    question: str
    help: str
    #: the practice that backs the question (docs/QUESTIONS.md shows the same; a test keeps them in step)
    sources: tuple[str, ...] = ()


QUESTIONS: tuple[Question, ...] = (
    Question(
        "services", N_("Does the item change City services, who receives them, or how people reach them?"),
        N_("Yes if it starts, ends, moves, cuts or expands a service or program, changes who is eligible, "
           "or changes hours, locations, fees or the way people apply."),
        ("King County", "Minneapolis"),
    ),
    Question(
        "spending", N_("Does the item commit or change spending?"),
        N_("Yes for a grant, contract, purchase, development agreement, loan, fee waiver or capital "
           "project, or a change to any of these, at any amount."),
        ("Milwaukee", "Washington HEAL Act", "Minneapolis"),
    ),
    Question(
        "rules", N_("Does the item create or change a rule, fee, policy, penalty or ordinance?"),
        N_("Yes if it changes what residents, businesses or City staff must do or pay, or how a rule "
           "is enforced."),
        ("DC Council", "Milwaukee", "Washington HEAL Act"),
    ),
    Question(
        "land_use", N_("Does the item touch land use, housing, transportation or the built or natural "
                       "environment?"),
        N_("Yes for zoning, permits, plans, development, housing, streets, transit, parks, utilities "
           "and anything built, demolished or cleaned up."),
        ("King County", "Minneapolis", "Washington HEAL Act"),
    ),
    Question(
        "staffing", N_("Does the item change staffing, or contracts for services the City delivers?"),
        N_("Yes if it adds, cuts or reassigns positions, or hands a City service to a contractor or "
           "partner."),
        ("Minneapolis", "King County"),
    ),
    Question(
        "places_or_groups", N_("Does the item affect particular neighborhoods, council districts or "
                               "groups of people more than others?"),
        N_("Yes if its effects fall on a place, or on people of a particular race, language, income, "
           "age, disability or housing situation, more than on the City as a whole."),
        ("King County", "Race Forward", "Madison"),
    ),
    Question(
        "analysis_requested", N_("Has a Councilmember, the Racial Equity Committee or ODE asked for a "
                                 "full analysis of this item?"),
        N_("Yes if anyone with a say in the decision has asked for the full statement."),
        ("Milwaukee", "DC Council"),
    ),
)
QUESTION_KEYS: tuple[str, ...] = tuple(q.key for q in QUESTIONS)


@dataclass(frozen=True)
class Category:
    """A kind of item that needs no statement of its own, only ODE's approval of the request."""

    key: str
    label: str
    description: str


CATEGORIES: tuple[Category, ...] = (
    Category("ceremonial", N_("Ceremonial item"),
             N_("Proclamations, commendations, presentations and namings that honour people or events.")),
    Category("minutes_procedural", N_("Minutes or procedural item"),
             N_("Approval of minutes, the agenda, meeting schedules and technical corrections.")),
    Category("appointments", N_("Appointment"),
             N_("Appointments and reappointments to boards, commissions and committees.")),
    Category("receipt_of_reports", N_("Receipt of a report or informational item"),
             N_("Receiving and filing a report, or an update that asks for no decision.")),
    Category("other", N_("Other (explain in the reason)"),
             N_("Any other item that needs no statement; the reason must say why.")),
)
CATEGORY_KEYS: tuple[str, ...] = tuple(c.key for c in CATEGORIES)
_CATEGORY = {c.key: c for c in CATEGORIES}


def category(key: str) -> Category:
    """The exemption category with this key; KeyError if there is none."""
    return _CATEGORY[key]


def validate(screening: object) -> dict[str, Text]:
    """Problems with a whole screening object, keyed ``screening.<key>``; {} when valid.

    A partial screening is valid (a draft may be half done); ``blocking`` says what it allows.
    """
    if not isinstance(screening, dict):
        return {"screening": Text(N_("The screening must be an object of question keys and true or false."))}
    errors = {}
    for key, value in screening.items():
        if key not in QUESTION_KEYS:
            errors[f"screening.{key}"] = Text(
                N_("This is an unknown screening question; the questions are %(questions)s."),
                {"questions": ", ".join(QUESTION_KEYS)})
        elif not isinstance(value, bool):
            errors[f"screening.{key}"] = Text(N_("Answer true (yes) or false (no)."))
    return errors


def _yes(screening: Mapping[str, object]) -> list[str]:
    return [k for k in QUESTION_KEYS if screening.get(k) is True]


def blocking(form: str, screening: Mapping[str, object] | None) -> list[str]:
    """The screening answers that stop a statement of ``form`` from being submitted, in order.

    The short form needs every answer "no" (a "yes" or a missing answer blocks it); an
    exemption is blocked by any "yes"; the full statement is never blocked.
    """
    screening = screening or {}
    if form == FormName.SHORT:
        return [k for k in QUESTION_KEYS if screening.get(k) is not False]
    if form == FormName.EXEMPTION:
        return _yes(screening)
    return []


def allowed_forms(screening: Mapping[str, object] | None) -> tuple[FormName, ...]:
    """The forms these answers allow, fullest first."""
    return tuple(f for f in FormName if not blocking(f, screening))


def item_type_key(item_type: str) -> str:
    """How a rule's item type is matched: without case, surrounding or repeated spaces."""
    return " ".join(item_type.split()).casefold()


def rule_reason(item_type: str, category_key: str) -> str:
    """The reason an exemption started by ODE's rule for an item type carries (stored in the
    statement, so in English like every answer; the department may rewrite it)."""
    found = category(category_key)
    return (f"Item type “{item_type.strip()}”: the Office of Diversity & Equity exempts this type of item "
            f"by rule ({found.label.lower()}: {found.description[0].lower()}{found.description[1:]})")
