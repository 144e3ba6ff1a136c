"""Actor roles from the dependency parse: who acted (actor1) and on whom (actor2).

Verbs: subject -> actor1, object or "on/against/with" object -> actor2; passive voice turns the
subject into actor2 and the "by" phrase into actor1; a participle or conjoined verb without a subject
("..., killing 61 people"; "struck and eliminated") takes its head verb's subject.
Nouns: possessor, an actor word before the noun ("an Israeli strike"), or "by X" -> actor1;
"on/against X" -> actor2; a noun that is the object of a light verb ("carried out attacks")
takes that verb's subject.
"""
from __future__ import annotations

from typing import Optional

TARGET_PREPS = {"on", "against", "at", "targeting", "upon"}
WITH_PREPS = {"with"}
NP_RIGHT = {"compound", "flat", "appos", "nummod", "amod", "poss", "prep"}
NP_PREPS = {"of", "from"}
MAX_NP = 12


def np_span(tok):
    """The noun phrase headed by `tok`, cut before relative clauses, conjuncts and long tails."""
    doc = tok.doc
    left = tok.left_edge.i
    right = tok.i
    for child in tok.rights:
        if child.dep_ not in NP_RIGHT or (child.dep_ == "prep" and child.lower_ not in NP_PREPS):
            break
        right = child.right_edge.i
    # never cross into another clause
    for i in range(tok.i + 1, right + 1):
        if doc[i].dep_ in ("relcl", "acl", "punct") and doc[i].head.i == tok.i and doc[i].text not in "-'":
            right = i - 1
            break
    left = max(left, tok.i - MAX_NP)
    right = min(right, tok.i + MAX_NP)
    return doc[left: right + 1]


def _child(tok, *deps):
    return next((c for c in tok.children if c.dep_ in deps), None)


def _prep_object(tok, preps) -> Optional[object]:
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in preps:
            obj = _child(c, "pobj")
            if obj is not None and obj.ent_type_ not in ("DATE", "TIME"):  # "on 22 March" is no target
                return obj
    return None


def subject_of(verb, depth: int = 0):
    subj = _child(verb, "nsubj")
    if subj is not None:
        return subj, False
    subjpass = _child(verb, "nsubjpass")
    if subjpass is not None:
        return subjpass, True
    if depth < 3 and verb.dep_ in ("conj", "xcomp", "advcl", "ccomp") and verb.head.i != verb.i:
        return subject_of(verb.head, depth + 1)
    return None, False


def roles(trigger, is_verb: bool) -> tuple[Optional[object], Optional[object]]:
    """(actor1 head token, actor2 head token) for a trigger token; either may be None."""
    if is_verb:
        return _verb_roles(trigger)
    return _noun_roles(trigger)


SUFFER = {"lose", "die", "suffer", "sustain", "perish", "survive", "succumb", "flee", "escape"}


def _verb_roles(v):
    a1 = a2 = None
    if v.lemma_.lower() in ("die", "perish") or (
            v.tag_ == "VBN" and _child(v, "nsubj") is not None and not any(c.dep_ == "aux" for c in v.children)
            and v.dep_ == "ROOT" and v.i > v.sent.start and v.doc[v.sent.start].is_title and v.doc[v.i].is_title):
        # "three soldiers died": the subject is the victim; so in a headline's "Dozens Killed After ..."
        return None, _child(v, "nsubj")
    subjpass = _child(v, "nsubjpass")
    agent = _child(v, "agent")
    if subjpass is not None or (agent is not None) or v.tag_ == "VBN" and v.dep_ in ("acl", "amod"):
        a2 = subjpass
        if agent is not None:
            a1 = _child(agent, "pobj")
        if a2 is None and v.dep_ in ("acl", "amod", "relcl"):
            a2 = v.head  # "14 civilians killed by ...", "a commander who was killed"
        return a1, a2
    before = v.doc[v.i - 1] if v.i > v.sent.start else None
    if v.tag_ == "VBG" and before is not None and before.ent_type_ in ("NORP", "GPE") and before.dep_ != "nsubj":
        a1 = before  # "in Israeli shelling": a nominal gerund, its modifier misparsed
    elif v.dep_ in ("relcl", "acl"):
        a1 = v.head  # "militants who attacked", and a main verb parsed as a clause of its subject
    else:
        subj = _child(v, "nsubj")
        if subj is None and (v.dep_ in ("conj", "xcomp") or v.dep_ == "advcl" and v.tag_ != "VBN"):
            subj, passive = subject_of(v.head)
            if passive or v.head.lemma_.lower() in SUFFER:
                subj = None  # "he lost his life in shelling": the one who suffered did not strike
        a1 = subj
    a2 = _child(v, "dobj")
    if a2 is not None and a2.lemma_.lower() in PHRASE_OBJECTS:
        a2 = None  # "opened fire on concertgoers": the object is part of the phrase, the target follows
    a2 = a2 or _prep_object(v, TARGET_PREPS) or _prep_object(v, WITH_PREPS)
    if a2 is None or a2.ent_type_ in ("GPE", "LOC", "FAC") or a2.pos_ == "PROPN" and \
            any(c.text == "(" for c in a2.children):  # "Pont-Sonde (Saint-Marc, Artibonite)": a place
        # "stormed Pont-Sonde, shooting residents": the people the clause after it hit
        for c in v.children:
            if c.dep_ in ("advcl", "conj", "xcomp") and c.pos_ == "VERB" and c.tag_ == "VBG":
                obj = _child(c, "dobj")
                if obj is not None and obj.ent_type_ not in ("GPE", "LOC", "FAC"):
                    a2 = obj
                    break
    if a1 is not None and a1.dep_ == "nsubj" and a1.tag_ == "PRP":
        a1 = a1 if a1.lower_ not in ("it", "this", "that") else None
    return a1, a2


PHRASE_OBJECTS = {"fire", "shot", "shots", "round", "rounds"}  # "opened fire", "fired shots"
LIGHT_VERBS = {"carry", "launch", "conduct", "stage", "mount", "claim", "unleash", "step", "intensify",
               "increase", "escalate", "continue", "begin", "hold", "resume", "make", "perpetrate",
               "execute", "commit", "impose", "approve", "adopt", "announce", "hold", "reach", "sign"}


def _noun_roles(n):
    a1 = _child(n, "poss") or _prep_object(n, {"by"})
    if a1 is None:
        for c in n.lefts:
            if c.dep_ in ("compound", "amod", "nmod") and (c.ent_type_ in ("NORP", "GPE", "ORG", "PERSON")
                                                          or c.pos_ == "PROPN"):
                a1 = c
    if a1 is None and n.dep_ in ("dobj", "pobj") and n.head.lemma_.lower() in LIGHT_VERBS | {"for"}:
        verb = n.head if n.dep_ == "dobj" else n.head.head
        subj, passive = subject_of(verb)
        a1 = None if passive else subj
    a2 = _prep_object(n, TARGET_PREPS) or _prep_object(n, WITH_PREPS)
    between = _prep_object(n, {"between"})
    if between is not None:
        a1 = between
        a2 = _child(between, "conj")
    return a1, a2
