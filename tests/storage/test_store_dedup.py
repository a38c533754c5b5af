"""Articles stored once with all their sources, and event clusters, on DuckDB and PostgreSQL."""
from datetime import date

from whimbrel.records import Actor, Article, Event, EventDate, Place, Span
from whimbrel.storage.base import INSERTED, UNCHANGED
from whimbrel.storage.clusters import ClusterBook
from whimbrel.storage.filters import EventFilter
from whimbrel.storage.intake import DUPLICATE, Intake
from whimbrel.storage.testing import STORY, story_article, story_events

VERSION = "0.1.0+test"
ALL = EventFilter(modalities=())


def test_an_article_seen_under_many_addresses_is_stored_once_with_all_of_them(store):
    intake = Intake(store, VERSION)
    original = story_article("s1")
    assert intake.screen(original) is None
    assert intake.save(original, story_events("s1")).status == INSERTED

    same_page = Article(STORY, id="s2", url="https://www.example.org/northland?utm_source=rss")
    same_text = Article(STORY.replace(". ", ".  "), id="s3", url="https://mirror.example.net/n1")
    wire_copy = Article("NORTHPORT (Wire) - " + STORY + " Reporting by the wire desk.", id="s4",
                        url="https://daily.example.com/world/northland-troops")
    outcomes = [intake.screen(article) for article in (same_page, same_text, wire_copy)]
    assert [(o.status, o.article_id, o.relation) for o in outcomes] == [
        (DUPLICATE, "s1", "url"), (DUPLICATE, "s1", "exact"), (DUPLICATE, "s1", "near")]
    assert store.counts()["articles"] == 1

    sources = intake.sources.sources("s1")
    assert {s["relation"] for s in sources} == {"self", "exact", "near"}  # the URL variant is the same address
    assert {s["host"] for s in sources} == {"example.org", "mirror.example.net", "daily.example.com"}
    # Seeing a copy again adds nothing.
    intake.screen(wire_copy)
    assert len(intake.sources.sources("s1")) == 3


def test_the_same_article_again_is_unchanged_not_a_duplicate(store):
    intake = Intake(store, VERSION)
    article = story_article("s1")
    intake.screen(article)
    intake.save(article, story_events("s1"))
    again = Intake(store, VERSION).screen(story_article("s1"))  # a new process: state from the store
    assert again.status == UNCHANGED and again.article_id == "s1"


def test_copies_within_one_batch_are_caught_before_coding(store):
    intake = Intake(store, VERSION)
    first = Article(STORY, id="b1", url="https://one.example/a")
    second = Article(STORY + " More to follow.", id="b2", url="https://two.example/b")
    assert intake.screen(first) is None
    assert intake.screen(second).status == DUPLICATE  # before the first is even stored
    intake.save(first, [])
    assert {s["host"] for s in intake.sources.sources("b1")} == {"one.example", "two.example"}


def _report(article_id: str, text: str, lat: float, day: str, actor: Actor, event_type: str = "ASSAULT") -> tuple:
    trigger = text.index("shelled") if "shelled" in text else 0
    place = Place("Goma", 0, 4, 215605, "Goma", lat, 29.22, "COD", None, "PPLA", 0.9)
    event = Event(article_id, event_type, Span(text[trigger:trigger + 7], trigger, trigger + 7),
                  Span(text, 0, len(text)), source=[actor], target=[Actor("rebels", None, "COD", "REB")],
                  location=place, date=EventDate(day, "day", "on Monday"), confidence=0.8)
    return Article(text, id=article_id, published=date(2024, 3, 5), url=f"https://{article_id}.example/story"), [event]


def test_reports_of_one_happening_form_one_cluster_with_its_source_count(store):
    intake = Intake(store, VERSION)
    army = Actor("the army", None, "COD", "MIL")
    reports = [
        _report("r1", "The army shelled rebel positions near Goma on Monday.", -1.68, "2024-03-04", army),
        _report("r2", "Troops shelled hills outside Goma, residents said.", -1.60, "2024-03-05", army),
        _report("r3", "Soldiers shelled M23 fighters close to the city of Goma.", -1.70, "2024-03-04", army),
        # Same day and actors but 300 km away: another happening.
        _report("r4", "The army shelled rebel camps far to the north.", 1.00, "2024-03-04", army),
    ]
    for article, events in reports:
        assert intake.screen(article) is None
        intake.save(article, events)
    listing = intake.clusters.clusters(ALL)["clusters"]
    assert [(c["articles"], c["sources"], c["events"]) for c in listing] == [(3, 3, 3), (1, 1, 1)]
    biggest = listing[0]
    assert biggest["article_ids"] == ["r1", "r2", "r3"]
    assert biggest["cluster_id"] == min(biggest["event_ids"])
    # A wire copy of one report adds a source (another outlet), not an article.
    copy = Article(reports[0][0].text + " (Wire)", id="r1-copy", url="https://another.example/goma")
    assert intake.screen(copy).status == DUPLICATE
    assert intake.clusters.cluster(biggest["cluster_id"])["sources"] == 4
    # Filters apply to the clusters' events.
    assert intake.clusters.clusters(EventFilter(modalities=(), event_types=("PROTEST",)))["clusters"] == []
    assert intake.clusters.clusters(ALL, min_articles=2)["count"] == 1


def test_clusters_are_the_same_whatever_order_articles_arrive_in(backend, tmp_path):
    from whimbrel.storage.testing import fresh_store

    army = Actor("the army", None, "COD", "MIL")
    reports = [_report(f"r{i}", f"The army shelled positions near Goma, report {i}.", -1.68 + 0.2 * i,
                       "2024-03-04", army) for i in range(4)]  # a chain: each ~22 km from the next
    results = []
    for order in (reports, list(reversed(reports))):
        store = fresh_store(backend, tmp_path / str(len(results)))
        intake = Intake(store, VERSION)
        for article, events in order:
            intake.screen(article)
            intake.save(article, events)
        with store.reading() as session:
            results.append(sorted(session.query("SELECT event_id, cluster_id FROM event_clusters")))
        store.close()
    assert results[0] == results[1]
    assert len({cluster for _, cluster in results[0]}) == 1


def test_recoding_an_article_reclusters_what_its_old_events_linked(store):
    intake = Intake(store, VERSION)
    army = Actor("the army", None, "COD", "MIL")
    a, a_events = _report("a", "The army shelled positions near Goma on Monday.", -1.68, "2024-03-04", army)
    b, b_events = _report("b", "Troops shelled hills near Goma, residents said.", -1.40, "2024-03-04", army)
    c, c_events = _report("c", "Soldiers shelled a ridge north of Goma on Monday.", -1.12, "2024-03-04", army)
    for article, events in ((a, a_events), (b, b_events), (c, c_events)):
        intake.screen(article)
        intake.save(article, events)
    assert intake.clusters.clusters(ALL)["clusters"][0]["articles"] == 3  # a-b-c chained through b
    # b re-coded by a newer pipeline finds a protest instead: a and c (62 km apart) fall apart.
    newer = Intake(store, "0.2.0")
    _, protest = _report("b", b.text, -1.40, "2024-03-04", army, event_type="PROTEST")
    assert newer.screen(b) is None
    newer.save(b, protest)
    sizes = sorted(c["articles"] for c in newer.clusters.clusters(ALL)["clusters"])
    assert sizes == [1, 1, 1]


def test_catch_up_clusters_articles_stored_without_the_intake(store):
    for i in range(2):
        article, events = _report(f"p{i}", f"The army shelled Goma again, report {i}.", -1.68, "2024-03-04",
                                  Actor("army", None, "COD", "MIL"))
        store.save(article, events, VERSION)  # the plain store: no clusters yet
    book = ClusterBook(store)
    assert book.clusters(ALL)["clusters"] == []
    assert book.catch_up() == 2
    assert [c["articles"] for c in book.clusters(ALL)["clusters"]] == [2]
    assert book.catch_up() == 0
