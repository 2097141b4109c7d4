"""The annual progress report: its narratives (versioned, 409 on a stale version), and the PDF
from ``reis report annual`` and from ``/reports``, read back with pypdf."""

from __future__ import annotations

import io

import pypdf
import pytest
import time_machine

from app.operations import narratives
from tests.integration.test_metrics import ASKED_ON, known  # noqa: F401  (the fixture)
from tests.integration.test_sweep import at
from tests.integration.web_helpers import give_passwords, signed_in

URL = "/api/v1/reports/annual/2026/narrative"
ODE_TEXT = "Nine departments wrote statements; utilities led on language access."
COMMUNITY_TEXT = "Tenant groups asked for results by district, and got them."


def put(client, world, who, body):
    return client.put(URL, headers=world[who].headers, json=body)


class TestNarratives:
    def test_a_year_nobody_wrote_is_empty_version_0(self, client, world):
        r = client.get(URL, headers=world["clerk"].headers)
        assert r.json == {"year": 2026, "ode": "", "community": "", "version": 0}

    def test_versions_and_a_stale_one(self, client, world):
        r = put(client, world, "ode", {"ode": ODE_TEXT, "community": "", "version": 0})
        assert (r.status_code, r.json["version"]) == (200, 1)
        r = put(client, world, "admin", {"ode": ODE_TEXT, "community": COMMUNITY_TEXT, "version": 1})
        assert (r.status_code, r.json["version"]) == (200, 2)
        stale = put(client, world, "ode2", {"ode": "Overwrite.", "community": "", "version": 1})
        assert (stale.status_code, stale.json["error"], stale.json["version"]) == (409, "conflict", 2)
        assert client.get(URL, headers=world["ode"].headers).json == {
            "year": 2026, "ode": ODE_TEXT, "community": COMMUNITY_TEXT, "version": 2}

    @pytest.mark.parametrize("who", ["clerk", "approver", "staff"])
    def test_only_ode_and_admins_write(self, client, world, who):
        r = put(client, world, who, {"ode": "x", "community": "y", "version": 0})
        assert (r.status_code, r.json["error"]) == (403, "forbidden")

    def test_staff_do_not_read_it_and_a_year_out_of_range_is_404(self, client, world):
        assert client.get(URL, headers=world["staff"].headers).status_code == 403
        r = client.get("/api/v1/reports/annual/1999/narrative", headers=world["ode"].headers)
        assert r.status_code == 404


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_the_command_writes_the_pdf(app, client, known, tmp_path):  # noqa: F811
    put(client, known, "ode", {"ode": ODE_TEXT, "community": COMMUNITY_TEXT, "version": 0})
    out = tmp_path / "annual.pdf"
    with time_machine.travel(at(ASKED_ON, 12), tick=False):
        result = app.test_cli_runner().invoke(args=["report", "annual", "--year", "2026", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = text_of(out.read_bytes())
    assert "Annual progress report 2026" in text
    assert ODE_TEXT in text and COMMUNITY_TEXT in text
    assert "Statements" in text and "Return rate" in text and "33%" in text  # the fixture's figures
    assert "Time in each stage" in text and "SCORE goals advanced" in text  # the charts
    assert "2026-00301" in text and "Renter households enrolled" in text and "2,400." in text


def test_a_year_out_of_range_is_refused_by_the_command(app, app_ctx, tmp_path):
    result = app.test_cli_runner().invoke(args=["report", "annual", "--year", "1999", "--out",
                                                str(tmp_path / "x.pdf")])
    assert result.exit_code != 0 and not (tmp_path / "x.pdf").exists()


def test_the_reports_page_offers_the_pdf(app, known):  # noqa: F811
    give_passwords()
    browser = signed_in(app, known["ode"])
    with time_machine.travel(at(ASKED_ON, 12), tick=False):
        page = browser.get("/reports?from=2026-11-01&to=2026-11-30")
        assert "/reports/annual/2026.pdf" in page.text
        r = browser.open("/reports/annual/2026.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert "Annual progress report 2026" in text_of(r.data)
    assert signed_in(app, known["staff"]).open("/reports/annual/2026.pdf").status_code == 403


def test_ode_writes_the_narratives_on_a_page(app, world):
    give_passwords()
    ode = signed_in(app, world["ode"])
    page = ode.get("/reports/annual/2026")
    assert page.status_code == 200
    saved = ode.post("/reports/annual/2026", {"ode": ODE_TEXT, "community": COMMUNITY_TEXT, "version": "0"})
    assert saved.status_code == 303
    ode.get("/reports/annual/2026")
    stale = ode.post("/reports/annual/2026", {"ode": "Overwrite.", "community": "", "version": "0"})
    assert stale.status_code == 409 and "Overwrite." in stale.text  # refused, the input kept
    assert narratives.read(2026) == narratives.Narrative(2026, ODE_TEXT, COMMUNITY_TEXT, 1)
    assert signed_in(app, world["clerk"]).get("/reports/annual/2026").status_code == 403
