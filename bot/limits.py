"""Rate limits: a token bucket per member and per channel, so one member's flood neither fills
the database nor slows anyone else's answers.

A bucket holds up to `burst` tokens and refills at `per_minute`; each message takes one. The
numbers are generous for people (a member asking a question every few seconds never meets the
limit) and tight for scripts; a deployment sets its own through `Settings` (the
`CAREERBOT_MEMBER_*` and `CAREERBOT_CHANNEL_*` variables). Buckets that have refilled completely
are forgotten, so memory stays bounded by the members active in the last few minutes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

# Per member: 30 messages at once, then one every 2 seconds.
MEMBER_BURST, MEMBER_PER_MINUTE = 30, 30.0
# Per channel (all members together): 120 at once, then five a second.
CHANNEL_BURST, CHANNEL_PER_MINUTE = 120, 300.0
# Forget full buckets once this many are tracked.
PRUNE_AT = 10_000
# A member refused this many times within FLOOD_WINDOW seconds is a script, not a person: their
# further refusals skip the word-level wellbeing check, which costs ~20 ms on a long paste and
# would otherwise let one flood occupy the event loop.
FLOOD_REFUSALS, FLOOD_WINDOW = 10, 60.0


class LimitSettings(Protocol):
    """What `RateLimits.configured` reads (`bot.config.Settings` has it; no import either way)."""

    @property
    def member_burst(self) -> int: ...
    @property
    def member_per_minute(self) -> float: ...
    @property
    def channel_burst(self) -> int: ...
    @property
    def channel_per_minute(self) -> float: ...


@dataclass
class _Bucket:
    tokens: float
    at: float


class TokenBuckets:
    def __init__(self, burst: int, per_minute: float):
        self.burst = burst
        self.rate = per_minute / 60.0
        self._buckets: dict[str, _Bucket] = {}

    def take(self, key: str, now: float) -> float:
        """Take a token for `key`: 0.0 when allowed, else the seconds until one is free."""
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= PRUNE_AT:
                self._prune(now)
            bucket = self._buckets[key] = _Bucket(float(self.burst), now)
        # A clock that steps back (NTP, a test's clock) refills nothing rather than draining.
        elapsed = max(0.0, now - bucket.at)
        bucket.tokens = min(float(self.burst), bucket.tokens + elapsed * self.rate)
        bucket.at = max(bucket.at, now)
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self.rate

    def give_back(self, key: str) -> None:
        """Return a token taken for a message that another limit refused."""
        bucket = self._buckets.get(key)
        if bucket is not None:
            bucket.tokens = min(float(self.burst), bucket.tokens + 1.0)

    def __len__(self) -> int:
        return len(self._buckets)

    def _prune(self, now: float) -> None:
        full = [k for k, b in self._buckets.items()
                if b.tokens + (now - b.at) * self.rate >= self.burst]
        for key in full:
            del self._buckets[key]


class RateLimits:
    """The member's bucket and their channel's; both must have a token."""

    @classmethod
    def configured(cls, settings: LimitSettings | None) -> RateLimits:
        """The limits a deployment chose (the defaults above without settings)."""
        if settings is None:
            return cls()
        return cls(TokenBuckets(settings.member_burst, settings.member_per_minute),
                   TokenBuckets(settings.channel_burst, settings.channel_per_minute))

    def __init__(self, member: TokenBuckets | None = None, channel: TokenBuckets | None = None):
        self.member = member if member is not None else TokenBuckets(MEMBER_BURST, MEMBER_PER_MINUTE)
        self.channel = (channel if channel is not None
                        else TokenBuckets(CHANNEL_BURST, CHANNEL_PER_MINUTE))
        self._refusals: dict[str, tuple[int, float]] = {}

    def flooding(self, member: str, now: float) -> bool:
        count, since = self._refusals.get(member, (0, now))
        return count >= FLOOD_REFUSALS and now - since <= FLOOD_WINDOW

    def wait(self, member: str, channel: str, now: float) -> float:
        """0.0 if the message may go ahead, else the seconds to wait (nothing is taken then)."""
        wait = self.member.take(member, now)
        if not wait:
            wait = self.channel.take(channel, now)
            if wait:
                self.member.give_back(member)
        if not wait:
            self._refusals.pop(member, None)
            return 0.0
        count, since = self._refusals.get(member, (0, now))
        if now - since > FLOOD_WINDOW:
            count, since = 0, now
        if len(self._refusals) >= PRUNE_AT and member not in self._refusals:
            self._refusals = {k: v for k, v in self._refusals.items() if now - v[1] <= FLOOD_WINDOW}
        self._refusals[member] = (count + 1, since)
        return wait


def slow_down(seconds: float) -> str:
    return (f"You're sending messages faster than I can answer them well. "
            f"Please try again in {max(1, math.ceil(seconds))} s.")
