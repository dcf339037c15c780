"""The faster int8 copy of the sentence model: derived from the verified weights, reused, rebuilt
when damaged, and never a reason for the bot not to start."""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

import numpy as np
import pytest

import bot.quantized as quantized
from bot.embeddings import Encoder, ModelFiles
from bot.quantized import dynamic_int8

TEXTS = [
    "do I need a PhD to become a research scientist",
    "whats the diff between RS and RE",
    "how do I bake sourdough bread",
    "I've been applying for eight months after the layoff and I don't know what else to try. "
    "Should I go back to school for a master's or keep building projects on GitHub?",
]


def _packaged() -> tuple[Path, str]:
    files = ModelFiles.packaged()
    return files.model, files.model_sha256


@pytest.fixture(scope="module")
def derived_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("derived")
    assert dynamic_int8(*_packaged(), folder) is not None
    return folder


def test_the_copy_gives_nearly_the_shipped_models_vectors(derived_dir: Path) -> None:
    shipped = Encoder(ModelFiles.packaged())
    fast = Encoder(ModelFiles.packaged(), derived_dir=derived_dir)
    assert fast.variant.startswith("dynamic-int8:")
    assert shipped.variant == "as-shipped"
    a, b = shipped.encode(TEXTS), fast.encode(TEXTS)
    cosines = (a * b).sum(axis=1)
    assert cosines.min() > 0.97, cosines
    # Not the same model: its vectors may not be served from the shipped model's cache.
    assert not np.array_equal(a, b)
    assert fast.fingerprint != shipped.fingerprint
    np.testing.assert_allclose(np.linalg.norm(b, axis=1), 1.0, atol=1e-5)


def test_an_existing_copy_is_reused_not_rebuilt(derived_dir: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object) -> None:
        raise AssertionError("rebuilt a copy that was fine")

    monkeypatch.setattr(quantized, "_quantize", fail)
    first = dynamic_int8(*_packaged(), derived_dir)
    assert first is not None and first.path.parent == derived_dir
    record = json.loads(first.path.with_suffix(".json").read_text())
    assert record["source_sha256"] == ModelFiles.packaged().model_sha256
    assert record["sha256"] == first.sha256


def test_a_damaged_copy_is_noticed_and_derived_again(
    tmp_path: Path, derived_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    good = next(derived_dir.glob("*.onnx"))
    copy = tmp_path / good.name
    data = bytearray(good.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte in the weights: loads fine, answers wrong
    copy.write_bytes(bytes(data))
    (tmp_path / good.with_suffix(".json").name).write_bytes(good.with_suffix(".json").read_bytes())
    with caplog.at_level(logging.WARNING, logger="bot.quantized"):
        again = dynamic_int8(*_packaged(), tmp_path)
    assert again is not None
    assert "does not match the sha256 recorded" in caplog.text
    assert again.path.read_bytes() == good.read_bytes()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_when_the_copy_cannot_be_derived_the_shipped_model_runs_and_one_line_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object) -> None:
        raise ModuleNotFoundError("No module named 'onnx'")

    monkeypatch.setattr(quantized, "_quantize", broken)
    with caplog.at_level(logging.WARNING, logger="bot.quantized"):
        encoder = Encoder(ModelFiles.packaged(), derived_dir=tmp_path / "cache")
    assert encoder.variant == "as-shipped"
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "\n" not in warnings[0]
    assert "No module named 'onnx'" in warnings[0] and "as shipped" in warnings[0]
    assert encoder.encode(TEXTS[:1]).shape == (1, 384)
    # Nothing half-written is left behind for the next start to trust.
    assert not list((tmp_path / "cache").glob("*.json"))


def test_a_copy_recorded_for_other_weights_is_not_used(tmp_path: Path, derived_dir: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    for path in derived_dir.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    record = next(tmp_path.glob("*.json"))
    meta = json.loads(record.read_text())
    meta["source_sha256"] = "0" * 64
    record.write_text(json.dumps(meta))
    calls: list[Path] = []
    monkeypatch.setattr(quantized, "_quantize", lambda source, work, out: calls.append(source))
    # The stand-in writes no model, so deriving fails and the shipped model is used instead.
    assert dynamic_int8(*_packaged(), tmp_path) is None
    assert calls == [ModelFiles.packaged().model]


def test_a_copy_onnxruntime_cannot_load_falls_back_to_the_shipped_model(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    model, sha = _packaged()
    stem = f"model-{sha[:16]}-dynamic-int8"
    junk = b"not an onnx graph"
    (tmp_path / f"{stem}.onnx").write_bytes(junk)
    (tmp_path / f"{stem}.json").write_text(json.dumps({
        "source_sha256": sha, "recipe": quantized.RECIPE,
        "sha256": hashlib.sha256(junk).hexdigest(),
    }))
    with caplog.at_level(logging.WARNING, logger="bot.embeddings"):
        encoder = Encoder(ModelFiles.packaged(), derived_dir=tmp_path)
    assert encoder.variant == "as-shipped"
    assert "cannot load" in caplog.text and "as shipped" in caplog.text
    assert encoder.encode(TEXTS[:1]).shape == (1, 384)


def _guarded_graph(path: Path, *, guard_read_elsewhere: bool = False) -> None:
    """x -> Softmax -> Where(IsNaN(p), 0, p) -> Identity -> y: the exporter's attention guard."""
    import onnx
    from onnx import TensorProto, helper

    nodes = [
        helper.make_node("Softmax", ["x"], ["p"], axis=-1),
        helper.make_node("IsNaN", ["p"], ["nan"]),
        helper.make_node("Where", ["nan", "zero", "p"], ["guarded"]),
        helper.make_node("Identity", ["guarded"], ["y"]),
    ]
    outputs = [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3])]
    if guard_read_elsewhere:
        nodes.append(helper.make_node("Cast", ["nan"], ["flags"], to=TensorProto.FLOAT))
        outputs.append(helper.make_tensor_value_info("flags", TensorProto.FLOAT, [1, 3]))
    graph = helper.make_graph(
        nodes, "guarded",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3])], outputs,
        [helper.make_tensor("zero", TensorProto.FLOAT, [], [0.0])],
    )
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(path))


def test_the_nan_guard_after_softmax_is_dropped_and_the_output_is_unchanged(
        tmp_path: Path) -> None:
    import onnx
    import onnxruntime as ort

    _guarded_graph(tmp_path / "in.onnx")
    assert quantized._drop_nan_guards(tmp_path / "in.onnx", tmp_path / "out.onnx") == 1
    ops = [n.op_type for n in onnx.load(str(tmp_path / "out.onnx")).graph.node]
    assert ops == ["Softmax", "Identity"]
    x = np.array([[1.0, 2.0, 3.0]], dtype=np.float32)
    before, after = (ort.InferenceSession(str(tmp_path / name)).run(None, {"x": x})[0]
                     for name in ("in.onnx", "out.onnx"))
    np.testing.assert_array_equal(before, after)


def test_a_guard_whose_flags_are_read_elsewhere_stays(tmp_path: Path) -> None:
    import onnx

    _guarded_graph(tmp_path / "in.onnx", guard_read_elsewhere=True)
    assert quantized._drop_nan_guards(tmp_path / "in.onnx", tmp_path / "out.onnx") == 0
    ops = [n.op_type for n in onnx.load(str(tmp_path / "out.onnx")).graph.node]
    assert ops.count("IsNaN") == 1 and ops.count("Where") == 1


def test_the_derived_copy_of_the_shipped_model_has_no_nan_guards(derived_dir: Path) -> None:
    import onnx

    (copy,) = derived_dir.glob("*.onnx")
    ops = {n.op_type for n in onnx.load(str(copy)).graph.node}
    assert "IsNaN" not in ops and "Softmax" in ops


def test_the_fingerprint_names_the_fusions_left_out_and_the_batch_size() -> None:
    a = Encoder(ModelFiles.packaged())
    b = Encoder(ModelFiles.packaged(), batch_size=16)
    assert a.fingerprint != b.fingerprint


def test_a_texts_vector_does_not_depend_on_what_is_encoded_with_it(derived_dir: Path) -> None:
    # The derived copy quantizes its activations with one scale per run of the model: texts
    # encoded together used to move each other's vectors (the cache then depended on which
    # phrasings were embedded together, and a post's sentences on each other).
    fast = Encoder(ModelFiles.packaged(), derived_dir=derived_dir)
    text = "do I need a PhD to become a research engineer?"
    alone = fast.encode([text])[0]
    mates = ["what does a research scientist do all day at a large lab " * 6,
             "kaggle", "is a master's enough for applied research jobs in industry?"]
    together = fast.encode([*mates, text])[-1]
    np.testing.assert_array_equal(together, alone)
