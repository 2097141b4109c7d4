"""An agenda item: the fields of ``POST /items`` and ``PATCH /items/{file_id}``.

The form checks shape only (required, length, one of the locations); the
file-ID pattern, the department and the permission are the operation's,
so the web and the API refuse exactly the same things.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.models.item import LOCATIONS
from config import FILE_ID_MAX_LENGTH
from forms.base import BaseForm

_TEXT = 20_000


def _blank_to_none(value):
    return value or None


class ItemFieldsForm(BaseForm):
    """The writable fields: what an author may change after creating the item."""

    title = TextAreaField(_l("Title"), validators=[DataRequired(), Length(max=2000)],
                          render_kw={"rows": 2})
    meeting_date = DateField(_l("Meeting date"), validators=[Optional()],
                             description=_l("The council or committee meeting it is meant for."))
    location = SelectField(_l("Location"),
                           choices=[SelectChoice("", _l("(not set)")), *(SelectChoice(x) for x in LOCATIONS)],
                           filters=[_blank_to_none], validate_choice=False)
    body = StringField(_l("Body"), validators=[Length(max=200)], filters=[_blank_to_none],
                       description=_l("For example: City Council."))
    recommendation = TextAreaField(_l("Recommendation"), validators=[Length(max=_TEXT)],
                                   filters=[_blank_to_none])
    item_type = StringField(_l("Item type"), validators=[Length(max=200)], filters=[_blank_to_none],
                            description=_l("For example: Resolution, Ceremonial Item. The Office of "
                                           "Diversity & Equity may exempt some types by rule."))
    contact = StringField(_l("Contact"), validators=[Length(max=2000)], filters=[_blank_to_none])
    presenter = StringField(_l("Presenter"), validators=[Length(max=2000)], filters=[_blank_to_none])
    fiscal_statement = TextAreaField(
        _l("Fiscal statement (Financial Considerations)"), validators=[Length(max=_TEXT)],
        filters=[_blank_to_none],
        description=_l("An item cannot be agendized without one."))

    def post_validate(self) -> None:
        if self.location.data not in (None, *LOCATIONS):
            self.location.errors.append(_l("Choose one of the listed locations."))

    def changes(self) -> dict:
        return {name: self[name].data for name in (
            "title", "meeting_date", "location", "body", "item_type", "recommendation", "contact",
            "presenter", "fiscal_statement")}


class ItemForm(ItemFieldsForm):
    """A new item: its file ID and department come first and never change."""

    file_id = StringField(_l("File ID"), validators=[DataRequired(), Length(max=FILE_ID_MAX_LENGTH)],
                          description=_l("The city's file number."))
    department = SelectField(_l("Department"), validators=[DataRequired()])

    def data_for_create(self) -> dict:
        return {"file_id": self.file_id.data, "department": self.department.data,
                **{k: v for k, v in self.changes().items() if v is not None}}
