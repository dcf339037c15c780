"""The App Home tab, against `Rev2Slack` (a fake written from Slack's docs)."""

from __future__ import annotations

from typing import Any

QUESTION = "what salary should a quantum ML gardener ask for in Norway"


def buttons(view: dict[str, Any]) -> list[tuple[str, str]]:
    return [(e["action_id"], e.get("value", "")) for b in view["blocks"] if b["type"] == "actions"
            for e in b["elements"]]


def home_text(view: dict[str, Any]) -> str:
    return "\n".join(b["text"]["text"] for b in view["blocks"] if b["type"] == "section")


async def _open_home_with_a_question(s: Any) -> list[tuple[str, str]]:
    await s.dm(QUESTION, user="U5")
    await s.bridge.drain()
    await s.event({"type": "app_home_opened", "user": "UADMIN", "channel": "DUADMIN", "tab": "home",
                   "event_ts": "1.2"}, "EvHome1")
    await s.bridge.drain()
    assert QUESTION in home_text(s.fake.homes["UADMIN"])
    return buttons(s.fake.homes["UADMIN"])


async def test_a_question_dismissed_from_the_home_tab_leaves_the_home_tab(rev2: Any) -> None:
    s = rev2
    home = await _open_home_with_a_question(s)
    dismiss = next(b for b in home if b[0].endswith(":unanswered-dismiss"))
    await s.click_home({"action_id": dismiss[0], "value": dismiss[1]}, user="UADMIN")
    await s.bridge.drain()
    assert QUESTION not in home_text(s.fake.homes["UADMIN"])
    assert not any(b[0].endswith(":unanswered-dismiss") for b in buttons(s.fake.homes["UADMIN"]))


async def test_an_entry_added_from_the_home_tab_queue_leaves_the_home_tab(rev2: Any) -> None:
    s = rev2
    home = await _open_home_with_a_question(s)
    new = next(b for b in home if b[0].endswith(":unanswered-new"))
    await s.click_home({"action_id": new[0], "value": new[1]}, user="UADMIN")
    await s.bridge.drain()
    view = s.fake.of("views.open")[-1]["view"]
    status, body = await s.submit(view, {
        "id": "quantum-gardener-salary", "topic": "roles",
        "sources": "phd-not-required-video: takeaway 1",
        "answer": "A long enough answer for the validation rule of this form."}, user="UADMIN")
    await s.bridge.drain()
    assert (status, body) == (200, "")
    assert "Added `quantum-gardener-salary`" in s.fake.texts("DUADMIN")[-1]
    assert QUESTION not in home_text(s.fake.homes["UADMIN"])
