"""The dashboard in headless chromium against `whimbrel serve` on 127.0.0.1.

Loads the page, finds the markers, applies a filter, follows an event to its article,
checks the phone layout and that nothing was fetched from anywhere but whimbrel, and saves
screenshots (to WHIMBREL_SCREENSHOT_DIR when set, for docs/dashboard.png).
"""
import os
from pathlib import Path

import httpx
import pytest

from whimbrel.storage import open_store
from whimbrel.storage.synthetic import synthetic_articles
from whimbrel.storage.testing import story_article, story_events

pytestmark = pytest.mark.browser

LOAD_BUDGET_MS = 2000


@pytest.fixture
def db(tmp_path):
    path = str(tmp_path / "dashboard.duckdb")
    with open_store(path) as store:
        store.save(story_article(), story_events(), "1.0")
        for article, events in synthetic_articles(120, seed=21, days=45):
            store.save(article, events, "1.0")
    return path


def _screenshots(tmp_path: Path) -> Path:
    return Path(os.environ.get("WHIMBREL_SCREENSHOT_DIR") or tmp_path / "screenshots")


def test_dashboard_shows_markers_filters_and_links(browser, serve, db, tmp_path):
    url = serve(db)
    browser.get(url + "/")
    browser.wait_js("document.body.dataset.ready === 'true'", what="the dashboard to load")

    ready_ms = int(browser.js("return document.body.dataset.readyMs;"))
    assert ready_ms < LOAD_BUDGET_MS, f"first full view took {ready_ms} ms"

    # Markers: every located asserted event is on the map, drawn as clusters or circles.
    expected = len(httpx.get(f"{url}/api/v1/events.geojson", params={"limit": 2000}).json()["features"])
    assert int(browser.js("return document.getElementById('map').dataset.markers;")) == expected
    assert browser.find_all(".leaflet-marker-icon.cluster, path.event-marker")
    assert browser.find_all("path.leaflet-interactive, .leaflet-overlay-pane path"), "country outlines drawn"
    assert browser.find_all("#timeline svg rect")
    assert len(browser.find_all("#events tbody tr")) == 50
    assert browser.find_all("#events mark.hl-trigger") and browser.find_all("#events mark.hl-actor")
    browser.screenshot(_screenshots(tmp_path) / "dashboard.png")

    # A filter: choose ASSAULT; the URL, the table, the map and the total follow.
    [option] = browser.find_all("#f-type option[value='ASSAULT']")
    browser.click(option)
    browser.wait_js("document.body.dataset.shown === 'event_type=ASSAULT'", what="the ASSAULT filter to apply")
    assert "event_type=ASSAULT" in browser.js("return location.search;")
    badges = browser.js("return [...document.querySelectorAll('#events tbody .badge')].map(b => b.textContent);")
    assert badges and set(badges) == {"ASSAULT"}
    assaults = httpx.get(f"{url}/api/v1/events.geojson", params={"event_type": "ASSAULT"}).json()["features"]
    assert int(browser.js("return document.getElementById('map').dataset.markers;")) == len(assaults) < expected
    browser.screenshot(_screenshots(tmp_path) / "dashboard-assault.png")

    # The event page, then its article.
    [first_link, *_] = browser.find_all("#events tbody a.more")
    browser.click(first_link)
    browser.wait_js("location.pathname.startsWith('/events/') && document.body.dataset.ready === 'true'",
                    what="the event page")
    assert browser.find_all("#evidence mark.hl-trigger")
    [article_link] = browser.find_all("#article-link")
    browser.click(article_link)
    browser.wait_js("location.pathname.startsWith('/articles/') && document.body.dataset.ready === 'true'",
                    what="the article page")
    assert browser.find_all("#text a.hl-trigger")

    # Offline: every resource came from whimbrel itself.
    browser.get(url + "/")
    browser.wait_js("document.body.dataset.ready === 'true'")
    sources = browser.js("return performance.getEntriesByType('resource').map(e => e.name);")
    assert sources and all(source.startswith(url) for source in sources), sources


def test_dashboard_fits_a_phone(browser, serve, db, tmp_path):
    url = serve(db)
    browser.set_window(390, 844)
    browser.get(url + "/")
    browser.wait_js("document.body.dataset.ready === 'true'", what="the dashboard to load")
    overflow = browser.js("return document.documentElement.scrollWidth - window.innerWidth;")
    assert overflow <= 1, f"the page is {overflow}px wider than the phone"
    assert browser.find_all(".leaflet-marker-icon.cluster, path.event-marker")
    browser.screenshot(_screenshots(tmp_path) / "dashboard-phone.png")


@pytest.fixture
def clustered_db(tmp_path):
    """One shelling reported by two outlets (and a wire copy of one), and a lone protest."""
    from datetime import date

    from whimbrel.records import Actor, Article, Event, EventDate, Place, Span
    from whimbrel.storage.intake import Intake

    def report(article_id, text, lat, event_type="ASSAULT"):
        place = Place("Goma", 0, 4, 215605, "Goma", lat, 29.22, "COD", None, "PPLA", 0.9)
        event = Event(article_id, event_type, Span(text[:5], 0, 5), Span(text, 0, len(text)),
                      source=[Actor("the army", None, "COD", "MIL")], target=[Actor("rebels", None, "COD", "REB")],
                      location=place, date=EventDate("2024-03-04", "day", "on Monday"), confidence=0.8)
        return Article(text, id=article_id, published=date(2024, 3, 5), url=f"https://{article_id}.example/story"), [event]

    path = str(tmp_path / "clusters.duckdb")
    with open_store(path) as store:
        intake = Intake(store, "1.0")
        for article, events in (report("r1", "Shelled: the army shelled rebel positions near Goma on Monday.", -1.68),
                                report("r2", "Shell fire hit hills outside Goma as troops pushed north.", -1.60),
                                report("r3", "March: teachers marched in the city centre.", -1.68, "PROTEST")):
            intake.screen(article)
            intake.save(article, events)
    return path


def test_clusters_page_lists_a_happening_with_its_sources(browser, serve, clustered_db, tmp_path):
    url = serve(clustered_db)
    browser.get(url + "/")
    browser.wait_js("document.body.dataset.ready === 'true'", what="the dashboard to load")
    [link] = browser.find_all("#clusters-link")
    browser.click(link)
    browser.wait_js("location.pathname === '/clusters' && document.body.dataset.ready === 'true'",
                    what="the clusters page")
    # Reported by at least 2 articles (the default): only the shelling.
    items = browser.js("return [...document.querySelectorAll('#cluster-list li.cluster')].map(li => li.textContent);")
    assert len(items) == 1 and "ASSAULT" in items[0] and "2 articles" in items[0] and "2 sources" in items[0]
    assert len(browser.find_all("#cluster-list li.cluster a[href^='/events/']")) == 2
    browser.screenshot(_screenshots(tmp_path) / "clusters.png")
    # All clusters, the lone protest too.
    [one] = browser.find_all("select[name=min_articles] option[value='1']")
    browser.click(one)
    [apply] = browser.find_all("#filters button[type=submit]")
    browser.click(apply)
    browser.wait_js("document.querySelectorAll('#cluster-list li.cluster').length === 2", what="both clusters")
