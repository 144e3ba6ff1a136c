"""Code the event: ACLED's conventions for crowds, applied to a merged event and all its evidence.

- The side that protests is `Protesters (Country)` (an organising group is only associated): a
  protest whose actor1 is missing, civilians ("tens of thousands of people marched") or a
  government (what they protest against, read as the actor) gets that name.
- A crowd that acts violently or destructively is a riot (`Rioters (Country)`): at a demonstration,
  *Violent demonstration*; a mob or vigilantes outside one, *Mob violence*.
- State forces acting on demonstrators make a protest event: lethal force is *Excessive force
  against protesters*; dispersal, tear gas or arrests are *Protest with intervention*.

The cues are lemma phrases in data/crowd.csv (demo, mob, violent, intervene, lethal; "none" for
phrases that only look like one, such as "riot police"), looked for in every evidence sentence of
the event, the longest phrase at a token first; dates are skipped ("1 March" is no march). The PLOVER type and the actors' order are left as the
parse found them; only ACLED's type, sub-type and crowd names change. Coding happens after merging,
so a name given by convention adds nothing to the event's confidence.
"""
from __future__ import annotations

from functools import cached_property
from typing import Optional

from . import data
from .records import Event
from .resolve.kb import ActorKB

CROWD_TYPES = (None, "protesters", "rioters", "civilians")
# Sub-types that outrank a riot in ACLED's order, or say more than it: a mob's rape stays Sexual violence.
KEEP = {"Sexual violence", "Abduction/forced disappearance", "Suicide bomb", "Chemical weapon", "Air/drone strike",
        "Remote explosive/landmine/IED", "Shelling/artillery/missile attack", "Grenade"}


class CrowdCoder:
    def __init__(self, kb: ActorKB):
        self.kb = kb

    @cached_property
    def cues(self) -> dict[tuple[str, ...], str]:
        return {tuple(r["phrase"].split()): r["cue"] for r in data.rows("crowd.csv")}

    def found(self, sentences) -> dict[str, str]:
        """cue -> the first text that shows it, over the tokens of the event's sentences."""
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
                mention = a1.mention if a1 is not None else cues.get("mob") or cues.get("demo") or cues.get("violent")
                if mention:  # the name is a convention; the mention must be a quote
                    update["actor1"] = self.kb.crowd("rioters", country, mention)
            elif event.plover_type == "PROTEST" and (a1 is None or a1.type == "civilians") and "demo" in cues:
                update["actor1"] = self.kb.crowd("protesters", country, a1.mention if a1 is not None else cues["demo"])
        elif event.plover_type == "PROTEST" and a1.type == "government" and "demo" in cues:
            update["actor1"] = self.kb.crowd("protesters", country, cues["demo"])
            update["actor2"] = a2 or a1
        return event.model_copy(update=update) if update else event
