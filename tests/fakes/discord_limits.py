"""Assertions that a message payload, as sent to Discord, respects Discord's documented limits."""

from __future__ import annotations

from typing import Any


def embed_chars(embed: dict[str, Any]) -> int:
    size = len(embed.get("title") or "") + len(embed.get("description") or "")
    size += sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", []))
    size += len((embed.get("footer") or {}).get("text") or "")
    return size


def assert_message_within_limits(data: dict[str, Any]) -> None:
    assert len(data.get("content") or "") <= 2000
    embeds = data.get("embeds") or []
    assert len(embeds) <= 10
    for embed in embeds:
        assert len(embed.get("title") or "") <= 256
        assert len(embed.get("description") or "") <= 4096
        assert len(embed.get("fields", [])) <= 25
        for f in embed.get("fields", []):
            assert 0 < len(f["name"]) <= 256 and 0 < len(f["value"]) <= 1024
        assert len((embed.get("footer") or {}).get("text") or "") <= 2048
    assert sum(embed_chars(e) for e in embeds) <= 6000
    rows = data.get("components") or []
    assert len(rows) <= 5
    seen: set[str] = set()
    for row in rows:
        assert row["type"] == 1 and 0 < len(row["components"]) <= 5
        for button in row["components"]:
            assert len(button["custom_id"]) <= 100
            assert button["custom_id"] not in seen
            seen.add(button["custom_id"])
            assert 0 < len(button.get("label") or "") <= 80


def assert_no_mass_mentions(data: dict[str, Any]) -> None:
    allowed = data.get("allowed_mentions")
    assert allowed is not None, "every message must say which mentions are allowed"
    parse = allowed.get("parse", [])
    assert "everyone" not in parse and "roles" not in parse and "users" not in parse
    assert not allowed.get("roles") and not allowed.get("users")


def custom_ids(data: dict[str, Any]) -> list[str]:
    return [b["custom_id"] for row in data.get("components") or [] for b in row["components"]]


def labels(data: dict[str, Any]) -> list[str]:
    return [b.get("label") for row in data.get("components") or [] for b in row["components"]]
