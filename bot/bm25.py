"""BM25 (Lucene's variant) over pre-analysed documents, built with a few array operations.

The scores are exactly those of `bm25s.BM25(method="lucene")` (a test compares them on every
evaluation question). What differs is the build: bm25s counts each document's terms in a Python
loop, ~50 ms of held GIL for the shipped base, and a moderator's edit rebuilds the community's
index while members are being answered on other threads; every answer in that window waits its
turn for the GIL. Here the build is one pass that numbers the terms and then numpy work on whole
arrays (~10 ms).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import chain

import numpy as np


class BM25:
    """An index over `docs` (each a list of terms). `idf` maps every term seen to its IDF."""

    def __init__(self, docs: Sequence[Sequence[str]], k1: float, b: float):
        self.num_docs = len(docs)
        vocab = {term: i for i, term in enumerate(dict.fromkeys(chain.from_iterable(docs)))}
        ids = np.fromiter(map(vocab.__getitem__, chain.from_iterable(docs)), dtype=np.int64)
        self.vocab = vocab
        lengths = np.fromiter((len(doc) for doc in docs), dtype=np.int64, count=len(docs))
        doc_of = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
        width = max(len(vocab), 1)
        # One (term, document) pair per distinct term of a document, ordered by term and then
        # document (the layout of bm25s's index), with its count in the document.
        pairs, tf = np.unique(ids * len(docs) + doc_of, return_counts=True) if len(docs) else (
            np.empty(0, np.int64), np.empty(0, np.int64))
        term = pairs // max(len(docs), 1)
        doc = pairs % max(len(docs), 1)
        df = np.bincount(term, minlength=width)[: len(vocab)]
        n = self.num_docs
        self.idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5))
                    for t, c in zip(vocab, df.tolist(), strict=True)}
        idf = np.array(list(self.idf.values()), dtype=np.float32)
        avg = lengths.mean() if len(docs) else np.float64(0.0)
        # As bm25s computes it: the length norm in float64, idf in float32, stored as float32.
        norm = k1 * ((1 - b) + b * lengths[doc] / avg)
        self.data = (idf[term] * (tf / (norm + tf))).astype(np.float32)
        self.docs = doc.astype(np.int32)
        self.indptr = np.concatenate(([0], np.cumsum(df))).astype(np.int64)

    def get_scores(self, terms: Sequence[str]) -> np.ndarray:
        """Each document's score for the query `terms` (terms not in the index count nothing)."""
        scores = np.zeros(self.num_docs, dtype=np.float32)
        for t in terms:
            i = self.vocab.get(t)
            if i is not None:
                start, end = self.indptr[i], self.indptr[i + 1]
                np.add.at(scores, self.docs[start:end], self.data[start:end])
        return scores
