"""The statement form, built from the statement's own questions (its form and version).

The questions are defined once, in ``workflows/``; this module turns each
section into a field of the right kind (text into a text area, a list of
choices into checkboxes, a single choice into radio buttons, explanations into
one short text per choice, a number into a number box, indicators into rows of
fields), so a new or changed question needs no change here. One form class is
made per (form, version) and kept.

The same page carries the screening (a yes/no radio per question) and the
choice of form; saving sends the answers, the form and the screening together.
Completeness is not checked here: a draft may be partial, and on submit the
lifecycle's own ``incomplete`` or ``screening_requires_full`` refusal says what
is missing, exactly as the API does. Words come from ``workflows/`` marked for
translation and are translated when the page is drawn (``lazy_gettext``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    Form,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from forms.base import BaseForm, WholeNumberField, strip_whitespace
from forms.groups import Rows, SubForm
from workflows import questionnaire, screening
from workflows.sections import (
    INDICATOR_FIELDS,
    INDICATOR_LIMITS,
    KIND_CHOICE,
    KIND_CHOICES,
    KIND_EXPLANATIONS,
    KIND_INDICATORS,
    KIND_NUMBER,
    MAX_NUMBER,
    Section,
)
from workflows.sections import Form as Questions

#: rows of indicator fields a new statement offers; saving adds another empty one
INDICATOR_ROWS = 2
_YES_NO = [SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))]


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class IndicatorRow(Form):
    """One success indicator (a sub-form: the page's CSRF token covers it)."""

    name = StringField(_l("Indicator"), filters=[strip_whitespace],
                       validators=[Length(max=INDICATOR_LIMITS["name"])])
    baseline = StringField(_l("Baseline"), filters=[strip_whitespace],
                           validators=[Length(max=INDICATOR_LIMITS["baseline"])])
    target = StringField(_l("Target"), filters=[strip_whitespace],
                         validators=[Length(max=INDICATOR_LIMITS["target"])])
    due = StringField(_l("Due date"), filters=[strip_whitespace], render_kw={"type": "date"})

    @property
    def blank(self) -> bool:
        return not any(self[name].data for name in INDICATOR_FIELDS)


def _explanations(section: Section) -> type[Form]:
    return type(f"Explain_{section.key}", (Form,), {
        c.value: TextAreaField(_l(c.label), filters=[strip_whitespace], render_kw={"rows": 2},
                               validators=[Optional(), Length(max=section.limit)])
        for c in section.choices})


def _field(section: Section):
    """The section's question is the field's label and its guidance the field's hint."""
    label, hint = _l(section.prompt), _l(section.guidance)
    choices = [SelectChoice(c.value, _l(c.label)) for c in section.choices]
    if section.kind == KIND_CHOICES:
        return CheckboxesField(label, choices=choices, description=hint)
    if section.kind == KIND_CHOICE:
        return RadioField(label, choices=choices, validators=[Optional()], description=hint)
    if section.kind == KIND_EXPLANATIONS:
        return SubForm(_explanations(section), label, description=hint)
    if section.kind == KIND_NUMBER:
        return IntegerField(label, validators=[Optional(), NumberRange(0, MAX_NUMBER)], description=hint,
                            render_kw={"min": 0, "max": MAX_NUMBER, "inputmode": "numeric"})
    if section.kind == KIND_INDICATORS:
        return Rows(SubForm(IndicatorRow), label, min_entries=INDICATOR_ROWS, description=hint)
    rows = 3 if (section.limit or 0) <= 800 else 6
    return TextAreaField(label, validators=[Optional(), Length(max=section.limit)], description=hint,
                         render_kw={"rows": rows, "maxlength": section.limit})


class StatementForm(BaseForm):
    version = WholeNumberField(validators=[InputRequired()])
    form_name = RadioField(_l("Which form"), validators=[Optional()], choices=[
        SelectChoice(name.value, _l(title)) for name, title in screening.FORM_TITLES.items()])
    save = SubmitField(_l("Save draft"))
    submit = SubmitField(_l("Submit for review"))
    use_full = SubmitField(_l("Switch to the full statement"))

    questions: Questions
    sections: tuple[Section, ...] = ()

    @classmethod
    def for_statement(cls, statement, **kwargs) -> StatementForm:
        """The form for this statement's questions, filled with what it holds (or the request's)."""
        form_class = statement_form(statement.form, statement.questionnaire_version)
        data = {**_field_data(form_class, statement.answers or {}), "version": statement.version,
                "form_name": statement.form.value,
                **{f"screening_{k}": "yes" if v else "no" for k, v in (statement.screening or {}).items()
                   if k in screening.QUESTION_KEYS}}
        form = form_class(data=data, **kwargs)
        form.add_blank_indicator_row()
        return form

    def section_fields(self):
        return [(section, self[section.key]) for section in self.sections]

    def screening_fields(self):
        return [(question, self[f"screening_{question.key}"]) for question in screening.QUESTIONS]

    def answers(self) -> dict[str, Any]:
        """The answers as the API takes them; unanswered sections are left out."""
        answers = {}
        for section, field in self.section_fields():
            value = _value(section, field)
            if section.is_answered(value):
                answers[section.key] = value
        return answers

    def screening(self) -> dict[str, bool]:
        return {question.key: field.data == "yes" for question, field in self.screening_fields()
                if field.data in ("yes", "no")}

    def chosen_form(self, current: str) -> str:
        return screening.FormName.FULL if self.use_full.data else (self.form_name.data or current)

    def add_blank_indicator_row(self) -> None:
        """Offer one empty indicator row after those filled in ("save to get another")."""
        for section, field in self.section_fields():
            if section.kind == KIND_INDICATORS and (not field.entries or not field.entries[-1].form.blank):
                field.append_entry()

    @property
    def version_number(self) -> int:
        number = self.version.data
        assert number is not None, "asked after the form validated (the version is required)"
        return number

    @property
    def wants_submit(self) -> bool:
        return bool(self.submit.data)


def _value(section: Section, field) -> Any:
    data = field.data
    if section.kind == KIND_CHOICES:
        return list(dict.fromkeys(data or []))
    if section.kind == KIND_EXPLANATIONS:
        return {k: v for k, v in (data or {}).items() if v}
    if section.kind == KIND_INDICATORS:
        return [{name: row.form[name].data or "" for name in INDICATOR_FIELDS}
                for row in field.entries if not row.form.blank]
    return data


def _field_data(form_class: type[StatementForm], answers: dict) -> dict:
    """The stored answers as the fields take them (only those that fit this form's fields)."""
    data = {}
    for section in form_class.sections:
        value = answers.get(section.key)
        if section.check(value) is not None or value is None:
            continue
        data[section.key] = value
    return data


@lru_cache(maxsize=16)
def statement_form(name: str, version: int) -> type[StatementForm]:
    questions: Questions = questionnaire.form(name, version)
    fields = {section.key: _field(section) for section in questions.sections}
    fields.update({f"screening_{q.key}": RadioField(_l(q.question), choices=_YES_NO, validators=[Optional()],
                                                     description=_l(q.help)) for q in screening.QUESTIONS})
    return type(f"StatementForm_{name}_v{version}", (StatementForm,),
                {"questions": questions, "sections": questions.sections, **fields})

