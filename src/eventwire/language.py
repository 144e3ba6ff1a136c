"""Language identification: which language a document is in, offline, with py3langid's bundled model.

eventwire reads English only. A document in another language is not silently read as English (it
would give no events, or wrong ones): it is skipped with its language stored and said. The
detector is trusted only when it is sure: a text is called non-English when its best language is
not English with a probability of at least `MIN_PROBABILITY` over at least `MIN_LETTERS` letters.
Otherwise the language is the detector's guess when that is English, else "und" (undetermined),
and the document is read as English: a short English headline full of foreign names must never be
lost. Choice of detector and figures: benchmarks/language_id.py.
"""
from __future__ import annotations

from functools import cache
from typing import Optional

SUPPORTED = {"en", "und"}
# English-lexified languages the model confuses with English news about West Africa ("Gunmen killed
# 5 villagers in Kano, Nigeria" comes out Nigerian Pidgin): read as English, never skipped.
ENGLISH_LIKE = {"en", "pcm"}
MIN_PROBABILITY = 0.70
MIN_LETTERS = 40
SAMPLE_CHARS = 2_000  # the start of a text is enough to tell its language


@cache
def identifier():
    """py3langid's identifier over its bundled model, with normalised probabilities; loaded once."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> str:
    """An ISO 639-1 code for `text`, "en" when English or unsure and English is likely, "und" when unsure."""
    sample = text[:SAMPLE_CHARS]
    letters = sum(ch.isalpha() for ch in sample)
    if letters == 0:
        return "und"
    code, probability = identifier().classify(sample)
    if code in ENGLISH_LIKE:
        return "en"
    if probability >= MIN_PROBABILITY and letters >= MIN_LETTERS:
        return code
    return "und"


def supported(code: Optional[str]) -> bool:
    """True for the languages eventwire extracts (English; unknown is read as English)."""
    return code is None or code.lower().split("-")[0] in SUPPORTED
