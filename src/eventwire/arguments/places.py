"""Places: find the toponyms of a document, resolve them with the document's context, and pick
the place of each event.

Toponyms are the NER's GPE/LOC/FAC spans, plus names the small model labels PERSON or ORG (it tags
many villages so) when the gazetteer knows them in a country the article is about and a locative
word precedes them ("in Sasa", "near Kfar Giladi"). Knowledge-base actors are never places
("Hezbollah" tagged GPE).

Resolution prefers, in order: a country name; a place in a country the document talks about (its
weight in the document); a large population; a region when the text says "province", "region"...
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Optional

from ..annotate import Index, entities
from ..records import Place
from ..resolve.gazetteer import ADMIN_SUFFIX, Gazetteer, GeoEntry, km, normalize
from ..resolve.kb import Hit

LOCATIVE = {"in", "near", "at", "from", "of", "outside", "around", "into", "across", "on", "to", "toward",
            "towards", "between", "and", "inside", "targeting", "struck", "hit", "village", "town", "city"}
NEAR = {"near", "outside", "around", "area", "outskirts", "vicinity", "close"}
PRECISION = {"city": 1, "extra": 1, "region": 2, "admin1": 2, "country": 3}


@dataclass
class Toponym:
    start: int  # token indices in the document
    end: int
    text: str
    entry: GeoEntry
    near: bool = False

    def place(self) -> Place:
        e = self.entry
        precision = PRECISION[e.kind]
        if self.near and precision == 1:
            precision = 2
        return Place(name=e.name, mention=self.text, country=e.country, admin1=e.admin1,
                     lat=round(e.lat, 4), lon=round(e.lon, 4), geo_precision=precision, geonameid=e.geonameid)


class Geoparser:
    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer

    def __call__(self, sdoc, hits: list[Hit]) -> list[Toponym]:
        actor_tokens = {i for h in hits if h.entry.kind != "country" for i in range(h.start, h.end)}
        weights = Counter(h.entry.country for h in hits if h.entry.kind == "country")
        spans = []
        for ent in entities(sdoc):
            if any(i in actor_tokens for i in range(ent.start, ent.end)):
                continue
            if ent.label_ in ("GPE", "LOC", "FAC"):
                spans.append((ent, False))
            elif ent.label_ in ("PERSON", "ORG", "NORP") and ent.start > 0 and \
                    sdoc[ent.start - 1].lower_ in LOCATIVE:
                spans.append((ent, True))
        country_spans = {(h.start, h.end) for h in hits if h.entry.kind == "country"}
        candidates = []
        for ent, needs_context in spans:
            text = _clean(ent)
            if not text:
                continue
            found = self.gazetteer.lookup(text)
            if found:
                candidates.append((ent, text, found, needs_context))
        # First pass: unambiguous places add their countries to the context.
        for ent, text, found, needs_context in candidates:
            countries = {e.country for e in found}
            if len(countries) == 1 and not needs_context:
                weights[next(iter(countries))] += 1
        total = sum(weights.values()) or 1
        main = {c for c, _ in weights.most_common(2)}
        out: list[Toponym] = []
        for ent, text, found, needs_context in candidates:
            best = self._choose(text, found, weights, total, out)
            if best is None:
                continue
            if needs_context and best.country not in main:
                continue
            if best.kind != "country" and weights.get(best.country, 0) == 0 and total >= 3:
                continue  # "Kashmir" is not Cashmere, Washington: the article never names that country
            if (ent.start, ent.end) in country_spans and best.kind != "country":
                continue
            near = ent.start > 0 and any(t.lower_ in NEAR for t in sdoc[max(0, ent.start - 4): ent.start])
            out.append(Toponym(ent.start, ent.end, text, best, near))
        return out

    def _choose(self, text: str, found: list[GeoEntry], weights: Counter, total: int,
                placed: list[Toponym]) -> Optional[GeoEntry]:
        key = normalize(text)
        countries = [e for e in found if e.kind == "country"]
        if countries:
            return countries[0]
        region_word = bool(ADMIN_SUFFIX.search(key))

        def score(e: GeoEntry) -> float:
            s = 4.0 * weights.get(e.country, 0) / total
            s += math.log10(e.population + 10) / 3
            if e.kind == "extra":
                s += 0.8
            if e.kind in ("admin1", "region"):
                s += 1.5 if region_word else 0.3
            if normalize(e.name) == key:
                s += 0.3
            if placed:
                d = min(km(e.lat, e.lon, t.entry.lat, t.entry.lon) for t in placed[-5:])
                s += 0.5 if d < 100 else 0
            return s

        return max(found, key=score)


def _clean(ent) -> str:
    toks = [t for t in ent if not (t.dep_ == "det" or t.is_punct and t.text not in "-'")]
    text = " ".join(t.text for t in toks).replace(" - ", "-").replace(" 's", "").strip()
    for prefix in ("the ", "The "):
        if text.startswith(prefix):
            text = text[len(prefix):]
    for suffix in ("'s", "’s"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return text


def event_places(trigger, toponyms: "Index[Toponym] | list[Toponym]", sent=None) -> list[Toponym]:
    """The toponyms of the trigger's sentence, the ones tied to the trigger first, most precise first.
    `toponyms` are the document's, best given as an `Index` built once."""
    sent = sent if sent is not None else trigger.sent
    index = toponyms if isinstance(toponyms, Index) else Index(toponyms)
    here = index.within(sent.start, sent.end)
    if not here:
        return []
    anchors = {trigger.i, trigger.head.i}

    def tied(t: Toponym) -> bool:
        tok = sent.doc[t.start: t.end].root
        for anc in tok.ancestors:
            if anc.i in anchors:
                return True
            if anc.pos_ == "VERB" and anc.i not in anchors:
                return False
        return False

    # a country named elsewhere in the sentence is too weak a cue; a town or region is kept
    here = [t for t in here if tied(t) or t.entry.kind != "country"]
    return sorted(here, key=lambda t: (t.entry.kind == "country", not tied(t), PRECISION[t.entry.kind],
                                       abs(t.start - trigger.i)))


def dateline(sdoc, toponyms: list[Toponym]) -> Optional[Toponym]:
    """The place of a dateline ("Peshawar, January 30", "KYIV, Ukraine (AP) -") in the first lines."""
    for t in toponyms:
        if t.start > 40:
            break
        nxt = sdoc[t.end] if t.end < len(sdoc) else None
        line_start = t.start == 0 or "\n" in sdoc[t.start - 1].text_with_ws or sdoc[t.start - 1].is_space
        if line_start and nxt is not None and nxt.text in (",", "—", "-", "(", ":"):
            return t
    return None
