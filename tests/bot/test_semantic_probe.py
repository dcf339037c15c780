"""The crisis probe of the wellbeing check's sentence model (knowledge/safety-probe.yaml)."""

from __future__ import annotations

import logging

import numpy as np
import pytest
import yaml

from bot.kb.loader import load_knowledge
from bot.semantic import Probe, Prototypes, SemanticNet, _probe
from tests.bot.kb.test_knowledge import copy_kb, problems_of

AXES = np.eye(3, dtype=np.float32)


WORDS = frozenset("i have been putting the pills aside for weeks now anyway how is everyone would "
                  "swallow those of wisdom whole if it got me offer what does a research engineer "
                  "do all day advice".split())


def test_a_sentence_scoring_above_the_threshold_is_read_as_a_crisis():
    probe = Probe(AXES[0], bias=0.0, threshold=0.5, vocabulary=WORDS)
    pills = "i have been putting the pills aside"
    assert probe.says([pills], AXES[0:1])
    assert not probe.says([pills, pills], AXES[1:3])
    assert not probe.says([], np.empty((0, 3), np.float32))


def test_the_probe_does_not_read_a_fragment_of_a_few_words():
    probe = Probe(AXES[0], bias=0.0, threshold=0.5, vocabulary=WORDS)
    assert not probe.says(["the pills aside for weeks"], AXES[0:1])


def net(probe: Probe | None) -> SemanticNet:
    # Sentences about "pills" lie on axis 0, where the probe points; the crisis prototype lies on
    # axis 1, so only the probe can find them.
    def encode(texts):
        return np.stack([AXES[0] if "pills" in t else AXES[2] for t in texts])

    return SemanticNet(encode, ordinary=AXES[2:3], crisis=Prototypes(AXES[1:2], 0.45, 0.1),
                       probe=probe)


def test_the_probe_adds_crisis_lines_no_prototype_is_near():
    message = "I have been putting the pills aside for weeks now. Anyway, how is everyone?"
    assert net(None).tier(message) is None
    assert net(Probe(AXES[0], 0.0, 0.5, WORDS)).tier(message) == "crisis"
    assert net(Probe(AXES[0], 0.0, 0.5, WORDS)).tier("what does a research engineer do all day") is None


def test_the_probe_also_reads_the_sentences_with_figures_masked():
    # A figure the patterns know, masked away, takes the probe's alarm away with it, as it does
    # the prototypes' ("masking can take an alarm away").
    message = "I would swallow those pills of wisdom whole if it got me the offer."
    masked = net(Probe(AXES[0], 0.0, 0.5, WORDS)).read(
        message, lambda parts, tier: [p.replace("pills", "advice") for p in parts])
    assert not masked.crisis


def test_the_shipped_probe_was_trained_with_the_shipped_model(kb):
    from bot.embeddings import shared_encoder

    encoder = shared_encoder()
    probe = _probe(kb.safety, encoder.files.fingerprint, encoder.dim, encoder.vocabulary)
    assert probe is not None, "retrain it: python -m bench.wellbeing_probe"
    assert probe.weights.shape == (encoder.dim,)
    assert kb.safety.probe_threshold > 0


def test_a_probe_trained_with_another_model_is_not_used(kb, caplog):
    with caplog.at_level(logging.WARNING, logger="bot.semantic"):
        assert _probe(kb.safety, "another-model", 384, frozenset()) is None
    assert "another sentence model" in caplog.text


def test_the_probe_file_is_merged_and_checked(tmp_path):
    root = copy_kb(tmp_path)
    (root / "safety-probe.yaml").write_text(yaml.safe_dump({
        "probe_model": "m", "probe_weights": [0.5, -0.5], "probe_bias": -0.1,
        "probe_threshold": 1.5,
    }), encoding="utf-8")
    safety = load_knowledge(root).safety
    assert (safety.probe_model, safety.probe_weights, safety.probe_threshold) == \
        ("m", (0.5, -0.5), 1.5)
    (root / "safety-probe.yaml").write_text(yaml.safe_dump({"patterns": ["x"]}), "utf-8")
    assert any("expected a mapping with keys" in p for p in problems_of(root))
    (root / "safety-probe.yaml").write_text(yaml.safe_dump({"probe_weights": "high"}), "utf-8")
    assert any("probe_weights" in p for p in problems_of(root))


@pytest.mark.parametrize("key", ["examples_threshold", "probe_threshold"])
def test_a_generated_setting_may_not_also_be_set_in_safety_yaml(tmp_path, key):
    root = copy_kb(tmp_path)
    safety = yaml.safe_load((root / "safety.yaml").read_text(encoding="utf-8"))
    safety[key] = 0.7
    (root / "safety.yaml").write_text(yaml.safe_dump(safety), encoding="utf-8")
    assert any("set it in one file only" in p for p in problems_of(root))


# Written for this test, in members' words: quiet lines that no pattern or bar catches; the
# shipped probe does (each was 'None' without it when the probe was trained).
@pytest.mark.parametrize("message", [
    "i've worked out which day the house will be empty",
    "i don't think i'll be renewing my lease, or anything else really",
])
async def test_the_shipped_probe_catches_quiet_crisis_lines(service, message):
    assert (await service.match("local", message)).status == "safety"


@pytest.mark.parametrize("message", [
    "i keep standing at the poster session longer than i need to when nobody comes",
    "after the defense i already know what i'm going to do: sleep for a week",
    "i've stopped taking notes on papers and started saving them to zotero instead",
    # another language: the probe does not read it (an ordinary question in Urdu scored 1.6)
    "ہمارا پیپر کانفرنس سے ریجیکٹ ہو گیا ہے۔ اب اسے کس وینیو پر بھیجنا بہتر رہے گا؟",
])
async def test_ordinary_twins_and_other_languages_stay_ordinary(service, message):
    assert (await service.match("local", message)).status not in ("safety", "support")


def test_the_probe_reads_english_sentences_only():
    vocabulary = frozenset({"i", "took", "everything", "from", "the", "bathroom", "cabinet"})
    probe = Probe(AXES[0], 0.0, 0.5, vocabulary)
    assert probe.says(["i took everything from the bathroom cabinet"], AXES[0:1])
    assert not probe.says(["wziąłem wszystko z szafki w łazience wczoraj"], AXES[0:1])


def test_a_crisis_read_by_the_probe_alone_is_marked_so():
    # An ordinary reason to leave explains such a reading in Wellbeing.check ("last post from me
    # before parental leave, see you all in march" is pinned in test_wellbeing_families).
    message = "I have been putting the pills aside for weeks now."
    assert net(Probe(AXES[0], 0.0, 0.5, WORDS)).read(message).probe_only
    both = SemanticNet(lambda texts: np.stack([AXES[0] for _ in texts]), ordinary=AXES[2:3],
                       crisis=Prototypes(AXES[0:1], 0.45, 0.1), probe=Probe(AXES[0], 0.0, 0.5, WORDS))
    reading = both.read(message)
    assert reading.crisis and not reading.probe_only
