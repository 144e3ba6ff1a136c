"""Coding the event by ACLED's crowd conventions (coding.py), on sentences written for the test."""
from __future__ import annotations

import pytest


def _main(events, *types):
    found = [e for e in events if e.plover_type in types]
    assert found, [(e.plover_type, e.acled_sub_event_type) for e in events]
    return max(found, key=lambda e: e.confidence)


def test_dispersal_with_tear_gas_is_a_protest_with_intervention(extract):
    e = _main(extract("Police fired tear gas and water cannon to disperse hundreds of protesters in Nairobi "
                      "on Tuesday."), "ASSAULT", "COERCE")
    assert (e.acled_event_type, e.acled_sub_event_type) == ("Protests", "Protest with intervention")
    assert e.actor1.type == "state_forces"


def test_lethal_force_on_protesters_is_excessive_force(extract):
    e = _main(extract("Security forces shot dead 12 protesters in Khartoum on Monday, doctors said."), "ASSAULT")
    assert (e.acled_event_type, e.acled_sub_event_type) == ("Protests", "Excessive force against protesters")
    assert e.actor2 is not None and e.actor2.type == "protesters"


def test_violent_demonstrators_are_rioters(extract):
    e = _main(extract("Demonstrators torched cars and clashed with police in Paris on Saturday."), "ASSAULT")
    assert (e.acled_event_type, e.acled_sub_event_type) == ("Riots", "Violent demonstration")
    assert e.actor1.name == "Rioters (France)" and e.actor1.mention == "Demonstrators"


def test_riot_police_alone_make_no_riot(extract):
    e = _main(extract("Riot police dispersed a march of teachers in Bogota on Friday."), "COERCE", "ASSAULT")
    assert e.acled_sub_event_type == "Protest with intervention"


@pytest.mark.parametrize("text", [
    "On 1 March 2024, soldiers killed 5 fighters of an armed group near Mopti in Mali, the army said.",
    "Gunmen attacked a police post in Kano on Monday, killing two officers.",
])
def test_no_crowd_no_crowd_coding(extract, text):
    for e in extract(text, date="2024-03-02"):
        assert e.acled_event_type not in ("Protests", "Riots"), e
