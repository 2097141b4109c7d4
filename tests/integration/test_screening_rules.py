"""ODE's screening rules by item type (API.md, "Forms and screening"), on both databases: the
API, items created or imported with a ruled type, the real Legistar files, the command line."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import HistoryEvent, Item, ScreeningRule
from app.operations import items, lookup, screening
from tests.integration.test_bad_input import fingerprint
from tests.integration.test_legistar_import import CITY_PATTERN, path_of, run
from workflows.screening import rule_reason

RULES = "/api/v1/screening/rules"


def put_rules(client, world, item_types, who="ode"):
    return client.put(RULES, headers=world[who].headers, json={"item_types": item_types})


def form_of(file_id: str) -> tuple[str, dict]:
    statement = lookup.item(file_id).statement
    return statement.form.value, statement.answers


class TestTheApi:
    def test_empty_then_set_then_replaced(self, client, world):
        assert client.get(RULES, headers=world["staff"].headers).json == {"item_types": {}}
        r = put_rules(client, world, {"Ceremonial Item": "ceremonial", " Minutes ": "minutes_procedural"})
        assert r.status_code == 200
        assert r.json == {"item_types": {"Ceremonial Item": "ceremonial", "Minutes": "minutes_procedural"}}
        assert client.get(RULES, headers=world["clerk"].headers).json == r.json
        r = put_rules(client, world, {"ceremonial item": "other"}, who="admin")
        assert r.json == {"item_types": {"ceremonial item": "other"}}
        assert db.session.scalar(select(ScreeningRule.set_by_id)) == world["admin"].user.id

    def test_setting_the_same_rules_writes_nothing(self, client, world):
        put_rules(client, world, {"Ceremonial Item": "ceremonial"})
        first = db.session.scalar(select(ScreeningRule.updated_at))
        db.session.rollback()
        assert put_rules(client, world, {"Ceremonial Item": "ceremonial"}, who="admin").status_code == 200
        rule = db.session.scalar(select(ScreeningRule))
        assert (rule.updated_at, rule.set_by_id) == (first, world["ode"].user.id)

    @pytest.mark.parametrize("who", ["staff", "approver", "clerk"])
    def test_only_ode_and_admins_set_them(self, client, world, who):
        before = fingerprint()
        r = put_rules(client, world, {"Ceremonial Item": "ceremonial"}, who=who)
        assert (r.status_code, r.json["error"]) == (403, "forbidden")
        assert fingerprint() == before and screening.as_map() == {}

    @pytest.mark.parametrize(("item_types", "field"), [
        ({"Ceremonial Item": "birthday"}, "item_types.Ceremonial Item"),
        ({"Ceremonial Item": "ceremonial", "CEREMONIAL  item": "other"}, "item_types.C"),  # either one
        ({"   ": "ceremonial"}, "item_types.   "),
        ({"x" * 201: "ceremonial"}, "item_types." + "x" * 201),
        ({"A\x00B": "ceremonial"}, "item_types.A\x00B"),
    ])
    def test_a_bad_rule_is_422_and_changes_nothing(self, client, world, item_types, field):
        put_rules(client, world, {"Minutes": "minutes_procedural"})
        r = put_rules(client, world, item_types)
        assert (r.status_code, r.json["error"]) == (422, "invalid"), r.json
        assert any(name.startswith(field) for name in r.json["fields"]), r.json["fields"]
        assert screening.as_map() == {"Minutes": "minutes_procedural"}

    @pytest.mark.parametrize("body", [{}, {"item_types": []}, {"item_types": {"A": 1}},
                                      {"item_types": {}, "extra": 1}, {"rules": {}}])
    def test_malformed_bodies_are_422(self, client, world, body):
        r = client.put(RULES, headers=world["ode"].headers, json=body)
        assert (r.status_code, r.json["error"]) == (422, "invalid")


class TestNewItems:
    def test_an_item_of_a_ruled_type_starts_as_an_exemption_request(self, client, world):
        put_rules(client, world, {"Ceremonial Item": "ceremonial"})
        r = client.post("/api/v1/items", headers=world["staff"].headers, json={
            "file_id": "2026-00001", "title": "Proclamation: Arbor Day", "department": "DOU",
            "item_type": "  ceremonial ITEM "})
        assert r.status_code == 201 and r.json["item_type"] == "  ceremonial ITEM "
        statement = client.get("/api/v1/items/2026-00001/statement", headers=world["staff"].headers).json
        assert (statement["form"], statement["questionnaire_version"]) == ("exemption", 2)
        assert statement["answers"] == {"summary": "Proclamation: Arbor Day",
                                        "exemption_category": "ceremonial",
                                        "exemption_reason": rule_reason("Ceremonial Item", "ceremonial")}
        assert statement["missing"] == []
        create = db.session.scalar(select(HistoryEvent))
        assert "screening rule" in create.comment and "Ceremonial Item" in create.comment

    def test_other_items_start_as_full_statements(self, world):
        screening.set_rule(None, "Ceremonial Item", "ceremonial")
        items.create_item(world["staff"].user, {"file_id": "2026-00001", "title": "A",
                                                "department": "DOU", "item_type": "Consent Agenda"})
        items.create_item(world["staff"].user, {"file_id": "2026-00002", "title": "B", "department": "DOU"})
        assert form_of("2026-00001") == ("full", {}) and form_of("2026-00002") == ("full", {})
        assert db.session.scalar(select(HistoryEvent.comment).limit(1)) is None

    def test_a_title_too_long_for_a_summary_is_left_for_the_department(self, world):
        screening.set_rule(None, "Minutes", "minutes_procedural")
        items.create_item(world["staff"].user, {"file_id": "2026-00001", "title": "M" * 801,
                                                "department": "DOU", "item_type": "Minutes"})
        form, answers = form_of("2026-00001")
        assert form == "exemption" and "summary" not in answers
        assert lookup.item("2026-00001").statement.missing == ["summary"]

    def test_changing_the_type_later_changes_no_form(self, client, world):
        screening.set_rule(None, "Ceremonial Item", "ceremonial")
        world.item("2026-00001")
        r = client.patch("/api/v1/items/2026-00001", headers=world["staff"].headers,
                         json={"item_type": "Ceremonial Item"})
        assert r.status_code == 200 and r.json["item_type"] == "Ceremonial Item"
        assert form_of("2026-00001")[0] == "full"
        assert lookup.item("2026-00001").statement.version == 1  # not a material field


class TestLegistarImport:
    @pytest.fixture
    def city(self, app_ctx, monkeypatch):
        from app.operations import people

        monkeypatch.setitem(app_ctx.config, "REIS_FILE_ID_PATTERN", CITY_PATTERN)
        people.create_department("CLK", "Office of the City Clerk")
        return app_ctx

    def test_san_jose_ceremonial_items_start_as_exemptions_and_consent_items_do_not(self, city):
        screening.set_rule(None, "Ceremonial Item", "ceremonial")
        report = run("sanjose.json")
        assert len(report.created) == 29
        by_form: dict[str, list[str]] = {}
        for item in db.session.scalars(select(Item).order_by(Item.file_id)):
            by_form.setdefault(item.statement.form.value, []).append(item.file_id)
        assert by_form["exemption"] == ["17-052", "17-106", "17-110"]  # its three Ceremonial Items
        assert all(lookup.item(f).item_type == "Ceremonial Item" for f in by_form["exemption"])
        consent = [i for i in db.session.scalars(select(Item)) if i.item_type == "Consent Agenda"]
        assert len(consent) == 10 and {i.statement.form.value for i in consent} == {"full"}
        assert lookup.item("17-052").statement.answers["exemption_category"] == "ceremonial"
        assert run("sanjose.json").changed is False  # a second run still changes nothing

    def test_new_york_with_a_rule_for_mayors_messages(self, city, monkeypatch):
        monkeypatch.setitem(city.config, "REIS_TIMEZONE", "America/New_York")
        screening.set_rule(None, "Mayor's Message", "receipt_of_reports")
        run("matters_top5.json", "enacted_matters.json", "matters_filtered.json")
        kinds = {(i.item_type, i.statement.form.value) for i in db.session.scalars(select(Item))}
        assert ("Mayor's Message", "exemption") in kinds
        assert {form for item_type, form in kinds if item_type != "Mayor's Message"} == {"full"}

    def test_without_rules_nothing_is_exempt(self, city):
        run(path_of("sanjose.json").name)
        assert {i.statement.form.value for i in db.session.scalars(select(Item))} == {"full"}
