"""``/reports``: the charts (server-drawn SVG, each with its data table), the filters with
errors next to them, the CSV, and who may see it."""

from __future__ import annotations

import re

import time_machine

from tests.integration.test_metrics import ASKED_ON, NOVEMBER, known  # noqa: F401  (the fixture)
from tests.integration.test_sweep import at
from tests.integration.web_helpers import give_passwords, signed_in


def page(app, world, who="ode", query=""):
    give_passwords()
    browser = signed_in(app, world[who])
    with time_machine.travel(at(ASKED_ON, 12), tick=False):
        return browser.get(f"/reports{query}")


def test_charts_with_their_tables(app, known):  # noqa: F811
    r = page(app, known, query="?from=2026-11-01&to=2026-11-30")
    assert r.status_code == 200
    assert r.text.count('<svg class="chart-svg"') >= 8
    assert r.text.count('class="chart-table"') == r.text.count('<svg class="chart-svg"')
    assert "style=" not in r.text and "<script" not in r.text  # the CSP allows neither
    assert "/reports/metrics.csv?from=2026-11-01&amp;to=2026-11-30" in r.text
    # the figures of the hand-computed fixture: 4 statements, 1 stalled, one in three returned
    assert re.search(r"<dt>Statements</dt><dd>4</dd>", r.text)
    assert "33%" in r.text


def test_the_csv_download(app, known):  # noqa: F811
    give_passwords()
    browser = signed_in(app, known["clerk"])
    with time_machine.travel(at(ASKED_ON, 12), tick=False):
        r = browser.get("/reports/metrics.csv?from=2026-11-01&to=2026-11-30&department=DOU")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert r.text.splitlines()[0].startswith("file_id,department,state")
    assert len(r.text.splitlines()) == 4  # the header and DOU's three


def test_bad_filters_are_shown_next_to_the_field(app, known):  # noqa: F811
    r = page(app, known, query="?from=2026-12-01&to=2026-11-01")
    assert r.status_code == 422 and 'id="from-error"' in r.text
    assert 'value="2026-12-01"' in r.text  # the input is kept
    r = page(app, known, query="?from=not-a-date")
    assert r.status_code == 422 and 'id="from-error"' in r.text


def test_who_may_see_it(app, known):  # noqa: F811
    assert page(app, known, "staff").status_code == 403
    mine = page(app, known, "other_approver", "?from=2026-11-01&to=2026-11-30")
    assert mine.status_code == 200 and "Department: CDD." in mine.text
    assert page(app, known, "other_approver", "?department=DOU").status_code == 403
