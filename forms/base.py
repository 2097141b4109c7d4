"""The base every form extends: CSRF, whitespace stripped, no NUL, a ``post_validate`` hook.

Why one base (as Indico's ``IndicoForm``): each form would otherwise repeat
the same habits and one of them would forget. ``FlaskForm`` carries the
CSRF token; ``Meta.bind_field`` adds a strip filter to every field so a title
of "  " is blank everywhere (passwords opt out: spaces in them are real);
every field refuses the NUL character (``app.text``), with an error next to
it; and ``post_validate`` is where cross-field rules go ("a comment is
required when returning"), run only once every field is valid on its own.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms import PasswordField as _PasswordField

from app.numbers import whole_number
from app.text import NUL
from forms.messages import CATALOGUE

DAMAGED = _l("The form is damaged; reload the page.")


def strip_whitespace(value):
    return value.strip() if isinstance(value, str) else value


class PasswordField(_PasswordField):
    """A password: never stripped, never re-rendered with its value."""

    keep_whitespace = True


class BaseForm(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return CATALOGUE  # WTForms' messages in the reader's language (forms/messages.py)

        def bind_field(self, form, unbound_field, options):
            if not getattr(unbound_field.field_class, "keep_whitespace", False):
                filters = tuple(unbound_field.kwargs.get("filters", ()))
                options["filters"] = (strip_whitespace, *filters)
            return unbound_field.bind(form=form, **options)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            if any(NUL in value for value in field.raw_data or () if isinstance(value, str)):
                field.errors = [*field.errors, _l("Remove the NUL character (U+0000) from this field.")]
                valid = False
        if valid:
            self.post_validate()
        return valid and not any(field.errors for field in self)

    def post_validate(self) -> None:
        """Cross-field rules; add errors with ``self.field.errors.append(...)``."""

    def add_errors(self, fields: dict[str, str], prefix: str = "") -> dict[str, str]:
        """Put an operation's ``invalid`` fields next to the form's fields.

        Returns the fields that match none of the form's, by name without ``prefix``
        (the page names them by their label, on top).
        """
        unplaced = {}
        for name, message in fields.items():
            name = name.removeprefix(prefix)
            field = self._fields.get(name)
            if field is None:
                unplaced[name] = message
            else:
                field.errors = [*field.errors, message]
        return unplaced


class WholeNumberField(HiddenField):
    """A number the page wrote and the browser sends back (a version, an id): ASCII digits
    within the database's range (``app.numbers``), else an error instead of a 500."""

    def process_formdata(self, valuelist: list) -> None:
        if valuelist:
            self.data = whole_number(valuelist[0])
            if self.data is None:
                raise ValueError(DAMAGED)


class ActionForm(BaseForm):
    """A button that POSTs (sign out, agendize, mark read): only the CSRF token."""
