"""Pattern scans that let other threads run: the safety patterns of a serving bot.

The wellbeing check's two big alternations (crisis, distress) are a single C call each with
Python's `re`, which holds the GIL for the whole scan: 10-35 ms on a long paste, during which
the event loop and the other matching thread stand still (`make bench` abuse: one member's
flood pushed others' p99 to 0.3 s). The `regex` engine releases the GIL while it scans
(`concurrent=True`) and reads these patterns as `re` does (tests compare the two on every
tuning message); compiling them costs ~0.6 s, so only a serving bot switches, never a one-shot
command such as `careerbot ask`.

`regex` is also ~2.3x slower per character than `re`. A question of a few hundred characters
holds the GIL for a millisecond or two with `re`, which stalls nobody; the released scan is
worth its cost only on long pastes. So the serving scanner uses `re` below `RELEASE_FROM`
characters and `regex` from there.
"""

from __future__ import annotations

import re
from typing import Protocol


class Scanner(Protocol):
    def search(self, string: str, /) -> object | None: ...


# ~7 us a character with `re`: at most ~4 ms holding the GIL.
RELEASE_FROM = 600


class ConcurrentScanner:
    """`pattern` scanning with the GIL released (by the `regex` engine) on long texts, and
    with `re` (faster, GIL held briefly) on short ones."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        import regex  # only a serving bot pays for the import and the compile

        self.source = pattern.pattern
        self._short = pattern
        self._pattern = regex.compile(pattern.pattern, flags=regex.V0)

    def search(self, string: str, /) -> object | None:
        if len(string) < RELEASE_FROM:
            return self._short.search(string)
        return self.search_released(string)

    def search_released(self, string: str, /) -> object | None:
        """The `regex` engine's scan, whatever the length."""
        return self._pattern.search(string, concurrent=True)


def concurrent(scanner: Scanner | None) -> Scanner | None:
    """The concurrent form of a compiled `re` pattern (anything else is returned as it is)."""
    return ConcurrentScanner(scanner) if isinstance(scanner, re.Pattern) else scanner
