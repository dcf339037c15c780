"""What an admin sees when the Discord bot starts: one sign-of-life line, no third-party noise,
and a refused token as one line with a non-zero exit."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sys
from pathlib import Path

import discord
import pytest
from aiohttp import web

from adapters.discord_bot import create_client
from bot.config import Settings
from bot.kb.models import KnowledgeBase
from tests import REPO
from tests.adapters.discord.conftest import running_client
from tests.fakes.discord_server import DUMMY_TOKEN, GUILD_ID, FakeDiscord, _json

SIGN_OF_LIFE = re.compile(
    r"^Discord: connected as careerbot to 0 servers; (\d+) commands synced \((global|guild \d+)\)$")


class RejectingDiscord(FakeDiscord):
    """Discord as it answers a bad token: 401 on the login call."""

    async def _rest(self, request: web.Request) -> web.Response:
        if request.path.endswith("/users/@me"):
            return _json({"message": "401: Unauthorized", "code": 0}, 401)
        return await super()._rest(request)


def own_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "adapters.discord_bot"
            and r.levelno == logging.INFO]


async def signs_of_life(client: discord.Client, caplog: pytest.LogCaptureFixture) -> list[str]:
    """The sign-of-life lines once READY has been handled (on_ready runs as its own task)."""
    await asyncio.wait_for(client.wait_until_ready(), 30)
    for _ in range(200):
        lines = [line for line in own_lines(caplog) if line.startswith("Discord:")]
        if lines:
            return lines
        await asyncio.sleep(0.05)
    return []


async def test_sign_of_life_names_the_bot_its_servers_and_the_synced_commands(
        fake: FakeDiscord, settings: Settings, kb: KnowledgeBase, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.INFO, logger="adapters.discord_bot")
    async with running_client(fake, settings, kb) as client:
        lines = await signs_of_life(client, caplog)
        assert len(lines) == 1, own_lines(caplog)
        match = SIGN_OF_LIFE.match(lines[0])
        assert match is not None, lines[0]
        assert int(match.group(1)) == len(fake.commands["global"]) > 0
        assert match.group(2) == "global"


async def test_sign_of_life_names_the_dev_guild_when_commands_go_there(
        fake: FakeDiscord, settings: Settings, kb: KnowledgeBase, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.INFO, logger="adapters.discord_bot")
    settings = settings.model_copy(update={"discord_dev_guild": GUILD_ID})
    async with running_client(fake, settings, kb) as client:
        lines = await signs_of_life(client, caplog)
        assert len(lines) == 1
        assert lines[0].endswith(f"{len(fake.commands[GUILD_ID])} commands synced (guild {GUILD_ID})")


def test_discord_voice_warnings_are_silenced(settings: Settings, monkeypatch: pytest.MonkeyPatch,
                                             caplog: pytest.LogCaptureFixture):
    # discord.py warns once per process; make it as if this were the first client.
    monkeypatch.setattr(discord.VoiceClient, "warn_nacl", True)
    monkeypatch.setattr(discord.VoiceClient, "warn_dave", True, raising=False)
    caplog.set_level(logging.WARNING)
    create_client(settings, service=None)
    assert [r.getMessage() for r in caplog.records if "voice" in r.getMessage()] == []


# -- `careerbot run` as a process, with the default logging --------------------------------------


def run_env(fake: FakeDiscord, tmp_path: Path, token: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "SLACK_"))}
    env.update(DISCORD_TOKEN=token, DISCORD_API_BASE=fake.api_base,
               DISCORD_GATEWAY_URL=fake.gateway_url, CAREERBOT_DB=str(tmp_path / "run.db"))
    return env


async def start_run(env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=REPO, env=env, stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)


async def test_careerbot_run_prints_the_sign_of_life_without_verbose_and_no_voice_noise(
        fake: FakeDiscord, tmp_path: Path):
    import sqlite3

    proc = await start_run(run_env(fake, tmp_path, DUMMY_TOKEN))
    seen: list[str] = []
    try:
        assert proc.stderr is not None
        while True:
            raw = await asyncio.wait_for(proc.stderr.readline(), 120)
            if not raw:
                break
            seen.append(raw.decode().rstrip())
            if "Discord: connected as" in seen[-1]:
                break
    finally:
        if proc.returncode is None:
            proc.terminate()  # SIGTERM, as docker stop and systemctl stop send
        rest = await asyncio.wait_for(proc.communicate(), 60)
    # A stop is clean: exit 0, the heartbeat marked stopped.
    assert proc.returncode == 0, rest[1].decode()
    conn = sqlite3.connect(tmp_path / "run.db")
    try:
        assert [row[0] is not None for row in conn.execute("SELECT stopped_at FROM heartbeats")
                ] == [True]
    finally:
        conn.close()
    assert any(line.endswith(f"{len(fake.commands['global'])} commands synced (global)")
               and " INFO adapters.discord_bot: Discord: connected as careerbot to 0 servers"
               in line for line in seen), seen
    assert not [line for line in seen if "voice" in line or "Traceback" in line]


async def test_a_rejected_token_is_one_line_and_a_non_zero_exit(tmp_path: Path):
    fake = await RejectingDiscord().start()
    token = "rejected-token-4f9c2a"
    try:
        proc = await start_run(run_env(fake, tmp_path, token))
        _, err = await asyncio.wait_for(proc.communicate(), 120)
    finally:
        await fake.stop()
    lines = err.decode().strip().splitlines()
    assert proc.returncode == 2
    assert len(lines) == 1, lines
    assert lines[0].startswith("careerbot: Discord refused the token (DISCORD_TOKEN)")
    assert token not in err.decode()


async def test_a_running_bot_beats_holds_the_database_and_says_when_it_stops(
        fake: FakeDiscord, settings: Settings):
    import sqlite3

    from bot import app
    from bot.store import StoreError
    from bot.store.health import database_lock

    def beats() -> list[tuple[str, float | None]]:
        if not settings.db_path.exists():
            return []
        conn = sqlite3.connect(settings.db_path)
        try:
            return conn.execute("SELECT platforms, stopped_at FROM heartbeats").fetchall()
        except sqlite3.OperationalError:  # the table is not there yet
            return []
        finally:
            conn.close()

    task = asyncio.create_task(app.run_all(settings))
    try:
        for _ in range(1200):
            if beats() or task.done():
                break
            await asyncio.sleep(0.05)
        assert beats() == [("discord", None)]
        with pytest.raises(StoreError, match="is using"):
            with database_lock(settings.db_path, exclusive=True):
                pass
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    [(platforms, stopped_at)] = beats()
    assert stopped_at is not None
    with database_lock(settings.db_path, exclusive=True):
        pass  # released
