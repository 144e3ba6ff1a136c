"""Numbers: fatalities, injuries and other counts of one sentence.

ACLED's rules: the lowest credible figure ("at least 61" -> 61, "between 10 and 15" -> 10), vague
quantities are not numbers ("dozens", "scores" -> none), "a dozen" -> 12, and "killed a commander" -> 1.
Numbers count for a casualty word only through the parse (the number modifies the victims of the
kill/wound word, or is what the toll rose to), so a date or an unrelated count is never a toll.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

KILL = {"kill", "die", "dead", "death", "toll", "killing", "life", "fatality", "massacre", "behead",
        "slay", "perish", "execute", "eliminate", "body", "corpse", "assassinate"}
WOUND = {"injure", "wound", "hurt", "injury", "injured", "wounded", "casualty"}
ARREST = {"arrest", "detain", "round", "apprehend", "jail", "detention"}
COUNTED = {"rocket", "missile", "drone", "shell", "mortar", "bomb", "projectile", "airstrike", "strike",
           "round", "grenade", "vehicle", "tank", "house", "home", "building"}
VAGUE = {"dozens", "scores", "hundreds", "thousands", "several", "many", "numerous", "some", "few",
         "tens", "millions", "number"}  # "an unknown number of combatants": no figure
WORDS = {"zero": 0, "no": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5,
         "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
         "dozen": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
         "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
         "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100}


@dataclass
class Counts:
    """The figures of one sentence: (kind, number, casualty word) and counted things."""

    figures: list[tuple[str, int, object]] = field(default_factory=list)
    quantity: dict[str, int] = field(default_factory=dict)

    def for_trigger(self, trigger) -> tuple[Optional[int], Optional[int], dict[str, int]]:
        """(fatalities, injuries, quantity) of the figures tied to this trigger in the parse."""
        found: dict[str, int] = {}
        words: dict[str, object] = {}
        for kind, n, word in self.figures:
            if kind not in found and _linked(word, trigger):
                found[kind], words[kind] = n, word
        for kind, n, word in self.figures:  # "two were killed ... and another one later died": one more
            if kind in found and word.i != words[kind].i and _more(word) and word.i > words[kind].i:
                found[kind] += n
        quantity = dict(self.quantity)
        if "arrested" in found:
            quantity["arrested"] = found["arrested"]
        return found.get("fatalities"), found.get("injuries"), quantity


def _linked(word, trigger) -> bool:
    """The casualty word is the trigger, governs it or is governed by it (within one clause)."""
    if word.i == trigger.i:
        return True
    if trigger in word.subtree or word in trigger.subtree:
        return True
    return word.head.i == trigger.i or trigger.head.i == word.i or (
        word.head.i == trigger.head.i and word.dep_ in ("conj", "advcl") and trigger.dep_ in ("conj", "advcl", "ROOT"))


def value(tok) -> Optional[int]:
    """The integer a number token stands for, with a following "dozen"/"hundred"/"thousand"."""
    text = tok.text.lower().replace(",", "")
    if text in VAGUE:
        return None
    if text == "one" and tok.i > 0 and tok.doc[tok.i - 1].lower_ == "no":
        return 0  # "no one was killed": reported none
    if text in WORDS and tok.i + 2 < len(tok.doc) and tok.nbor(1).text == "-" and tok.nbor(2).lower_ in WORDS:
        if WORDS[text] % 10 == 0 and 20 <= WORDS[text] <= 90 and WORDS[tok.nbor(2).lower_] < 10:
            return WORDS[text] + WORDS[tok.nbor(2).lower_]  # "Twenty-eight", split by the tokenizer
    if tok.i >= 2 and tok.doc[tok.i - 1].text == "-" and tok.doc[tok.i - 2].lower_ in WORDS and text in WORDS \
            and WORDS[text] < 10 and WORDS[tok.doc[tok.i - 2].lower_] % 10 == 0 and WORDS[tok.doc[tok.i - 2].lower_] >= 20:
        return WORDS[tok.doc[tok.i - 2].lower_] + WORDS[text]  # the "eight" of "twenty-eight"
    if re.fullmatch(r"\d+", text):
        n = int(text)
    elif "-" in text and all(p in WORDS for p in text.split("-")):
        n = sum(WORDS[p] for p in text.split("-"))
    elif text in WORDS and text not in ("a", "an", "no"):
        n = WORDS[text]
    else:
        return None
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    if nxt is not None:
        mult = {"hundred": 100, "thousand": 1000, "million": 1_000_000}.get(nxt.lower_)
        if mult and n < 1000:
            n *= mult
    if n > 1_000_000 or (re.fullmatch(r"(19|20)\d\d", text) and tok.ent_type_ == "DATE"):
        return None
    return n


def _is_number(tok) -> bool:
    return (tok.like_num or tok.lower_ in WORDS or tok.lower_ == "dozen") and tok.ent_type_ not in (
        "DATE", "TIME", "MONEY", "PERCENT", "ORDINAL")


def _number_of(noun) -> Optional[int]:
    """The count a noun carries: "61 people" -> 61, "a dozen soldiers" -> 12, "a commander" -> 1."""
    for child in noun.children:
        if child.dep_ in ("nummod", "quantmod") or (child.dep_ in ("amod", "compound") and _is_number(child)):
            if child.lower_ in VAGUE:
                return None
            n = value(child)
            if n is not None:
                return n
        if child.dep_ == "prep" and child.lower_ == "of" and noun.lower_ in VAGUE:
            return None
    if noun.lower_ in VAGUE:
        return None
    dets = [c for c in noun.children if c.dep_ == "det"]
    if dets and dets[0].lower_ == "no":
        return 0  # "no Armenian soldier has been killed"
    if dets and dets[0].lower_ in ("a", "an", "one") and noun.tag_ in ("NN", "NNP"):
        return 1
    if noun.ent_type_ == "PERSON" and noun.dep_ in ("dobj", "nsubjpass"):
        return 1
    return None


def _casualty_kind(tok) -> Optional[str]:
    lemma = tok.lemma_.lower()
    if lemma in KILL or tok.lower_ in KILL:
        return "fatalities"
    if lemma in WOUND or tok.lower_ in WOUND:
        return "injuries"
    if lemma in ARREST:
        return "arrested"
    return None


def counts(sent) -> Counts:
    """Casualty figures and other counts stated in one sentence."""
    out = Counts()
    for tok in sent:
        kind = _casualty_kind(tok)
        if kind is None:
            continue
        n = _figure_for(tok)
        if n is not None:
            out.figures.append((kind, n, tok))
    for tok in sent:
        if tok.lemma_.lower() in COUNTED and tok.pos_ == "NOUN":
            n = _number_of(tok)
            if n is not None and n > 1:
                out.quantity.setdefault(tok.lemma_.lower() + "s", n)
    return out


MORE = {"more", "other", "another", "further", "additional", "second", "third", "fourth", "fifth", "sixth",
        "seventh", "eighth", "ninth", "tenth"}


def _more(word) -> bool:
    """The figure adds victims to one already given: "three more guardsmen later died", "a second victim"."""
    return any(t.lower_ in MORE and (t.dep_ in ("amod", "advmod", "det") and (
        t.head.dep_ in ("nsubj", "nsubjpass", "dobj") or t.head.i == word.i) or
        t.dep_ in ("nsubj", "nsubjpass") and t.head.i == word.i) for t in word.subtree)


def total_fatalities(sentences) -> Optional[int]:
    """The deaths a short report of one incident gives. Within a sentence the figures of its clauses are
    summed, as ACLED sums every side's dead ("the commandos killed Marwan, but 44 of them died" -> 45;
    "killed a conscript; three more guardsmen later died" -> 4), unless it states a toll, which already
    counts them. Across sentences the largest stands (a later "the toll reached 145" updates "killing
    dozens"), and a later figure of more victims ("a second victim died later") adds to it. None when
    no figure is stated."""
    best, extra = None, 0
    for sent in sentences:
        figures = [(n, word) for kind, n, word in counts(sent).figures if kind == "fatalities"]
        if not figures:
            continue
        if any(w.lemma_.lower() in ("toll", "death", "fatality") for _, w in figures):
            total = max(n for n, _ in figures)
        else:
            total = sum(n for n, _ in figures)
        if best is not None and all(_more(w) for _, w in figures):
            extra += total
        else:
            best = total if best is None else max(best, total)
    return None if best is None else best + extra


TOLL_UPDATE = re.compile(
    r"\b(?:death|casualty|fatality)\s+toll\s+(?:has\s+|had\s+)?(?:rose|risen|rises|increased|increases|climbed|"
    r"climbs|jumped|reached|reaches|stood at|stands at|grew|grown)\s+(?:to\s+)?(?:at\s+least\s+)?(\d[\d,]*)\b",
    re.I)


def toll_update(sentences) -> Optional[int]:
    """The largest updated death toll a report states ("the death toll increased to 44", "the death
    toll has risen to at least 120"); None when none is stated."""
    found = [int(m.group(1).replace(",", "")) for sent in sentences for m in TOLL_UPDATE.finditer(sent.text)]
    return max(found) if found else None


COLLECTIVE = {"family", "crowd", "group", "convoy", "village", "unit", "team", "household", "people", "force",
              "population", "community", "staff", "crew", "patrol", "delegation"}


def _count(tok, listed: bool = False) -> Optional[int]:
    """The people one victims' phrase counts: its number, or 1 for one named or singular person
    ("him", "Qassem Soleimani", "his infant daughter", "the driver"; not "the family")."""
    n = value(tok) if _is_number(tok) else _number_of(tok)
    if n is not None:
        return n
    if tok.lower_ in VAGUE:
        return None
    if tok.lower_ == "both":
        return 2
    if tok.lower_ == "another" and tok.dep_ in ("nsubj", "nsubjpass"):
        return 1  # "another died on Sunday"
    if tok.lower_ in ("him", "her", "he", "she"):
        return 1
    if tok.tag_ == "JJ" and tok.lower_ == "old" and any(c.lower_ in ("a", "an") for c in tok.children):
        return 1  # "killed a 17-year-old"
    if tok.ent_type_ == "PERSON" and tok.pos_ == "PROPN":
        return 1
    if listed and (tok.tag_ == "NN" or (tok.tag_ == "NNP" and not tok.ent_type_)) and \
            tok.lemma_.lower() not in COLLECTIVE and \
            any(c.dep_ in ("poss", "det") for c in tok.children):
        return 1
    return None


def _group(noun, verb=None) -> Optional[int]:
    """The count of a victims' noun phrase, with the groups listed with it summed:
    "4 soldiers and 7 militants" -> 11, "him, his infant daughter and two other civilians" -> 4
    (ACLED adds victim groups up). An apposition describing one of them ("Abu Khalid, a senior
    commander") adds no one; a vague group in the list ("and dozens of others") adds nothing."""
    others = _listed(noun, verb)
    n = _count(noun, listed=True)
    if n is None:
        return None
    parsed = n + sum(m for m in (_count(o, listed=True) for o in others) if m is not None)
    return max(parsed, n + _scanned(noun))  # the parser often hangs a long list's members elsewhere


PHRASE_POS = ("DET", "NUM", "ADJ", "NOUN", "PROPN")


def _phrase_end(doc, i: int, end: int) -> int:
    while i < end and (doc[i].pos_ in PHRASE_POS or doc[i].tag_ in ("PRP$", "POS") or doc[i].text == "-"):
        i += 1
    return i


def _scanned(noun) -> int:
    """The victims listed after `noun`, read left to right where the parse scattered them:
    "killed him, his infant daughter and two other civilians" -> 3 more; "Qassem Soleimani, commander
    of the Quds Force, Abu Mahdi al-Muhandis and eight other people" -> 9 more. After a comma, "a/the X"
    describes the one before ("Abu Khalid, a senior commander"); "N of them" is a part, not more."""
    doc, end = noun.doc, noun.sent.end
    i, added, named = noun.i + 1, 0, noun.ent_type_ == "PERSON"
    while True:
        if i < end and doc[i].lower_ == "of":  # "two of their children", "commander of the Quds Force"
            i = _phrase_end(doc, i + 1, end)
        if i >= end or doc[i].text not in (",", "and"):
            return added
        joined = doc[i].lower_ == "and" or (i + 1 < end and doc[i + 1].lower_ == "and")
        j = i + 1 + (doc[i].text == "," and joined)
        k = _phrase_end(doc, j, end)
        heads = [t for t in doc[j:k] if t.pos_ in ("NOUN", "PROPN", "NUM")]
        if not heads and j < end and doc[j].lower_ in ("him", "her"):
            heads, k = [doc[j]], j + 1
        if not heads:
            return added
        first, head = doc[j], heads[-1]
        if k + 1 < end and doc[k].lower_ == "of" and doc[k + 1].lower_ in ("them", "whom", "those"):
            return added  # "12 people, 3 of them children": a part of the victims already counted
        if head.pos_ == "NUM" or any(t.dep_ == "nummod" or (t.pos_ == "NUM" and t.i < head.i) for t in doc[j:k]):
            number = next((value(t) for t in doc[j:k] if t.pos_ == "NUM" or t.dep_ == "nummod"), None)
            added += number or 0
        elif head.lower_ in VAGUE or any(t.lower_ in VAGUE for t in doc[j:k]) or \
                head.lemma_.lower() in COLLECTIVE:
            pass
        elif first.tag_ == "PRP$" or first.lower_ in ("him", "her") or joined or (head.ent_type_ == "PERSON" and named):
            added += 1
        # else "a senior commander", "the group's leader" after a comma: the one before, described, and
        # "a videographer, Issam Abdallah": named
        named = named or head.ent_type_ == "PERSON"
        i = k


VICTIM_POS = ("NOUN", "PROPN", "NUM", "PRON")


def _listed(noun, verb=None) -> list:
    """The other members of a list of victims headed by `noun`, however the parser attached them: as
    its conjuncts, as conjuncts of the verb ("killing him, his wife and ..."), or after an apposition."""
    items: list = []
    counted = _number_of(noun) is not None and noun.tag_ in ("NNS", "NNPS")

    def walk(tok, described=False):
        for c in tok.children:
            if described and c.dep_ == "prep":
                # "Qassem Soleimani, commander of the Quds Force, Abu Mahdi al-Muhandis and eight others":
                # a person listed after the description hangs from its last noun
                for pobj in (g for g in c.children if g.dep_ == "pobj"):
                    for g in pobj.children:
                        if g.dep_ == "conj" and g.ent_type_ == "PERSON" and pobj.ent_type_ != "PERSON":
                            items.append(g)
                            walk(g)
            if c.i <= noun.i or c.pos_ not in VICTIM_POS:
                continue
            if c.dep_ == "conj":
                items.append(c)
                walk(c)
            elif c.dep_ == "appos" and not counted:  # "seven workers - three Britons, a Pole ...": a breakdown
                if c.tag_ == "NN" and any(g.dep_ == "poss" and g.pos_ == "PRON" for g in c.children):
                    items.append(c)  # "..., his deputy Omar Saleh": another person
                elif tok.i == noun.i and c.ent_type_ == "PERSON" and noun.ent_type_ == "PERSON" and \
                        any(t.text == "," for t in noun.doc[noun.i + 1: c.i - 1]) and \
                        any(t.dep_ == "appos" and t.i < c.i for t in noun.children):
                    items.append(c)  # "Hassan Omar, leader of the brigade, Ali Dheere and ...": a second name
                walk(c, described=True)  # "Abu Khalid, a senior commander": the same one, described
    walk(noun)
    if verb is not None:
        for c in verb.children:
            if c.dep_ in ("conj", "dobj") and c.pos_ in ("NOUN", "PROPN", "PRON") and c.i > noun.i:
                items.append(c)
                walk(c)
    return items


def _figure_for(word) -> Optional[int]:
    """The victims' count governed by a casualty word, through the parse."""
    if any(c.dep_ == "prep" and c.lower_ in ("since", "during", "throughout") for c in word.children):
        return None  # "450 killed since October": a running total, not this event's toll
    # "killing 61 people", "killed a commander", "61 people were killed", "wounding more than 150"
    intransitive = word.lemma_.lower() in ("die", "dead", "perish", "death", "toll")
    deps = {c.dep_ for c in word.children}
    # "the ministry reported 10 soldiers and 19 gunmen killed": a bare participle's subject is its victims
    small_clause = word.tag_ == "VBN" and not deps & {"aux", "auxpass", "dobj"}
    for child in word.children:
        if child.dep_ == "nsubj" and small_clause:
            n = _group(child)
            split = [c for c in word.head.children if c.dep_ == "dobj" and c.i < child.i and
                     any(g.dep_ == "cc" for g in c.children)]  # the list's first half, hung on the verb
            if n is not None and split and _count(split[0], listed=True) is not None:
                n += _count(split[0], listed=True)
            if n is not None:
                return n
        if child.dep_ == "nsubj" and not intransitive:
            continue  # "An airstrike killed 61 people": the subject is the attacker, not the toll
        if child.dep_ in ("dobj", "nsubjpass", "nsubj", "pobj", "attr") or (child.dep_ == "npadvmod"):
            total = next((c for c in word.children if c.dep_ in ("dep", "npadvmod") and c.i < child.i and
                          c.tag_ == "NNS" and any(t.text in ("-", ":", "–", "—") for t in word.doc[c.i + 1: child.i])
                          and _number_of(c) is not None), None)
            if total is not None:  # "Six aid workers - two Kenyans, a Briton ... - were killed": the group's count
                return _number_of(total)
            n = _group(child, word if child.dep_ == "dobj" else None)
            if n is not None:
                return n
        if child.dep_ in ("nummod",) and _is_number(child):  # "14 dead"
            n = value(child)
            if n is not None:
                return n
    # "two women were raped and killed by a mob": a second verb of a passive pair shares its subject
    if word.dep_ == "conj" and word.head.pos_ == "VERB" and not deps & {"nsubj", "nsubjpass", "dobj"} and \
            (word.tag_ == "VBN" or intransitive) and word.doc[word.i - 1].pos_ not in ("NOUN", "PROPN", "PRON"):
        subj = next((c for c in word.head.children if c.dep_ == "nsubjpass" or (c.dep_ == "nsubj" and intransitive)),
                    None)
        if subj is not None:
            n = _group(subj)
            if n is not None:
                return n
    # "shot dead 12 protesters", "shot 3 protesters dead", "a woman was shot dead": the victims are the
    # object (or passive subject) of the verb "dead" completes
    if word.lower_ == "dead" and word.dep_ in ("acomp", "oprd", "advcl", "xcomp") and word.head.pos_ == "VERB":
        obj = next((c for c in word.head.children if c.dep_ in ("dobj", "nsubjpass")), None)
        if obj is not None:
            n = _group(obj, word.head)
            if n is not None:
                return n
    # "14 civilians killed" (reduced relative): the noun is the head of the casualty word
    head = word.head
    if word.dep_ in ("acl", "amod", "relcl") and head.pos_ in ("NOUN", "PROPN", "NUM"):
        first = head
        while first.dep_ == "conj" and first.head.pos_ in ("NOUN", "PROPN", "NUM") and first.head.i < first.i:
            first = first.head  # "12 soldiers and 30 militants killed": the whole list
        n = _group(first) if first.i != head.i else value(head) if _is_number(head) else _number_of(head)
        if n is not None:
            return n
    # "the death toll rose to 27", "the toll stands at 61", "the toll reached 145", "the final toll was 46"
    if word.lemma_.lower() in ("toll", "death") and word.dep_ in ("nsubj", "compound", "dobj"):
        verb = word.head if word.dep_ in ("nsubj", "dobj") else word.head.head  # "brought the toll to 40"
        for t in verb.subtree:
            if t.dep_ == "pobj" and (t.like_num or _is_number(t)) and t.head.lower_ in ("to", "at"):
                return value(t)
        for t in verb.children:  # a toll's figure is a count even where the tagger calls "46" a date
            if t.dep_ in ("dobj", "attr") and (t.like_num or _is_number(t)):
                return value(t)
    # "a videographer lost his life", "three soldiers lost their lives": the subject of "lose"
    if word.lemma_.lower() == "life" and word.dep_ == "dobj" and word.head.lemma_.lower() == "lose":
        subj = next((c for c in word.head.children if c.dep_ == "nsubj"), None)
        if subj is not None:
            n = _group(subj)
            if n is not None:
                return n
            if any(c.dep_ == "poss" and c.lower_ in ("his", "her") for c in word.children):
                return 1
    # "beat him to death", "stoned two men to death": the object of the verb "to death" completes
    if word.lower_ == "death" and word.dep_ == "pobj" and word.head.lower_ == "to" and word.head.head.pos_ == "VERB":
        obj = next((c for c in word.head.head.children if c.dep_ in ("dobj", "nsubjpass")), None)
        if obj is not None:
            if obj.lower_ in ("him", "her") or (obj.pos_ == "PROPN" and obj.ent_type_ == "PERSON"):
                return 1
            n = _group(obj)
            if n is not None:
                return n
    # "at least 50 killed" parsed loosely: a number right before the word
    i = word.i
    for j in (i - 1, i - 2, i - 3):
        if j >= word.sent.start:
            t = word.doc[j]
            if _is_number(t) and t.lower_ not in ("a", "an", "one"):
                return value(t)
            if not (t.pos_ in ("NOUN", "ADV", "AUX") or t.lower_ in ("were", "was", "people", "other", "more")):
                break
    return None
