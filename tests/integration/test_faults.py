"""Nothing is lost: Redis stopped during 200 state changes, a worker killed while
it delivers. Real parts only: a private redis-server, Celery worker processes
and an SMTP server; every mail is counted at the server by notification id."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Notification
from app.operations import statements
from tests.factories import complete_answers
from tests.integration.services import broker, wait_until

ROUND = ("submit", "approve", "return")  # draft -> department review -> ODE review -> draft


def notifications() -> list[Notification]:
    db.session.rollback()  # see what the workers committed
    return list(db.session.scalars(select(Notification).order_by(Notification.id)))


def all_sent() -> bool:
    rows = notifications()
    return bool(rows) and all(r.email_status == "sent" for r in rows)


def change_states(world, count: int) -> int:
    """``count`` lifecycle events, 8 per item (each makes 2 notifications); each must succeed."""
    staff = world["staff"].user
    by = {"submit": staff, "approve": world["approver"].user, "return": world["ode"].user}
    done, n = 0, 0
    while done < count:
        n += 1
        file_id = f"2026-{n:05d}"
        world.item(file_id)
        statements.save_answers(staff, file_id, complete_answers(), version=1)
        for step in range(min(8, count - done)):
            event = ROUND[step % 3]
            statements.fire_event(by[event], file_id, event,
                                  "Please revise." if event == "return" else None)
            done += 1
    return done


class TestBrokerOutage:
    def test_200_changes_while_redis_is_down_are_each_mailed_once(
            self, world, app_ctx, redis_server, smtp, start_worker):
        with broker(app_ctx, redis_server.url):
            redis_server.stop()
            assert change_states(world, 200) == 200  # not one change failed
            rows = notifications()
            # 325: each approval into ODE review tells only the reviewer it is assigned to
            assert len(rows) == 325 and {r.email_status for r in rows} == {"pending"}
            redis_server.start()
            for _ in range(2):  # two workers racing for the same rows
                start_worker(redis_server.url, smtp.port)
            wait_until(all_sent, 180, "every notification to be sent")
        counts = smtp.sink.by_notification()
        assert set(counts) == {r.id for r in notifications()}
        assert set(counts.values()) == {1}, [i for i, c in counts.items() if c > 1]


class TestWorkerKilled:
    def test_a_worker_killed_while_it_delivers_loses_nothing(
            self, world, app_ctx, redis_server, smtp, start_worker):
        with broker(app_ctx, redis_server.url):
            world.item("2026-00001", state="ready_to_agendize")  # 5 notifications (ODE: the assignee)
            assert len(notifications()) == 5
            smtp.sink.stall_next = True
            first = start_worker(redis_server.url, smtp.port)
            wait_until(smtp.sink.stalled.is_set, 120, "the worker to be sending")
            first.kill()
            rows = notifications()
            assert {r.email_status for r in rows} == {"pending"}
            assert {r.attempts for r in rows} == {0}  # the killed transaction left no trace
            smtp.sink.release.set()
            start_worker(redis_server.url, smtp.port)
            wait_until(all_sent, 120, "every notification to be sent")
        counts = smtp.sink.by_notification()
        assert set(counts) == {r.id for r in notifications()}
        assert set(counts.values()) == {1}
