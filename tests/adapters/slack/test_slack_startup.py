"""Start-up through `run()`: one INFO line says Slack is up; a fixable failure is one line with
no traceback and no secret (issue 17, items 1 and 2, for Slack)."""

from __future__ import annotations

import asyncio
import logging
import socket
from pathlib import Path
from typing import Any

import pytest

from adapters import slack_app
from bot.config import Settings
from bot.service import Service
from tests.fakes.slack_harness import BOT_TOKEN
from tests.fakes.slack_server import FakeSlack

APP_TOKEN = "xapp-testfake"
SECRET = "signing-secret-for-startup-tests"


@pytest.fixture(autouse=True)
def _no_slack_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)


def settings(fake: FakeSlack, tmp_path: Path, **kw: Any) -> Settings:
    kw.setdefault("slack_bot_token", BOT_TOKEN)
    return Settings(db_path=tmp_path / "db.sqlite", slack_api_url=fake.api_url, **kw)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def start_then_stop(settings: Settings, service: Service, fake: FakeSlack,
                          caplog: pytest.LogCaptureFixture) -> None:
    """Run until the sign-of-life line is logged, then cancel."""
    task = asyncio.create_task(slack_app.run(settings, service, host="127.0.0.1"))
    try:
        async with asyncio.timeout(30):
            while not any(r.getMessage().startswith("Slack: ") for r in caplog.records):
                if task.done():
                    task.result()  # raises the start-up failure
                await asyncio.sleep(0.01)
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


def assert_one_clean_line(exc: BaseException, caplog: pytest.LogCaptureFixture) -> str:
    message = str(exc)
    assert "\n" not in message
    for secret in (BOT_TOKEN, APP_TOKEN, SECRET):
        assert secret not in message and secret not in caplog.text
    assert "Traceback" not in caplog.text
    assert [r for r in caplog.records if r.exc_info] == []
    return message


async def run_expecting_failure(settings: Settings, service: Service) -> slack_app.SlackStartupError:
    async with asyncio.timeout(30):  # before the fix, a refused app token retried for ever
        with pytest.raises(slack_app.SlackStartupError) as failure:
            await slack_app.run(settings, service, host="127.0.0.1")
    return failure.value


# -- sign of life -----------------------------------------------------------------------------------


async def test_socket_mode_says_who_and_where_in_one_line(
    fake: FakeSlack, service: Service, tmp_path: Path, caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.INFO)
    # As in production: bolt reads SLACK_BOT_TOKEN itself and warns that "`token` will be unused".
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    await start_then_stop(settings(fake, tmp_path, slack_app_token=APP_TOKEN), service, fake, caplog)
    ours = [r.getMessage() for r in caplog.records if r.name == "adapters.slack_app"]
    assert ours == ["Slack: Socket Mode connected as @careerbot in workspace Example (T1)"]
    noise = [r.getMessage() for r in caplog.records if r.name.startswith(slack_app.THIRD_PARTY_LOGGERS)]
    assert noise == []  # "A new session has been established", "`token` will be unused"...
    assert len(fake.of("apps.connections.open")) == 1


async def test_http_mode_says_port_and_path_in_one_line(
    fake: FakeSlack, service: Service, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    port = free_port()
    config = settings(fake, tmp_path, slack_signing_secret=SECRET, slack_port=port)
    await start_then_stop(config, service, fake, caplog)
    ours = [r.getMessage() for r in caplog.records if r.name == "adapters.slack_app"]
    assert ours == [f"Slack: HTTP mode on :{port}/slack/events as @careerbot in workspace Example (T1)"]
    assert SECRET not in caplog.text and BOT_TOKEN not in caplog.text


# -- one-line failures -------------------------------------------------------------------------------


async def test_http_mode_without_signing_secret_fails_in_one_line(
    fake: FakeSlack, service: Service, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    failure = await run_expecting_failure(settings(fake, tmp_path), service)
    assert "SLACK_SIGNING_SECRET" in assert_one_clean_line(failure, caplog)
    assert fake.calls == []


async def test_refused_bot_token_fails_in_one_line(
    fake: FakeSlack, service: Service, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fake.rejected_tokens.add(BOT_TOKEN)
    for mode in ({"slack_app_token": APP_TOKEN}, {"slack_signing_secret": SECRET, "slack_port": free_port()}):
        failure = await run_expecting_failure(settings(fake, tmp_path, **mode), service)
        message = assert_one_clean_line(failure, caplog)
        assert "SLACK_BOT_TOKEN" in message and "invalid_auth" in message


async def test_refused_app_token_fails_in_one_line(
    fake: FakeSlack, service: Service, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fake.rejected_tokens.add(APP_TOKEN)
    failure = await run_expecting_failure(settings(fake, tmp_path, slack_app_token=APP_TOKEN), service)
    message = assert_one_clean_line(failure, caplog)
    assert "SLACK_APP_TOKEN" in message and "invalid_auth" in message


async def test_port_in_use_fails_in_one_line(
    fake: FakeSlack, service: Service, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        config = settings(fake, tmp_path, slack_signing_secret=SECRET, slack_port=port)
        failure = await run_expecting_failure(config, service)
    message = assert_one_clean_line(failure, caplog)
    assert str(port) in message and "SLACK_PORT" in message


async def test_unreachable_slack_fails_in_one_line(
    service: Service, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = Settings(db_path=tmp_path / "db.sqlite", slack_bot_token=BOT_TOKEN,
                      slack_app_token=APP_TOKEN, slack_api_url=f"http://127.0.0.1:{free_port()}/api/")
    failure = await run_expecting_failure(config, service)
    assert "cannot reach Slack" in assert_one_clean_line(failure, caplog)
