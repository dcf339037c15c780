"""Fit the matcher's confidence model on the tuning sets (never on test.yaml).

    python -m bench.fit_confidence            # prints weights for bot.scoring.Confidence

For each tuning question, the best-ranked entry's features are computed exactly as the matcher
computes them; the label is 1 for an on-topic question and 0 for an off-topic one. A plain
L2-regularised logistic regression (numpy, standardised features) gives the weights, reported
back in the raw feature scale so they can be pasted into `Confidence`.
"""

from __future__ import annotations

import math
import sys

import numpy as np

from bench.quality import load_questions
from bot.config import Settings
from bot.kb.loader import load_knowledge
from bot.matching import Matcher
from bot.text import Analyzer
from bot.wellbeing import Wellbeing

TUNING_SETS = ("dev.yaml", "dev2.yaml", "dev3.yaml")
FIELDS = ("phrase", "entry_cover", "topic_cover", "salience", "offtopic", "log_length")


def dataset(matcher: Matcher) -> tuple[np.ndarray, np.ndarray]:
    rows, labels = [], []
    for name in TUNING_SETS:
        for q in load_questions(name):
            found = matcher.top_features(q.text)
            if found is None:
                continue
            *features, length = found[1]
            rows.append([*features, math.log(max(1, length))])
            labels.append(0.0 if q.off_topic else 1.0)
    return np.array(rows), np.array(labels)


def fit(x: np.ndarray, y: np.ndarray, l2: float = 0.01, steps: int = 5000, lr: float = 0.5):
    mu, sd = x.mean(0), x.std(0) + 1e-9
    z = (x - mu) / sd
    w, b = np.zeros(z.shape[1]), 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(z @ w + b)))
        g = p - y
        w -= lr * (z.T @ g / len(y) + l2 * w)
        b -= lr * float(g.mean())
    return w / sd, b - float((w * mu / sd).sum())


def main(argv: list[str]) -> int:
    global TUNING_SETS
    if argv:
        TUNING_SETS = tuple(argv)
    kb = load_knowledge(Settings.from_env().knowledge_dir)
    matcher = Matcher(kb.entries, Analyzer(kb.synonyms), Wellbeing(kb.safety), kb.offtopic)
    x, y = dataset(matcher)
    weights, bias = fit(x, y)
    print(f"fitted on {len(y)} questions ({int(y.sum())} on-topic) from {', '.join(TUNING_SETS)}")
    print(f"    bias: float = {bias:.3f}")
    for name, value in zip(FIELDS, weights, strict=True):
        print(f"    {name}: float = {value:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
