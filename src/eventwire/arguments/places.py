"""Places: find the toponyms of a document, resolve them with the document's context, and pick
the place of each event.

Toponyms are the NER's GPE/LOC/FAC spans, plus capitalised names the gazetteer knows that the small
model missed or labelled otherwise (`Geoparser._names`: "Niamey" tagged ORG, "in Kyiv" untagged).
Knowledge-base actors are never places ("Hezbollah" tagged GPE), nor names that stand for a
government ("Moscow said") or a building ("St John's Church").

Resolution prefers, in order: a country name; the region or country written after the name
("Cordoba (Veracruz)"); a place in a country the document talks about (its weight in the document,
a passing "US embassy" half); a large population (a city over 500k beats a hamlet); a region when
the text says "province", "region"...

An event's place (`event_places`, then `brief_place`, `refine_places`, `fallback_place`): the place
tied to its trigger in its sentence, never a dateline or a parent in parentheses; a brief's main event
with none is at the brief's first town; an event at a region or country moves to the town the article
names most there; an event with no place is at the dateline in the article's country, else its most
named town, else the country.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Optional

from spacy.tokens import Span

from .. import data
from ..annotate import Index, entities
from ..records import Event, Place
from ..resolve.gazetteer import ADMIN_SUFFIX, Gazetteer, GeoEntry, km, normalize
from ..resolve.kb import Hit
from .sources import SPEECH

LOCATIVE = {"in", "near", "at", "from", "of", "outside", "around", "into", "across", "on", "to", "toward",
            "towards", "between", "and", "inside", "targeting", "struck", "hit", "village", "town", "city",
            "entered", "captured", "seized", "retook", "recaptured", "shelled", "bombed", "besieged", "liberated",
            "stormed", "overran"}
NEAR = {"near", "outside", "around", "area", "outskirts", "vicinity", "close"}
PRECISION = {"city": 1, "extra": 1, "region": 2, "admin2": 2, "admin1": 2, "country": 3}


@dataclass
class Toponym:
    start: int  # token indices in the document
    end: int
    text: str
    entry: GeoEntry
    near: bool = False
    parent: bool = False  # a region or country written after another place: "Afrin (Aleppo)"
    named: Optional[GeoEntry] = None  # the place the name itself is, when `entry` is a part of it ("southern Lebanon")

    def place(self) -> Place:
        e = self.entry
        precision = PRECISION[e.kind]
        if self.near and precision == 1:
            precision = 2
        return Place(name=e.name, mention=self.text, country=e.country, admin1=e.admin1,
                     lat=round(e.lat, 4), lon=round(e.lon, 4), geo_precision=precision, geonameid=e.geonameid)


class Geoparser:
    """`geoparser(sdoc, hits) -> list[Toponym]`. A candidate's score is a weighted sum of signals
    (`_choose`); the weights are fitted by training/fit_geoweights.py and kept in data/geoweights.json."""

    def __init__(self, gazetteer: Gazetteer, weights: Optional[dict] = None):
        self.gazetteer = gazetteer
        self.weights = dict(weights) if weights is not None else data.geoweights()

    def __call__(self, sdoc, hits: list[Hit]) -> list[Toponym]:
        actor_tokens = {i for h in hits if h.entry.kind != "country" for i in range(h.start, h.end)}
        weights: Counter = Counter()
        country_weights = []  # (start, end, country, weight) of each country the KB found
        for h in hits:
            if h.entry.kind == "country":
                # "in the Philippines" says where; "the US embassy", "a Sri Lankan manager" only who
                tok = sdoc[h.end - 1]
                modifier = tok.dep_ in ("compound", "amod", "poss", "nmod") or tok.ent_type_ == "NORP"
                weights[h.entry.country] += MODIFIER if modifier else 1.0
                country_weights.append((h.start, h.end, h.entry.country, MODIFIER if modifier else 1.0))
            elif h.entry.country:
                weights[h.entry.country] += MODIFIER  # an actor's country ("Maute" -> the Philippines)
        candidates = []  # (span, its name, its gazetteer entries, whether it needs the document's country)
        ents = entities(sdoc)
        for k, ent in enumerate(ents):
            if k and candidates and candidates[-1][0].end > ent.start:
                continue  # joined to the entity before it
            if k + 1 < len(ents) and ents[k + 1].start == ent.end and ents[k + 1].label_ == ent.label_ and \
                    self.gazetteer.lookup(sdoc[ent.start: ents[k + 1].end].text):
                ent = Span(sdoc, ent.start, ents[k + 1].end, label=ent.label_)  # "Baja" + "California" tagged apart
            elif k + 1 < len(ents) and ents[k + 1].start == ent.end + 1 and sdoc[ent.end].lower_ == "and" and \
                    self.gazetteer.lookup(sdoc[ent.start: ents[k + 1].end].text):
                ent = Span(sdoc, ent.start, ents[k + 1].end, label="GPE")  # "Jammu" and "Kashmir" tagged apart
            ent = _before_parenthesis(ent)  # "Goma (North Kivu" tagged as one organisation
            if ent is None or any(i in actor_tokens for i in range(ent.start, ent.end)) or _feature(sdoc, ent):
                continue
            if ent.label_ in ("GPE", "LOC", "FAC"):
                needs_context = False
            elif ent.label_ in ("PERSON", "ORG", "NORP") and ent.start > 0 and sdoc[ent.start - 1].lower_ in LOCATIVE:
                needs_context = True
            else:
                continue
            text, found = self._resolve(ent)
            if found:
                candidates.append((ent, text, found, needs_context))
        taken = {i for ent, *_ in candidates for i in range(ent.start, ent.end)}
        for span, needs_context in self._names(sdoc, actor_tokens, taken):
            text, found = self._resolve(span)
            if found:
                candidates.append((span, text, found, needs_context))
        candidates.sort(key=lambda c: c[0].start)
        country_spans = {(h.start, h.end) for h in hits if h.entry.kind == "country"}
        # First pass: unambiguous places add their countries to the context.
        for ent, text, found, needs_context in candidates:
            countries = {e.country for e in found}
            if (ent.start, ent.end) in country_spans:
                continue  # weighed already, as a place or as a modifier ("the US embassy")
            if len(countries) == 1 and not needs_context:
                weights[next(iter(countries))] += 1
        total = max(sum(weights.values()), 1.0)  # one passing "US embassy" is not the whole context
        main = {c for c, _ in weights.most_common(2)}
        out: list[Toponym] = []
        inside = set()  # tokens of the parentheses after a place: its region and country
        bracketed = _parenthesised(sdoc)  # when the place before them is unknown, they stand in for it
        for ent, _, _, _ in candidates:
            if ent.end < len(sdoc) and sdoc[ent.end].text == "(":
                close = next((t.i for t in sdoc[ent.end: ent.end + 14] if t.text == ")"), ent.end)
                inside.update(range(ent.end + 1, close))
        for ent, text, found, needs_context in candidates:
            if _saint(sdoc, ent):
                continue  # "St John's Church" is a church, not Saint John
            if _speaker(ent):
                continue  # "Moscow said", "Islamabad accused": the government, not the place
            parent = ent.start in inside
            own = Counter({c: w for (a, b, c, w) in country_weights if a < ent.end and ent.start < b})
            parents = self._parents(sdoc, ent.end)
            best = self._parent_of(sdoc, ent, text, found, out) or \
                self._choose(text, found, weights, total, out, parents, parent, own,
                             sdoc[ent.end].lower_ if ent.end < len(sdoc) else "")
            if best is None:
                continue
            named = best
            if best.kind == "country":  # a region is small enough that its part is itself
                best = self._part(sdoc, ent, best)
            vouched = bool(parents) and self._under(best, parents)  # "Manzanillo, Colima"
            if needs_context and not vouched and best.country not in main and best.population < TOWN and (
                    main or best.population < LONE_TOWN):
                continue  # "in Niamey" tagged ORG: a city that size is a place, a hamlet only in the text's country
            if best.kind != "country" and not vouched and weights.get(best.country, 0) == 0 and total >= 3 and \
                    not self._known_abroad(best):
                continue  # "Kashmir" is not Cashmere, Washington: the article never names that country
            if (ent.start, ent.end) in country_spans and best.kind != "country" and \
                    not any(e.kind == "country" for e in found):
                continue
            near = ent.start > 0 and any(t.lower_ in NEAR for t in sdoc[max(0, ent.start - 4): ent.start]) or \
                (ent.start in bracketed and not parent)  # "Inates (Tillaberi)": near Tillaberi
            out.append(Toponym(ent.start, ent.end, text, best, near, parent, named if named is not best else None))
        return out

    def _known_abroad(self, e: GeoEntry) -> bool:
        """A capital or a major city is named without its country ("talks in Doha", "met in Geneva")."""
        return e.kind == "city" and (e.population >= MAJOR_CITY or e.geonameid in self.gazetteer.capitals)

    def _parent_of(self, sdoc, ent, text: str, found: list[GeoEntry], placed: list[Toponym]) -> Optional[GeoEntry]:
        """ "Athens, Georgia", "Moscow, Idaho": a name written after the place just resolved is that
        place's region when the region has this name (not the country Georgia)."""
        if not placed or ent.start < 2 or sdoc[ent.start - 1].text not in (",", "(") or placed[-1].end != ent.start - 1:
            return None
        child = placed[-1].entry
        if not {normalize(text), _key(text)} & self.gazetteer.admin1_keys(child):
            return None
        return next((e for e in found if e.kind == "admin1" and e.country == child.country), None)

    def _part(self, sdoc, ent, country: GeoEntry) -> GeoEntry:
        """ "southern Lebanon", "north-west Syria": the part of the country a direction at the start of
        the name or just before it names."""
        written = DIRECTION.match(_clean(ent))
        if written:
            direction = written.group(0).strip()
        else:
            words = []
            for tok in reversed(sdoc[max(0, ent.start - 3): ent.start]):
                if tok.text != "-" and not DIRECTION.fullmatch(tok.lower_ + " "):
                    break
                words.insert(0, tok.text)
            direction = "".join(words).strip("-")
        return (self.gazetteer.part(country, direction) or country) if direction else country

    def _resolve(self, span) -> tuple[str, list[GeoEntry]]:
        """The span's name and its gazetteer entries; a direction before an unknown name is dropped
        ("north-west Delhi", "southern Idlib"; `_part` places a country's part)."""
        text = _clean(span)
        found = self.gazetteer.lookup(text) if text else []
        if not found and text:
            bare = DIRECTION.sub("", text)
            if bare != text and bare:
                return bare, self.gazetteer.lookup(bare)
        return text, found

    def _names(self, sdoc, actor_tokens: set, taken: set) -> list:
        """Gazetteer names the NER did not label a place ("in Kyiv", "Niamey" tagged ORG): the longest
        run of capitalised proper-noun tokens (with "de", "on", hyphens inside: "Rostov-on-Don") that
        the gazetteer knows (`_literal`). A name inside a person, organisation or nationality entity
        counts only after a locative word ("in", "near", "village"), with its parents after it, or when
        the entity is just that name and it is a country or a large city ("Homs" tagged ORG); one in a
        date, a language or a KB actor never. Such names resolve only in a country the document is
        about, unless they are towns of some size."""
        labels, spans_of = {}, {}
        for ent in entities(sdoc):
            for i in range(ent.start, ent.end):
                labels[i] = ent.label_
                spans_of[i] = ent
        parenthesised = _parenthesised(sdoc)
        out = []
        i, n = 0, len(sdoc)
        while i < n:
            tok = sdoc[i]
            if i in taken or i in actor_tokens or not _name_start(tok):
                i += 1
                continue
            best = None
            j = i
            while j < n and j - i < MAX_NAME_TOKENS and j not in taken and j not in actor_tokens and (
                    _name_part(sdoc[j]) or (j > i and sdoc[j].lower_ in NAME_LINKS and j + 1 < n
                                            and _name_part(sdoc[j + 1]))):
                j += 1
                if _name_part(sdoc[j - 1]) and self._literal(sdoc, i, j, i in parenthesised):
                    best = j
            if best is None:
                i += 1
                continue
            span = sdoc[i:best]
            if {labels.get(k) for k in range(i, best)} & {"LANGUAGE", "DATE", "TIME", "MONEY"}:
                i = best
                continue  # "in English", "May": a language or a date, not a place
            if _inside_a_name(sdoc, i, best, spans_of.get(i)):
                i = best
                continue  # "Lafayette Square", "Teatro Colón", "Wadi al-Hummus": part of another name
            kinds = {labels.get(k) for k in range(i, best)} & {"PERSON", "ORG", "NORP"}
            cue = i > 0 and sdoc[i - 1].lower_ in LOCATIVE or _place_cue(sdoc, i, best) or i in parenthesised
            if _feature(sdoc, span):
                i = best
                continue  # "the Dnipro river": a river, not the city
            ent = spans_of.get(i)
            alone = ent is not None and ent.start == i and (ent.end == best or (
                ent.end == best + 1 and sdoc[best].text in ("'s", "’s")))  # the entity is just this name
            # "the Islamabad High Court", "Kuala Lumpur International Airport": a building in that town
            cue = cue or ent is not None and ent.end > best and _facility(sdoc, best, ent.end) and \
                all(t.dep_ == "det" for t in sdoc[ent.start:i])
            if kinds and not (cue or self._parented(sdoc, i, best) or
                              (kinds == {"NORP"} or alone) and self._big(span.text)):
                i = best
                continue  # "Kelly", "Hamas": a person or group unless a locative word or its parents say otherwise
            # a parent in parentheses is its own context; an unlabelled name after "in" needs none
            out.append((span, i not in parenthesised and (bool(kinds) or not cue and span[0].is_sent_start)))
            i = best
        return out

    def _literal(self, sdoc, start: int, end: int, parent: bool = False) -> bool:
        """Whether a capitalised run the NER left alone is a place name: the gazetteer knows it under
        its own name (an alternate name only for a large city: "Mrs" is no Marseille, "Minister" no
        Minster), and a small place needs a locative word before it or its parents after it
        ("Paper", "Home", "Border" are words)."""
        text = sdoc[start:end].text
        key = normalize(text)
        every = self.gazetteer.lookup(text)
        found = [e for e in every if normalize(e.name) == key or e.kind == "country" or
                 (len(key) >= 4 and e.population >= BIG_CITY)]  # "UAE", "DRC"
        if not found:
            # "Izium (Kharkiv oblast)": an alternate spelling is the place when its parents follow
            return len(key) >= 4 and (parent or self._parented(sdoc, start, end, every))
        if any(e.population >= TOWN or e.kind in ("country", "admin1", "region") for e in found):
            return True
        return _place_cue(sdoc, start, end) or self._parented(sdoc, start, end, found)

    def _parented(self, sdoc, start: int, end: int, found: Optional[list] = None) -> bool:
        """Whether the name is followed by the region or country of one of its candidates."""
        parents = self._parents(sdoc, end)
        if not parents:
            return False
        found = self.gazetteer.lookup(sdoc[start:end].text) if found is None else found
        return any(self._under(e, parents) for e in found)

    def _under(self, e: GeoEntry, parents: set[str]) -> bool:
        """Whether the place's region or country is among the parents the text gives."""
        return bool(self.gazetteer.admin1_keys(e) & parents) or \
            _key(self.gazetteer.country_name(e.country)) in parents

    def _big(self, text: str) -> bool:
        """ "Lahore" tagged a nationality, "Homs" an organisation, "Mali" a person: a country or a city
        this large is a place."""
        key = normalize(text)
        return any(e.kind == "country" or normalize(e.name) == key and e.population >= BIG_CITY or
                   e.population >= MAJOR_CITY and len(key) >= 5  # "Naypyitaw" for Nay Pyi Taw
                   for e in self.gazetteer.lookup(text))

    def _parents(self, sdoc, end: int) -> set[str]:
        """The parents a coder or a dateline writes after a place: "Kaya (Sanmatenga, Centre-Nord)",
        "Bangui, Central African Republic", "Bijapur district, Chhattisgarh": their lookup keys, with
        region words dropped."""
        if end < len(sdoc) - 1 and sdoc[end].lower_ in SETTLEMENTS:
            end += 1
        if end >= len(sdoc) or sdoc[end].text not in ("(", ","):
            return set()
        closing = ")" if sdoc[end].text == "(" else None
        names, words = set(), []
        first = end + 1
        if closing is None and first < len(sdoc) and sdoc[first].lower_ == "in":
            first += 1  # "Djibo, in northern Burkina Faso"
            if first < len(sdoc) and DIRECTION.match(sdoc[first].text + " "):
                first += 1
        for tok in sdoc[first: end + 14]:
            if tok.text in (",", ")", ";", ".") or (closing is None and not (tok.is_title or tok.text == "-")):
                if words:
                    names.update({normalize(" ".join(words)), _key(" ".join(words))})
                    words = []
                if tok.text != "," or closing is None and len(names) >= 1:
                    break
                continue
            words.append(tok.text)
        if words and closing is None:
            names.update({normalize(" ".join(words)), _key(" ".join(words))})
        return {n for n in names if n}

    def _choose(self, text: str, found: list[GeoEntry], weights: Counter, total: int,
                placed: list[Toponym], parents: set[str] = frozenset(), parent: bool = False,
                own: Counter = Counter(), nxt: str = "") -> Optional[GeoEntry]:
        """The entry the name stands for here. `own` is the weight this very mention gave its
        country in `weights`."""
        key = normalize(text)
        countries = [e for e in found if e.kind == "country"]
        region_word = bool(ADMIN_SUFFIX.search(key)) or parent or nxt in REGION_WORDS  # "Donetsk region"
        towns = [e for e in found if e.kind == "city" and normalize(e.name) == key]
        if countries and towns and nxt in ("city", "town"):
            countries = []  # "Djibouti city", "Panama city"
            found = towns
        if countries:
            # "Georgia", "Lebanon", "Mexico" are countries, unless the text is about another country
            # that has a state or town of that name and never names the country otherwise
            country = countries[0]
            others = weights - own
            home = others.most_common(1)[0][0] if others else None
            named = [e for e in found if e.kind != "country" and parents and self._under(e, parents)]
            local = [e for e in found if e.kind == "admin1" and e.country == home and normalize(e.name) == key]
            if named:
                found = named  # "Lebanon, Pennsylvania", "Mexico, Missouri": the town
            elif not local or home == country.country or others.get(country.country, 0) > 0:
                return country
            else:
                return local[0]  # "... Georgia ... entered the US": the state

        def score(e: GeoEntry) -> float:
            signals = {
                "context": weights.get(e.country, 0) / total,  # the share of the document about its country
                "population": math.log10(e.population + 10),
                "major_city": e.population >= MAJOR_CITY,  # Manila, Kabul, London beat a hamlet abroad
                "supplement": e.kind == "extra",  # camps, kibbutzim, landmarks we list because news names them
                "region_word": e.kind in ("admin1", "admin2", "region") and region_word,  # "Idlib province"
                "exact_name": normalize(e.name) == key,  # its own name, not an alternate one
                "parent": bool(parents) and self._under(e, parents),  # "Kaya (Sanmatenga, Centre-Nord)"
                "nearby": bool(placed) and min(km(e.lat, e.lon, t.entry.lat, t.entry.lon) for t in placed[-5:]) < 100,
            }
            return sum(self.weights[k] * float(v) for k, v in signals.items())

        best = max(found, key=score)
        if best.kind in ("admin1", "admin2") and not region_word:
            # "Aleppo", "Sokoto": the city, not its province of the same name, unless the text says "province"
            town = [e for e in found if e.kind == "city" and e.country == best.country
                    and e.population >= best.population / 5]  # not the village of California, California
            if town:
                return max(town, key=lambda e: e.population)
        return best


MAX_NAME_TOKENS = 6
NAME_LINKS = {"de", "del", "da", "do", "dos", "das", "du", "des", "la", "le", "les", "el", "al", "on", "upon", "sur",
              "am", "an", "der", "di", "-", "of", "en"}  # lower-case words inside a name: "Nioro du Sahel"
SPEAKING = SPEECH | {"accuse", "warn", "deny", "blame", "demand", "reject", "insist", "urge", "condemn", "vow",
                     "threaten", "respond", "retaliate"}
MODIFIER = 0.5  # the weight of a country named as a modifier or a nationality, not as a place
MAJOR_CITY = 500000
BIG_CITY = 100000  # a name the NER missed may be an alternate name only of a city this populous
TOWN = 50000  # smaller places the NER missed need a locative word or parents
LONE_TOWN = 10000  # a name the NER calls an organisation is a place with no country context if this populous


FACILITY = {"Airport", "International", "University", "Hospital", "Court", "High", "Supreme", "Stadium", "Port",
            "Station", "Base", "Air", "Prison", "Jail", "Mosque", "Cathedral", "Camp", "Peninsula", "Valley", "Plains",
            "Mountains", "Hills", "Province", "Region", "District", "County", "City", "Town", "Village", "Governorate",
            "Oblast", "State", "Municipality", "Border", "Crossing", "Checkpoint", "Highway", "Division", "Sector",
            "Area", "Upazila", "Township", "Regency", "Department", "Prefecture", "Territory", "Raion", "Rayon"}
REGION_WORDS = {"region", "province", "oblast", "governorate", "state", "district", "county", "prefecture",
                "department", "regency", "division", "lga", "upazila", "township", "raion", "rayon", "cercle",
                "locality", "subdivision", "sub-division", "territory", "zone", "woreda", "tehsil", "subdistrict"}
WATER = {"river", "sea", "lake", "gulf", "strait", "straits", "canal", "ocean"}
DIRECTION = re.compile(r"^(?:(?:north|south|east|west|central|upper|lower)(?:ern)?[- ]?"
                       r"(?:north|south|east|west)?(?:ern)?\s+)", re.I)
PLACE_WORDS = {"in", "near", "at", "outside", "around", "inside", "into", "across", "toward", "towards"}
SETTLEMENTS = {"village", "town", "city", "district", "province", "county", "region", "area", "camp", "suburb",
               "neighbourhood", "neighborhood", "municipality", "upazila", "township", "state", "governorate",
               "lga", "raion", "cercle", "subdivision", "woreda", "tehsil"}


def _place_cue(sdoc, start: int, end: Optional[int] = None) -> bool:
    """ "in X", "near X", "the village of X", "X district" is the text saying X is a place."""
    prev = sdoc[start - 1].lower_ if start > 0 else ""
    if prev in PLACE_WORDS or prev in SETTLEMENTS:
        return True
    if end is not None and end < len(sdoc) and sdoc[end].lower_ in SETTLEMENTS:
        return True
    return prev == "of" and start > 1 and sdoc[start - 2].lemma_.lower() in SETTLEMENTS


def _facility(sdoc, start: int, end: int) -> bool:
    """Whether the tokens are the words of a building or a feature after a town's name."""
    return start < end and all(t.text in FACILITY or t.is_punct for t in sdoc[start:end])


def _inside_a_name(sdoc, start: int, end: int, ent) -> bool:
    """A gazetteer name that is only part of a longer proper name: right after another capitalised
    name word ("Teatro Colón"), before one that is not a building or a region word ("Lafayette
    Square", "Roxas Boulevard"), or inside an entity with more name around it ("Wadi al-Hummus")."""
    before = sdoc[start - 1] if start > 0 else None
    if before is not None and before.pos_ == "PROPN" and before.is_title and not before.is_sent_start \
            and before.ent_type_ not in ("DATE", "TIME", "NORP", "CARDINAL") and before.text not in FACILITY:
        return True
    after = sdoc[end] if end < len(sdoc) else None
    if after is not None and after.is_title and after.pos_ in ("PROPN", "NOUN") and after.text not in FACILITY:
        return True
    if ent is not None and ent.label_ in ("GPE", "LOC", "FAC"):
        more = [t for t in (*sdoc[ent.start:start], *sdoc[end:ent.end]) if t.is_title and t.text not in FACILITY]
        return bool(more)  # "Manchester city centre" is Manchester
    return False


def _parenthesised(sdoc) -> set[int]:
    """Tokens in parentheses right after a name, where coders write a place's parents:
    "Pazigyi village (Kanbalu township, Sagaing)"."""
    out = set()
    for tok in sdoc:
        if tok.text == "(" and tok.i > 0 and (sdoc[tok.i - 1].is_title or sdoc[tok.i - 1].lower_ in SETTLEMENTS):
            for t in sdoc[tok.i + 1: tok.i + 14]:
                if t.text == ")":
                    break
                out.add(t.i)
    return out


def _before_parenthesis(ent):
    """The part of an entity before a parenthesis inside it, or None if it starts with one."""
    for tok in ent:
        if tok.text == "(":
            return ent.doc[ent.start: tok.i] if tok.i > ent.start else None
    return ent


def _feature(sdoc, span) -> bool:
    """A name followed by "river", "sea", "lake" names a natural feature, not the town of that name."""
    return span.end < len(sdoc) and sdoc[span.end].lower_ in WATER


def _key(name: Optional[str]) -> str:
    """A place name's lookup key without its region word: "Kharkiv Oblast" -> "kharkiv"."""
    return ADMIN_SUFFIX.sub("", normalize(name)) if name else ""


def _name_start(tok) -> bool:
    """A proper noun, or a capitalised word mid-sentence that the tagger took for a noun or a verb
    but the NER for a name, or that follows "in", "and" ("as far as Homs", "Mandalay and Sagaing")."""
    if tok.like_num or not (tok.is_title or tok.is_upper and len(tok) > 1):
        return False
    if tok.pos_ == "PROPN":
        return True
    return tok.pos_ in ("NOUN", "VERB", "ADJ") and tok.i > 0 and not tok.is_sent_start and tok.is_title and (
        tok.ent_type_ in ("GPE", "LOC", "FAC", "ORG", "PERSON", "NORP") or tok.doc[tok.i - 1].lower_ in LOCATIVE)


def _name_part(tok) -> bool:
    return _name_start(tok) or (tok.pos_ in ("PROPN", "NOUN", "ADJ") and tok.is_title and tok.i > 0
                                and not tok.is_sent_start)


def _speaker(ent) -> bool:
    """A place name that is the subject of a verb of saying or accusing stands for its government."""
    root = ent.root
    return root.dep_ == "nsubj" and root.head.lemma_.lower() in SPEAKING


def _saint(sdoc, ent) -> bool:
    """ "St John's Church": a saint's name with a possessive names a building."""
    first = sdoc[ent.start].lower_.rstrip(".")
    followed = ent.end < len(sdoc) and sdoc[ent.end].text in ("'s", "’s")
    return (first in ("st", "saint", "ste", "san", "santa", "sao") and followed) or \
        (first in ("st", "saint") and ent.text.endswith(("'s", "’s")))


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
    # "attacked and set fire to embassies in Kinshasa": a verb joined to the trigger shares its place
    anchors |= {c.i for c in trigger.children if c.dep_ == "conj" and c.pos_ == "VERB"}
    if trigger.dep_ == "acl" and trigger.head.dep_ in ("nsubj", "nsubjpass"):
        anchors.add(trigger.head.head.i)  # "rockets fired from Gaza hit Ashkelon": where they hit

    def tied(t: Toponym) -> bool:
        tok = sent.doc[t.start: t.end].root
        for anc in tok.ancestors:
            if anc.i in anchors:
                return True
            if anc.pos_ == "VERB" and anc.i not in anchors:
                return False
        return False

    # a country named elsewhere in the sentence is too weak a cue; a town or region is kept; the
    # dateline ("Maputo - Terrorists killed five people in Macomia") is where the reporter was
    here = [t for t in here if tied(t) or t.entry.kind != "country"]
    here = [t for t in here if not is_dateline(sent.doc, t) and not t.parent] or here
    # "the Defense Ministry in Yerevan said ...": where the source sits is never where it happened
    here = [t for t in here if not _seat(sent.doc, t, trigger) and not _destination(sent.doc, t)]
    aside = {t.start for t in here if _aside(sent.doc, t)}
    here = sorted(here, key=lambda t: (t.start in aside, t.entry.kind == "country", not tied(t),
                                       t.place().geo_precision, t.entry.kind == "admin1", abs(t.start - trigger.i)))
    # a place named in passing is the event's only when there is no other, and never one of its others
    return here[:1] + [t for t in here[1:] if t.start not in aside]


ASIDE_PREPS = {"of", "from", "for", "with", "against", "by", "about", "over", "to", "between"}


def _aside(sdoc, t: Toponym) -> bool:
    """A place named in passing, not as where something happened: a modifier ("the Algiers peace
    agreement", "the Liverpool footballer", "Kinshasa's envoy"), an origin ("rockets fired from Gaza"),
    or the object of "of" ("the capture of Goma") unless a settlement word comes before ("the town of
    Kaya", "outskirts of Mosul")."""
    root = sdoc[t.start: t.end].root
    while root.dep_ == "conj" and root.head.i < root.i:
        root = root.head  # "tensions between Washington and Tehran": Tehran is named as Washington is
    if root.dep_ in ("compound", "amod", "poss", "nmod") and root.head.i >= t.end:
        return root.head.lemma_.lower() not in SETTLEMENTS | NEAR | {"border", "outskirt"}  # "Tavush province"
    if root.dep_ == "pobj" and root.head.lower_ in ASIDE_PREPS:
        head = root.head.head
        return not (root.head.lower_ == "of" and (head.lemma_.lower() in SETTLEMENTS | NEAR | {"outskirt"}))
    return False


def _destination(sdoc, t: Toponym) -> bool:
    """Where someone was going is not where it happened: "ambushed on its way to Srinagar", "a convoy
    bound for Goma", "en route to Kabul", "heading to Mosul"."""
    root = sdoc[t.start: t.end].root
    prep = root.head
    if root.dep_ != "pobj" or prep.lower_ not in ("to", "for", "towards", "toward"):
        return False
    head = prep.head
    return head.lemma_.lower() in ("way", "route", "bound", "head", "travel", "drive", "march", "walk", "flee") or \
        (prep.i > 0 and sdoc[prep.i - 1].lower_ == "route")


def _seat(sdoc, t: Toponym, trigger=None) -> bool:
    """A place inside the subject of a verb of saying that reports the event: "the Defense Ministry in
    Yerevan said", "Pavlo Kyrylenko, head of the Donetsk regional administration, said" (when the saying
    is the event, "the president of Colombia condemned", it stays)."""
    root = sdoc[t.start: t.end].root
    for a in root.ancestors:
        if a.dep_ in ("nsubj", "nsubjpass") and (trigger is None or a.head.i != trigger.i):
            verb = a.head
            if verb.lemma_.lower() in SPEAKING:
                return True
            if trigger is None:
                return False
            # "a Fano spokesperson in Gondar countered that the militia had killed 602": the event is
            # in what the subject's verb reports
            return any(c.dep_ == "ccomp" and c.i in {x.i for x in trigger.ancestors} | {trigger.i}
                       for c in verb.children)
    return False


def dateline(sdoc, toponyms: list[Toponym]) -> Optional[Toponym]:
    """The place of a dateline ("Peshawar, January 30", "KYIV, Ukraine (AP) -") in the first lines."""
    for t in toponyms:
        if t.start > 40:
            break
        if is_dateline(sdoc, t):
            return t
    return None


def is_dateline(sdoc, t: Toponym) -> bool:
    if t.start > 40:
        return False
    nxt = sdoc[t.end] if t.end < len(sdoc) else None
    line_start = t.start == 0 or "\n" in sdoc[t.start - 1].text_with_ws or sdoc[t.start - 1].is_space
    return line_start and nxt is not None and nxt.text in (",", "—", "-", "(", ":")


def brief_place(events: list[Event], sdoc, toponyms) -> list[Event]:
    """A brief reports one incident: when its main event's own sentence gives no place or only a
    country ("British investigators blamed Russia"), the event is at the first town the brief names
    (not its dateline), else its first region."""
    if not events:
        return events
    main = max(events, key=lambda e: e.confidence)
    if main.location is not None and main.location.geo_precision < 3:
        return events
    named = [t for t in toponyms if not is_dateline(sdoc, t)]
    towns = [t for t in named if t.entry.kind in ("city", "extra", "admin2")] or \
        [t for t in named if t.entry.kind in ("admin1", "region")]
    if not towns:
        return events
    place = towns[0].place()
    return [e.model_copy(update={"location": place}) if e.event_id == main.event_id else e for e in events]


REFINE_KM = 250  # a region-level event moves to the article's main town if it lies this close


def refine_places(events: list[Event], sdoc, toponyms) -> list[Event]:
    """The most precise place wins: an event placed at a region or a country ("a missile hit a Donbas
    station") is at the town the article names most in that region or country ("Kramatorsk"), with
    geo_precision 2 (a part of the region, coded to a representative town)."""
    named = [t for t in toponyms if not is_dateline(sdoc, t) and not t.parent]
    towns = Counter(t.entry.name for t in named if t.entry.kind in ("city", "extra") and not _seat(sdoc, t))
    if not towns:
        return events
    kinds = {(t.entry.name, round(t.entry.lat, 4), round(t.entry.lon, 4)): t.entry.kind for t in toponyms}
    first = {}
    for t in named:
        first.setdefault(t.entry.name, t)
    out = []
    for e in events:
        loc = e.location
        kind = kinds.get((loc.name, loc.lat, loc.lon)) if loc is not None else None
        if kind in ("admin1", "region", "country"):
            inside = [first[n] for n in towns if first[n].entry.country == loc.country and
                      (kind == "country" or (first[n].entry.admin1 == loc.admin1 if kind == "admin1" and loc.admin1
                                             else km(loc.lat, loc.lon, first[n].entry.lat, first[n].entry.lon) <= REFINE_KM))]
            if inside:
                best = max(inside, key=lambda t: (towns[t.entry.name], -t.start))
                place = best.place().model_copy(update={"geo_precision": 2})
                e = e.model_copy(update={"location": place})
        out.append(e)
    return out


def fallback_place(sdoc, toponyms, home, gazetteer):
    """Where an event with no place of its own happened: the dateline in the article's country, else
    the most named town of that country, else the country."""
    line = dateline(sdoc, toponyms)
    if line is not None and (home is None or line.entry.country == home):
        return line.place()  # a foreign dateline ("MOSCOW (Sputnik) - ... in Zanjan") is the newsroom's
    towns = Counter(t.entry.name for t in toponyms if t.entry.kind in ("city", "extra", "region", "admin2", "admin1")
                    and t.entry.country == home)
    if towns:
        name = towns.most_common(1)[0][0]
        return next(t.place() for t in toponyms if t.entry.name == name)
    if home:
        entry = gazetteer.country(home)
        if entry:
            return Toponym(0, 0, entry.name, entry).place()
    return None
