"""A workspace that granted careerbot fewer scopes than the manifest asks for, channels it cannot
reach, and the workspace uninstalling it, against `rev4fake.Fake4` (written from Slack's method
and scope reference). The crisis reply must still reach the member privately, never publicly."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
from pathlib import Path

import pytest

from adapters import slack_app
from bot.config import Settings
from bot.service import Service
from bot.store import Store
from tests.adapters.slack.rev4fake import BOT_USER, Channel, Driver4, Fake4
from tests.fakes.slack_harness import BOT_TOKEN, knowledge

CRISIS = "I want to kill myself"
QUESTION = "do I need a PhD to work at DeepMind?"


async def start_then_stop(fake: Fake4, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> list[str]:
    """Start careerbot in HTTP mode against `fake` until it says it is up; its own log lines."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    settings = Settings(db_path=tmp_path / "db.sqlite", slack_api_url=fake.url + "/api/",
                        slack_bot_token=BOT_TOKEN, slack_signing_secret="a-signing-secret",
                        slack_port=port)
    store = await Store.open(tmp_path / "db.sqlite")
    task = asyncio.create_task(slack_app.run(settings, Service(knowledge(), store), host="127.0.0.1"))
    try:
        async with asyncio.timeout(30):
            while not any(r.getMessage().startswith("Slack: HTTP mode") for r in caplog.records):
                if task.done():
                    task.result()
                await asyncio.sleep(0.01)
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await store.close()
    return [r.getMessage() for r in caplog.records if r.name == "adapters.slack_app"]


async def test_an_admin_who_installed_careerbot_without_some_scopes_is_told_which_at_start(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    caplog.set_level(logging.INFO)
    fake = await Fake4().start()
    fake.scopes -= {"users:read", "im:write"}
    try:
        lines = await start_then_stop(fake, tmp_path, caplog)
    finally:
        await fake.stop()
    warnings = [line for line in lines if "installed without" in line]
    assert len(warnings) == 1
    assert "users:read (workspace admins and owners are not moderators)" in warnings[0]
    assert "im:write" in warnings[0] and "reinstall" in warnings[0]
    # Granted, or only needed with SLACK_MODERATOR_GROUPS: not named.
    assert "chat:write" not in warnings[0] and "usergroups:read" not in warnings[0]


async def test_with_every_manifest_scope_start_up_warns_of_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    caplog.set_level(logging.INFO)
    fake = await Fake4().start()
    try:
        lines = await start_then_stop(fake, tmp_path, caplog)
    finally:
        await fake.stop()
    assert [line for line in lines if "installed without" in line] == []


async def test_without_im_write_a_quiz_asker_is_told_an_admin_must_reinstall_not_to_try_again(
    rev4: Driver4,
) -> None:
    rev4.fake.channels["C1"] = Channel({"U1", BOT_USER})
    rev4.fake.scopes.discard("im:write")
    await rev4.slash("quiz ml-path", user="U1", channel="C1")
    said = [h["text"] for h in rev4.fake.hooks]
    assert len(said) == 1 and rev4.fake.public() == []
    assert "im:write" in said[0] and "workspace admin" in said[0]
    assert "try again" not in said[0]


async def test_an_uninstall_tells_the_admin_careerbot_can_no_longer_answer_there(
    rev4: Driver4, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    assert await rev4.event({"type": "tokens_revoked", "tokens": {"oauth": ["U9"], "bot": []}}) == 200
    assert [r for r in caplog.records if "can no longer answer" in r.getMessage()] == []
    assert await rev4.event({"type": "app_uninstalled"}) == 200
    assert await rev4.event({"type": "tokens_revoked", "tokens": {"oauth": [], "bot": [BOT_USER]}}) == 200
    told = [r.getMessage() for r in caplog.records if "can no longer answer" in r.getMessage()]
    assert len(told) == 2 and all("T4REV" in line and "SLACK_BOT_TOKEN" in line for line in told)
    assert "uninstalled" in told[0] and "revoked" in told[1]


# -- guards: what already worked and must keep working ----------------------------------------------


async def test_a_crisis_asked_in_a_public_channel_careerbot_is_not_in_is_answered_privately(
    rev4: Driver4,
) -> None:
    rev4.fake.channels["CPUB"] = Channel({"U1"})  # no chat:write.public either
    await rev4.slash(CRISIS, user="U1", channel="CPUB")
    assert rev4.fake.public() == []
    assert len(rev4.fake.private_to("U1")) == 1 and "988" in rev4.fake.private_to("U1")[0]["text"]


async def test_a_question_in_a_private_channel_careerbot_was_never_invited_to_is_answered(
    rev4: Driver4,
) -> None:
    rev4.fake.channels["GPRIV"] = Channel({"U1"}, private=True)
    await rev4.slash(QUESTION, user="U1", channel="GPRIV")
    assert [h["response_type"] for h in rev4.fake.hooks] == ["in_channel"]


async def test_a_crisis_mention_in_a_channel_archived_since_reaches_the_member_by_dm(
    rev4: Driver4,
) -> None:
    rev4.fake.channels["CARCH"] = Channel({"U1", BOT_USER}, archived=True)
    await rev4.event({"type": "app_mention", "user": "U1", "channel": "CARCH",
                      "text": f"<@{BOT_USER}> {CRISIS}"})
    assert rev4.fake.public() == []
    assert [c["channel"] for c in rev4.fake.private_to("U1")] == ["DU1"]


async def test_a_crisis_after_the_tokens_were_revoked_is_never_posted_publicly(
    rev4: Driver4,
) -> None:
    rev4.fake.channels["C1"] = Channel({"U1", BOT_USER})
    await rev4.slash(QUESTION, user="U1", channel="C1")  # careerbot was running before
    rev4.fake.hooks.clear()
    rev4.fake.calls.clear()
    rev4.fake.revoked = True
    await rev4.slash(CRISIS, user="U1", channel="C1")
    await rev4.event({"type": "app_mention", "user": "U1", "channel": "C1",
                      "text": f"<@{BOT_USER}> {CRISIS}"})
    # A response URL needs no token: the slash command's crisis reply still reaches the member.
    assert [h["response_type"] for h in rev4.fake.hooks] == ["ephemeral"]
    assert all(json.dumps(h).count("988") for h in rev4.fake.hooks)
    assert rev4.fake.public() == []
