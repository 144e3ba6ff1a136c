"""The actor knowledge base: countries, named organisations and persons, and role nouns.

- data/countries.csv: names, aliases and demonyms -> ISO3 ("Israeli" -> ISR);
- data/actors.jsonl: armed groups, parties, IGOs, NGOs, media and persons, with aliases;
- data/agents.csv: role nouns and what kind of actor they make ("troops" -> military).

`ActorKB.find(sdoc)` tags every KB name in a parsed document; `ActorKB.actor(span, ...)` turns a
noun phrase into an `Actor` named as ACLED names actors: "Military Forces of Israel",
"Police Forces of Iran", "Civilians (Afghanistan)", "Unidentified Armed Group (Colombia)".
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Optional

from .. import data
from ..annotate import Index, entities
from ..records import Actor

# How an agent kind names an actor of a country, and its ACLED actor type.
KIND_NAMES = {
    "military": ("Military Forces of {country}", "state_forces"),
    "police": ("Police Forces of {country}", "state_forces"),
    "government": ("Government of {country}", "government"),
    "protesters": ("Protesters ({country})", "protesters"),
    "rioters": ("Rioters ({country})", "rioters"),
    "civilians": ("Civilians ({country})", "civilians"),
    "armed": ("Unidentified Armed Group ({country})", "political_militia"),  # ACLED: inter 3
    "mutiny": ("Mutiny of Military Forces of {country}", "state_forces"),  # a coup's soldiers
}
QUANTIFIERS = {"dozens", "hundreds", "thousands", "scores", "number", "group", "some", "many", "several",
               "most", "all", "members", "member", "one", "two", "three", "tens"}
VIOLENT_TYPES = {"ASSAULT", "COERCE", "MOBILIZE"}
# Agent nouns that are weapons: with a country ("Israeli warplanes") they name its forces; alone, no one.
STATE_MARKS = {"military", "army", "government", "regime", "junta", "state"}
WEAPONS = {"missile", "rocket", "shell", "mortar", "drone", "warplane", "jet", "aircraft", "artillery",
           "helicopter", "tank"}


@dataclass(frozen=True)
class Entry:
    """One KB name: a country (kind="country") or an actor row (kind = its type)."""

    id: str
    name: str
    kind: str
    country: Optional[str]
    affiliation: Optional[str] = None


@dataclass(frozen=True)
class Hit:
    start: int  # token index
    end: int
    entry: Entry


class ActorKB:
    @cached_property
    def countries(self) -> dict[str, dict]:
        return {r["iso3"]: r for r in data.rows("countries.csv")}

    def country_name(self, iso3: Optional[str]) -> Optional[str]:
        row = self.countries.get(iso3 or "")
        if not row:
            return None
        return COMMON_NAMES.get(iso3, row["name"])

    @cached_property
    def entries(self) -> dict[str, list[Entry]]:
        """Surface form -> entries. Forms in capitals (US, IDF) must match case; others fold case."""
        out: dict[str, list[Entry]] = {}

        def add(form: str, entry: Entry):
            form = form.strip()
            if len(form) < 2:
                return
            out.setdefault(form, []).append(entry)

        for iso3, r in self.countries.items():
            e = Entry(iso3, self.country_name(iso3), "country", iso3)
            for form in [r["name"], *(r["aliases"] or "").split("|"), *(r["demonyms"] or "").split("|")]:
                add(form, e)
        for r in _actor_rows():
            e = Entry(r["id"], r["name"], r["type"] or "other", r.get("country"), r.get("affiliation"))
            for form in [r["name"], *r.get("aliases", [])]:
                add(form, e)
        return out

    @cached_property
    def demonyms(self) -> set[str]:
        """Plural demonyms in lower case ("palestinians", "afghans")."""
        return {d.strip().lower() for r in self.countries.values() for d in (r["demonyms"] or "").split("|")
                if d.strip().lower().endswith("s")}

    @cached_property
    def by_name(self) -> dict[str, Entry]:
        return {e.name: e for es in self.entries.values() for e in es if e.kind != "country"}

    @cached_property
    def agents(self) -> dict[str, str]:
        return {r["term"]: r["kind"] for r in data.rows("agents.csv")}

    @cached_property
    def _matcher(self):
        import spacy
        from spacy.matcher import PhraseMatcher

        nlp = spacy.blank("en")
        exact, folded = PhraseMatcher(nlp.vocab, attr="ORTH"), PhraseMatcher(nlp.vocab, attr="LOWER")
        for form in self.entries:
            target = exact if (form.isupper() and len(form) <= 5) else folded
            target.add(form, [nlp.make_doc(form)])
        return (exact, folded), nlp.vocab.strings

    def find(self, sdoc) -> list[Hit]:
        """Every KB name in the document, longest first where they overlap."""
        hits = []
        matchers, strings = self._matcher
        for matcher in matchers:
            for match_id, start, end in matcher(sdoc):
                form = strings[match_id]
                span = sdoc[start:end]
                if form.islower() is False and span.text[:1].islower():
                    continue  # "hamas" in lower case is not a name; a capitalised form must be capitalised
                hits.append((start, end, self.entries[form][0]))
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        out, last_end = [], -1
        for start, end, entry in hits:
            if start >= last_end:
                out.append(Hit(start, end, entry))
                last_end = end
        return out

    def agent_kind(self, token) -> Optional[str]:
        """The agent kind of a noun token ("troops" -> military), with its compound ("security forces")."""
        lemma = token.lemma_.lower()
        text = token.text.lower()
        left = [t for t in token.lefts if t.dep_ == "compound"]
        if left:
            phrase = " ".join(t.text.lower() for t in left) + " " + text
            kind = self.agents.get(phrase) or self.agents.get(" ".join(t.lemma_.lower() for t in left) + " " + lemma) \
                or self.agents.get(left[-1].lemma_.lower() + " " + lemma)  # "police bomb experts": "bomb expert"
            if kind:
                return kind
        found = self.agents.get(text) or self.agents.get(lemma)
        if found is None and token.pos_ == "PROPN" and text.endswith("s"):
            found = self.agents.get(text[:-1])  # "Terrorists murdered ...": a plural tagged as a name
        return found

    def crowd(self, kind: str, country: str, mention: str) -> Actor:
        """An actor of a kind in KIND_NAMES for a country: `crowd("protesters", "KEN", ...)` ->
        Protesters (Kenya)."""
        template, atype = KIND_NAMES[kind]
        name = self.country_name(country)
        if template.endswith(" of {country}") and country in THE:
            name = "the " + name  # ACLED: "Military Forces of the United States", "Protesters (United States)"
        return Actor(name=template.format(country=name), mention=mention, country=country, type=atype)

    def actor(self, span, hits: "Index[Hit] | list[Hit]", plover_type: str,
              default_country: Optional[str] = None) -> Optional[Actor]:
        """Name the actor that the noun phrase `span` denotes, or None if it names no actor.
        `hits` are the document's KB hits (`find`), best given as an `Index` built once."""
        inside = (hits if isinstance(hits, Index) else Index(hits)).within(span.start, span.end)
        mention = _trim(span)
        covered = {i for h in inside for i in range(h.start, h.end)}
        person = next((e for e in entities(span) if e.label_ == "PERSON" and e.start not in covered), None)
        groups = [h.entry for h in inside if h.entry.kind not in ("country", "media", "person")]
        persons = [h.entry for h in inside if h.entry.kind == "person"]
        country = next((h.entry.country for h in inside if h.entry.kind == "country"), None)
        head = span.root
        if head.lower_ in QUANTIFIERS or head.like_num:
            of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            if obj is not None:
                head = obj
        if persons:
            p = persons[0]
            aff = self.by_name.get(p.affiliation or "")
            return Actor(name=p.name, mention=mention, type="person", id=p.id,
                         country=p.country or (aff.country if aff else None), affiliation=p.affiliation)
        kind = self.agent_kind(head)
        if person is not None and (head.ent_type_ == "PERSON" or (not groups and kind is None)):
            group = groups[0] if groups else None
            return Actor(name=person.text, mention=mention, type="person",
                         country=(group.country if group else country),
                         affiliation=group.name if group else (self.country_name(country) if country else None))
        if groups:
            g = groups[0]
            return Actor(name=g.name, mention=mention, type=g.kind, country=g.country, id=g.id)
        if country:
            if kind is None and head.tag_ == "NNPS" and head.lower_ in self.demonyms:
                kind = "civilians"  # "15 Palestinians were arrested": people of a country, not its army
            if kind is None:
                kind = "military" if plover_type in VIOLENT_TYPES else "government"
            return self.crowd(kind, country, mention)
        if kind and head.lemma_.lower() in WEAPONS and not any(
                t.lower_ in STATE_MARKS for t in span if t.i != head.i):
            return None  # "the missile hit the station": a weapon of no stated country says nobody's
            # ("a military jet", "regime helicopters": the state's, where it happened)
        if kind:
            template, atype = KIND_NAMES[kind]
            c = default_country
            if kind in ("military", "police", "government") and c is None:
                return Actor(name=mention, mention=mention, type=atype)
            return self.crowd(kind, c, mention) if c else Actor(name=mention, mention=mention, type=atype)
        ent = next((e for e in entities(span) if e.label_ in ("ORG", "NORP")), None)
        if ent is not None:
            return Actor(name=ent.text, mention=mention, type="other")
        return None


# Short names for countries whose GeoNames name is not what ACLED writes.
COMMON_NAMES = {"PSE": "Palestine", "COD": "Democratic Republic of Congo", "COG": "Republic of Congo",
                "KOR": "South Korea", "PRK": "North Korea", "CIV": "Ivory Coast"}
# Countries ACLED writes with an article after "of": "Government of the Central African Republic".
THE = {"USA", "GBR", "ARE", "COD", "CAF", "PHL", "NLD", "COG", "DOM", "CZE", "BHS", "MDV", "GMB", "COM"}


def _trim(span) -> str:
    """The noun phrase without leading determiners and trailing punctuation."""
    toks = list(span)
    while toks and (toks[0].dep_ in ("det", "punct", "cc") or toks[0].is_space):
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].is_space):
        toks = toks[:-1]
    if not toks:
        return span.text
    return span.doc[toks[0].i: toks[-1].i + 1].text


def _actor_rows():
    return data.rows("actors.jsonl")
