"""Moderators' journeys against `Rev2Slack` (a fake written from Slack's docs)."""

from __future__ import annotations

import asyncio
from typing import Any

NEW = {"id": "small-lab-phd", "topic": "phd",
       "question": "Is a PhD from a small lab ok for research jobs?",
       "answer": "Yes if you publish well in good venues, according to the sources here.",
       "sources": "phd-not-required-video: takeaway 1"}


async def test_a_moderator_clicking_both_choices_of_a_duplicate_warning_at_once_gets_one(
        rev2: Any) -> None:
    s = rev2
    await s.command("add", user="UADMIN")
    await s.bridge.drain()
    assert await s.submit(s.fake.of("views.open")[-1]["view"], NEW, user="UADMIN") == (200, "")
    await s.bridge.drain()
    warning = s.fake.of("chat.postEphemeral")[-1]
    assert "This looks like entry" in warning["text"]
    choices = {e["action_id"].split(":")[-1]: e.get("value") for b in warning["blocks"]
               if b["type"] == "actions" for e in b["elements"]}
    # "Save as a new entry anyway" and "Add as variant", pressed together (a double click that
    # landed on both, or two tabs): Slack delivers both at once.
    await asyncio.gather(*(
        s.click_message("C1", "1.1", {"action_id": f"cb:{i}:{name}", "value": choices[name]},
                        user="UADMIN", ephemeral=True)
        for i, name in enumerate(("mod-dup-variant", "mod-dup-save"))))
    await s.bridge.drain()
    said = [r["text"] for r in s.fake.of("respond")]
    assert len([t for t in said if t.startswith("Added")]) == 1, said
    assert len([t for t in said if "already made" in t]) == 1, said
