"""Marking the rules' words for translation, without Flask.

``workflows/`` stays pure Python, yet the questionnaire, the screening
questions and the exemption categories are words people read. They are
written once, in English, wrapped in ``N_()``: the marker changes nothing at
run time, and lets the message extractor find them (``pybabel extract -k N_``).
The app translates them when it shows them (``gettext`` at display time), so a
language without a translation shows the English.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark ``message`` for extraction; return it unchanged."""
    return message
