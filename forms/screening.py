"""ODE's screening rules page: one row per item type, each with a category or none."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import Form, HiddenField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import Length

from forms.base import BaseForm, strip_whitespace
from forms.groups import Rows, SubForm
from workflows.screening import CATEGORIES


def category_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("No rule: screen each item")),
            *(SelectChoice(c.key, _l(c.label)) for c in CATEGORIES)]


class RuleRow(Form):
    item_type = HiddenField(filters=[strip_whitespace])
    category = SelectField(_l("Exemption category"), choices=category_choices())


class ScreeningRulesForm(BaseForm):
    rows = Rows(SubForm(RuleRow))
    new_item_type = StringField(_l("Another item type"), validators=[Length(max=200)],
                                description=_l("As it appears on items, e.g. Legistar's matter type: "
                                               "“Ceremonial Item”. Case and spaces do not matter."))
    new_category = SelectField(_l("Its exemption category"), choices=category_choices())
    save = SubmitField(_l("Save the rules"))

    def rules(self) -> dict[str, str]:
        """``{item type: category}`` for every row with a category (the rules to keep)."""
        chosen = {row.form.item_type.data: row.form.category.data for row in self.rows.entries
                  if row.form.item_type.data and row.form.category.data}
        if self.new_item_type.data and self.new_category.data:
            chosen[self.new_item_type.data] = self.new_category.data
        return chosen

    def post_validate(self) -> None:
        if self.new_item_type.data and not self.new_category.data:
            self.new_category.errors.append(_l("Choose the category for this item type."))
