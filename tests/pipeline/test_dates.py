from datetime import date

import pytest

from whimbrel.pipeline.dates import date_for_event, precision_of, resolve_date, story_date

SATURDAY = date(2013, 1, 12)


@pytest.mark.parametrize("text, value, precision", [
    ("on Thursday", "2013-01-10", "day"),
    ("Thursday", "2013-01-10", "day"),
    ("Saturday", "2013-01-12", "day"),
    ("yesterday", "2013-01-11", "day"),
    ("Sept. 2012", "2012-09", "month"),
    ("in 2011", "2011", "year"),
    ("last year", "2012", "year"),
    ("Jan. 3", "2013-01-03", "day"),
    ("two days ago", "2013-01-10", "day"),
])
def test_relative_dates_resolve_against_publication(text, value, precision):
    found = resolve_date(text, SATURDAY)
    assert (found.value, found.precision) == (value, precision)


@pytest.mark.parametrize("text", ["three years", "decades", "the fall of this year", "the past few months"])
def test_durations_are_not_dates(text):
    assert resolve_date(text, SATURDAY) is None


def test_future_events_prefer_future_dates():
    assert resolve_date("Monday", SATURDAY, future=True).value == "2013-01-14"


def test_precision_words():
    assert precision_of("March 7") == "day"
    assert precision_of("March") == "month"
    assert precision_of("2009") == "year"


def test_event_date_from_its_clause_else_fallback(nlp):
    doc = nlp("Rebels took the town on Thursday, a year after the coup in March 2012.")
    took = next(t for t in doc if t.lemma_ == "take")
    coup = next(t for t in doc if t.lower_ == "coup")
    sentence = next(doc.sents)
    assert date_for_event(took, sentence, SATURDAY).value == "2013-01-10"
    assert date_for_event(coup, sentence, SATURDAY).value == "2012-03"
    doc = nlp("France has struck rebel positions.")
    struck = next(t for t in doc if t.lower_ == "struck")
    sentence = next(doc.sents)
    fallback = date_for_event(struck, sentence, SATURDAY)
    assert fallback.fallback and fallback.value == "2013-01-12" and fallback.text is None
    assert date_for_event(struck, sentence, None) is None


@pytest.mark.parametrize("text", ["for the 5th day", "the second day", "about 7 weeks", "within 48 hours",
                                  "its 4th month"])
def test_counts_of_days_are_not_dates(text):
    assert resolve_date(text, SATURDAY) is None


def test_numeric_dates_are_day_first_when_month_first_is_after_publication():
    assert resolve_date("08/03/2016", date(2016, 3, 12)).value == "2016-03-08"
    assert resolve_date("03/08/2016", date(2016, 3, 12)).value == "2016-03-08"


def story(nlp, text, published):
    from whimbrel.pipeline.ingest import body_blocks
    from whimbrel.pipeline.text import parse_articles
    from whimbrel.records import Article

    article = Article(text=text, published=published)
    return next(parse_articles(nlp, [(article, body_blocks(text))]))


def test_story_date_comes_from_the_lead(nlp):
    # The lead has no date; the day count belongs to a later headline.
    parsed = story(nlp, "Shelling hits the old town; Forty people were killed yesterday", SATURDAY)
    found = story_date(parsed, SATURDAY)
    assert found.fallback and found.value == "2013-01-12"
    parsed = story(nlp, "Shelling hit the old town on Thursday; more dead counted", SATURDAY)
    assert story_date(parsed, SATURDAY).value == "2013-01-10"
    parsed = story(nlp, "Bombing goes on for the 5th day in the old town", SATURDAY)
    assert story_date(parsed, SATURDAY).value == "2013-01-12"


def test_story_date_reads_a_numeric_date_the_model_leaves_out(nlp):
    parsed = story(nlp, "Weekly field digest 09/01/2013; Militia fighters hold the ridge road", SATURDAY)
    found = story_date(parsed, SATURDAY)
    assert (found.value, found.precision, found.fallback) == ("2013-01-09", "day", False)


def test_the_start_of_a_running_count_is_not_the_storys_date(nlp):
    parsed = story(nlp, "Shelling of the port kills four and raises the toll to 230 since the "
                        "start of the siege in early December", SATURDAY)
    found = story_date(parsed, SATURDAY)
    assert found.fallback and found.value == "2013-01-12"
