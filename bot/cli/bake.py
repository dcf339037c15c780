"""`careerbot bake`: what a Docker image (or any install) prepares at build time so the bot's
first start neither fetches nor embeds anything.

It checks the embedding model's files against their pinned sha256, loads and checks the
knowledge base, and builds the sentence-vector cache for it (the knowledge base's phrasings,
its off-topic examples and the wellbeing prototypes) exactly as a starting bot does, into
`--cache-dir` (default: where the bot will look, `CAREERBOT_EMBEDDING_CACHE` or `embeddings/`
beside the database). A bot started with that cache folder then encodes only members' questions.
`deploy/Dockerfile` runs it; a test replays the image's steps in a fresh venv without network.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from bot.app import load_kb
from bot.cli.common import CliError
from bot.config import Settings
from bot.embeddings import ModelFiles, shared_encoder
from bot.scoring import Thresholds
from bot.semantic import build_semantic
from bot.views import Views, embedding_cache_dir


async def cmd_bake(args: argparse.Namespace, settings: Settings) -> int:
    files = ModelFiles.from_env()
    files.verify()  # before loading anything: a swapped or truncated file is one line
    print(f"model files OK: {files.model.name} sha256 {files.model_sha256[:12]}..., "
          f"{files.tokenizer.name} sha256 {files.tokenizer_sha256[:12]}...")
    kb = load_kb(settings)
    cache_dir = Path(args.cache_dir) if args.cache_dir else embedding_cache_dir(settings)
    try:  # before a minute of embedding: a folder that cannot be made fails at once
        cache_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"cannot create the embedding cache folder {cache_dir}: "
                       f"{exc.strerror or exc}") from exc
    started = time.monotonic()
    # The int8 copy of the model the bot runs (bot/quantized.py) is derived into the same folder.
    encoder = shared_encoder(cache_dir)
    print(f"sentence model: {encoder.variant.split(':')[0]}"
          + (f" copy in {cache_dir}" if encoder.variant != "as-shipped" else ""))
    # The wellbeing net first, with the texts a starting bot gives it: it keeps a cache file of
    # its own in the same folder, and built second, its vectors (the crisis and distress
    # prototypes) were written over by the views' file, which it had loaded before (last writer
    # wins), so the first start re-embedded them. Built first, its file is what the views load,
    # and the views' build in the same process reuses it.
    ordinary = [p for e in kb.entries for p in (e.question, *e.variants)] + list(kb.offtopic)
    build_semantic(kb.safety, ordinary, cache_dir)
    # Then the views, as a starting bot builds them.
    views = Views(kb, Thresholds(), cache_dir)
    try:
        views.vectors.flush()
    except OSError as exc:
        raise CliError(f"cannot write the embedding cache in {cache_dir}: "
                       f"{exc.strerror or exc}") from exc
    files_written = sorted(p.name for p in cache_dir.glob("*.npz"))
    print(f"embedding cache for {len(kb.entries)} entries ({len(views.vectors)} texts) in "
          f"{cache_dir}: {', '.join(files_written)} ({time.monotonic() - started:.0f} s)")
    return 0


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    bake = sub.add_parser(
        "bake", help="check the model files' sha256 and build the knowledge base's embedding "
                     "cache (for images: the bot then starts without embedding)")
    bake.add_argument("--cache-dir", metavar="DIR",
                      help="where to build it (default: $CAREERBOT_EMBEDDING_CACHE or "
                           "embeddings/ beside the database)")
    bake.set_defaults(func=cmd_bake)
