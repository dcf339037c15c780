"""The manifest asks for exactly what the adapter uses."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from adapters import slack_app
from tests import REPO

ROOT = REPO
# Bot scope each Web API method the adapter calls needs (views.* and auth.test need none;
# apps.connections.open is called with the app-level token and its connections:write scope).
METHOD_SCOPES = {
    "auth_test": None,
    "apps_connections_open": None,
    "chat_postMessage": "chat:write",
    "chat_postEphemeral": "chat:write",
    "chat_update": "chat:write",
    "conversations_open": "im:write",
    "users_info": "users:read",
    "usergroups_users_list": "usergroups:read",
    "views_open": None,
    "views_publish": None,
}
EVENT_SCOPES = {"app_mention": "app_mentions:read", "app_home_opened": None,
                "message": "im:history", "app_uninstalled": None, "tokens_revoked": None}
# The manifest names message events by where they come from; the adapter answers DMs only.
EVENT_NAMES = {"message": "message.im"}


def manifest() -> dict:
    return yaml.safe_load((ROOT / "deploy" / "slack-manifest.yml").read_text())


def test_manifest_scopes_match_the_calls_and_events_in_the_code() -> None:
    source = Path(slack_app.__file__).read_text()
    methods = set(re.findall(r"client\.(\w+)\(", source))
    assert methods <= set(METHOD_SCOPES), f"add scopes for {methods - set(METHOD_SCOPES)}"
    events = set(re.findall(r'app\.event\("(\w+)"\)', source))
    wanted = {METHOD_SCOPES[m] for m in methods} | {EVENT_SCOPES[e] for e in events} | {"commands"}
    data = manifest()
    assert set(data["oauth_config"]["scopes"]["bot"]) == wanted - {None}
    assert set(data["settings"]["event_subscriptions"]["bot_events"]) == {
        EVENT_NAMES.get(e, e) for e in events}


def test_manifest_declares_the_command_shortcut_home_and_socket_mode() -> None:
    data = manifest()
    features = data["features"]
    assert [c["command"] for c in features["slash_commands"]] == [slack_app.SLASH_COMMAND]
    (shortcut,) = features["shortcuts"]
    assert (shortcut["type"], shortcut["callback_id"]) == ("message", slack_app.SHORTCUT_ID)
    assert features["app_home"]["home_tab_enabled"] is True
    assert features["app_home"]["messages_tab_enabled"] is True
    assert data["settings"]["interactivity"]["is_enabled"] is True
    assert data["settings"]["socket_mode_enabled"] is True
