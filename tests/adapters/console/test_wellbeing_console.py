"""Every quoted crisis and distress message gets the right tier in the console chat."""

from __future__ import annotations

import os
import subprocess
import sys

from tests import REPO
from tests.wellbeing_quotes import CRISIS, DISTRESS, FIGURES, STRESS

ROOT = REPO
HANG_GUARD_SECONDS = 120  # guards against a hung child only; nothing here asserts on speed
SEPARATOR = "is a PhD worth it in the end?"


def test_console_gives_each_quoted_message_its_tier(tmp_path):
    messages = CRISIS + DISTRESS + STRESS + FIGURES
    script = "".join(f"{m}\n{SEPARATOR}\n" for m in messages)
    out = subprocess.run(
        [sys.executable, "-m", "bot", "--db", str(tmp_path / "c.db"), "console", "--user", "ana"],
        input=script, capture_output=True, text=True, cwd=ROOT, timeout=HANG_GUARD_SECONDS,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert out.returncode == 0, out.stderr
    # The separator is an ordinary question whose answer never mentions crisis lines, so the
    # output splits into one block per message, in order.
    blocks = out.stdout.split("**Is a PhD worth the years of low pay")
    replies = blocks[: len(messages)]
    assert len(blocks) >= len(messages)
    for message, reply in zip(messages, replies, strict=True):
        if message in CRISIS:
            assert "988" in reply and "immediate danger" in reply, message
        elif message in DISTRESS:
            assert "counselling" in reply and "immediate danger" not in reply, message
        else:
            assert "988" not in reply, message
