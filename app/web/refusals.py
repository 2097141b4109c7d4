"""Showing an operation's refusal where the person will see it: one place for every view.

A view that calls an operation hands any ``OperationError`` to :func:`place`
(a page that shows its form again) or :func:`flash_refusal` (a button that
redirects), and both say the same thing the same way:

* 403 and 404 are raised again, so the blueprint renders the error page;
* ``invalid``: each field's message goes next to the form's field of that
  name; a field the form does not have is named by its label, on top;
* ``exists``: next to the field that must be unique (file ID, code, email),
  ``comment_required`` next to the comment;
* ``incomplete``: "answer this section" next to every missing section;
* anything else is the operation's sentence, on top of the page.
"""

from __future__ import annotations

from flask import flash
from flask_babel import gettext

from app.errors import OperationError
from app.web import labels
from forms.base import BaseForm

#: The field a uniqueness refusal belongs to, by the forms that have one.
UNIQUE_FIELDS = ("file_id", "code", "email")
#: Refusals about one field.
FIELD_OF_CODE = {"comment_required": "comment", "already_reported": "reason"}


def place(exc: OperationError, form: BaseForm | None = None, *, prefix: str = "") -> list[str]:
    """Put ``exc`` next to the fields of ``form`` it names; return the sentences for the top."""
    if exc.status in (403, 404):
        raise exc
    if exc.code == "invalid":
        fields = exc.extra.get("fields", {})
        unplaced = form.add_errors(fields, prefix=prefix) if form is not None else fields
        return [gettext("%(field)s: %(problem)s", field=labels.field(prefix + name), problem=message)
                for name, message in unplaced.items()]
    if form is None:
        return [exc.message]
    name = FIELD_OF_CODE.get(exc.code)
    if name is None and exc.code == "exists":
        name = next((n for n in UNIQUE_FIELDS if n in form), None)
    if name is not None and name in form:
        form[name].errors = [*form[name].errors, exc.message]
        return []
    if exc.code == "incomplete":
        for key in exc.extra.get("missing", []):
            if key in form:
                form[key].errors = [*form[key].errors, gettext("Answer this section before submitting.")]
    return [exc.message]


def flash_refusal(exc: OperationError) -> None:
    """For a button that redirects: the refusal as an error message on the next page (for an
    ``invalid`` refusal, what is wrong with each field: the page has no field to put it by)."""
    if exc.status in (403, 404):
        raise exc
    fields = exc.extra.get("fields", {}) if exc.code == "invalid" else {}
    flash(" ".join(fields.values()) or exc.message, "error")
