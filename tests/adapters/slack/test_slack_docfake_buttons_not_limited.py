"""Against a fake Slack written from the API docs (docfake): the App Home's buttons and the
Home tab itself are not a member's typed commands, which the README limits ("buttons are never
limited")."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from aiohttp import web

from adapters.slack_app import create_bridge, web_app
from bot.config import Settings
from bot.service import Service
from bot.store import Store
from tests.adapters.slack.docfake import BOT, TEAM, DocSlack
from tests.fakes.slack_harness import knowledge

SECRET = "doc-fake-signing-secret"


class Doc:
    def __init__(self, fake: DocSlack, bridge: Any, endpoint: str, session: aiohttp.ClientSession):
        self.fake, self.bridge, self.endpoint, self.session = fake, bridge, endpoint, session

    async def post(self, body: str, content_type: str) -> int:
        ts = str(int(time.time()))
        digest = hmac.new(SECRET.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
        headers = {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": "v0=" + digest,
                   "Content-Type": content_type}
        async with self.session.post(self.endpoint, data=body.encode(), headers=headers) as resp:
            status = resp.status
        await self.bridge.drain()
        return status

    async def command(self, text: str, user: str = "U1", channel: str = "C1") -> int:
        form = {"token": "x", "team_id": TEAM, "team_domain": "doc", "channel_id": channel,
                "channel_name": "general", "user_id": user, "user_name": "ana",
                "command": "/careerbot", "text": text, "api_app_id": "A1",
                "response_url": self.fake.response_url("cmd"), "trigger_id": "1.2.3"}
        return await self.post(urlencode(form), "application/x-www-form-urlencoded")

    async def event(self, event: dict[str, Any], event_id: str) -> int:
        body = {"token": "x", "team_id": TEAM, "api_app_id": "A1", "type": "event_callback",
                "event": event, "event_id": event_id, "event_time": int(time.time()),
                "authorizations": [{"team_id": TEAM, "user_id": BOT, "is_bot": True}]}
        return await self.post(json.dumps(body), "application/json")

    async def home_click(self, action_id: str, user: str = "U1") -> int:
        # A button in the Home tab: the container is the view; no channel, no response_url.
        payload = {"type": "block_actions", "team": {"id": TEAM, "domain": "doc"},
                   "user": {"id": user, "username": "ana", "name": "ana", "team_id": TEAM},
                   "api_app_id": "A1", "token": "x", "trigger_id": "4.5.6",
                   "container": {"type": "view", "view_id": "VHOME"},
                   "view": {"id": "VHOME", "type": "home", "team_id": TEAM},
                   "actions": [{"type": "button", "action_id": action_id, "block_id": "b1",
                                "text": {"type": "plain_text", "text": "x"},
                                "action_ts": "1.1"}]}
        return await self.post(urlencode({"payload": json.dumps(payload)}),
                               "application/x-www-form-urlencoded")


@pytest.fixture
async def doc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Doc]:
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    fake = await DocSlack(channels={"C1": {"U1", BOT}}).start()
    settings = Settings(db_path=tmp_path / "careerbot.db", slack_bot_token="doc-fake-token",
                        slack_signing_secret=SECRET, slack_api_url=fake.api_url,
                        member_burst=2, member_per_minute=1)
    store = await Store.open(tmp_path / "careerbot.db")
    bridge = create_bridge(settings, Service(knowledge(), store, settings=settings))
    runner = web.AppRunner(web_app(bridge), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    session = aiohttp.ClientSession()
    yield Doc(fake, bridge, f"http://127.0.0.1:{port}/slack/events", session)
    await session.close()
    await bridge.drain()
    await runner.cleanup()
    await store.close()
    await fake.stop()


def _said(call: Any) -> str:
    return json.dumps(call.args.get("blocks") or call.args.get("view") or call.args.get("text"))


async def test_a_member_who_asked_twice_still_gets_a_quiz_from_the_home_tabs_start_button(
        doc: Doc) -> None:
    assert await doc.command("do I need a PhD to work at DeepMind?") == 200
    assert await doc.command("what does a research engineer do?") == 200
    doc.fake.calls.clear()
    assert await doc.home_click("cmd:0:quiz") == 200
    (posted,) = doc.fake.of("chat.postMessage")
    assert posted.args["channel"] == "DU1"
    assert "faster than I can answer" not in _said(posted).lower()
    assert "Profile quizzes" in _said(posted)


async def test_opening_the_home_tab_leaves_a_member_their_questions(doc: Doc) -> None:
    opened = {"type": "app_home_opened", "user": "U1", "channel": "DU1", "tab": "home",
              "event_ts": "1.2"}
    for n in range(3):
        assert await doc.event(opened, f"EvHome{n}") == 200
    home = doc.fake.of("views.publish")[-1]
    assert "faster than I can answer" not in _said(home).lower()
    doc.fake.calls.clear()
    assert await doc.command("do I need a PhD to work at DeepMind?") == 200
    (answer,) = doc.fake.of("chat.postMessage")
    assert answer.args["channel"] == "C1"
    assert "faster than I can answer" not in _said(answer).lower()
