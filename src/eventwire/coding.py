"""Code the event: ACLED's conventions for crowds, applied to a merged event and all its evidence.

- The side that protests is `Protesters (Country)` (an organising group is only associated): a
  protest whose actor1 is missing, civilians ("tens of thousands of people marched") or a
  government (what they protest against, read as the actor) gets that name.
- A crowd that acts violently or destructively is a riot (`Rioters (Country)`): at a demonstration,
  *Violent demonstration*; a mob or vigilantes outside one, *Mob violence*.
- State forces acting on demonstrators make a protest event: lethal force is *Excessive force
  against protesters*; dispersal, tear gas or arrests are *Protest with intervention*.

The cues are lemma phrases in data/crowd.csv (demo, mob, crowd, violent, intervene, lethal; "none" for
phrases that only look like one, such as "riot police"), looked for in every evidence sentence of
the event, the longest phrase at a token first; dates are skipped ("1 March" is no march). ACLED's
type, sub-type and crowd names change; the PLOVER type only where a crowd's act becomes a violent
demonstration (PROTEST, mode riot). Coding happens after merging,
so a name given by convention adds nothing to the event's confidence.
"""
from __future__ import annotations

from functools import cached_property
from typing import Optional

from . import data
from .arguments import numbers
from .arguments.actors import np_span, roles, subject_of
from .classify import Decision, acled_types
from .mentions import phrase_words
from .records import Actor, Event
from .resolve.kb import ActorKB

CROWD_TYPES = (None, "protesters", "rioters", "civilians")
# Sub-types that outrank a riot in ACLED's order, or say more than it: a mob's rape stays Sexual violence.
KEEP = {"Sexual violence", "Abduction/forced disappearance", "Suicide bomb", "Chemical weapon", "Air/drone strike",
        "Remote explosive/landmine/IED", "Shelling/artillery/missile attack", "Grenade"}


class Cues:
    """Lemma phrases of a data table (columns phrase, cue) found in sentences, the longest phrase at a
    token first; dates are skipped ("1 March" is no march)."""

    def __init__(self, table: str):
        self.table = table

    @cached_property
    def cues(self) -> dict[tuple[str, ...], str]:
        return {phrase_words(r["phrase"]): r["cue"] for r in data.rows(self.table)}

    def found(self, sentences) -> dict[str, str]:
        """cue -> the first text that shows it, over the tokens of the sentences."""
        out: dict[str, str] = {}
        longest = max(len(k) for k in self.cues)
        for sent in sentences:
            toks = list(sent)
            for i in range(len(toks)):
                for n in range(min(longest, len(toks) - i), 0, -1):
                    words = toks[i:i + n]
                    if any(t.ent_type_ in ("DATE", "TIME") for t in words):
                        continue  # "1 March 2020" is no march
                    key = tuple(t.lemma_.lower() for t in words)
                    cue = self.cues.get(key) or self.cues.get(tuple(t.lower_ for t in words))
                    if cue:
                        out.setdefault(cue, sent.doc[words[0].i: words[-1].i + 1].text)
                        break  # the longest phrase at a token wins: "riot police" is no riot
        return out


class CrowdCoder:
    def __init__(self, kb: ActorKB):
        self.kb = kb
        self.table = Cues("crowd.csv")

    def found(self, sentences) -> dict[str, str]:
        return self.table.found(sentences)

    def __call__(self, event: Event, sentences, home: Optional[str]) -> Event:
        country = (event.location.country if event.location else None) or home
        cues = self.found(sentences)
        a1, a2 = event.actor1, event.actor2
        crowd = "demo" in cues or "mob" in cues or event.plover_type == "PROTEST"
        if not crowd or country is None or event.plover_type not in ("ASSAULT", "COERCE", "PROTEST"):
            return event
        update: dict = {}
        if a1 is not None and a1.type == "state_forces" and event.plover_type in ("ASSAULT", "COERCE") and (
                "demo" in cues or (a2 is not None and a2.type == "protesters")):
            if bool(event.fatalities) or ("lethal" in cues and event.plover_type == "ASSAULT"):
                sub = "Excessive force against protesters"
            elif "violent" in cues and event.plover_type == "ASSAULT":
                sub = "Violent demonstration"  # the demonstrators were violent too: actor order says nothing
            else:
                sub = "Protest with intervention"
            update.update(acled_event_type="Riots" if sub == "Violent demonstration" else "Protests",
                          acled_sub_event_type=sub)
        elif (a1 is None or a1.type in CROWD_TYPES) and event.acled_sub_event_type not in KEEP:
            if "violent" in cues or event.plover_mode == "riot":
                mob = "mob" in cues and "demo" not in cues
                update.update(acled_event_type="Riots",
                              acled_sub_event_type="Mob violence" if mob else "Violent demonstration")
                if not mob:  # the crowd protests violently: PLOVER PROTEST, mode riot
                    update.update(plover_type="PROTEST", plover_mode="riot")
                mention = a1.mention if a1 is not None else cues.get("mob") or cues.get("demo") or cues.get("violent")
                if mention:  # the name is a convention; the mention must be a quote
                    update["actor1"] = self.kb.crowd("rioters", country, mention)
            elif event.plover_type == "PROTEST" and (a1 is None or a1.type == "civilians") and "demo" in cues:
                update["actor1"] = self.kb.crowd("protesters", country, a1.mention if a1 is not None else cues["demo"])
        elif event.plover_type == "PROTEST" and a1.type == "government" and "demo" in cues:
            update["actor1"] = self.kb.crowd("protesters", country, cues["demo"])
            update["actor2"] = a2 or a1
        return event.model_copy(update=update) if update else event


# A document this short is one report of one incident (a coder's note, a wire brief): its main event
# is coded from the whole text, and the other acts in it are minor (kept, with less confidence).
BRIEF_CHARS = 1200
MINOR = 0.8  # confidence factor of the other events of a brief
UNSURE = 0.4  # below this probability the model does not overrule a sub-type the rules found
SURE = 0.85  # ... nor turn a violent one into a peaceful development below this one
PEACEFUL = {"Agreement", "Change to group/activity", "Headquarters or base established",
            "Non-violent transfer of territory", "Other", "Peaceful protest"}
# PLOVER types that can carry each ACLED event type; another is replaced from data/acled_types.csv.
PLOVER_OF = {
    "Battles": {"ASSAULT"}, "Explosions/Remote violence": {"ASSAULT"}, "Violence against civilians": {"ASSAULT", "COERCE"},
    "Protests": {"PROTEST", "ASSAULT", "COERCE"}, "Riots": {"PROTEST", "ASSAULT"},
}


TERRITORY = {"Government regains territory", "Non-state actor overtakes territory", "Non-violent transfer of territory"}
LETHAL = {"Battles", "Explosions/Remote violence", "Violence against civilians", "Riots", "Protests"}


def is_brief(document) -> bool:
    return len(document.text.strip()) <= BRIEF_CHARS


class TypeCoder:
    """ACLED's event and sub-event type of a brief's main event from the brief's whole text
    (classify.SubtypeModel), with the rules' sub-type as one of the model's features. When the model
    finds no ACLED event in it (a meeting, a statement), the rules' coding stands."""

    def __init__(self, model, crowd: Optional["CrowdCoder"] = None):
        self.model = model
        self.crowd = crowd

    def _banned(self, sentences, rule_type: Optional[str]) -> set:
        """Who was involved decides between the types: with no crowd in the text (no demonstration,
        mob or crowd among data/crowd.csv's cues) and none found by the rules, it is neither Protests
        nor Riots."""
        banned = set() if not sentences or disruption(sentences, STOP_VERBS) else {"Disrupted weapons use"}
        if self.crowd is None or not sentences or rule_type in ("Protests", "Riots"):
            return banned
        cues = self.crowd.found(sentences)
        return banned if {"demo", "mob", "crowd"} & set(cues) else banned | {"Protests", "Riots"}

    def __call__(self, document, events: list[Event], sdoc=None) -> list[Event]:
        """The events of a brief, with its main event coded by the model. In a full article each event
        keeps the rules' coding: measured on dev articles the model did not beat the rules there
        (docs/accuracy.md), and embedding every event would halve throughput."""
        if self.model is None or not events or not is_brief(document):
            return events
        return self._brief(document, events, sdoc)

    def _brief(self, document, events: list[Event], sdoc) -> list[Event]:
        primary = max(events, key=lambda e: e.confidence)
        d = self.model.predict([document.text], [primary.acled_sub_event_type],
                               [self._banned(list(sdoc.sents) if sdoc is not None else [],
                                             primary.acled_event_type)])[0]
        if d.sub_event_type is None:
            return events  # a meeting, a statement: the rules' coding stands
        if primary.acled_sub_event_type and (d.probability < UNSURE or (
                primary.plover_type == "ASSAULT" and d.sub_event_type in PEACEFUL and d.probability < SURE)):
            # the model is unsure and the rules have an answer, or it would turn an act of violence the
            # rules saw ("kidnapped", "raped") into a peaceful development without being sure: theirs stands
            d = Decision(primary.acled_sub_event_type, primary.acled_event_type, primary.confidence)
        if d.sub_event_type == "Violent demonstration" and self.crowd is not None and sdoc is not None:
            cues = self.crowd.found(list(sdoc.sents))
            if "intervene" in cues and "violent" not in cues:
                # tear gas and batons are the police's doing: with no violence by the crowd it is a
                # protest met with force, not a violent demonstration
                sub = "Excessive force against protesters" if "lethal" in cues else "Protest with intervention"
                d = Decision(sub, "Protests", d.probability)
        if d.event_type == "Explosions/Remote violence" and sdoc is not None and disruption(sdoc) and \
                not any(e.fatalities for e in events):
            # "air defences intercepted a missile", "a bomb was defused", no one killed: the weapon was stopped
            d = Decision("Disrupted weapons use", "Strategic developments", d.probability)
        same = [e for e in events if e.acled_event_type == d.event_type]
        if d.sub_event_type in TERRITORY:  # the side that took the town, not the one that withdrew
            same = [e for e in same if e.plover_type != "RETREAT"] or same
        main = max(same or [primary], key=lambda e: e.confidence)
        top = max(e.confidence for e in events)
        out = []
        for e in events:
            if e.event_id == main.event_id:
                update = {"confidence": round(min(0.99, max(top, d.probability)), 3)}
                if d.event_type in LETHAL and sdoc is not None:
                    total = numbers.total_fatalities(sdoc.sents)
                    if total is not None and (e.fatalities or 0) < total:
                        update["fatalities"] = total  # the whole report's toll is this event's
                if d.sub_event_type in TERRITORY and e.plover_type == "RETREAT" and e.actor1 is not None:
                    update.update(actor1=None, actor2=e.actor1)  # "troops withdrew": they left the town
                if d.event_type == "Protests":
                    update["plover_type"] = "PROTEST"  # a brief on a dispersed or fired-on march reports the march
                out.append(recode(e, d).model_copy(update=update))
            else:
                out.append(e.model_copy(update={"confidence": round(min(e.confidence * MINOR, top * MINOR), 3)}))
        return out


def recode(event: Event, d) -> Event:
    """The event with the decision's types; the PLOVER type follows where it cannot carry them."""
    update = {"acled_event_type": d.event_type, "acled_sub_event_type": d.sub_event_type}
    row = acled_types()[d.sub_event_type]
    # a violent demonstration is a protest in PLOVER (mode riot), whatever act its trigger named
    if event.plover_type not in PLOVER_OF.get(d.event_type, {event.plover_type}) or row["plover_mode"] == "riot":
        if row["plover_type"]:
            update.update(plover_type=row["plover_type"], plover_mode=row["plover_mode"])
    return event.model_copy(update=update)


GOVERNMENT_ACTS = {None, "Agreement", "Other", "Change to group/activity", "Peaceful protest",
                   "Protest with intervention", "Excessive force against protesters"}
ARMED = {"state_forces", "rebel_group", "political_militia", "identity_militia", "external_force"}
VICTIM_TYPES = {None, "civilians", "person", "media", "ngo", "other"}
# Words of a sentence that names who did it without saying it in the act's own clause:
# "Islamic State claimed the attack", "police blamed Boko Haram", "suspected ULFA militants".
STATE_NOUNS = {"government", "regime", "army", "military", "force", "forces", "troops", "junta"}
ATTRIBUTION = {"claim", "blame", "suspect", "accuse", "attribute", "hallmark", "link", "belong", "responsibility",
               "responsible", "loyal", "affiliate", "member", "carry"}  # "IS said it carried out the attack"
# "a Hezbollah-dominated district": the group names the place, not who acted
TERRITORIAL = {"dominated", "controlled", "held", "run", "populated", "majority", "stronghold"}
VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
# What the side that took a town did: "entered Kherson", "walked into Bukavu", "drove IS out of Palmyra".
TAKE_VERBS = {"enter", "take", "capture", "seize", "retake", "recapture", "overrun", "walk", "move", "advance",
              "liberate", "drive", "control", "occupy", "storm"}
# What the side that disrupted a weapon did: "air defences intercepted", "defused by the army".
DISRUPT_VERBS = {"intercept", "defuse", "neutralise", "neutralize", "foil", "thwart", "disarm", "dismantle", "down"}
DISRUPTED = {"missile", "rocket", "drone", "shell", "projectile", "bomb", "ied", "device", "explosive", "mine",
             "landmine", "grenade", "warhead", "uav"}


def disruption(sentences, verbs=None) -> bool:
    """Whether the text says a weapon was stopped: intercepted, defused, shot down ("air defences
    intercepted a ballistic missile", "the bomb was defused", "shot down two drones"); with `verbs`,
    by any of those (STOP_VERBS adds destroyed, seized, detonated ... a weapon)."""
    for t in (t for s in ([sentences] if hasattr(sentences, "sents") else sentences) for t in s):
        lemma = t.lemma_.lower()
        shot_down = lemma == "shoot" and any(c.dep_ == "prt" and c.lower_ == "down" for c in t.children)
        if lemma not in (verbs or DISRUPT_VERBS) and not shot_down:
            continue
        objects = [c for c in t.children if c.dep_ in ("dobj", "nsubjpass")]
        if not objects and t.dep_ == "conj":  # "a bomb was found and defused": the first verb's
            objects = [c for c in t.head.children if c.dep_ in ("dobj", "nsubjpass")]
        objects += [c for o in objects for c in o.conjuncts]
        if any(o.lemma_.lower() in DISRUPTED for o in objects):
            return True
        # "intercepted nearly all of them", "detonated it safely": the weapon the text named before
        if any(o.lower_ in STAND_INS for o in objects) and any(w.lemma_.lower() in DISRUPTED for w in t.sent.doc[:t.i]):
            return True
    return False


STAND_INS = {"it", "them", "all", "most", "both", "some", "one", "many"}


STOP_VERBS = {"intercept", "shoot", "destroy", "defuse", "neutralise", "neutralize", "foil", "thwart",
              "disarm", "detonate", "seize", "recover", "dismantle", "repel", "repulse", "stop"}


class ActorCoder:
    """ACLED's actor conventions for the event's final type (FIELD_NOTES 1B.2):
    - Protests: actor1 is `Protesters (Country)`, a named organising group is its associated actor, and
      the state forces that acted on them are actor2; Riots: actor1 is `Rioters (Country)`.
    - Violence against civilians: the target is actor2, named `Civilians (Country)`.
    - Battles, Explosions/Remote violence, Violence against civilians: an attacker the act's clause does
      not name is the armed group the text attributes it to ("X claimed the attack", "suspected X
      militants"), else `Unidentified Armed Group (Country)`; state forces are named by their country.
    - An actor is never its own counterpart.
    Every name keeps a mention quoted from the text."""

    def __init__(self, kb: ActorKB, crowd: CrowdCoder):
        self.kb = kb
        self.crowd = crowd  # its cues name a crowd no actor phrase names ("a march of teachers")
        self.coups = Cues("coups.csv")

    def __call__(self, event: Event, sentences, home: Optional[str], hits, brief_doc=None) -> Event:
        etype = event.acled_event_type
        if etype is None:
            return event
        country = (event.location.country if event.location else None) or home
        a1, a2 = event.actor1, event.actor2
        sub = event.acled_sub_event_type
        assoc1: list = list(event.assoc_actor1)
        context = list(brief_doc.sents) if brief_doc is not None else sentences
        update: dict = {}
        if etype in ("Protests", "Riots") and country:
            a1, a2, assoc1 = self._crowd(event, a1, a2, assoc1, country, context)
        if etype == "Strategic developments" and country and self._coup(context):
            # ACLED codes a coup as Strategic developments / Other: the mutinous army against the government
            a2 = a2 if a2 is not None and a2.type in ("government", "person") else None
            a1 = self.kb.crowd("mutiny", country, a1.mention if a1 is not None and a1.type == "state_forces" else "")
            a2 = self.kb.crowd("government", country, a2.mention if a2 is not None else "")
            update["acled_sub_event_type"] = sub = "Other"
        if sub in TERRITORY and (a1 is None or a1.type not in ARMED):
            # "troops entered the town ... welcomed by crowds": the side that took it is armed
            taker = self._agent(context, hits, country, TAKE_VERBS)
            if taker is not None:
                a1, a2 = taker, a2 if a2 is not None and a2.name != taker.name else (a1 if a1 and a1.type in ARMED else None)
        if sub == "Disrupted weapons use":
            stopper = self._agent(context, hits, country, STOP_VERBS)
            if stopper is not None and (a1 is None or stopper.name != a1.name):
                a1, a2 = stopper, a1 if a1 is not None else a2  # who stopped it acts; who fired is the target
        if etype in VIOLENT:
            if a1 is not None and a1.type in VICTIM_TYPES - {None, "other"} and (a2 is None or a2.type in ARMED):
                a1, a2 = a2, a1  # the victims are never the side that struck
        if etype in VIOLENT or (etype == "Strategic developments" and a1 is not None):
            if a1 is None or (a1.id is None and (a1.type == "other" or a1.type in ("rebel_group", "political_militia")
                              and (a1.name == a1.mention or a1.name.startswith("Unidentified ")))):
                named = self._attributed(event, sentences, hits, brief_doc, exclude=a2)
                if named is not None or etype in VIOLENT:
                    a1 = named or self._unidentified(a1 if a1 is None or a1.type != "other" else None,
                                                     country, sentences)
        a1 = self._organisation(a1, country, sub)
        if etype != "Violence against civilians":
            a2 = self._organisation(a2, country, sub)
        if etype == "Violence against civilians" and a2 is not None and a2.type in VICTIM_TYPES and a2.type != "civilians":
            where = a2.country if a2.type == "person" and a2.country else country
            if where:
                a2 = self.kb.crowd("civilians", where, a2.mention)
        if a1 is not None and a2 is not None and a1.name == a2.name:
            a2 = None  # never its own counterpart
        if (a1, a2, assoc1) == (event.actor1, event.actor2, event.assoc_actor1) and not update:
            return event
        update.update(actor1=a1, actor2=a2, assoc_actor1=assoc1)
        return event.model_copy(update=update)

    def _coup(self, sentences) -> bool:
        """A coup: a coup phrase ("seized power", "ousted", "toppled") whose verb's subject is soldiers,
        officers or a guard (data/agents.csv's military and police terms; "they" stands for the
        sentence's military subject). A coup only recalled in a relative clause ("a withdrawal
        demanded by the officers who seized power in July") is not the event."""
        firsts = {k[0] for k in self.coups.cues}
        for sent in sentences:
            if not self.coups.found([sent]):
                continue
            military = [t for t in sent if t.dep_ in ("nsubj", "nsubjpass", "conj") and
                        self.kb.agent_kind(t) in ("military", "police")]
            for t in sent:
                if t.lemma_.lower() not in firsts:
                    continue
                verb = t if t.pos_ in ("VERB", "AUX") else t.head
                if verb.dep_ in ("relcl", "acl"):
                    continue
                subj, _ = subject_of(verb)
                if subj is not None and subj.tag_ == "PRP":
                    subj = military[0] if military else None
                if subj is not None and self.kb.agent_kind(subj) in ("military", "police"):
                    return True
        return False

    def _agent(self, sentences, hits, country, verbs: set) -> Optional[Actor]:
        """The armed side that did one of `verbs` (the subject of the verb, or its "by" phrase): who
        intercepted, shot down or defused a weapon; who entered or took a town."""
        for sent in sentences:
            for t in sent:
                if t.pos_ != "VERB" or t.lemma_.lower() not in verbs:
                    continue
                head, _ = roles(t, True)
                if head is None:
                    continue
                actor = self.kb.actor(np_span(head), hits, "ASSAULT", country)
                if actor is not None and actor.type in ARMED:
                    return self._organisation(actor, country, None)
        return None

    def _organisation(self, actor: Optional[Actor], country: Optional[str], sub: Optional[str]) -> Optional[Actor]:
        """ACLED names no persons: a person acts for their organisation (the KB's affiliation), a
        leader of a state for its government; state forces of no stated country are the event country's.
        A government that fights, strikes, arrests or sets up a base acts through its forces."""
        if actor is None:
            return None
        if actor.type == "government" and actor.country and sub not in GOVERNMENT_ACTS and actor.id is None:
            kind = "police" if "police" in actor.mention.lower() else "military"
            return self.kb.crowd(kind, actor.country, actor.mention)
        if actor.type == "person":
            group = self.kb.by_name.get(actor.affiliation or "")
            if group is not None:
                return Actor(name=group.name, mention=actor.mention, type=group.kind, country=group.country,
                             id=group.id)
            state = next((e.country for e in self.kb.entries.get(actor.affiliation or "", []) if e.kind == "country"),
                         None)
            if state:
                return self.kb.crowd("government", state, actor.mention)
            where = actor.country or country
            if where and any(self.kb.agents.get(w) == "government" for w in actor.mention.lower().split()):
                return self.kb.crowd("government", where, actor.mention)  # "President Filipe Nyusi"
            return actor
        if actor.type == "state_forces" and actor.country is None and country:
            words = actor.mention.lower().split()
            kind = "police" if words and self.kb.agents.get(words[-1]) == "police" or "police" in words else "military"
            return self.kb.crowd(kind, country, actor.mention)
        return actor

    def _crowd(self, event: Event, a1, a2, assoc1: list, country: str, sentences):
        """Protests and Riots: the crowd is `Protesters (X)` / `Rioters (X)`, an organising group its
        associated actor. The crowd leads, as in ACLED's records; only a record of the police's own act
        (PLOVER ASSAULT or COERCE on protesters) keeps them actor1, since EVENTS.md's actor1 is the
        initiator (a brief's main protest event is PLOVER PROTEST). Rioters always lead: ACLED's order
        says nothing of who started a riot. With no phrase naming the crowd the name is the
        convention's and quotes nothing."""
        kind = "protesters" if event.acled_event_type == "Protests" else "rioters"
        crowd_types = ("protesters", "rioters", "civilians", None)
        crowd = next((a for a in (a1, a2) if a is not None and a.type in crowd_types), None)
        force = next((a for a in (a1, a2) if a is not None and a.type in ("state_forces", "external_force")), None)
        other = next((a for a in (a1, a2) if a is not None and a is not crowd and a is not force), None)
        organiser = other if other is not None and other.type not in ("government",) and other is a1 else None
        mention = crowd.mention if crowd is not None else (organiser.mention if organiser is not None else None)
        if not mention:
            cues = self.crowd.found(sentences)
            mention = cues.get("demo") or cues.get("mob") or cues.get("violent") or ""
        people = self.kb.crowd(kind, country, mention)
        if organiser is not None:
            assoc1 = assoc1 + [organiser]  # the union, party or group that organised it
        counterpart = force or (other if organiser is None else None)
        if counterpart is None and crowd is a1 and a2 is not None and a2 is not crowd:
            counterpart = a2
        if kind == "protesters" and force is not None and force is a1 and event.plover_type in ("ASSAULT", "COERCE"):
            return force, people, assoc1  # the record is the police's act (EVENTS.md: actor1 is the initiator)
        if counterpart is not None and counterpart.type in crowd_types and kind == "protesters":
            counterpart = None
        return people, counterpart, assoc1

    def _attributed(self, event: Event, sentences, hits, brief_doc, exclude) -> Optional[Actor]:
        """The named armed group the text ties the act to: in the event's sentences, or for a brief in
        any sentence, preferring a sentence with an attribution word (claim, blame, suspect...)."""
        pools = list(sentences)
        if brief_doc is not None:
            pools += [s for s in brief_doc.sents if all((s.start, s.end) != (p.start, p.end) for p in pools)]
        best, best_rank = None, None
        for rank_base, sent in enumerate(pools):
            attributed = any(t.lemma_.lower() in ATTRIBUTION for t in sent)
            for h in hits.within(sent.start, sent.end):
                if h.entry.kind not in ("rebel_group", "political_militia", "identity_militia"):
                    continue
                if exclude is not None and exclude.name == h.entry.name:
                    continue
                doc = sent.doc
                if h.end + 1 < len(doc) and doc[h.end].text == "-" and doc[h.end + 1].lower_ in TERRITORIAL:
                    continue
                rank = (0 if attributed else 1, rank_base, 0)
                if best_rank is None or rank < best_rank:
                    mention = sent.doc[h.start:h.end].text
                    best, best_rank = Actor(name=h.entry.name, mention=mention, type=h.entry.kind,
                                            country=h.entry.country, id=h.entry.id), rank
            if not attributed:
                continue
            # "investigators held the Syrian government responsible": a state, through its forces
            countries = [h for h in hits.within(sent.start, sent.end) if h.entry.kind == "country"]
            for t in sent:
                if t.lemma_.lower() not in STATE_NOUNS:
                    continue
                h = next((h for h in countries if t.i - 3 <= h.start < t.i), None)
                rank = (0, rank_base, 1)
                if h is not None and (best_rank is None or rank < best_rank) and \
                        (exclude is None or exclude.type not in ARMED or exclude.country != h.entry.country):
                    best = self.kb.crowd("military", h.entry.country, sent.doc[h.start: t.i + 1].text)
                    best_rank = rank
        return best

    def _unidentified(self, a1: Optional[Actor], country: Optional[str], sentences) -> Optional[Actor]:
        """`Unidentified Armed Group (Country)`, quoting the phrase that names the attackers: the
        actor's own mention, else an armed agent noun of the event's sentences ("Terrorists", "gunmen");
        with none, the name is ACLED's convention and quotes nothing."""
        if country is None:
            return a1
        mention = a1.mention if a1 is not None else ""
        if not mention:
            mention = next((t.text for sent in sentences for t in sent
                            if t.pos_ in ("NOUN", "PROPN") and self.kb.agent_kind(t) == "armed"), "")
        return self.kb.crowd("armed", country, mention)
