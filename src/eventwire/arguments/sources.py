"""Sources: who a sentence attributes its report to ("the IDF said", "according to IRNA").

A pronoun or "the report" as speaker stands for the previous speaker of the same paragraph.
"""
from __future__ import annotations

from typing import Optional

from ..annotate import entities

SPEECH = {"say", "report", "tell", "announce", "claim", "confirm", "state", "add", "write", "post",
          "tweet", "quote", "cite", "allege", "note", "declare", "insist", "explain", "acknowledge",
          "counter", "argue", "assert", "contend"}
ANAPHORIC = {"he", "she", "it", "they", "we", "i", "you", "report", "statement", "source", "sources",
             "agency", "ministry", "spokesman", "spokeswoman", "official", "officials"}
MAX_WORDS = 8


def speakers(sent) -> list[tuple[str, bool]]:
    """(speaker text, is_anaphoric) for each attribution in the sentence, in text order."""
    out = []
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < sent.end and tok.nbor(1).lower_ == "to":
            obj = next((c for c in tok.nbor(1).children if c.dep_ == "pobj"), None)
            if obj is not None:
                out.append((tok.i, _phrase(obj)))
        elif tok.pos_ == "VERB" and tok.lemma_.lower() in SPEECH:
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            if subj is not None:
                out.append((tok.i, _phrase(subj)))
    out.sort()
    result = []
    for _, (text, root) in out:
        if not text or not _can_speak(root):
            continue
        anaphoric = root.lower_ in ANAPHORIC and not any(e.label_ in ("ORG", "PERSON", "NORP", "GPE")
                                                         for e in entities(root.doc[root.left_edge.i: root.right_edge.i + 1]))
        result.append((text, anaphoric))
    return result


SPEAKER_NOUNS = {"official", "ministry", "police", "spokesman", "spokeswoman", "spokesperson", "witness",
                 "resident", "source", "activist", "agency", "media", "report", "statement", "army", "military",
                 "government", "office", "governor", "minister", "president", "chief", "commander", "group",
                 "authority", "hospital", "doctor", "medic", "monitor", "observatory", "outlet", "newspaper",
                 "television", "tv", "channel", "broadcaster", "news", "officer", "leader", "spokesmen", "people"}


def _can_speak(root) -> bool:
    """A speaker is a named entity, a pronoun, or a noun for people or bodies that report."""
    if root.pos_ == "PRON":
        return True
    phrase = root.doc[root.left_edge.i: root.i + 1]
    if any(e.label_ in ("ORG", "PERSON", "NORP", "GPE") for e in entities(phrase)):
        return True
    return root.lemma_.lower() in SPEAKER_NOUNS or root.lower_ in SPEAKER_NOUNS


def _phrase(root) -> tuple[Optional[str], object]:
    """The speaker's noun phrase, cut before a relative clause or apposition, at most MAX_WORDS."""
    toks = [root]
    for t in root.subtree:
        if t.i >= root.i:
            break
        toks.append(t)
    left = min(t.i for t in toks)
    right = root.i
    for t in root.rights:
        if t.dep_ in ("relcl", "appos", "punct", "acl", "cc", "conj", "advcl"):
            break
        right = t.right_edge.i
    doc = root.doc
    while left <= right and (doc[left].dep_ in ("det", "punct") or doc[left].is_space):
        left += 1
    if left > right:
        return None, root
    words = doc[left: right + 1]
    if len(words) > MAX_WORDS:
        words = doc[max(left, root.i - MAX_WORDS + 1): root.i + 1]
    text = words.text.strip(" ,;:")
    return (text or None), root


class SourceTracker:
    """Carries the last named speaker across the sentences of a paragraph."""

    def __init__(self):
        self.last: Optional[str] = None

    def new_paragraph(self):
        self.last = None

    def __call__(self, sent) -> list[str]:
        names = []
        for text, anaphoric in speakers(sent):
            if anaphoric:
                if self.last and self.last not in names:
                    names.append(self.last)
                continue
            if text not in names:
                names.append(text)
            self.last = text
        return names
