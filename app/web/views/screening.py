"""ODE's screening rules: which item types start as exemption requests, and in which category.

The page lists every item type the engine has seen (on imported or created items)
and every type a rule names, each with a category or "no rule"; saving replaces
the rules with what the page shows, exactly as ``PUT /api/v1/screening/rules``.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import ngettext

from app import permissions
from app.errors import OperationError
from app.operations import screening
from app.permissions import Action
from app.web.auth import me
from forms.screening import ScreeningRulesForm


def rules():
    user = me()
    if not permissions.can_ever(user, Action.SET_SCREENING_RULES):
        abort(403)
    known = screening.item_types()
    form = ScreeningRulesForm(data={"rows": [{"item_type": t, "category": c or ""} for t, _n, c in known]})
    status, problems = 200, []
    if form.validate_on_submit():
        try:
            saved = screening.replace_all(user, form.rules())
        except OperationError as exc:
            if exc.status in (403, 404):
                raise
            status, problems = exc.status, [exc.message, *(f"{k.removeprefix('item_types.')}: {v}"
                                                          for k, v in exc.extra.get("fields", {}).items())]
        else:
            flash(ngettext("Screening rules saved: %(num)d item type starts as an exemption request.",
                           "Screening rules saved: %(num)d item types start as exemption requests.",
                           len(saved)), "success")
            return redirect(url_for("web.screening_rules"), 303)
    elif form.is_submitted():
        status = 422
    counts = {t: n for t, n, _c in known}
    return render_template("screening_rules.html", form=form, counts=counts, problems=problems), status
