"""The actor knowledge base: names in text -> KB entries, noun phrases -> ACLED-style actors."""
from __future__ import annotations

import pytest

from eventwire.arguments.actors import np_span


@pytest.fixture(scope="module")
def kb(pipeline):
    return pipeline.kb


def hits(nlp, kb, text):
    doc = nlp(text)
    return {doc[h.start:h.end].text: h.entry for h in kb.find(doc)}


def actor(nlp, kb, text, head, plover_type="ASSAULT", home=None):
    doc = nlp(text)
    tok = next(t for t in doc if t.text == head)
    return kb.actor(np_span(tok), kb.find(doc), plover_type, home)


def test_countries_and_demonyms(nlp, kb):
    found = hits(nlp, kb, "Israeli troops and Lebanese soldiers exchanged fire near the border with Syria.")
    assert found["Israeli"].country == "ISR" and found["Israeli"].kind == "country"
    assert found["Lebanese"].country == "LBN"
    assert found["Syria"].country == "SYR"


def test_named_groups_and_aliases(nlp, kb):
    found = hits(nlp, kb, "The Islamic Resistance in Lebanon said Hezbollah fighters attacked the post.")
    assert found["Islamic Resistance in Lebanon"].id == found["Hezbollah"].id == "hezbollah"
    assert found["Hezbollah"].country == "LBN"


def test_longest_name_wins(nlp, kb):
    found = hits(nlp, kb, "The Rapid Support Forces attacked the camp.")
    assert "Rapid Support Forces" in found
    assert found["Rapid Support Forces"].country == "SDN"


def test_a_capitalised_name_must_be_capitalised(nlp, kb):
    assert "hamas" not in hits(nlp, kb, "the hamas of the market was loud.")
    assert "Hamas" in hits(nlp, kb, "Hamas officials met on Tuesday.")


def test_persons_with_affiliation(nlp, kb):
    found = hits(nlp, kb, "Hezbollah leader Hassan Nasrallah met a Hamas delegation.")
    assert found["Hassan Nasrallah"].kind == "person"
    a = actor(nlp, kb, "Hezbollah leader Hassan Nasrallah met a Hamas delegation.", "Nasrallah", "CONSULT")
    assert (a.name, a.type, a.country, a.affiliation) == ("Hassan Nasrallah", "person", "LBN", "Hezbollah")


@pytest.mark.parametrize("text, head, ptype, home, name, atype, country", [
    ("Israeli troops entered the town.", "troops", "ASSAULT", None, "Military Forces of Israel", "state_forces", "ISR"),
    ("Iranian officials met the delegation.", "officials", "CONSULT", None, "Government of Iran", "government", "IRN"),
    ("Police arrested the men.", "Police", "COERCE", "IRN", "Police Forces of Iran", "state_forces", "IRN"),
    ("Gunmen attacked the convoy.", "Gunmen", "ASSAULT", "MLI", "Unidentified Armed Group (Mali)", "political_militia", "MLI"),
    ("Protesters blocked the road.", "Protesters", "PROTEST", "VEN", "Protesters (Venezuela)", "protesters", "VEN"),
    ("Boko Haram militants abducted the girls.", "militants", "ASSAULT", None, "Boko Haram", "rebel_group", "NGA"),
])
def test_actor_naming(nlp, kb, text, head, ptype, home, name, atype, country):
    a = actor(nlp, kb, text, head, ptype, home)
    assert (a.name, a.type, a.country) == (name, atype, country)
    assert a.mention in text


def test_state_role_without_a_country_keeps_its_words(nlp, kb):
    a = actor(nlp, kb, "Police arrested the men.", "Police", "COERCE", None)
    assert a.name == "Police" and a.country is None and a.type == "state_forces"


def test_a_phrase_that_names_no_actor(nlp, kb):
    assert actor(nlp, kb, "The rain fell on the town.", "rain") is None


def test_country_names_as_acled_writes_them(kb):
    assert kb.country_name("PSE") == "Palestine"
    assert kb.country_name("ISR") == "Israel"
    assert kb.country_name("XXX") is None and kb.country_name(None) is None


def test_agent_kinds(nlp, kb):
    doc = nlp("Security forces and riot police dispersed the crowd.")
    kinds = {t.text: kb.agent_kind(t) for t in doc if t.pos_ == "NOUN"}
    assert kinds["forces"] == "police"   # "security forces", through its compound
    assert kinds["police"] == "police"


def test_idf_is_israels_military(extract):
    [e] = extract("The IDF struck a Hezbollah compound in Tyre, southern Lebanon, on Tuesday.")
    assert e.actor1.country == "ISR"
    assert e.actor1.type == "state_forces"


def test_a_weapon_of_no_stated_country_is_nobody(pipeline):
    from eventwire import Document
    import datetime as dt
    sdoc = pipeline.annotator(Document(doc_id="t", text="The missile hit the station. Israeli warplanes struck Gaza.",
                                       date=dt.date(2024, 5, 15)))
    hits = pipeline.kb.find(sdoc)
    missile, warplanes = sdoc[0:2], sdoc[6:8]
    assert pipeline.kb.actor(missile, hits, "ASSAULT", "UKR") is None
    assert pipeline.kb.actor(warplanes, hits, "ASSAULT", "PSE").name == "Military Forces of Israel"


def test_a_military_aircraft_is_the_state_where_it_struck(extract):
    # a weapon alone says nobody's ("a missile hit"); "a military jet" is the state's forces, where it struck
    main = max(extract("A military jet bombed a crowd in a village near Mandalay, Myanmar, on Tuesday.",
                       date="2023-04-12"), key=lambda e: e.confidence)
    assert main.actor1 is not None and main.actor1.name == "Military Forces of Myanmar"
