"""Rate limits (red-team H1): a flooding member is slowed down privately, nobody else is, and a
member who is not okay is never told to slow down."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.limits import MEMBER_BURST, PRUNE_AT, RateLimits, TokenBuckets
from bot.replies import Command, Context


def ctx(user: str, channel: str = "general", moderator: bool = False) -> Context:
    return Context("slack", "T1", channel, user, user, False, moderator)


def test_a_bucket_allows_its_burst_then_refills_at_its_rate():
    buckets = TokenBuckets(burst=3, per_minute=60.0)
    assert [buckets.take("a", 0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("a", 0.0) == 1.0  # one token a second
    assert buckets.take("a", 0.5) == 0.5
    assert buckets.take("a", 1.0) == 0.0
    assert buckets.take("b", 1.0) == 0.0  # nobody else is affected


def test_forgotten_buckets_keep_memory_bounded():
    buckets = TokenBuckets(burst=2, per_minute=60.0)
    for i in range(PRUNE_AT * 2):
        buckets.take(f"member-{i}", float(i))
    assert len(buckets) <= PRUNE_AT


def test_a_channel_flood_is_limited_but_a_refused_member_keeps_their_token():
    limits = RateLimits(TokenBuckets(5, 60.0), TokenBuckets(2, 60.0))
    assert limits.wait("a", "c", 0.0) == 0.0
    assert limits.wait("b", "c", 0.0) == 0.0
    assert limits.wait("a", "c", 0.0) > 0  # the channel is out, not a
    assert limits.member.take("a", 0.0) == 0.0 and limits.member.take("a", 0.0) == 0.0


async def flood(service, who: Context, n: int, text: str = "do I need a phd for research?"):
    return [await service.handle(Command(who, "ask", f"{text} {i}")) for i in range(n)]


async def test_a_flooding_member_is_slowed_down_privately_and_others_are_not(service):
    service.clock = lambda: 1000.0
    replies = await flood(service, ctx("spammer"), 40)
    refused = [r for r in replies if "faster than I can answer" in r.body]
    assert len(refused) == 40 - MEMBER_BURST
    assert all(r.ephemeral and r.kind == "error" for r in refused)
    assert "try again in 2 s" in refused[0].body
    other = await service.handle(Command(ctx("ana"), "ask", "what is an AI residency?"))
    assert other.kind == "answer"
    service.clock = lambda: 1010.0
    again = await service.handle(Command(ctx("spammer"), "ask", "what is an AI residency?"))
    assert again.kind == "answer"


async def test_the_flood_does_not_fill_the_unanswered_queue(service, store):
    service.clock = lambda: 1000.0
    await flood(service, ctx("spammer"), 200, text="zzqx blorf junk question number")
    await service.settle()
    (queued,) = await store.fetchone("SELECT COUNT(*) FROM unanswered")
    assert queued <= MEMBER_BURST


async def test_moderators_and_the_console_are_not_limited(service):
    service.clock = lambda: 1000.0
    assert not any("faster" in r.body for r in await flood(service, ctx("mod", moderator=True), 40))
    console = Context("console", "local", "console", "you", "you", True, False)
    assert not any("faster" in r.body for r in await flood(service, console, 40))


async def test_a_member_in_crisis_is_never_told_to_slow_down(service):
    service.clock = lambda: 1000.0
    await flood(service, ctx("ana"), MEMBER_BURST)
    crisis = await service.handle(Command(ctx("ana"), "ask", "i want to kill myself"))
    assert crisis.kind == "safety"
    distress = await service.handle(Command(ctx("ana"), "ask", "i can't cope anymore, i cry every day"))
    assert distress.kind in ("support", "safety")
    ordinary = await service.handle(Command(ctx("ana"), "ask", "what is a research engineer?"))
    assert "faster than I can answer" in ordinary.body


def test_a_clock_stepping_back_never_drains_a_bucket():
    buckets = TokenBuckets(burst=2, per_minute=60.0)
    assert buckets.take("a", 100.0) == 0.0
    assert buckets.take("a", 50.0) == 0.0
    assert buckets.take("a", 60.0) > 0  # still in the past: no refill yet
    assert buckets.take("a", 101.5) == 0.0


def test_a_member_refused_again_and_again_is_treated_as_a_script():
    from bot.limits import FLOOD_REFUSALS

    limits = RateLimits(TokenBuckets(1, 6.0), TokenBuckets(100, 600.0))
    assert limits.wait("bot", "c", 0.0) == 0.0
    for i in range(FLOOD_REFUSALS):
        assert not limits.flooding("bot", float(i) / 10)
        assert limits.wait("bot", "c", float(i) / 10) > 0
    assert limits.flooding("bot", 1.0)
    assert not limits.flooding("person", 1.0)
    assert limits.wait("bot", "c", 20.0) == 0.0  # allowed again: no longer flooding
    assert not limits.flooding("bot", 20.0)


def test_a_deployment_sets_its_own_limits(monkeypatch: pytest.MonkeyPatch):
    for name, value in (("CAREERBOT_MEMBER_BURST", "3"), ("CAREERBOT_MEMBER_PER_MINUTE", "6"),
                        ("CAREERBOT_CHANNEL_BURST", "50"), ("CAREERBOT_CHANNEL_PER_MINUTE", "120")):
        monkeypatch.setenv(name, value)
    limits = RateLimits.configured(Settings.from_env())
    assert [limits.wait("a", "c", 0.0) for _ in range(4)][:3] == [0.0, 0.0, 0.0]
    assert limits.wait("a", "c", 0.0) == pytest.approx(10.0)  # one every 10 s
    assert limits.channel.burst == 50 and limits.channel.rate == pytest.approx(2.0)
    default = RateLimits.configured(None)
    assert default.member.burst == MEMBER_BURST


@pytest.mark.parametrize(("name", "value"), [
    ("CAREERBOT_MEMBER_BURST", "0"), ("CAREERBOT_MEMBER_BURST", "ten"),
    ("CAREERBOT_CHANNEL_PER_MINUTE", "-5"), ("CAREERBOT_MEMBER_PER_MINUTE", "nan"),
])
def test_a_bad_limit_is_refused_in_one_line_naming_it(monkeypatch: pytest.MonkeyPatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError) as caught:
        Settings.from_env()
    message = str(caught.value)
    assert message.startswith(f"{name} must be a ") and "\n" not in message
    assert "messages" in message and repr(value) in message


async def test_the_service_uses_the_configured_limits(kb, store):
    from bot.service import Service

    service = Service(kb, store, settings=Settings(member_burst=2))
    service.clock = lambda: 1000.0
    replies = await flood(service, ctx("spammer"), 3)
    assert ["faster than I can answer" in r.body for r in replies] == [False, False, True]
