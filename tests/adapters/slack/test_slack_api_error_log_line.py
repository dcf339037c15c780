"""A Web API call that fails with an answer that is not Slack's JSON (a proxy's HTML page, a bare
5xx) is logged with its HTTP status, not as "failed: None"."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError

from tests.fakes.slack_harness import SlackHarness


class NotJson:
    """What slack_sdk keeps of an answer it could not read as JSON: no `error` field."""

    status_code = 503

    def get(self, key: str, default: Any = None) -> Any:
        return default


async def test_a_failed_call_without_an_error_code_logs_its_http_status(
        slack: SlackHarness, caplog: Any) -> None:
    async def publish() -> None:
        raise SlackApiError("The request to the Slack API failed.", NotJson())

    with caplog.at_level(logging.ERROR):
        slack.bridge.spawn(publish())
        await slack.bridge.drain()
    (line,) = [r.getMessage() for r in caplog.records if "Slack API call failed" in r.getMessage()]
    assert line == "Slack API call failed: HTTP 503"
