"""Long posts: does the answer survive a long story around the question?

Members paste their whole situation before (or after) the question. The sentence model reads
only its first 256 word pieces, so a long story can push the question out of what it sees.
This takes the short on-topic questions of the tuning sets `dev4.yaml` and `dev5.yaml`, puts a
story of about 750 characters (sentences written for this bench, drawn at random with a fixed
seed) after or before each, and scores the full matcher with the long text read as the model
reads it today (`bot.text.clip_for_model`: its opening and its ending) and read whole (the
first 256 word pieces). Tuning sets only: the held-out sets are not used here.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from bench.quality import Question, load_questions, score
from bot import matching
from bot.config import Settings
from bot.kb.loader import load_knowledge
from bot.service import Service
from bot.store import Store

STORY = (
    "Some background about me first, sorry in advance for the length.",
    "I grew up in a small town and was the first person in my family to go to university.",
    "I studied electrical engineering and spent two years at a company that makes industrial "
    "sensors, mostly writing firmware and test scripts.",
    "During the pandemic I started playing with Kaggle notebooks in the evenings and got hooked.",
    "Since then I have done a few online courses, read a lot of blog posts and built a couple of "
    "small projects that I put on GitHub.",
    "My partner is supportive but we also have rent to pay, so whatever I decide has to be "
    "realistic.",
    "I am 29 now and sometimes I feel like everyone around me figured this out years ago.",
    "At work my manager knows I am interested in ML and let me help with a small anomaly "
    "detection prototype last quarter.",
    "I have talked to a couple of people on LinkedIn but most advice I got was pretty generic.",
    "I also read a lot of threads online, which is partly why I am more confused than before.",
    "My grades were fine, not amazing, and I have no publications.",
    "I live in Spain, if that matters, and would be open to moving within Europe.",
)


def long_posts(questions: Sequence[Question], question_last: bool, seed: int = 3) -> list[Question]:
    rnd = random.Random(seed)
    out = []
    for q in questions:
        story = " ".join(rnd.sample(STORY, rnd.randint(8, 12)))
        text = f"{story} Anyway, my actual question: {q.text}" if question_last \
            else f"{q.text} {story}"
        out.append(Question(text, q.topics))
    return out


async def run() -> str:
    kb = load_knowledge(Settings().knowledge_dir)
    short = [q for name in ("dev4.yaml", "dev5.yaml") for q in load_questions(name)
             if not q.off_topic and len(q.text) < 300]
    lines = [
        "## Long posts\n",
        f"{len(short)} short on-topic questions from the tuning sets `dev4` and `dev5`, each "
        "behind or before a story of about 750 characters (`bench/long_posts.py`).\n",
        "| question placed | read as | accuracy@1 | hit@3 | false abstention |",
        "|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        store = await Store.open(Path(tmp) / "bench.db")
        try:
            matcher = Service(kb, store)._base_view.matcher
            today = matching.clip_for_model

            def whole(text: str) -> str:
                # What the model saw before: the text up to its first 256 word pieces.
                return text[:2000]

            readings: list[tuple[str, Callable[[str], str]]] = [
                ("opening and ending (today)", today), ("whole, first 256 word pieces", whole)]
            s = score(short, matcher.match, kb.entries)
            lines.append(f"| no story | - | {s.accuracy_at_1:.3f} | {s.hit_at_3:.3f} | "
                         f"{s.false_abstention:.3f} |")
            try:
                for last in (True, False):
                    posts = long_posts(short, question_last=last)
                    for label, reading in readings:
                        matching.clip_for_model = reading
                        s = score(posts, matcher.match, kb.entries)
                        lines.append(f"| {'after' if last else 'before'} the story | {label} | "
                                     f"{s.accuracy_at_1:.3f} | {s.hit_at_3:.3f} | "
                                     f"{s.false_abstention:.3f} |")
            finally:
                matching.clip_for_model = today
        finally:
            await store.close()
    return "\n".join(lines)


if __name__ == "__main__":
    import asyncio

    print(asyncio.run(run()))
