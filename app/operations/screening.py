"""ODE's screening rules by item type, and what they do to a new item's statement.

A rule says "items of this type start as exemption requests in this category".
``apply_rule`` runs inside ``items.create_item``, so an item made through the
API, the web page or the Legistar import is treated alike. The statement is
still a draft that the department submits and ODE approves: a rule prepares
the request, it never grants it.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext
from sqlalchemy import func, select

from app.db import write_transaction
from app.errors import invalid, not_found
from app.extensions import db
from app.models import Item, ScreeningRule, Statement, User
from app.models.screening import ITEM_TYPE_MAX_LENGTH
from app.permissions import Action, require
from workflows import questionnaire, screening
from workflows.screening import FormName

_MAY_NOT = "Only ODE reviewers and administrators set the screening rules."


def rules() -> list[ScreeningRule]:
    return list(db.session.scalars(select(ScreeningRule).order_by(ScreeningRule.item_type_key)))


def as_map() -> dict[str, str]:
    """``{item type: category key}``, the shape of ``GET /screening/rules``."""
    return {rule.item_type: rule.category for rule in rules()}


def item_types() -> list[tuple[str, int, str | None]]:
    """Every item type seen on items or named by a rule: (type, how many items, its rule's
    category or None), types that differ only in case or spaces counted as one."""
    found: dict[str, list] = {}
    for rule in rules():
        found[rule.item_type_key] = [rule.item_type, 0, rule.category]
    counts = db.session.execute(select(Item.item_type, func.count(Item.id))
                                .where(Item.item_type.is_not(None)).group_by(Item.item_type))
    for item_type, count in counts:
        if item_type is None:  # (the query leaves them out)
            continue
        key = screening.item_type_key(item_type)
        if key:
            found.setdefault(key, [item_type.strip(), 0, None])[1] += count
    return sorted((tuple(row) for row in found.values()), key=lambda row: row[0].casefold())


def checked(item_types: object) -> dict[str, tuple[str, str]]:
    """``{key: (item type as written, category)}``, or 422 naming every bad entry."""
    if not isinstance(item_types, Mapping):
        raise invalid({"item_types": "must be an object of item type: exemption category"})
    errors: dict[str, str] = {}
    found: dict[str, tuple[str, str]] = {}
    categories = ", ".join(screening.CATEGORY_KEYS)
    for item_type, category in item_types.items():
        name = f"item_types.{item_type}"
        key = screening.item_type_key(item_type) if isinstance(item_type, str) else ""
        if not key or len(item_type) > ITEM_TYPE_MAX_LENGTH or "\x00" in item_type:
            errors[name] = f"an item type is 1 to {ITEM_TYPE_MAX_LENGTH} characters, not blank, without NUL"
        elif category not in screening.CATEGORY_KEYS:
            errors[name] = f"{category!r} is not an exemption category; the categories are {categories}"
        elif key in found:
            errors[name] = f"the same item type as {found[key][0]!r} (types match without case or spaces)"
        else:
            found[key] = (item_type.strip(), category)
    if errors:
        raise invalid(errors, "Some screening rules are not valid; nothing was changed.")
    return found


def replace_all(actor: User | None, item_types: object) -> dict[str, str]:
    """Make the rules exactly ``item_types``; only what differs is written."""
    require(actor, Action.SET_SCREENING_RULES, None, _MAY_NOT)
    wanted = checked(item_types)
    with write_transaction():
        existing = {rule.item_type_key: rule for rule in rules()}
        for key, rule in existing.items():
            if key not in wanted:
                db.session.delete(rule)
        for key, (item_type, category) in wanted.items():
            _put(existing.get(key), key, item_type, category, actor)
    return as_map()


def set_rule(actor: User | None, item_type: str, category: str) -> ScreeningRule:
    """Add the rule for one item type, or change its category."""
    require(actor, Action.SET_SCREENING_RULES, None, _MAY_NOT)
    ((key, (written, category)),) = checked({item_type: category}).items()
    with write_transaction():
        rule = _put(_rule(key), key, written, category, actor)
    return rule


def remove_rule(actor: User | None, item_type: str) -> None:
    require(actor, Action.SET_SCREENING_RULES, None, _MAY_NOT)
    with write_transaction():
        rule = _rule(screening.item_type_key(item_type))
        if rule is None:
            raise not_found(gettext("No screening rule names the item type “%(item_type)s”.",
                                    item_type=item_type))
        db.session.delete(rule)


def _rule(key: str) -> ScreeningRule | None:
    return db.session.scalar(select(ScreeningRule).where(ScreeningRule.item_type_key == key))


def _put(rule: ScreeningRule | None, key: str, item_type: str, category: str,
         actor: User | None) -> ScreeningRule:
    if rule is None:
        rule = ScreeningRule(item_type_key=key)
        db.session.add(rule)
    if (rule.item_type, rule.category) != (item_type, category):
        rule.item_type, rule.category = item_type, category
        rule.set_by_id = actor.id if actor is not None else None
    return rule


def apply_rule(item: Item, statement: Statement) -> ScreeningRule | None:
    """Start the new item's statement as an exemption request when a rule names its type.

    The category is filled and the reason names the rule; the public summary starts as the
    item's title when that fits (at most 800 characters). The department reads it, changes
    what needs changing, and submits.
    Runs in the caller's transaction, before the statement's first history row.
    """
    if not item.item_type or not screening.item_type_key(item.item_type):
        return None
    rule = _rule(screening.item_type_key(item.item_type))
    if rule is None:
        return None
    answers = {"exemption_category": rule.category,
               "exemption_reason": screening.rule_reason(rule.item_type, rule.category)}
    if item.title:
        answers = {"summary": item.title, **answers}
    questions = questionnaire.form(FormName.EXEMPTION)
    statement.form = FormName.EXEMPTION
    statement.questionnaire_version = questionnaire.CURRENT_VERSION
    statement.answers = {k: v for k, v in answers.items() if questions.section(k).check(v) is None}
    return rule
