"""A knowledge-base edit reaches a running Slack HTTP bot without a restart, through the real
`careerbot kb reload`; a broken edit is refused and answers keep coming (issue 17, item 4).

The whole bot runs as `careerbot run` would (`bot.app.run_all`: the database lock, the heartbeat,
the reload watcher, the Slack adapter listening on a port) against the fake Slack Web API, on a
copy of the knowledge base; requests are signed with the test signing secret."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shutil
import socket
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot import app
from bot.config import Settings
from bot.store import Store
from tests import REPO
from tests.bot.test_reload import NEW_ENTRY, QUESTION
from tests.fakes.slack_harness import BOT_TOKEN
from tests.fakes.slack_payloads import FORM, new_signing_secret, sign, slash_command_body
from tests.fakes.slack_server import FakeSlack

NEW_ANSWER = "placeholder answer written for a test of reloading"
# Generous: this is a correctness test on a shared machine, not a speed one.
WITHIN = 120.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RunningBot:
    def __init__(self, settings: Settings, fake: FakeSlack, session: aiohttp.ClientSession):
        self.settings = settings
        self.fake = fake
        self.session = session
        self.base = f"http://127.0.0.1:{settings.slack_port}"
        self.asked = 0

    async def healthy(self) -> bool:
        try:
            async with self.session.get(self.base + "/healthz") as resp:
                return resp.status == 200
        except aiohttp.ClientError:
            return False

    async def ask(self, question: str) -> str:
        """`/careerbot ask QUESTION`, and the text of the reply the bot sent for it."""
        self.asked += 1
        body = slash_command_body(f"ask {question}", self.fake.response_url(f"ask-{self.asked}"))
        signed = sign(self.settings.slack_signing_secret.get_secret_value(), body, FORM)
        async with self.session.post(self.base + "/slack/events", data=body.encode(),
                                     headers=signed.headers) as resp:
            assert resp.status == 200
        async with asyncio.timeout(WITHIN):
            await self.fake.wait_for(lambda fake: len(fake.posted()) >= self.asked)
        replies = self.fake.posted()
        assert len(replies) == self.asked  # one reply per question, this one last
        return json.dumps(replies[-1].args, ensure_ascii=False)


async def kb_reload(settings: Settings) -> tuple[int, str]:
    """`careerbot kb reload` in its own process, as an admin (or another container) runs it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "SLACK_"))}
    env.update(CAREERBOT_DB=str(settings.db_path),
               CAREERBOT_KNOWLEDGE_DIR=str(settings.knowledge_dir))
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "kb", "reload", cwd=REPO, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), WITHIN)
    assert proc.returncode is not None
    return proc.returncode, out.decode() + err.decode()


async def eventually(check: Any) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WITHIN
    while not await check():
        assert loop.time() < deadline, "it never happened"
        await asyncio.sleep(0.05)


@pytest.fixture
async def fake() -> Any:
    server = await FakeSlack().start()
    yield server
    await server.stop()


async def test_a_knowledge_edit_reaches_a_running_slack_http_bot_and_a_broken_one_does_not(
        fake: FakeSlack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture):
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    caplog.set_level(logging.INFO)
    knowledge = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", knowledge)
    settings = Settings(db_path=tmp_path / "bot.db", knowledge_dir=knowledge,
                        slack_bot_token=BOT_TOKEN, slack_signing_secret=new_signing_secret(),
                        slack_api_url=fake.api_url, slack_port=free_port(),
                        reload_poll_seconds=0.05)
    running = asyncio.create_task(app.run_all(settings))
    async with aiohttp.ClientSession() as session:
        bot = RunningBot(settings, fake, session)
        try:
            async def up() -> bool:
                if running.done():
                    running.result()  # a start-up failure, raised here
                return await bot.healthy()

            await eventually(up)
            assert NEW_ANSWER not in await bot.ask(QUESTION)

            # The edit, then the reload request from another process: no restart.
            faq = knowledge / "faq" / "research-life.yaml"
            faq.write_text(faq.read_text(encoding="utf-8").rstrip() + "\n" + NEW_ENTRY,
                           encoding="utf-8")
            code, output = await kb_reload(settings)
            assert code == 0, output
            await eventually(lambda: _contains(bot, NEW_ANSWER))

            # A broken edit: `kb reload` refuses it and asks the bot nothing...
            (knowledge / "faq" / "phd.yaml").write_text("entries: [oops: {", encoding="utf-8")
            code, output = await kb_reload(settings)
            assert code == 2 and "phd.yaml" in output and "Traceback" not in output
            # ...and a request that reaches the bot anyway (the file broken after the check)
            # is refused there, while the knowledge it had keeps answering.
            store = await Store.open(settings.db_path)
            try:
                await store.request_reload(time.time())
            finally:
                await store.close()
            await eventually(lambda: _logged(caplog, "knowledge base reload refused"))
            assert NEW_ANSWER in await bot.ask(QUESTION)
            assert "Sources" in await bot.ask("do I need a PhD to work at DeepMind?")
            assert await bot.healthy()
            assert not running.done()
        finally:
            running.cancel()
            await asyncio.gather(running, return_exceptions=True)
    assert fake.problems == []


async def _contains(bot: RunningBot, text: str) -> bool:
    return text in await bot.ask(QUESTION)


async def _logged(caplog: pytest.LogCaptureFixture, text: str) -> bool:
    return text in caplog.text
