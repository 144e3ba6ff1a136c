"""Dates: expressions resolved against the publication day, in isolation and inside sentences."""
from __future__ import annotations

import datetime as dt

import pytest

from eventwire.arguments import dates

WED = dt.date(2024, 5, 15)  # a Wednesday
assert WED.weekday() == 2


def resolve(expr, published=WED):
    return dates.resolve(expr, published)


@pytest.mark.parametrize("expr, day", [
    ("Wednesday", "2024-05-15"),                               # the article's own weekday: that day
    ("on Wednesday", "2024-05-15"),
    ("Tuesday", "2024-05-14"),                                 # the day before
    ("Thursday", "2024-05-09"),                                # last week's Thursday, never a future day
    ("overnight between Tuesday and Wednesday", "2024-05-14"),  # the night starts on the Tuesday
    ("Tuesday night", "2024-05-14"),
    ("October 8", "2023-10-08"),                               # a later month in the year: last year's
    ("October 7, 2023", "2023-10-07"),
    ("May 15", "2024-05-15"),
    ("May 3", "2024-05-03"),
    ("yesterday", "2024-05-14"),
    ("today", "2024-05-15"),
    ("this morning", "2024-05-15"),
    ("two days ago", "2024-05-13"),
    ("3 days ago", "2024-05-12"),
])
def test_day_expressions(expr, day):
    value = resolve(expr)
    assert value is not None, expr
    assert value.date == dt.date.fromisoformat(day)
    assert value.precision == "day"


@pytest.mark.parametrize("expr, day, precision", [
    ("last week", "2024-05-08", "week"),
    ("this week", "2024-05-15", "week"),
    ("March", "2024-03-01", "month"),
    ("November", "2023-11-01", "month"),      # after May: last year's November
    ("in November 2022", "2022-11-01", "month"),
    ("2023", "2023-01-01", "year"),
])
def test_coarser_expressions(expr, day, precision):
    value = resolve(expr)
    assert value is not None, expr
    assert (value.date, value.precision) == (dt.date.fromisoformat(day), precision)


@pytest.mark.parametrize("expr", [
    "every week", "each day", "since October", "for three days", "in recent years", "the past two months",
    "two years", "decades", "2030", "",
])
def test_periods_habits_and_futures_are_not_dates(expr):
    assert resolve(expr) is None


@pytest.mark.parametrize("published", [dt.date(2024, 5, 13) + dt.timedelta(days=k) for k in range(7)]
                         + [dt.date(2023, 1, 1), dt.date(2020, 2, 29)])
@pytest.mark.parametrize("name", dates.WEEKDAYS)
def test_weekday_is_the_latest_such_day_on_or_before_publication(name, published):
    value = resolve(name.capitalize(), published)
    assert value.date.weekday() == dates.WEEKDAYS.index(name)
    assert published - dt.timedelta(days=6) <= value.date <= published


def test_a_date_after_publication_moves_back_a_year():
    value = resolve("December 25", dt.date(2024, 1, 3))
    assert value.date == dt.date(2023, 12, 25)


def _values(nlp, sentence, published=WED):
    sent = next(nlp(sentence).sents)
    return {(span.text, value.date, value.precision) for span, value in dates.expressions(sent, published)}


def test_expressions_of_a_sentence(nlp):
    found = _values(nlp, "The army said on Wednesday that militants killed 12 villagers on Tuesday.")
    assert ("Wednesday", dt.date(2024, 5, 15), "day") in found
    assert ("Tuesday", dt.date(2024, 5, 14), "day") in found


def test_expressions_leave_out_periods(nlp):
    found = _values(nlp, "Hezbollah has attacked Israel every week since October 8.")
    assert found == set()


def test_expressions_in_a_may_article_resolve_october_to_last_year(nlp):
    found = _values(nlp, "Hezbollah began its attacks on Israel on October 8, joining the Hamas war.")
    assert {d for _, d, _ in found} == {dt.date(2023, 10, 8)}


# --- dates of extracted events ------------------------------------------------------------------------

def _only(events, ptype):
    found = [e for e in events if e.plover_type == ptype]
    assert len(found) == 1, [(e.plover_type, e.evidence[0].text) for e in events]
    return found[0]


def test_event_date_tuesday_in_a_wednesday_article(extract):
    e = _only(extract("Militants killed 12 villagers in the Mopti region of Mali on Tuesday, the army said."), "ASSAULT")
    assert (e.event_date, e.date_precision) == (dt.date(2024, 5, 14), "day")


def test_event_date_wednesday_in_a_wednesday_article(extract):
    e = _only(extract("Militants killed 12 villagers in the Mopti region of Mali on Wednesday, the army said."),
              "ASSAULT")
    assert e.event_date == dt.date(2024, 5, 15)


def test_event_date_overnight(extract):
    e = _only(extract("A Hezbollah commander was killed in an Israeli strike in southern Lebanon overnight "
                      "between Tuesday and Wednesday."), "ASSAULT")
    assert e.event_date == dt.date(2024, 5, 14)


def test_date_of_speaking_is_not_the_event_date(extract):
    e = _only(extract("The army said on Wednesday that militants killed 12 villagers in the Mopti region of Mali "
                      "on Monday."), "ASSAULT")
    assert e.event_date == dt.date(2024, 5, 13)


def test_event_without_a_date_falls_back_to_publication_week(extract):
    e = _only(extract("Militants killed 12 villagers in the Mopti region of Mali, the army said.",
                      date="2024-05-15"), "ASSAULT")
    assert (e.event_date, e.date_precision) == (dt.date(2024, 5, 15), "week")


def test_an_act_in_the_present_tense_is_dated_by_the_report(extract):
    events = extract("Soldiers shelled the village of Bamba in the Mopti region of Mali on Monday.\n"
                     "Residents accuse the army of killing two farmers.", date="2024-05-15")
    assert _only(events, "ASSAULT").event_date == dt.date(2024, 5, 13)
    # the accusation is made as the report is written, not on the Monday of the sentence before
    assert _only(events, "ACCUSE").event_date == dt.date(2024, 5, 15)


def test_recalled_event_is_background(background_pipeline, extract):
    [e] = extract("Hezbollah began its attacks on Israel on October 8, joining the Hamas war.")
    assert e.event_date == dt.date(2023, 10, 8)
    assert e.background is True


def test_recalled_event_is_dropped_without_background(pipeline, extract):
    assert pipeline.background is False
    assert extract("Hezbollah began its attacks on Israel on October 8, joining the Hamas war.") == []


@pytest.mark.parametrize("expr, day", [
    ("the night of 28 September 2015", dt.date(2015, 9, 28)),
    ("the early hours of 3 January 2020", dt.date(2020, 1, 3)),
    ("on the evening of 29 October 2023", dt.date(2023, 10, 29)),
])
def test_a_part_of_the_day_is_that_day(expr, day):
    assert resolve(expr) == dates.DateValue(day, "day")


def test_a_day_number_the_ner_cut_off_is_kept(nlp):
    # the small NER tags "the night" as TIME and "September 2015" as DATE, leaving "28" out
    sent = next(nlp("A crowd beat a man to death in a village on the night of 28 September 2015.").sents)
    assert dt.date(2015, 9, 28) in {v.date for _, v in dates.expressions(sent, dt.date(2015, 9, 29))}
