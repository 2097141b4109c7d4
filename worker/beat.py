"""Beat's scheduler with a leader lock: one beat schedules, a second stands by.

Why: production runs two beats so that losing one machine does not stop the
relay, the sweep and the digest, yet two schedulers must not both send. The
leader holds a Redis key (``SET key token NX PX ttl``) and renews it on every
tick; a standby tries to take it on each of its ticks. If the leader dies,
its key expires after ``ttl`` and the standby takes over; a leader that shuts
down cleanly deletes its key, so the standby takes over at its next tick.

Even a lapse here cannot send anything twice: every scheduled task is "do
what is due now" against the database (the outbox claim, the reminders'
unique keys). The lock keeps the work, and the log, single.

With the embedded broker (no Redis: ``make run``) there is one beat on one
machine and no lock.
"""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

import redis
from celery.beat import PersistentScheduler

log = logging.getLogger(__name__)

LOCK_KEY = "reis:beat:leader"
LOCK_TTL = 30.0  # seconds; the leader renews it every tick (at most every ttl / 3)

# Take the key if it is free, renew it if it is ours; 1 when we hold it.
_HOLD = """
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
"""
# Delete the key only if it is still ours.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


class LeaderLock:
    def __init__(self, client: redis.Redis, key: str = LOCK_KEY, ttl: float = LOCK_TTL) -> None:
        self.client, self.key, self.ttl = client, key, ttl
        self.token = uuid.uuid4().hex
        self.held = False
        self._hold = client.register_script(_HOLD)
        self._release = client.register_script(_RELEASE)

    def hold(self) -> bool:
        """Take or renew the lock; False when another beat holds it or Redis is unreachable."""
        was = self.held
        try:
            self.held = bool(self._hold(keys=[self.key], args=[self.token, int(self.ttl * 1000)]))
        except redis.RedisError as exc:
            log.warning("beat: cannot reach Redis for the leader lock (%s); standing by", exc)
            self.held = False
        if self.held != was:
            log.info("beat: %s", "leading: this beat schedules" if self.held
                     else "standing by: another beat holds the lock")
        return self.held

    def release(self) -> None:
        if self.held:
            try:
                self._release(keys=[self.key], args=[self.token])
            except redis.RedisError:
                log.warning("beat: could not release the leader lock; it expires by itself")
            self.held = False


class LeaderScheduler(PersistentScheduler):
    """``PersistentScheduler`` that only sends while holding the leader lock."""

    def __init__(self, *args, **kwargs) -> None:
        if kwargs.get("schedule_filename"):
            Path(kwargs["schedule_filename"]).parent.mkdir(parents=True, exist_ok=True)
        super().__init__(*args, **kwargs)
        url = self.app.conf.broker_url or ""
        self.leader: LeaderLock | None = None
        if url.startswith(("redis://", "rediss://")):
            client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=5)
            self.leader = LeaderLock(client, key=self.app.conf.get("reis_beat_lock_key", LOCK_KEY),
                                     ttl=float(self.app.conf.get("reis_beat_lock_ttl", LOCK_TTL)))

    def tick(self, *args, **kwargs) -> float:
        if self.leader is None:
            return super().tick(*args, **kwargs)
        renew_every = self.leader.ttl / 3
        if not self.leader.hold():
            return renew_every
        return min(super().tick(*args, **kwargs), renew_every)

    @property
    def is_leader(self) -> bool:
        return self.leader is None or self.leader.held

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self.leader is not None:
                self.leader.release()
