"""A report-back's result, and the reason for correcting one already reported."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.models.report_back import MAX_RESULT_LENGTH
from forms.base import BaseForm


class ReportBackForm(BaseForm):
    result = TextAreaField(_l("Result"), validators=[DataRequired(), Length(max=MAX_RESULT_LENGTH)],
                           description=_l("What was measured, against the baseline and the target, and "
                                          "where the figures come from."),
                           render_kw={"rows": 6})
    reason = TextAreaField(_l("Reason for the correction"), validators=[Optional(), Length(max=2000)],
                           description=_l("Only when correcting a result already reported: say why. "
                                          "The earlier result is kept."),
                           render_kw={"rows": 3})
