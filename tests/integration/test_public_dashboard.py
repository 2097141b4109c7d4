"""``/public/dashboard``: the charts over published statements only, and each published item's
report-backs with their results; linked from ``/public/``."""

from __future__ import annotations

import time_machine

from tests.integration.test_metrics import ASKED_ON, known  # noqa: F401  (the fixture)
from tests.integration.test_sweep import at


def test_published_statements_only_with_their_report_backs(client, known):  # noqa: F811
    assert "/public/dashboard" in client.get("/public/").get_data(as_text=True)
    with time_machine.travel(at(ASKED_ON, 12), tick=False):
        r = client.get("/public/dashboard")
    text = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "1 in all" in text  # A only: B is approved but not on an agenda, C and D are not approved
    assert text.count('<svg class="chart-svg"') >= 4 and "style=" not in text
    assert "File 2026-00301" in text and "2,400." in text  # A's report-back and its result
    assert "2026-00302" not in text and "2026-00303" not in text


def test_an_empty_dashboard(client, app_ctx):
    r = client.get("/public/dashboard")
    assert r.status_code == 200 and "No published item owes a report-back yet." in r.get_data(as_text=True)
