"""The notices of who decides (a stall, a delegation) are written in each recipient's language."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import Notification, User
from tests.factories import complete_answers
from tests.integration.test_who_decides import FILE_ID, STATEMENT, deactivate, delegate, fire, statement


def speaks(person, language: str) -> None:
    db.session.get(User, person.user.id).language = language
    db.session.commit()


def test_a_stall_is_told_to_a_spanish_speaking_admin_in_spanish(client, world):
    speaks(world["admin"], "es")
    deactivate(world["approver2"])
    world.item(FILE_ID, state="draft")
    s = statement(client, world)
    client.put(STATEMENT, headers=world["approver"].headers,
               json={"answers": complete_answers(), "version": s["version"]})
    assert fire(client, world, "approver", "submit").status_code == 200
    told = db.session.scalars(select(Notification).where(Notification.kind == "stalled")).one()
    assert told.subject == f"[REIS] {FILE_ID} está detenida: nadie puede decidirla"
    assert told.payload["message"].startswith("Nadie puede tomar la siguiente decisión")
    assert "revisión del departamento" in told.payload["message"]


def test_the_delegate_is_told_in_their_language_and_an_english_one_in_english(client, world):
    speaks(world["staff2"], "vi")
    start = date.today()
    assert delegate(client, world, starts=start, ends=start + timedelta(days=3)).status_code == 200
    told = db.session.scalars(select(Notification).where(Notification.kind == "delegated")).one()
    assert told.subject.startswith("[REIS] Bạn là người được ủy quyền của")
    assert "thay mặt" not in told.subject and "named you" not in told.payload["message"]
    assert "người được ủy quyền" in told.payload["message"]

    assert delegate(client, world, who="ode", to="ode2", starts=start,
                    ends=start + timedelta(days=3)).status_code == 200
    english = db.session.scalars(select(Notification).where(Notification.kind == "delegated",
                                                            Notification.email == world["ode2"].email)).one()
    assert "named you their delegate" in english.payload["message"]
