"""Event mentions: trigger words from data/triggers.csv, kept only when they report an act.

A trigger is a lemma sequence ("kill", "air strike", "open fire") with the PLOVER type, mode and
ACLED type it signals. A trigger does not make a mention when it is negated ("did not attack"),
modal or planned ("will meet", "plans to strike"), conditional ("if they attack"), habitual or
aggregate ("often attack", "thousands of attacks", "attacks since October").
The weapon and target cues of data/cues.csv then set the ASSAULT mode and ACLED sub-event type
by ACLED's priority (suicide bomb first; air/drone, IED, shelling; then firearms).
"""
from __future__ import annotations

import re

from dataclasses import dataclass
from functools import cached_property
from typing import Optional

from . import data

MODALS = {"will", "would", "could", "might", "may", "should", "shall", "must", "can", "'ll"}
PLANNING = {"plan", "intend", "threaten", "vow", "want", "seek", "aim", "prepare", "propose", "consider",
            "expect", "hope", "urge", "call", "ask", "demand", "try", "attempt", "plot", "pledge", "promise",
            "refuse", "deny", "fail", "agree", "decide", "order", "warn", "need", "allow", "push", "able"}
HABITUAL = {"often", "usually", "regularly", "routinely", "frequently", "repeatedly", "sometimes", "always",
            "never", "constantly"}
# Verbs that report a meeting, deal or other non-violent act named by a noun as having happened.
HAPPEN = {"reach", "sign", "agree", "announce", "broker", "declare", "seal", "strike", "accept", "approve",
          "implement", "hold", "host", "attend", "begin", "start", "resume", "conclude", "open", "end", "join",
          "take", "enter", "impose", "adopt", "unveil", "pass", "extend", "deliver", "send", "make", "issue",
          "have", "convene", "chair", "finalize", "finalise", "mediate"}
OF_HEADS = {"leader", "organizer", "organiser", "victim", "anniversary", "site", "scene", "aftermath", "wake",
            "memory", "survivor", "wave", "spate", "series", "string", "number", "history", "threat", "risk",
            "fear", "possibility", "prospect", "plan", "goal", "end"}
AGGREGATE = {"thousands", "hundreds", "dozens", "numerous", "many", "countless", "scores", "series", "wave",
             "spate", "string", "number", "several"}
# sub-event type -> ACLED event type, from the one table of data/acled_types.csv
ACLED_TYPE = {r["sub_event_type"]: r["event_type"] for r in data.rows("acled_types.csv")}


# Acts that, told in a clause describing someone, are part of the description and no event.
DESCRIBED = {"REQUEST", "CONCEDE"}
# "backed by air strikes": a description of the support an act had, not an act of its own
BACKING = {"back", "support", "cover", "aid", "assist", "accompany", "escort"}


@dataclass(frozen=True)
class Trigger:
    words: tuple[str, ...]
    pos: str  # V, N or *
    plover_type: str
    plover_mode: Optional[str]
    acled_event_type: Optional[str]
    acled_sub_event_type: Optional[str]
    weight: float


@dataclass(frozen=True)
class Cue:
    words: tuple[str, ...]
    plover_mode: str
    acled_event_type: Optional[str]
    acled_sub_event_type: Optional[str]
    rank: int


@dataclass
class Match:
    token: object  # the head token of the trigger (the verb or the noun)
    start: int
    end: int
    trigger: Trigger

    @property
    def is_verb(self) -> bool:
        return self.token.pos_ in ("VERB", "AUX") or (self.trigger.pos == "V" and self.token.pos_ != "NOUN")


def phrase_words(words: str) -> tuple[str, ...]:
    """A table phrase as the tokenizer splits text: "sit-in" is "sit", "-", "in"."""
    return tuple(re.sub(r"(?<=\w)-(?=\w)", " - ", words.lower()).split())


class _PhraseTable:
    """First word -> phrases starting with it, longest first; matched on token lemmas or forms."""

    def __init__(self, items):
        self.table: dict[str, list] = {}
        for item in items:
            self.table.setdefault(item.words[0], []).append(item)
        for v in self.table.values():
            v.sort(key=lambda it: -len(it.words))

    def at(self, tokens, i: int):
        tok = tokens[i]
        for key in {tok.lemma_.lower(), tok.lower_}:
            for item in self.table.get(key, ()):
                n = len(item.words)
                if i + n > len(tokens):
                    continue
                if all(item.words[k] in (tokens[i + k].lemma_.lower(), tokens[i + k].lower_) for k in range(n)):
                    yield item, i + n


class TriggerFinder:
    """`finder(sent) -> list[Match]`: the reported acts of a sentence."""

    @cached_property
    def triggers(self) -> _PhraseTable:
        return _PhraseTable(Trigger(phrase_words(r["phrase"]), r["pos"], r["plover_type"], r["plover_mode"],
                                    r["acled_event_type"], r["acled_sub_event_type"], float(r["weight"]))
                            for r in data.rows("triggers.csv"))

    @cached_property
    def cues(self) -> _PhraseTable:
        return _PhraseTable(Cue(phrase_words(r["cue"]), r["plover_mode"], r["acled_event_type"],
                                r["acled_sub_event_type"], int(r["rank"])) for r in data.rows("cues.csv"))

    def __call__(self, sent) -> list[Match]:
        tokens = list(sent)
        out, i = [], 0
        while i < len(tokens):
            found = None
            for trig, end in self.triggers.at(tokens, i):
                head = self._head(tokens[i:end], trig)
                if head is not None:
                    found = Match(head, tokens[i].i, tokens[end - 1].i + 1, trig)
                    break
            if found:
                if self.reports_act(found):
                    out.append(found)
                i = found.end - sent.start
            else:
                i += 1
        return out

    @staticmethod
    def _head(toks, trig: Trigger):
        """The token that carries the phrase, if its part of speech fits the trigger's."""
        if any(t.ent_type_ in ("DATE", "TIME", "PERSON") for t in toks):
            return None  # "March 22", "Saturday's strike" no; a name is not an act
        if trig.pos == "V":
            tok = toks[0]
            return tok if tok.pos_ in ("VERB", "AUX") or (tok.tag_ in ("VBN", "VBG")) else None
        tok = toks[-1]
        if trig.pos == "N":
            return tok if tok.pos_ in ("NOUN", "PROPN") else None
        return tok if tok.pos_ in ("NOUN", "PROPN", "VERB") else None

    def reports_act(self, m: Match) -> bool:
        """False for negated, modal, planned, conditional, habitual and aggregate mentions."""
        tok = m.token
        governors = [tok]
        if not m.is_verb and tok.head.i != tok.i and tok.head.pos_ in ("VERB", "AUX"):
            governors.append(tok.head)
        for g in governors:
            for c in g.children:
                if c.dep_ == "neg":
                    return False
                if c.dep_ == "aux" and c.lower_ in MODALS and m.trigger.plover_type != "THREATEN":
                    return False
                if c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether"):
                    return False
                if c.dep_ == "advmod" and c.lower_ in HABITUAL:
                    return False
                if c.dep_ in ("prep", "mark") and c.lower_ == "since":
                    return False  # "450 killed since October", "the latest since protests reignited": a time mark
                if c.dep_ == "det" and c.lower_ in ("every", "each", "any", "no"):
                    return False
            if g.dep_ in ("xcomp", "ccomp") and g.head.lemma_.lower() in PLANNING and \
                    g.head.lemma_.lower() not in ("warn",) and g.tag_ in ("VB", "VBP"):
                return False
        if not m.is_verb and m.trigger.plover_type not in ("ASSAULT", "PROTEST", "COERCE"):
            gov = tok.head
            if gov.i == tok.i or gov.lemma_.lower() not in HAPPEN:
                return False  # "calls for a ceasefire", "truce talks": the act is not reported
        if not m.is_verb and tok.dep_ == "pobj" and tok.head.lower_ == "of" and (
                tok.head.head.lemma_.lower() in OF_HEADS):
            return False  # "leaders of protests", "anniversary of the attack"
        if m.is_verb and m.trigger.plover_type in DESCRIBED and (tok.dep_ == "relcl" or tok.dep_ == "acl" and (
                tok.tag_ == "VBG" or tok.head.pos_ in ("PRON", "DET"))):
            # "fighters who are demanding a ransom", "protesters demanding reform", "those freed": what
            # describes a party (but "a withdrawal demanded by the junta" tells of the demand)
            return False
        if not m.is_verb and tok.dep_ == "pobj" and tok.head.lower_ == "by" and \
                tok.head.head.lemma_.lower() in BACKING:
            return False  # "troops, backed by Russian air strikes, drove IS out": the support, not the act
        if not m.is_verb:
            if tok.dep_ == "compound" and tok.head.pos_ in ("NOUN", "PROPN"):
                return False  # "truce talks", "attack helicopter": a modifier, not the act
            if tok.head.lower_ in AGGREGATE or any(c.lower_ in AGGREGATE for c in tok.children
                                                      if c.dep_ in ("amod", "nummod", "det")):
                return False
            if tok.tag_ == "NNS" and any(c.dep_ == "nummod" for c in tok.children):
                return False  # "two attacks": a count of events, not one
        return True

    def refine(self, sent, m: Match) -> tuple[Optional[str], Optional[str], Optional[str]]:
        """(plover_mode, acled_event_type, acled_sub_event_type) with the sentence's weapon cues."""
        t = m.trigger
        mode, etype, sub = t.plover_mode, t.acled_event_type, t.acled_sub_event_type
        if t.plover_type != "ASSAULT":
            return mode, etype, sub
        tokens = list(sent)
        best = None
        covered = 0  # "stun grenades" is the longer cue: its "grenade" is no grenade attack
        for i in range(len(tokens)):
            for cue, end in self.cues.at(tokens, i):
                if end <= covered:
                    continue
                covered = max(covered, end)
                if best is None or cue.rank < best.rank:
                    best = cue
        if best is not None:
            if mode is None or best.rank <= 2:
                mode = best.plover_mode
            if best.acled_sub_event_type and (sub is None or best.rank == 1 or etype != "Battles"
                                              and best.rank <= 3):
                etype, sub = best.acled_event_type, best.acled_sub_event_type
        return mode, etype, sub


def assault_subtype(sub: Optional[str], mode: Optional[str], actor1, actor2) -> tuple[str, str]:
    """ACLED type and sub-type of an ASSAULT whose weapon cues left it open, from who hit whom."""
    if sub:
        return ACLED_TYPE.get(sub, "Explosions/Remote violence"), sub
    a1 = actor1.type if actor1 else None
    a2 = actor2.type if actor2 else None
    if a2 == "protesters" and a1 in ("state_forces", None):
        return "Protests", "Excessive force against protesters"
    if a2 in ("civilians", "person", "media") or mode in ("abduct",):
        return "Violence against civilians", "Attack"
    return "Battles", "Armed clash"
