"""The statement form, built from ``workflows.questionnaire.SECTIONS``.

The questions are defined once, in the questionnaire; this module turns each
section into a field of the right kind (text into a text area, a list of
choices into checkboxes, a single choice into radio buttons), so a new or
changed question needs no change here. Completeness is not checked by the
form: a draft may be partial, and on submit the lifecycle's own ``incomplete``
refusal says which sections are missing, exactly as the API does.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectChoice, SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from forms.base import BaseForm, WholeNumberField
from workflows import questionnaire
from workflows.questionnaire import KIND_CHOICE, KIND_CHOICES, MAX_ANSWER_LENGTH, Section


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _field(section: Section):
    """The section's question is the field's label and its guidance the field's hint."""
    choices = [SelectChoice(c.value, c.label) for c in section.choices]
    if section.kind == KIND_CHOICES:
        return CheckboxesField(section.prompt, choices=choices, description=section.guidance)
    if section.kind == KIND_CHOICE:
        return RadioField(section.prompt, choices=choices, validators=[Optional()],
                          description=section.guidance)
    return TextAreaField(section.prompt, validators=[Optional(), Length(max=MAX_ANSWER_LENGTH)],
                         description=section.guidance, render_kw={"rows": 6})


class _StatementForm(BaseForm):
    version = WholeNumberField(validators=[InputRequired()])
    save = SubmitField(_l("Save draft"))
    submit = SubmitField(_l("Submit for review"))

    sections: tuple[Section, ...] = questionnaire.SECTIONS

    def section_fields(self):
        return [(section, self[section.key]) for section in self.sections]

    def answers(self) -> dict:
        """The answers as the API takes them; unanswered sections are left out."""
        answers = {}
        for section, field in self.section_fields():
            value = field.data
            if section.kind == KIND_CHOICES:
                value = list(dict.fromkeys(value or []))
            if section.is_answered(value):
                answers[section.key] = value
        return answers

    @property
    def version_number(self) -> int:
        return self.version.data

    @property
    def wants_submit(self) -> bool:
        return bool(self.submit.data)


StatementForm = type("StatementForm", (_StatementForm,),
                     {section.key: _field(section) for section in questionnaire.SECTIONS})

