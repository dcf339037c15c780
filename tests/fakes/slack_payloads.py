"""Signed requests shaped as Slack documents them, for tests and the benchmark.

Slash commands arrive as a form body; interactivity (`block_actions`, `view_submission`,
`message_action`) as a form body with one `payload` field holding JSON; Events API callbacks
(`app_mention`, `app_home_opened`) as JSON. Every request is signed with `v0=HMAC-SHA256` over
`v0:<timestamp>:<body>`, computed here with slack_sdk's `SignatureVerifier`.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

TEAM = "T1"
ENTERPRISE = "E1"
_ids = itertools.count(1)


def new_signing_secret() -> str:
    return secrets.token_hex(16)


@dataclass(frozen=True)
class SignedRequest:
    body: str | bytes
    headers: dict[str, str]


def sign(secret: str, body: str | bytes, content_type: str, timestamp: int | str | None = None) -> SignedRequest:
    """Sign as Slack does. `body` may be bytes that are not UTF-8, and `timestamp` any string, so
    that tests can send malformed requests that are validly signed."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    if isinstance(body, bytes):
        digest = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256)
        signature = "v0=" + digest.hexdigest()
    else:
        signature = str(SignatureVerifier(secret).generate_signature(timestamp=ts, body=body))
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature,
    }
    return SignedRequest(body, headers)


FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def slash_command_body(
    text: str,
    response_url: str,
    user: str = "U1",
    channel: str = "C1",
    channel_name: str = "general",
    team: str = TEAM,
    enterprise: str | None = None,
) -> str:
    fields = {
        "token": "unused-verification-token",
        "team_id": team,
        "team_domain": "example",
        "channel_id": channel,
        "channel_name": channel_name,
        "user_id": user,
        "user_name": user.lower(),
        "command": "/careerbot",
        "text": text,
        "api_app_id": "A1",
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": f"{next(_ids)}.trigger",
    }
    if enterprise:
        fields["enterprise_id"] = enterprise
        fields["enterprise_name"] = "Example Org"
    return urlencode(fields)


def interactive_body(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})


def block_actions(
    action_id: str,
    value: str | None,
    response_url: str | None,
    user: str = "U1",
    channel: str = "C1",
    message_ts: str = "1700000000.000001",
    ephemeral: bool = False,
    home: bool = False,
    thread_ts: str | None = None,
) -> dict[str, Any]:
    action: dict[str, Any] = {
        "type": "button",
        "action_id": action_id,
        "block_id": "b1",
        "text": {"type": "plain_text", "text": "button", "emoji": True},
        "action_ts": "1700000001.000001",
    }
    if value is not None:
        action["value"] = value
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM},
        "api_app_id": "A1",
        "token": "unused-verification-token",
        "trigger_id": f"{next(_ids)}.trigger",
        "team": {"id": TEAM, "domain": "example"},
        "enterprise": None,
        "is_enterprise_install": False,
        "actions": [action],
    }
    if home:
        payload["container"] = {"type": "view", "view_id": "VHOME"}
        payload["view"] = {"id": "VHOME", "type": "home", "blocks": []}
    else:
        payload["container"] = {
            "type": "message", "message_ts": message_ts, "channel_id": channel,
            "is_ephemeral": ephemeral,
        }
        payload["channel"] = {"id": channel, "name": "directmessage" if channel.startswith("D") else "general"}
        if not ephemeral:
            message: dict[str, Any] = {"type": "message", "ts": message_ts, "user": "UBOT", "text": ""}
            if thread_ts:
                message["thread_ts"] = thread_ts
            payload["message"] = message
    if response_url:
        payload["response_url"] = response_url
    return payload


def view_submission(
    view: dict[str, Any], values: dict[str, str], user: str = "U1"
) -> dict[str, Any]:
    """Submit `view` (as the adapter opened it) with `values` keyed by field block id."""
    state = {
        block["block_id"]: {
            block["element"]["action_id"]: {"type": "plain_text_input", "value": values.get(block["block_id"])}
        }
        for block in view["blocks"]
        if block["type"] == "input"
    }
    return {
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "example"},
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM},
        "api_app_id": "A1",
        "token": "unused-verification-token",
        "trigger_id": f"{next(_ids)}.trigger",
        "view": {
            "id": "VMODAL",
            "team_id": TEAM,
            "type": "modal",
            "blocks": view["blocks"],
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view["callback_id"],
            "state": {"values": state},
            "hash": "1700000000.abc",
            "title": view["title"],
            "root_view_id": "VMODAL",
            "app_id": "A1",
            "bot_id": "BBOT",
        },
        "response_urls": [],
        "is_enterprise_install": False,
    }


def message_action(text: str, response_url: str, user: str = "U1", channel: str = "C1",
                   message_ts: str = "1700000000.000900", author: str = "U2") -> dict[str, Any]:
    return {
        "type": "message_action",
        "token": "unused-verification-token",
        "action_ts": "1700000002.000001",
        "team": {"id": TEAM, "domain": "example"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM, "name": user.lower()},
        "channel": {"id": channel, "name": "general"},
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": "answer_with_careerbot",
        "trigger_id": f"{next(_ids)}.trigger",
        "response_url": response_url,
        "message_ts": message_ts,
        "message": {"type": "message", "user": author, "ts": message_ts, "text": text},
    }


def event_callback(event: dict[str, Any], team: str = TEAM) -> dict[str, Any]:
    return {
        "token": "unused-verification-token",
        "team_id": team,
        "api_app_id": "A1",
        "event": event,
        "type": "event_callback",
        "event_id": f"Ev{next(_ids)}",
        "event_time": int(time.time()),
        "authorizations": [
            {"enterprise_id": None, "team_id": team, "user_id": "UBOT", "is_bot": True,
             "is_enterprise_install": False}
        ],
        "is_ext_shared_channel": False,
    }


def app_mention(text: str, user: str = "U1", channel: str = "C1", ts: str = "1700000000.000500",
                thread_ts: str | None = None) -> dict[str, Any]:
    event = {
        "type": "app_mention", "user": user, "text": text, "ts": ts, "channel": channel,
        "event_ts": ts, "team": TEAM,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event_callback(event)


def app_home_opened(user: str = "U1") -> dict[str, Any]:
    return event_callback({
        "type": "app_home_opened", "user": user, "channel": "D" + user, "tab": "home",
        "event_ts": "1700000000.000700",
    })
