"""`GET /healthz` in Slack HTTP mode (issue 17, item 3): 200 and a small JSON body while this
process's heartbeat is fresh and the database answers, 503 otherwise; no secret, no traceback."""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest

from bot.app import health_probe
from bot.facade import Health
from bot.service import Service
from bot.store.health import STALE_AFTER_SECONDS
from tests.fakes.slack_harness import BOT_TOKEN, SlackHarness


async def healthz(slack: SlackHarness, method: str = "GET") -> tuple[int, Any, str]:
    url = slack.endpoint.replace("/slack/events", "/healthz")
    async with slack.session.request(method, url) as resp:
        text = await resp.text()
        json = resp.content_type == "application/json"
        return resp.status, (await resp.json() if json else None), text


def assert_nothing_secret(slack: SlackHarness, *texts: str) -> None:
    for text in texts:
        assert slack.secret not in text and BOT_TOKEN not in text
        assert "Traceback" not in text


async def test_a_fresh_heartbeat_is_healthy(make_slack: Any, service: Service):
    slack = await make_slack(service, health=health_probe(service.store))
    await service.store.beat("slack", time.time() - 2)
    status, body, text = await healthz(slack)
    assert status == 200
    assert body["status"] == "ok" and 1 <= body["heartbeat_age_seconds"] < STALE_AFTER_SECONDS
    assert set(body) == {"status", "detail", "heartbeat_age_seconds"}
    assert_nothing_secret(slack, text)


async def test_no_heartbeat_yet_is_unavailable(make_slack: Any, service: Service):
    slack = await make_slack(service, health=health_probe(service.store))
    status, body, _ = await healthz(slack)
    assert status == 503 and body["status"] == "unhealthy"
    # Another process's fresh heartbeat does not vouch for this one.
    await service.store.beat("slack", time.time(), host="elsewhere", pid=1)
    assert (await healthz(slack))[0] == 503


async def test_a_stale_heartbeat_is_unavailable(make_slack: Any, service: Service):
    slack = await make_slack(service, health=health_probe(service.store))
    await service.store.beat("slack", time.time() - STALE_AFTER_SECONDS - 5)
    status, body, _ = await healthz(slack)
    assert status == 503 and "old" in body["detail"]
    await service.store.beat("slack", time.time())  # the next beat makes it well again
    assert (await healthz(slack))[0] == 200


async def test_a_stopped_heartbeat_is_unavailable(make_slack: Any, service: Service):
    slack = await make_slack(service, health=health_probe(service.store))
    await service.store.beat("slack", time.time())
    await service.store.stop_beating(time.time())
    assert (await healthz(slack))[0] == 503


async def test_a_database_that_does_not_answer_is_unavailable_without_a_traceback(
        make_slack: Any, service: Service, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.DEBUG)
    slack = await make_slack(service, health=health_probe(service.store))
    await service.store.beat("slack", time.time())
    await service.store.close()
    status, body, text = await healthz(slack)
    assert status == 503 and body == {"status": "unhealthy",
                                      "detail": "the database does not answer"}
    assert_nothing_secret(slack, text, caplog.text)
    assert [r for r in caplog.records if r.exc_info] == []


async def test_a_probe_that_raises_is_unavailable_without_a_traceback(
        make_slack: Any, service: Service, caplog: pytest.LogCaptureFixture):
    async def broken() -> Health:
        raise RuntimeError(f"something went wrong with {BOT_TOKEN}")

    caplog.set_level(logging.DEBUG)
    slack = await make_slack(service, health=broken)
    status, body, text = await healthz(slack)
    assert status == 503 and body["status"] == "unhealthy"
    assert_nothing_secret(slack, text, caplog.text)
    assert [r for r in caplog.records if r.exc_info] == []


async def test_healthz_needs_no_signature_and_only_answers_get(make_slack: Any, service: Service):
    slack = await make_slack(service, health=health_probe(service.store))
    await service.store.beat("slack", time.time())
    assert (await healthz(slack, "HEAD"))[0] == 200
    assert (await healthz(slack, "POST"))[0] == 405
    # Without a probe (the harness's default) there is no such path.
    plain = await make_slack(service)
    assert (await healthz(plain))[0] == 404
