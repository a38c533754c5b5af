"""Actor and recipient from the clause around the trigger, on sentences of our own."""
import pytest

from whimbrel import Article


def coded(pipeline, text, published=None):
    from datetime import date

    when = date.fromisoformat(published) if published else None
    return pipeline.code(Article(text, published=when))


def find(events, trigger):
    return next(e for e in events if e.trigger.text == trigger)


def who(actors):
    return [(a.country, a.sector) for a in actors]


def test_subject_and_object(pipeline):
    event = find(coded(pipeline, "Turkish jets bombed Kurdish militants in northern Iraq."), "bombed")
    assert who(event.source) == [("TUR", "MIL")]
    assert event.target and event.target[0].sector == "REB"


def test_passive_voice_by_agent(pipeline):
    event = find(coded(pipeline, "Ten journalists were detained by Egyptian police in Cairo."), "detained")
    assert who(event.source) == [("EGY", "COP")]
    assert event.target[0].sector == "JRN"


def test_noun_trigger_with_possessor_and_target(pipeline):
    event = find(coded(pipeline, "Israel's air strikes on Hamas positions continued overnight."), "air strikes")
    assert ("ISR", "GOV") in who(event.source) or ("ISR", "MIL") in who(event.source)


def test_compound_actors(pipeline):
    event = find(coded(pipeline, "Hungarian and Romanian officials met in Budapest on Friday.",
                       "2015-06-06"), "met")
    assert {c for c, _ in who(event.source)} == {"HUN", "ROU"}


def test_meeting_lists_all_parties(pipeline):
    event = find(coded(pipeline, "The Indian prime minister met Chinese President Xi Jinping in Delhi."), "met")
    countries = {a.country for a in event.source + event.target}
    assert {"IND", "CHN"} <= countries


def test_later_mention_of_a_person_keeps_the_office(pipeline):
    text = ("Kenyan Foreign Minister Amina Mohamed flew to Addis Ababa on Monday. "
            "Mohamed condemned the attack on the border post.")
    event = find(coded(pipeline, text), "condemned")
    assert who(event.source) == [("KEN", "GOV")]


def test_first_person_in_a_quote_is_the_speaker(pipeline):
    text = ("Colombian President Juan Manuel Santos spoke in Bogota on Tuesday: the talks would go on.\n\n"
            "\u201cWe will strike the rebels again if they attack our soldiers.\u201d")
    events = coded(pipeline, text)
    threat = next(e for e in events if e.event_type == "THREATEN")
    assert ("COL", "GOV") in who(threat.source)


def test_unknown_actor_keeps_its_text(pipeline):
    event = find(coded(pipeline, "Unidentified gunmen kidnapped two engineers."), "kidnapped")
    assert event.source and event.source[0].text.lower().endswith("gunmen")
    assert event.source[0].sector == "UAF"


def test_bare_rebels_take_the_country_of_the_event(pipeline):
    event = find(coded(pipeline, "Rebels attacked an army base near Goma."), "attacked")
    assert who(event.source) == [("COD", "REB")]


def test_stated_demand_goes_from_speaker_to_the_one_who_must_act(pipeline):
    events = coded(pipeline, "The Japanese foreign minister said Pyongyang must release the abducted citizens.")
    demand = next(e for e in events if e.event_type == "REQUEST")
    assert [a.country for a in demand.source] == ["JPN"]
    assert [a.country for a in demand.target] == ["PRK"]


def test_demand_that_names_its_recipient_in_the_clause(pipeline):
    event = find(coded(pipeline, "Ankara demanded that Stockholm extradite the suspects."), "demanded")
    assert [a.country for a in event.target] == ["SWE"]


def test_recipient_hangs_off_the_imposed_thing(pipeline):
    event = find(coded(pipeline, "Ottawa imposed fresh sanctions on Venezuelan officials on Monday."), "imposed")
    assert "VEN" in [a.country for a in event.target]


def test_event_noun_as_subject_takes_the_verbs_object(pipeline):
    events = coded(pipeline, "A roadside bomb attack killed three Nigerian soldiers near Maiduguri.")
    assault = next(e for e in events if e.event_type == "ASSAULT")
    assert "NGA" in [a.country for a in assault.target]


def test_launched_noun_takes_the_verbs_against_phrase(pipeline):
    event = find(coded(pipeline, "Opposition supporters staged rallies in Phnom Penh against the Cambodian government."),
                 "rallies")
    assert [a.country for a in event.target] == ["KHM"]
    assert event.source  # "staged": spaCy lemmatises it "stag"


def test_possessive_pronoun_gives_way_to_the_launcher(pipeline):
    event = find(coded(pipeline, "Kenyan doctors continued their strike over unpaid wages."), "strike")
    assert [a.country for a in event.source] == ["KEN"]


def test_threat_recipient_is_the_threatened_acts_recipient(pipeline):
    event = find(coded(pipeline, "Moscow threatened to expel Dutch diplomats over the spying case."), "threatened")
    assert "NLD" in [a.country for a in event.target]


def test_country_from_a_prepositional_phrase_of_the_actor(pipeline):
    events = coded(pipeline, "A camp for Sudanese refugees was shelled by unidentified gunmen.")
    assault = next(e for e in events if e.event_type == "ASSAULT")
    assert "SDN" in [a.country for a in assault.target]


def test_police_act_on_people_of_their_own_country(pipeline):
    events = coded(pipeline, "Kenyan police fired tear gas at stone-throwing protesters.")
    assault = next(e for e in events if e.event_type == "ASSAULT")
    assert [a.country for a in assault.target] == ["KEN"]


def test_a_vow_to_attack_is_a_threat(pipeline):
    events = coded(pipeline, "Rebel commanders vowed to attack the garrison again.")
    assert any(e.event_type == "THREATEN" and e.trigger.text == "vowed" for e in events)
    attack = next(e for e in events if e.event_type == "ASSAULT")
    assert attack.modality == "hypothetical"


def test_apposition_gives_the_country(pipeline):
    events = coded(pipeline, "Ayo Obe, Nigeria's best-known rights lawyer, began a hunger strike on Monday.")
    strike = next(e for e in events if e.event_type == "PROTEST")
    assert [a.country for a in strike.source] == ["NGA"]


def test_unidentified_attacker_takes_the_country_it_acts_in(pipeline):
    events = coded(pipeline, "A roadside bomb near Kandahar killed four Canadian soldiers on Sunday.")
    assault = next(e for e in events if e.event_type == "ASSAULT")
    assert "AFG" in [a.country for a in assault.source]
    assert "CAN" in [a.country for a in assault.target]


def test_doers_of_the_act_aimed_at_are_the_recipient(pipeline):
    event = find(coded(pipeline, "Riot police prevented a march organised by Georgian opposition parties."),
                 "prevented")
    assert "GEO" in [a.country for a in event.target]


def test_stated_threat_about_a_noun_act_has_the_speaker_as_actor(pipeline):
    events = coded(pipeline, "The Ivorian government announced that it is ready to impose a curfew on Abidjan.")
    threat = next(e for e in events if e.event_type == "THREATEN")
    assert [a.country for a in threat.source] == ["CIV"]


def test_the_group_is_the_organised_actor_named_before(pipeline):
    events = coded(pipeline, "M23 rebels seized the town of Rutshuru on Tuesday. The group then attacked an army base.")
    attack = find(events, "attacked")
    assert who(attack.source) == [("COD", "REB")]


def test_pronoun_before_a_trailing_attribution_points_back_in_the_story(pipeline):
    events = coded(pipeline, "Al-Shabaab fighters stormed a hotel in Mogadishu on Sunday. "
                             "They killed at least nine guests, police said.")
    killed = find(events, "killed")
    assert who(killed.source) == [("SOM", "REB")]


def test_passive_subject_that_is_a_thing_is_no_recipient(pipeline):
    event = find(coded(pipeline, "The border treaty was signed by Peru and Ecuador."), "signed")
    assert {a.country for a in event.source} == {"PER", "ECU"}
    assert not any("treaty" in a.text for a in event.target)


def test_pronoun_of_a_quoted_speaker(pipeline):
    events = coded(pipeline, "Oman's sultan was quoted as saying he was prepared to host a round of negotiations "
                             "between Riyadh and Doha.")
    host = next(e for e in events if e.event_type in ("AGREE", "CONSULT"))
    assert "OMN" in [a.country for a in host.source]


def test_parties_who_travel_for_talks(pipeline):
    events = coded(pipeline, "Serbian and Kosovar negotiators returned to Brussels this week for talks on the border.")
    talks = find(events, "talks")
    assert {"SRB"} <= {a.country for a in talks.source}


def test_parties_fighting_each_other_are_each_others_recipients(pipeline):
    event = find(coded(pipeline, "Ethiopia's army and the Tigrayan forces fought near Mekelle on Monday."), "fought")
    assert sorted(who(event.source)) == sorted(who(event.target))  # not the place fought in
    assert event.target[0].text != event.source[0].text


def test_a_vague_group_takes_no_country_from_elsewhere(pipeline):
    event = find(coded(pipeline, "The African Union envoy urged both sides to respect the truce, "
                                 "and Kenya offered to host talks."), "urged")
    assert who(event.target) == [(None, None)]


def test_who_reports_a_killing_did_not_do_it(pipeline):
    event = find(coded(pipeline, "Twelve villagers have been killed in Ituri, the local rights committee said."), "killed")
    assert all(a.sector != "LEG" and "committee" not in a.text for a in event.source)


def test_what_belongs_to_an_actor_stands_for_it_as_recipient(pipeline):
    event = find(coded(pipeline, "Government jets bombed rebel positions near the northern town overnight."), "bombed")
    assert [a.sector for a in event.target] == ["REB"]
    event = find(coded(pipeline, "Insurgents shelled army bases outside the city."), "shelled")
    assert [a.sector for a in event.target] == ["MIL"]
