"""The statement's lifecycle as an SVG drawn on the server from ``TRANSITIONS``.

Why not Mermaid in the browser: its script is about 3 MB, needs inline
styles that the Content-Security-Policy forbids, and shows nothing without
JavaScript or to a screen reader. The machine is small and fixed in shape (a
line of states, forward steps, and steps back to draft), so laying it out
here is a few lines: states in lifecycle order, forward transitions as
arrows between neighbours, backward ones as arcs underneath. The current
state is marked by a heavier outline and the words "current state", not by
colour alone, and the page lists the same transitions as text.
"""

from __future__ import annotations

from collections import defaultdict

from flask_babel import gettext
from markupsafe import Markup, escape

from app.web import labels
from workflows.statement import STATES, State
from workflows.statement import edges as transitions

BOX_W, BOX_H, GAP, LEFT, TOP = 168, 56, 64, 36, 24


def edges() -> list[tuple[State, State, list[str]]]:
    """(source, destination, [triggers]) from the machine's transitions, in a stable order."""
    grouped: dict[tuple[State, State], list[str]] = defaultdict(list)
    for source, dest, trigger in transitions():
        grouped[(source, dest)].append(trigger)
    order = {s: i for i, s in enumerate(STATES)}
    return sorted(((s, d, triggers) for (s, d), triggers in grouped.items()),
                  key=lambda e: (order[e[0]], order[e[1]]))


def _x(state: State) -> int:
    return LEFT + STATES.index(state) * (BOX_W + GAP)


def svg(current: State | None = None) -> Markup:
    parts = []
    deepest = TOP + BOX_H
    bottom = TOP + BOX_H
    for source, dest, triggers in edges():
        label = escape(" / ".join(str(labels.TRIGGERS.get(t, t)) for t in triggers))
        sx, dx = _x(source), _x(dest)
        distance = STATES.index(dest) - STATES.index(source)
        if distance > 0:
            y = TOP + BOX_H // 2
            x1, x2 = sx + BOX_W, dx
            parts.append(f'<path class="edge" d="M{x1},{y} L{x2 - 2},{y}" marker-end="url(#arrow)"/>')
            parts.append(f'<text class="edge-label" x="{(x1 + x2) // 2}" y="{y - 8}">{label}</text>')
        else:
            depth = 40 + 34 * (-distance)
            x1, x2 = sx + BOX_W // 2, dx + BOX_W // 2 + 12 * (-distance)
            parts.append(f'<path class="edge back" d="M{x1},{bottom} C{x1},{bottom + depth} '
                         f'{x2},{bottom + depth} {x2},{bottom + 2}" marker-end="url(#arrow)"/>')
            label_y = bottom + int(depth * 0.75) + 16
            parts.append(f'<text class="edge-label" x="{(x1 + x2) // 2}" y="{label_y}">{label}</text>')
            deepest = max(deepest, label_y + 8)
    parts.append(f'<circle class="start" cx="{LEFT - 22}" cy="{TOP + BOX_H // 2}" r="7"/>')
    parts.append(f'<path class="edge" d="M{LEFT - 15},{TOP + BOX_H // 2} L{LEFT - 2},{TOP + BOX_H // 2}" '
                 'marker-end="url(#arrow)"/>')
    for state in STATES:
        x = _x(state)
        is_current = state == current
        css = "state current" if is_current else "state"
        parts.append(f'<g class="{css}"><rect x="{x}" y="{TOP}" width="{BOX_W}" height="{BOX_H}" rx="10"/>')
        name_y = TOP + (BOX_H // 2 - 2 if is_current else BOX_H // 2 + 5)
        parts.append(f'<text x="{x + BOX_W // 2}" y="{name_y}">{escape(labels.state(state))}</text>')
        if is_current:
            parts.append(f'<text class="current-note" x="{x + BOX_W // 2}" y="{TOP + BOX_H - 12}">'
                         f'({escape(_current_words())})</text>')
        parts.append("</g>")
    width = LEFT + len(STATES) * (BOX_W + GAP) - GAP + 12
    height = deepest + 12
    title = escape(_title(current))
    return Markup(
        f'<svg class="lifecycle" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="lifecycle-title" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="lifecycle-title">{title}</title>'
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" '
        'markerHeight="8" orient="auto-start-reverse"><path class="arrowhead" d="M0,0 L10,5 L0,10 z"/>'
        '</marker></defs>' + "".join(parts) + "</svg>")


def _current_words() -> str:
    return gettext("current state")


def _title(current: State | None) -> str:
    if current is None:
        return gettext("The statement's lifecycle")
    return gettext("The statement's lifecycle; it is now in %(state)s", state=labels.state(current))
