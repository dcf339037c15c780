"""Try settings of the sentence model's share in matching, set by set (never on `test.yaml`'s
behalf: it is printed so a change's cost on it is seen, not tuned for).

    python -m bench.dense_grid "dense_neighbours=3" "dense_answer=0.25,dense_power=8"

Each argument is one setting of `bot.scoring.Thresholds` fields (comma-separated `name=value`);
the first row is always today's. A row gives, per set, correct answers at 1 over on-topic
questions (`ok`), false abstentions (`fa`) and off-topic questions abstained on (`off`), and the
correct answers summed over the tuning sets written blind to the knowledge base and the real
posts' tuning half (`blind`), the figure to weigh first. The held-out sets (`dev9`, `test`, the
real posts' check half) are shown for the record: choosing by them would spend them.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from bench.matching_bench import evaluation_sets
from bench.quality import score
from bot.config import Settings
from bot.kb.loader import load_knowledge
from bot.scoring import Thresholds
from bot.service import Service
from bot.store import Store

BLIND = ("dev6", "dev7", "dev8", "real, tuning half")  # dev9 and test are held out: shown, not summed


def parse(setting: str) -> dict[str, float]:
    """'dense_answer=0.25,dense_neighbours=3' -> the fields, typed as `Thresholds` types them."""
    fields = {f: type(v) for f, v in vars(Thresholds()).items()}
    out: dict[str, float] = {}
    for part in filter(None, setting.split(",")):
        name, _, value = part.partition("=")
        if name.strip() not in fields:
            raise SystemExit(f"unknown setting {name.strip()!r}; one of: {', '.join(fields)}")
        out[name.strip()] = fields[name.strip()](value)
    return out


async def main(settings: list[str]) -> None:
    kb = load_knowledge(Settings.from_env().knowledge_dir)
    sets, _ = evaluation_sets(kb.entries)
    with tempfile.TemporaryDirectory() as tmp:
        store = await Store.open(Path(tmp) / "grid.db")
        try:
            matcher = Service(kb, store).views.base.matcher
            matcher.wellbeing = None  # quality of matching alone, and faster
            base = matcher.thresholds
            for setting in ["", *settings]:
                matcher.thresholds = replace(base, **parse(setting))
                cells, blind = [], 0
                for name, questions in sets.items():
                    s = score(questions, matcher.match, kb.entries)
                    ok = round(s.accuracy_at_1 * s.n_on)
                    blind += ok if name in BLIND else 0
                    cells.append(f"{name} ok {ok}/{s.n_on} fa {round(s.false_abstention * s.n_on)}"
                                 f" off {round(s.offtopic_abstention * s.n_off)}/{s.n_off}")
                print(f"[{setting or 'today'}] blind {blind} | " + " | ".join(cells), flush=True)
        finally:
            await store.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
