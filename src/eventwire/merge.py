"""Merge: the mentions of one event in one document (headline, lead, body) become one Event.

Mentions are taken in text order; each joins the most agreeing earlier cluster it does not
contradict (same PLOVER type, same day, same actors, places within 50 km, not the reverse dyad),
else starts a new one. A cluster's fields reconcile its mentions: the most precise place, the
explicit date, the largest stated toll (the headline figure), every source.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Optional

from .mentions import assault_subtype
from .records import Actor, Document, Event, Mention, Place, Span
from .resolve.gazetteer import km

BACKGROUND_DAYS = 7
SAME_PLACE_KM = 50.0
OTHER_TOWN_KM = 5.0  # two differently named towns further apart than this are two places
REGION_KM = 200.0  # a region-level place and a town this close may be one place
WINDOW = 200  # sentences: mentions further apart are never one event (no article is that long)
# ACLED's priority among sub-event types: the first that applies wins.
# Which sub-type a merged event takes from its mentions: the one most mentions give ("the strike" said
# once does not make a missile attack an air strike); between equals the most specific, except that
# shelling inside a clash is the clash (ACLED: "two groups exchanging long-range fire is Armed clash").
SUB_PRIORITY = ("Suicide bomb", "Chemical weapon", "Air/drone strike", "Remote explosive/landmine/IED",
                "Armed clash", "Shelling/artillery/missile attack", "Grenade", "Excessive force against protesters",
                "Abduction/forced disappearance", "Sexual violence", "Protest with intervention",
                "Violent demonstration", "Mob violence", "Arrests", "Looting/property destruction",
                "Agreement", "Peaceful protest", "Attack")
# Acts ACLED codes apart from the fighting around them.
APART = {"Abduction/forced disappearance", "Sexual violence"}
# A sentence that says it turns to another incident starts new events.
ANOTHER = re.compile(r"\W*(?:elsewhere|separately|in (?:another|a separate|a second|a similar|an unrelated|a further) "
                     r"(?:incident|attack|development|raid|strike|case|clash|operation))\b", re.I)
NON_STATE = {"rebel_group", "political_militia", "identity_militia"}
GENERIC_PREFIXES = ("Unidentified", "Civilians", "Protesters", "Rioters")


def _same_actor(a: Optional[Actor], b: Optional[Actor]) -> Optional[bool]:
    """True / False when both are known, None when either is missing."""
    if a is None or b is None:
        return None
    if a.name == b.name:
        return True
    if "person" in (a.type, b.type):
        pa, pb = (a, b) if a.type == "person" else (b, a)
        return pa.affiliation in (None, pb.name) or pb.type == "person"
    if a.country and a.country == b.country and (a.type in ("state_forces", "government")
                                                 and b.type in ("state_forces", "government")):
        return True
    unnamed = [x for x in (a, b) if x.name.startswith("Unidentified")]
    other = (b if unnamed[0] is a else a) if len(unnamed) == 1 else None
    if other is not None and other.type in NON_STATE:
        return None  # "the militants" of a later sentence may be the group named before
    if a.name.startswith(GENERIC_PREFIXES) or b.name.startswith(GENERIC_PREFIXES):
        return a.country == b.country or None in (a.country, b.country)
    return False


def _close(a: Optional[Place], b: Optional[Place]) -> Optional[bool]:
    if a is None or b is None or a.lat is None or b.lat is None:
        return None
    if a.geo_precision == 3 or b.geo_precision == 3:
        return None if a.country != b.country else True
    d = km(a.lat, a.lon, b.lat, b.lon)
    if (a.geo_precision == 2 or b.geo_precision == 2) and a.country == b.country and d <= REGION_KM:
        return None  # "a Donbas station" and "Kramatorsk": a region holds the town; neither says no
    if a.geo_precision == 1 and b.geo_precision == 1 and a.name != b.name and d > OTHER_TOWN_KM:
        return False  # two towns named: ACLED codes one event per location
    return d <= SAME_PLACE_KM


@dataclass
class Cluster:
    mentions: list[Mention] = field(default_factory=list)

    @property
    def first(self) -> Mention:
        return self.mentions[0]

    def value(self, attr: str):
        return next((getattr(m, attr) for m in self.mentions if getattr(m, attr) is not None), None)

    def agreement(self, m: Mention) -> Optional[float]:
        """How well `m` fits this cluster, or None if it contradicts it."""
        if m.plover_type != self.first.plover_type:
            return None
        subs = {c.acled_sub_event_type for c in self.mentions if c.acled_sub_event_type}
        if subs and m.acled_sub_event_type and ((subs & APART) or m.acled_sub_event_type in APART) and \
                m.acled_sub_event_type not in subs:
            return None  # an abduction in a raid is an event of its own, beside the fighting
        if ANOTHER.match(m.sentence.text) and all(c.sentence_index != m.sentence_index for c in self.mentions):
            return None  # "Elsewhere, in Santa, ...", "In a separate attack, ...": the report turns to another event
        score = 0.0
        date = self.explicit_date()
        if date and m.event_date and m.event_date != date:
            return None  # "the fighting continued into Monday ... shelling": another day's event
        score += 1.0 if date and m.event_date == date else 0.0
        a1, a2 = self.value("actor1"), self.value("actor2")
        if a1 and a2 and m.actor1 and m.actor2 and _same_actor(a1, m.actor2) and _same_actor(a2, m.actor1) \
                and not _same_actor(a1, m.actor1):
            return None  # the reverse dyad is another event
        for mine, theirs, w in ((a1, m.actor1, 2.0), (a2, m.actor2, 1.0)):
            same = _same_actor(mine, theirs)
            if same is False:
                return None
            score += w if same else 0.0
        close = _close(self.value("location"), m.location)
        if close is False:
            return None
        score += 1.0 if close else 0.0
        gap = m.sentence_index - self.mentions[-1].sentence_index
        score += 0.5 if gap <= 2 else 0.0
        return score

    def explicit_date(self) -> Optional[dt.date]:
        return next((m.event_date for m in self.mentions if m.date_explicit), None)


def cluster(mentions: list[Mention]) -> list[Cluster]:
    """Mentions in text order -> clusters. A mention is compared only with the clusters of its
    PLOVER type last seen within WINDOW sentences, so a long document costs linear time."""
    clusters: list[Cluster] = []
    by_type: dict[str, list[int]] = {}
    for m in mentions:
        open_ = by_type.setdefault(m.plover_type, [])
        open_[:] = [i for i in open_ if m.sentence_index - clusters[i].mentions[-1].sentence_index <= WINDOW]
        scored = [(s, i) for i in open_ if (s := clusters[i].agreement(m)) is not None]
        if scored:
            _, i = max(scored)
            clusters[i].mentions.append(m)
        else:
            open_.append(len(clusters))
            clusters.append(Cluster([m]))
    return clusters


def to_event(c: Cluster, document: Document, fallback_place: Optional[Place]) -> Event:
    ms = c.mentions
    date = c.explicit_date()
    precision = next((m.date_precision for m in ms if m.date_explicit), None)
    if date is None:
        date = next((m.event_date for m in ms if m.event_date), document.date)
        precision = "week"
    subs = [m.acled_sub_event_type for m in ms if m.acled_sub_event_type]
    # the sub-type most of the mentions give; between equals, ACLED's more specific one
    sub = min(subs, key=lambda s: (-subs.count(s), SUB_PRIORITY.index(s) if s in SUB_PRIORITY else 99)) if subs else None
    etype = next((m.acled_event_type for m in ms if m.acled_sub_event_type == sub), None) if sub else \
        c.value("acled_event_type")
    actor1, actor2 = _best_actor([m.actor1 for m in ms]), _best_actor([m.actor2 for m in ms])
    if c.first.plover_type == "ASSAULT" and (sub is None or etype is None):
        etype, sub = assault_subtype(sub, None, actor1, actor2)
    modes = [m.plover_mode for m in sorted(ms, key=lambda m: -m.weight) if m.plover_mode]
    places = [m.location for m in ms if m.location]
    places.sort(key=lambda p: p.geo_precision)
    location = places[0] if places else fallback_place
    if location and fallback_place and location.geo_precision == 3 and fallback_place.geo_precision < 3 \
            and fallback_place.country == location.country:
        location = fallback_place  # "in Afghanistan": the article's own town or province is more precise
    others: list[Place] = []
    for m in ms:
        for p in ([m.location] if m.location else []) + m.other_locations:
            if location and p.name != location.name and p.name not in {o.name for o in others} \
                    and p.geo_precision < 3:
                others.append(p)
    sources: list[str] = []
    for m in ms:
        sources.extend(s for s in m.sources if s not in sources)
    quantity: dict[str, int] = {}
    for m in ms:
        for k, v in (m.quantity or {}).items():
            quantity[k] = max(v, quantity.get(k, 0))
    fat = [m.fatalities for m in ms if m.fatalities is not None]
    inj = [m.injuries for m in ms if m.injuries is not None]
    evidence, seen = [], set()
    for m in ms:
        if m.sentence.start not in seen and len(evidence) < 3:
            seen.add(m.sentence.start)
            evidence.append(m.sentence)
    conf = 1.0
    for m in ms:
        conf *= 1.0 - _mention_confidence(m)
    confidence = round(min(0.99, max(0.05, 1.0 - conf)), 3)
    key = f"{document.doc_id}|{c.first.plover_type}|{c.first.trigger.start}|{c.first.trigger.end}"
    return Event(
        event_id=hashlib.sha1(key.encode()).hexdigest()[:16],
        doc_id=document.doc_id,
        event_date=date,
        date_precision=precision or "day",
        plover_type=c.first.plover_type,
        plover_mode=modes[0] if modes else None,
        acled_event_type=etype,
        acled_sub_event_type=sub,
        actor1=actor1,
        actor2=actor2,
        location=location,
        other_locations=others,
        fatalities=_toll(ms),
        injuries=inj[0] if inj else None,
        quantity=quantity or None,
        sources=sources,
        evidence=evidence,
        confidence=confidence,
        background=bool(date and (document.date - date).days > BACKGROUND_DAYS),
    )


LOWER_BOUND = re.compile(r"\b(?:more than|at least|over|upwards of|in excess of)\s+([\d,]+)\b", re.I)


def _toll(ms: list[Mention]) -> Optional[int]:
    """The lead's figure (later ones are often running totals), unless it was a bound that a later,
    exact figure of the cluster fills in: "killed more than 300 fighters" ... "317 fighters were killed"."""
    stated = [m for m in ms if m.fatalities is not None]
    if not stated:
        return None
    lead = stated[0].fatalities
    bounds = {int(g.replace(",", "")) for g in LOWER_BOUND.findall(stated[0].sentence.text) if g.strip(",")}
    if lead in bounds:
        finer = [m.fatalities for m in stated[1:] if lead < m.fatalities <= lead * 1.25]
        if finer:
            return min(finer)
    return lead


def _best_actor(actors: list[Optional[Actor]]) -> Optional[Actor]:
    known = [a for a in actors if a is not None]
    if not known:
        return None
    def rank(a: Actor) -> int:
        if a.id:
            return 0
        if a.type == "person":
            return 1
        if a.country and not a.name.startswith(GENERIC_PREFIXES):
            return 2
        return 3 if a.type in ("protesters", "rioters") else 4
    return min(known, key=rank)


def _mention_confidence(m: Mention) -> float:
    c = 0.25 + 0.25 * (m.actor1 is not None) + 0.1 * (m.actor2 is not None) + 0.1 * (m.location is not None) \
        + 0.1 * m.date_explicit
    return min(0.95, c * m.weight)


def one_per_place(events: list[Event]) -> list[Event]:
    """ACLED codes a demonstration per location: "protesters blocked roads in Nassiriya, Kerbala and
    Diwaniya" is three events. A protest with other towns in `other_locations` becomes one event per
    town, each with an id derived from the first's and the town's name (stable across runs).
    Strikes on several towns stay one event with `other_locations` (a barrage is one attack)."""
    out = []
    for e in events:
        towns = [p for p in e.other_locations if p.geo_precision < 3]
        if e.plover_type != "PROTEST" or not towns or e.location is None:
            out.append(e)
            continue
        if e.location.geo_precision == 1 or not any(p.geo_precision == 1 for p in towns):
            out.append(e.model_copy(update={"other_locations": []}))
        # else "in southern Iraq, in several cities, including Nassiriya and Kerbala": the towns, not the region
        for place in towns:
            key = f"{e.event_id}|{place.name}|{place.lat}|{place.lon}"
            out.append(e.model_copy(update={"event_id": hashlib.sha1(key.encode()).hexdigest()[:16],
                                            "location": place, "other_locations": []}))
    return out


def merge(mentions: list[Mention], document: Document, fallback_place: Optional[Place]) -> list[Event]:
    return [to_event(c, document, fallback_place) for c in cluster(mentions)]


def span(document: Document, start: int, end: int) -> Span:
    text = document.text[start:end]
    stripped = text.strip()
    start += len(text) - len(text.lstrip())
    return Span(doc_id=document.doc_id, start=start, end=start + len(stripped), text=stripped)
