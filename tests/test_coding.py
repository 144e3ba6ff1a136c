"""Coding the event by ACLED's crowd conventions (coding.py), on sentences written for the test."""
from __future__ import annotations

import pytest


def _main(events, *types):
    found = [e for e in events if e.plover_type in types]
    assert found, [(e.plover_type, e.acled_sub_event_type) for e in events]
    return max(found, key=lambda e: e.confidence)


def test_dispersal_with_tear_gas_is_a_protest_with_intervention(extract):
    # a brief on a dispersed march reports the march: ACLED's actor1 is the crowd, the police actor2
    e = _main(extract("Police fired tear gas and water cannon to disperse hundreds of protesters in Nairobi "
                      "on Tuesday."), "PROTEST")
    assert (e.acled_event_type, e.acled_sub_event_type) == ("Protests", "Protest with intervention")
    assert e.actor1.name == "Protesters (Kenya)" and e.actor2.type == "state_forces"


def test_in_an_article_the_side_that_struck_stays_actor1(extract):
    text = ("Police fired tear gas and water cannon to disperse hundreds of protesters in Nairobi on Tuesday. "
            + "The demonstrators had gathered outside parliament to oppose a new finance bill, and several "
              "opposition politicians addressed the crowd before the police moved in. " * 8)
    e = _main(extract(text), "ASSAULT", "COERCE")
    assert e.acled_event_type == "Protests"
    assert e.actor1.type == "state_forces" and e.actor2.name == "Protesters (Kenya)"


def test_lethal_force_on_protesters_is_excessive_force(extract):
    e = _main(extract("Security forces shot dead 12 protesters in Khartoum on Monday, doctors said."), "PROTEST")
    assert (e.acled_event_type, e.acled_sub_event_type) == ("Protests", "Excessive force against protesters")
    assert e.actor1.name == "Protesters (Sudan)" and e.actor2.type == "state_forces"
    assert e.fatalities == 12


def test_a_leader_acts_for_the_state(extract):
    e = max(extract("Ethiopian Prime Minister Abiy Ahmed signed a peace agreement with the TPLF in Addis Ababa "
                    "on 2 May 2023.", date="2023-05-03"), key=lambda e: e.confidence)
    assert (e.acled_event_type, e.acled_sub_event_type) == ("Strategic developments", "Agreement")
    assert e.actor1.name == "Government of Ethiopia" and "Abiy Ahmed" in e.actor1.mention   # ACLED names no persons


def test_violent_demonstrators_are_rioters(extract):
    e = _main(extract("Demonstrators torched cars and clashed with police in Paris on Saturday."), "ASSAULT", "PROTEST")
    assert (e.acled_event_type, e.acled_sub_event_type) == ("Riots", "Violent demonstration")
    assert e.actor1.name == "Rioters (France)" and e.actor1.mention == "Demonstrators"


def test_riot_police_alone_make_no_riot(extract):
    e = _main(extract("Riot police dispersed a march of teachers in Bogota on Friday."), "COERCE", "ASSAULT", "PROTEST")
    assert e.acled_sub_event_type == "Protest with intervention"
    assert e.actor1.name == "Protesters (Colombia)"


def test_a_demonstration_with_burning_tyres_is_one_violent_demonstration(extract):
    events = extract("Members of the party's youth wing staged a demonstration and set fire to tyres on the main "
                     "road in Kisumu on 3 May 2023.", date="2023-05-04")
    primary = max(events, key=lambda e: e.confidence)
    assert (primary.acled_event_type, primary.acled_sub_event_type) == ("Riots", "Violent demonstration")
    assert primary.actor1.name == "Rioters (Kenya)"
    assert all(e.confidence < primary.confidence for e in events if e is not primary)


def test_a_defused_bomb_is_disrupted_weapons_use(extract):
    e = max(extract("A roadside bomb was found and defused by soldiers near Kidal, Mali, on 2 May 2023.",
                    date="2023-05-03"), key=lambda e: e.confidence)
    assert (e.acled_event_type, e.acled_sub_event_type) == ("Strategic developments", "Disrupted weapons use")


def test_a_town_taken_without_resistance_is_a_non_violent_transfer(extract):
    e = max(extract("Rebel fighters took over the town of Kidal, Mali, without resistance on 1 May 2023 after "
                    "government troops withdrew.", date="2023-05-02"), key=lambda e: e.confidence)
    assert e.acled_sub_event_type == "Non-violent transfer of territory"
    # the troops that withdrew are the side that lost the town, never the side that took it
    assert e.actor2.name == "Military Forces of Mali" and (e.actor1 is None or e.actor1.name != e.actor2.name)


def test_a_government_that_sets_up_a_base_acts_through_its_forces(extract):
    e = max(extract("Israeli officials said on 2 May 2023 that the army had set up a new base near Jenin.",
                    date="2023-05-03"), key=lambda e: e.confidence)
    assert e.acled_sub_event_type == "Headquarters or base established"
    assert e.actor1.name == "Military Forces of Israel"


def test_an_unnamed_attacker_is_the_group_the_text_blames(extract):
    e = max(extract("A car bomb exploded near a checkpoint in Mogadishu on 5 May 2023, killing 4 soldiers and "
                    "7 civilians. Al Shabaab claimed responsibility.", date="2023-05-05"), key=lambda e: e.confidence)
    assert e.acled_event_type == "Explosions/Remote violence"
    assert e.actor1.name == "Al-Shabaab" and e.actor1.mention == "Al Shabaab"
    assert e.fatalities == 11   # victim groups summed


def test_victims_of_an_attack_are_civilians_of_the_country(extract):
    e = max(extract("Gunmen killed four farmers and two herders in a village near Jos, Nigeria, on 2 May 2023.",
                    date="2023-05-03"), key=lambda e: e.confidence)
    assert (e.acled_event_type, e.acled_sub_event_type) == ("Violence against civilians", "Attack")
    assert e.actor1.name == "Unidentified Armed Group (Nigeria)" and e.actor1.mention == "Gunmen"
    assert e.actor2.name == "Civilians (Nigeria)"
    assert e.fatalities == 6


def test_a_meeting_stays_uncoded(extract):
    events = extract("The foreign ministers of Egypt and Qatar met in Cairo on Tuesday to discuss a ceasefire.",
                     date="2024-05-15")
    assert events and all(e.acled_event_type is None for e in events)


@pytest.mark.parametrize("text", [
    "On 1 March 2024, soldiers killed 5 fighters of an armed group near Mopti in Mali, the army said.",
    "Gunmen attacked a police post in Kano on Monday, killing two officers.",
])
def test_no_crowd_no_crowd_coding(extract, text):
    for e in extract(text, date="2024-03-02"):
        assert e.acled_event_type not in ("Protests", "Riots"), e


def test_an_unidentified_attacker_quotes_the_phrase_that_names_it(extract):
    # "Terrorists" opening a sentence is tagged a proper noun; it is still the attackers' plural noun
    e = max(extract("Maputo - Terrorists murdered and beheaded five people in Macomia, Mozambique, on Tuesday.",
                    date="2019-08-22"), key=lambda e: e.confidence)
    assert e.actor1.name == "Unidentified Armed Group (Mozambique)" and "Terrorists" in e.actor1.mention
    assert e.actor2.name == "Civilians (Mozambique)" and e.fatalities == 5


def test_the_side_that_stopped_a_weapon_is_actor1(extract):
    # ACLED: in Disrupted weapons use the interceptor or defuser acts; who fired it is the counterpart
    e = max(extract("Qatari air defences intercepted three drones launched by rebels over Doha on 3 June 2024.",
                    date="2024-06-04"), key=lambda e: e.confidence)
    assert e.acled_sub_event_type == "Disrupted weapons use"
    assert e.actor1.name == "Military Forces of Qatar" and e.actor1.mention == "Qatari air defences"
    assert e.actor2 is None or e.actor2.name != e.actor1.name


def test_soldiers_who_seize_power_are_a_mutiny(extract):
    # ACLED codes a coup as Strategic developments / Other: `Mutiny of Military Forces of X` against the government
    e = max(extract("Soldiers appeared on state television in Mali on 18 August 2020 and said they had seized "
                    "power and dissolved parliament.", date="2020-08-19"), key=lambda e: e.confidence)
    assert (e.acled_event_type, e.acled_sub_event_type) == ("Strategic developments", "Other")
    assert e.actor1.name == "Mutiny of Military Forces of Mali" and e.actor2.name == "Government of Mali"


def test_a_coup_word_without_soldiers_is_no_mutiny(extract):
    for e in extract("Opposition parties said on 3 June 2024 in Bamako that they would try to oust the prime "
                     "minister in a parliamentary vote.", date="2024-06-04"):
        assert e.actor1 is None or not e.actor1.name.startswith("Mutiny"), e


def test_a_titled_leader_signs_for_the_government(extract):
    e = max(extract("President Joao Lourenco signed a peace agreement with the rebels in Luanda, Angola, on "
                    "2 May 2023.", date="2023-05-03"), key=lambda e: e.confidence)
    assert e.acled_sub_event_type == "Agreement"
    assert e.actor1.name == "Government of Angola" and "Lourenco" in e.actor1.mention


def test_acled_writes_some_countries_with_the(extract):
    e = max(extract("Gunmen shot dead three farmers near Bangui, Central African Republic, on 2 May 2023.",
                    date="2023-05-03"), key=lambda e: e.confidence)
    assert e.actor2.name == "Civilians (Central African Republic)"
    from eventwire.resolve.kb import ActorKB
    kb = ActorKB()
    assert kb.crowd("military", "CAF", "troops").name == "Military Forces of the Central African Republic"
    assert kb.crowd("government", "KEN", "").name == "Government of Kenya"


def test_rioters_lead_when_police_fought_them(extract):
    e = max(extract("Demonstrators threw stones and burned cars in Dakar, Senegal, on 2 June 2023, and police "
                    "fired tear gas at them.", date="2023-06-03"), key=lambda e: e.confidence)
    assert e.acled_event_type == "Riots"
    assert e.actor1.name == "Rioters (Senegal)" and e.actor2.name == "Police Forces of Senegal"


def test_the_side_that_took_the_town_is_actor1_not_the_crowd_that_cheered(extract):
    e = max(extract("Rebel fighters entered Kidal, Mali, on 1 May 2023 after the army pulled out, and were "
                    "cheered by crowds in the market.", date="2023-05-02"), key=lambda e: e.confidence)
    assert e.acled_sub_event_type in ("Non-violent transfer of territory", "Non-state actor overtakes territory")
    assert e.actor1 is not None and e.actor1.type in ("rebel_group", "political_militia") and e.actor1.mention == "Rebel fighters"


def test_a_coup_recalled_in_a_relative_clause_is_not_the_event(extract):
    e = max(extract("On 3 May 2024, the last foreign soldiers left Bamako, Mali, completing a withdrawal demanded "
                    "by the officers who seized power in 2020.", date="2024-05-04"), key=lambda e: e.confidence)
    assert e.actor1 is None or not e.actor1.name.startswith("Mutiny"), e.actor1


@pytest.mark.parametrize("text, date", [
    # "on 22 March" is a date, not the target; "opened fire" has its target after "on"
    ("On 22 March 2024, gunmen opened fire on concertgoers at a concert hall near Moscow, killing dozens.",
     "2024-03-23"),
    # a named town as the object, the people hit named in the clause after it
    ("On 3 October 2024, members of a gang stormed Pont-Sonde (Saint-Marc, Artibonite), shooting residents "
     "and burning homes.", "2024-10-04"),
])
def test_the_people_fired_on_are_the_victims(extract, text, date):
    main = max(extract(text, date=date), key=lambda e: e.confidence)
    assert main.actor2 is not None and main.actor2.type == "civilians"
    assert main.acled_event_type != "Battles"  # one armed side firing on people is no armed clash


@pytest.mark.parametrize("text, sub", [
    ("Gunmen seized a local journalist outside his home in Kaduna on Monday.", "Abduction/forced disappearance"),
    ("Russian soldiers seized two aid workers at a checkpoint near Kherson on Friday.", "Abduction/forced disappearance"),
])
def test_people_seized_are_abducted(extract, text, sub):
    # "seize" takes goods (Disrupted weapons use); a person seized by anyone but their own state is abducted
    main = max(extract(text, date="2024-05-14"), key=lambda e: e.confidence)
    assert main.acled_sub_event_type == sub


def test_a_peaceful_march_broken_up_is_a_protest_with_intervention(extract):
    # the force is the police's; with no violence by the marchers it is not a violent demonstration
    text = ("On Saturday police fired tear gas and water cannon to break up a march by teachers in the capital "
            "after the governor banned it. The marchers had gathered peacefully outside the ministry.")
    main = max(extract(text, date="2024-05-12"), key=lambda e: e.confidence)
    assert (main.acled_event_type, main.acled_sub_event_type) == ("Protests", "Protest with intervention")


def test_an_intercepted_missile_is_disrupted_weapons_use(extract):
    # the missile was stopped and no one was killed: ACLED's Disrupted weapons use, not a missile attack
    text = ("On Saturday, air defences intercepted a ballistic missile fired by rebels over the capital; "
            "fragments fell in an empty lot and no one was hurt, the coalition said.")
    main = max(extract(text, date="2024-05-12"), key=lambda e: e.confidence)
    assert main.acled_sub_event_type == "Disrupted weapons use"


def test_people_who_stone_or_burn_someone_are_a_mob(extract):
    # no armed group: villagers who stone and burn a man to death are ACLED's rioters, Mob violence
    text = "On Sunday, villagers in Kano State stoned and burned to death a man accused of theft, police said."
    main = max(extract(text, date="2024-05-13"), key=lambda e: e.confidence)
    assert (main.acled_sub_event_type, main.actor1.name) == ("Mob violence", "Rioters (Nigeria)")


def test_a_state_held_responsible_is_its_forces(extract):
    # an unnamed attacker, then "held the Syrian government responsible": ACLED's Military Forces of Syria
    text = ("Early on Tuesday, a warplane dropped a bomb on a market in Idlib province, killing 12 people. "
            "A UN inquiry later held the Syrian government responsible.")
    main = max(extract(text, date="2024-05-15"), key=lambda e: e.confidence)
    assert main.actor1 is not None and main.actor1.name == "Military Forces of Syria"


def test_protesters_throwing_stones_at_police_armed_with_stun_grenades_riot(extract):
    # the stun grenades are the police's crowd control, not a grenade attack; the crowd's stones make
    # it a violent demonstration, which PLOVER calls a protest
    text = ("In the capital's Tahrir Square overnight, protesters threw petrol bombs and stones at police "
            "who responded with tear gas and stun grenades, witnesses in Baghdad said.")
    e = max(extract(text, date="2020-01-20"), key=lambda e: e.confidence)
    assert (e.plover_type, e.acled_sub_event_type) == ("PROTEST", "Violent demonstration")
    assert e.actor1.name == "Rioters (Iraq)"


def test_a_protest_across_a_region_is_one_event_per_listed_town(extract):
    text = ("Elsewhere in southern Iraq, hundreds of protesters burned tyres and blocked main roads in several "
            "cities, including Nassiriya, Kerbala and Amara.")
    places = sorted(e.location.name for e in extract(text, date="2020-01-20") if e.plover_type == "PROTEST")
    assert len(places) == 3 and "southern Iraq" not in places


def test_rebels_who_arrest_someone_abduct_them(extract):
    # ACLED: only a state arrests; a rebel group's "arrest" is an abduction
    text = "Al-Shabaab fighters arrested a village elder in Jilib on Tuesday and took him to an unknown location."
    main = max(extract(text, date="2024-05-15"), key=lambda e: e.confidence)
    assert main.acled_sub_event_type == "Abduction/forced disappearance"
    assert main.actor1 is not None and main.actor1.type == "rebel_group"


def test_elsewhere_is_another_event(extract):
    # "Elsewhere, ..." turns to another incident: it is not merged into the first one
    text = ("Gunmen abducted two traders on the road to Zurmi on Monday, residents said.\n\n"
            "Elsewhere in Zurmi, gunmen abducted a farmer from his home on Monday.")
    abductions = [e for e in extract(text, date="2024-05-14")
                  if e.acled_sub_event_type == "Abduction/forced disappearance"]
    assert len(abductions) == 2


def test_an_abduction_is_apart_from_the_fighting_after_it(extract):
    text = ("Separatist fighters abducted three traders at the market in Kumbo on Monday. Later that day soldiers "
            "clashed with the fighters near the town, and one fighter was killed, the army said.")
    subs = {e.acled_sub_event_type for e in extract(text, date="2024-05-14")}
    assert {"Abduction/forced disappearance", "Armed clash"} <= subs


def test_the_group_that_said_it_carried_out_the_attack_is_actor1(extract):
    # the group a district is named after did not act; the one that said it carried it out did
    text = ("On 3 June 2016, a car bomb exploded near a market in a Hezbollah-dominated suburb of Beirut, killing "
            "six people. Islamic State said it carried out the bombing.")
    main = max(extract(text, date="2016-06-04"), key=lambda e: e.confidence)
    assert main.actor1 is not None and main.actor1.name.startswith("Islamic State")


def test_the_support_an_act_had_is_no_act_of_its_own(extract):
    text = ("On 2 March 2017, Syrian government troops, backed by Russian air strikes, recaptured Palmyra from "
            "Islamic State after weeks of fighting.")
    events = extract(text, date="2017-03-03")
    assert "Air/drone strike" not in [e.acled_sub_event_type for e in events]
    main = max(events, key=lambda e: e.confidence)
    assert main.acled_sub_event_type == "Government regains territory"
    assert main.actor1 is not None and main.actor1.country == "SYR"  # not the air force that backed them



@pytest.mark.parametrize("text, stopped", [
    ("Ballistic missiles fired from across the border destroyed a farmhouse outside Kirkuk.", False),
    ("Houthi forces launched a dozen drones at Eilat. Air defences intercepted all of them.", True),
    ("A shopkeeper found a homemade bomb outside a bank in Davao. Army experts detonated it safely.", True),
    ("Soldiers found a bag outside the bank. Army experts detonated it safely.", False),  # no weapon named
])
def test_a_weapon_stopped_by_name_or_pronoun(nlp, text, stopped):
    from eventwire.coding import STOP_VERBS, disruption
    assert disruption(list(nlp(text).sents), STOP_VERBS) is stopped


def test_no_weapon_stopped_rules_out_disrupted_weapons_use(pipeline, nlp):
    # the model may read "missiles destroyed a home" as a weapon destroyed; nothing in the text stops one
    sents = list(nlp("Missiles destroyed the home of a businessman in Erbil, killing him and his daughter.").sents)
    assert "Disrupted weapons use" in pipeline.typer._banned(sents, None)
    sents = list(nlp("Air defences shot down two drones over Erbil airport.").sents)
    assert "Disrupted weapons use" not in pipeline.typer._banned(sents, None)


def test_the_side_that_fought_back_did_not_start_the_fight(extract):
    text = ("On 2 May 2024, Sudanese army troops attacked Rapid Support Forces positions near El Fasher with "
            "artillery and ground assaults, and RSF fighters fought back for several hours.")
    clashes = [e for e in extract(text, date="2024-05-03") if e.acled_sub_event_type == "Armed clash"]
    assert clashes and all(e.actor1 is not None and e.actor1.type == "state_forces" for e in clashes)
