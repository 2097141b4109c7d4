"""Report-backs on the pages: the item page lists them with a link for the department,
the report page saves a result (CSRF, errors next to the field, input kept), and the public
statement page shows each published item's report-backs with their results."""

from __future__ import annotations

from app.operations import gate, lookup, report_backs
from tests.integration.web_helpers import give_passwords, signed_in

FILE_ID = "2026-00001"
PAGE = f"/items/{FILE_ID}/report-backs/1"


def agendized(world):
    world.item(FILE_ID, state="ready_to_agendize")
    gate.agendize(world["clerk"].user, FILE_ID)


def test_the_item_page_lists_them_and_links_the_department_to_report(app, world):
    agendized(world)
    give_passwords()
    staff = signed_in(app, world["staff"])
    page = staff.get(f"/items/{FILE_ID}")
    assert "Renter households enrolled in the discount" in page.text
    assert PAGE in page.text
    other = signed_in(app, world["other_staff"]).get(f"/items/{FILE_ID}")
    assert "Renter households enrolled in the discount" in other.text and PAGE not in other.text
    assert signed_in(app, world["other_staff"]).get(PAGE).status_code == 403


def test_reporting_a_result_from_the_page(app, world):
    agendized(world)
    give_passwords()
    staff = signed_in(app, world["staff"])
    assert staff.get(PAGE).status_code == 200
    saved = staff.post(PAGE, {"result": "2,400 households by December.", "reason": ""})
    assert saved.status_code == 303, saved.text
    row = report_backs.owed(_statement_id(FILE_ID))[0]
    assert (row.status, row.result) == ("reported", "2,400 households by December.")
    assert "2,400 households by December." in staff.get(f"/items/{FILE_ID}").text


def test_a_second_result_without_a_reason_is_refused_next_to_the_reason(app, world):
    agendized(world)
    give_passwords()
    staff = signed_in(app, world["staff"])
    staff.get(PAGE)
    assert staff.post(PAGE, {"result": "First.", "reason": ""}).status_code == 303
    staff.get(PAGE)
    refused = staff.post(PAGE, {"result": "Second try.", "reason": ""})
    assert refused.status_code == 409
    assert "Second try." in refused.text  # the input is kept
    assert 'id="reason-error"' in refused.text
    assert report_backs.owed(_statement_id(FILE_ID))[0].result == "First."


def test_an_empty_result_is_422_with_the_error_by_the_field(app, world):
    agendized(world)
    give_passwords()
    staff = signed_in(app, world["staff"])
    staff.get(PAGE)
    refused = staff.post(PAGE, {"result": "", "reason": ""})
    assert refused.status_code == 422 and 'id="result-error"' in refused.text


def test_without_csrf_nothing_is_saved(app, world):
    agendized(world)
    give_passwords()
    staff = signed_in(app, world["staff"])
    assert staff.post(PAGE, {"result": "Sneaky."}, csrf=False).status_code == 400
    assert report_backs.owed(_statement_id(FILE_ID))[0].result is None


def test_an_unknown_number_is_404(app, world):
    agendized(world)
    give_passwords()
    assert signed_in(app, world["staff"]).get(f"/items/{FILE_ID}/report-backs/9").status_code == 404


def test_the_public_statement_page_shows_them_with_results(app, world, client):
    agendized(world)
    report_backs.report(world["approver"].user, FILE_ID, 2, "One in three applications.")
    page = client.get(f"/public/statements/{FILE_ID}")
    assert page.status_code == 200
    assert "Report-backs" in page.text and "One in three applications." in page.text


def _statement_id(file_id: str) -> int:
    return lookup.item(file_id).statement.id
