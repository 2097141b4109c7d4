"""WTForms' own messages, through our catalogue.

WTForms words its validation errors itself ("This field is required."). Its
bundled translations do not cover every language REIS ships (no Vietnamese;
Chinese in Simplified characters), so the forms take them from our catalogue
instead (``BaseForm.Meta.get_translations``). The messages our fields and
validators can give are listed here, marked, so that ``make catalog``
extracts them and the catalogue test makes sure each language has them.
"""

from __future__ import annotations

from flask_babel import get_translations

from workflows.i18n import N_


def ngettext(singular: str, plural: str) -> tuple[str, str]:
    """Mark a singular and plural pair for extraction (``pybabel`` knows ``ngettext``)."""
    return singular, plural


MESSAGES = (
    N_("This field is required."),
    N_("Not a valid choice."),
    N_("Not a valid date value."),
    N_("Not a valid integer value."),
    N_("Number must be between %(min)s and %(max)s."),
    N_("Field must be between %(min)d and %(max)d characters long."),
    N_("Invalid input."),
    ngettext("Field must be at least %(min)d character long.",
             "Field must be at least %(min)d characters long."),
    ngettext("Field cannot be longer than %(max)d character.",
             "Field cannot be longer than %(max)d characters."),
    ngettext("'%(value)s' is not a valid choice for this field.",
             "'%(value)s' are not valid choices for this field."),
)


class Catalogue:
    """What WTForms asks of its translations, answered by the request's catalogue (the message
    still holds its ``%(name)s`` placeholders: WTForms fills them in)."""

    def gettext(self, string: str) -> str:
        return get_translations().gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ngettext(singular, plural, n)


CATALOGUE = Catalogue()
