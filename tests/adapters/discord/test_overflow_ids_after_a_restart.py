"""Buttons and forms whose values are too long for a custom id carry a short key to values held
in memory; after a restart such a key must read as expired, never as someone else's values."""

from __future__ import annotations

from adapters.discord_render import Overflow, build_view, form_custom_id, parse_form_custom_id
from bot.replies import Choice, Form

LONG = "x" * 120


def test_a_key_from_before_a_restart_does_not_name_a_new_processs_values() -> None:
    before = Overflow()
    old_key = before.put("mod-dup-save", LONG + "-old")
    after = Overflow()  # the process restarted: the held values are gone
    after.put("mod-dup-save", LONG + "-someone-elses")
    assert after.get(old_key) is None


def test_a_form_opened_before_a_restart_reads_as_expired_after_it() -> None:
    before, after = Overflow(), Overflow()
    old = form_custom_id(Form("faq-edit", "Edit", (), state=LONG + "@1"), before)
    form_custom_id(Form("faq-edit", "Edit", (), state="another-entry" + LONG + "@7"), after)
    assert parse_form_custom_id(old, after) is None


def test_overflow_keys_still_fit_a_custom_id() -> None:
    overflow = Overflow()
    view = build_view([Choice("Save", "mod-dup-save", LONG)], overflow)
    assert view is not None
    (button,) = view.children
    assert len(button.custom_id) <= 100  # type: ignore[attr-defined]
