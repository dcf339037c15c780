"""A faster copy of the sentence model, derived once from the verified weights and kept on disk.

The shipped model stores its weights as int8 but computes in float32: onnxruntime turns every
weight back into float32 at load and multiplies float32 matrices. Quantizing the activations
too, per question (onnxruntime's dynamic quantization, per output channel), lets it multiply
int8 by int8, which the CPU does 2 to 3 times faster (MiniLM at 128 word pieces: 36 → 16 ms
on one core here). The vectors stay close to the shipped model's (cosine 0.994 on average over
300 tuning questions, 0.989 at worst), and every figure in `BENCHMARKS.md` is measured with
them.

The derivation also drops the exporter's NaN guards after each attention softmax, which our
inputs can never trigger (`_drop_nan_guards`): a tenth of a long question's time, same vectors.

The copy is derived from the model file only after its sha256 matched the pinned one, is
written atomically next to the vector cache, and is checked against the sha256 recorded when it
was written each time it is loaded; a missing, stale or damaged copy is rebuilt (a few seconds,
once). Deriving it needs the `onnx` package; if that or the derivation fails, the bot logs one
line and runs the model as shipped, slower but with the same answers' quality.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

# Names the derivation below; a change to it must change this, so older copies are rebuilt.
RECIPE = "ort-dynamic-int8-per-channel/2-no-nan-guard"


@dataclass(frozen=True)
class Derived:
    path: Path
    sha256: str


def dynamic_int8(model: Path, model_sha256: str, folder: Path) -> Derived | None:
    """The dynamically quantized copy of `model` (already checked to have `model_sha256`) in
    `folder`, built when missing or damaged. None (after one log line) when it cannot be built
    or written: use the original."""
    stem = f"model-{model_sha256[:16]}-dynamic-int8"
    target = folder / f"{stem}.onnx"
    record = folder / f"{stem}.json"
    existing = _checked(target, record, model_sha256)
    if existing is not None:
        return existing
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=folder, prefix=".derive-") as tmp:
            built = Path(tmp) / "model.onnx"
            _quantize(model, Path(tmp), built)
            digest = _sha256(built)
            os.replace(built, target)
            _write_atomically(record, json.dumps(
                {"source_sha256": model_sha256, "recipe": RECIPE, "sha256": digest}
            ))
    except Exception as exc:  # onnx missing, disk full, read-only folder, a model it can't read
        log.warning("sentence model: could not derive its faster int8 copy in %s (%s); using "
                    "the model as shipped, about 2x slower per question", folder, _one_line(exc))
        return None
    log.info("sentence model: derived its int8 copy %s", target)
    return Derived(target, digest)


def _checked(target: Path, record: Path, source_sha256: str) -> Derived | None:
    try:
        meta = json.loads(record.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("sentence model: %s is unreadable (%s); deriving the copy again", record,
                    _one_line(exc))
        return None
    if not isinstance(meta, dict) or meta.get("source_sha256") != source_sha256 \
            or meta.get("recipe") != RECIPE or not isinstance(meta.get("sha256"), str):
        return None
    try:
        actual = _sha256(target)
    except OSError:
        return None
    if actual != meta["sha256"]:
        log.warning("sentence model: %s does not match the sha256 recorded when it was written; "
                    "deriving it again", target)
        return None
    return Derived(target, actual)


def _quantize(source: Path, workdir: Path, output: Path) -> None:
    # Imported here: only the first start on a machine pays for onnx and the quantization tools.
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # onnxruntime's basic graph optimisations fold the int8-to-float32 casts of the weights into
    # float32 constants: the plain float32 graph that dynamic quantization expects.
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
    options.intra_op_num_threads = 1
    options.log_severity_level = 3
    folded = workdir / "folded.onnx"
    options.optimized_model_filepath = str(folded)
    ort.InferenceSession(str(source), sess_options=options, providers=["CPUExecutionProvider"])
    guarded = workdir / "unguarded.onnx"
    _drop_nan_guards(folded, guarded)
    # The quantizer logs advice on the root logger ("consider pre-processing"); it is not about
    # anything a deployer can act on, so it stays out of the bot's log.
    root = logging.getLogger()
    root.addFilter(_quantizer_advice)
    try:
        quantize_dynamic(guarded, output, op_types_to_quantize=["MatMul"], per_channel=True,
                         weight_type=QuantType.QInt8)
    finally:
        root.removeFilter(_quantizer_advice)


def _drop_nan_guards(source: Path, output: Path) -> int:
    """Copy the graph without the `Where(IsNaN(p), 0, p)` guards after each attention softmax.

    The exporter adds them for rows whose every key is masked out, where softmax gives NaN. Our
    rows never are: a question always keeps its [CLS] and [SEP] word pieces, and the mask only
    hides padding keys. The guards cost about a tenth of a long question's time (two passes
    over every head's token-by-token matrix), and the vectors stay bit-for-bit the same. Only
    the exact pattern is removed (an IsNaN used by nothing else, a zero constant); a graph
    without it is copied as it is. Returns how many guards went."""
    import numpy as np
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(source))
    graph = model.graph
    producer = {out: node for node in graph.node for out in node.output}
    constants = {init.name: init for init in graph.initializer}
    readers: dict[str, int] = {}
    for node in graph.node:
        for name in node.input:
            readers[name] = readers.get(name, 0) + 1
    outputs = {out.name for out in graph.output}
    rename: dict[str, str] = {}
    dropped = []
    for node in graph.node:
        if node.op_type != "Where" or len(node.input) != 3:
            continue
        condition, zero, probs = node.input
        isnan = producer.get(condition)
        softmax = producer.get(probs)
        if (isnan is None or isnan.op_type != "IsNaN" or list(isnan.input) != [probs]
                or softmax is None or softmax.op_type != "Softmax"
                or readers.get(condition) != 1 or node.output[0] in outputs
                or zero not in constants
                or np.any(numpy_helper.to_array(constants[zero]) != 0)):
            continue
        rename[node.output[0]] = probs
        dropped += [node, isnan]
    for node in dropped:
        graph.node.remove(node)
    for node in graph.node:
        for i, name in enumerate(node.input):
            if name in rename:
                node.input[i] = rename[name]
    onnx.save(model, str(output))
    return len(dropped) // 2


def _quantizer_advice(record: logging.LogRecord) -> bool:
    return "onnxruntime" not in record.pathname


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:160] or type(exc).__name__


def _write_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
