"""A reviewer's decision: approve, or return with a comment."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from forms.base import BaseForm, WholeNumberField
from workflows.states import Event


class ReviewForm(BaseForm):
    comment = TextAreaField(
        _l("Comment"), validators=[Length(max=20_000)], render_kw={"rows": 4},
        description=_l("Required when you return the statement: say what the author must change."))
    version = WholeNumberField(validators=[InputRequired()])
    approve = SubmitField(_l("Approve"))
    send_back = SubmitField(_l("Return to the author"))

    @property
    def event(self) -> Event:
        return Event.APPROVE if self.approve.data else Event.RETURN

    def post_validate(self) -> None:
        if not (self.approve.data or self.send_back.data):
            self.comment.errors.append(_l("Choose Approve or Return."))
        elif self.event == Event.RETURN and not self.comment.data:
            self.comment.errors.append(_l("Say why you are returning it: a comment is required."))
