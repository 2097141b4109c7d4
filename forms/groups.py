"""Groups of fields inside a form: a sub-form (``SubForm``) and repeated rows (``Rows``).

WTForms' ``FormField`` and ``FieldList`` take no filters, and report their
errors as nested structures; these two take the base form's strip filter on
each field inside (not on the group), and show as one list of messages, to
which an operation's refusal for the whole group ("Indicator 2: due must be a
date") can be added, as to any field.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wtforms import FieldList, FormField


def _flat(errors: object) -> list:
    """Every message in a nested errors structure (dicts of lists, lists of dicts), in order;
    a message may be a string or a lazy one."""
    values: Iterable[Any]
    if isinstance(errors, dict):
        values = errors.values()
    elif isinstance(errors, (list, tuple)):
        values = errors
    else:
        return [errors]
    return [message for value in values for message in _flat(value)]


class _Group:
    """A group of fields (explanations, indicator rows) that also takes messages for the whole
    group, such as the operation's "Indicator 2: due must be a date", as a field does. The base
    form's strip filter goes on each field inside, not on the group."""

    keep_whitespace = True
    _placed: list[str]

    def _inner_errors(self) -> object:
        """The errors of the fields inside, as WTForms nests them."""
        raise NotImplementedError

    @property
    def errors(self) -> list[str]:
        inside = [m for m in _flat(self._inner_errors()) if m not in getattr(self, "_placed", [])]
        return [*getattr(self, "_placed", []), *inside]

    @errors.setter
    def errors(self, value) -> None:
        self._placed = [m for m in _flat(value) if m not in _flat(self._inner_errors())]


class SubForm(_Group, FormField):
    def _inner_errors(self):
        return self.form.errors


class Rows(_Group, FieldList):
    def _inner_errors(self):
        return [entry.errors for entry in self.entries]
