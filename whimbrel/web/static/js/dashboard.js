// The dashboard: filters -> (map, timeline, table), all read from the same API.
// Filters live in the page's query string, so a filtered view can be bookmarked or shared.
"use strict";

const MAP_LIMIT = 2000;
const PAGE_SIZE = 50;
const FILTER_NAMES = ["event_type", "modality", "country", "actor", "since", "until", "q"];

const state = {map: null, cluster: null, nextCursor: null, request: 0};

function currentFilters() {
  const form = document.getElementById("filters");
  const params = {};
  for (const name of FILTER_NAMES) {
    const value = form.elements[name].value.trim();
    if (!value || (name === "modality" && value === "asserted")) continue;
    if (name === "country" && value.length !== 3) continue;  // still being typed
    params[name] = value;
  }
  return params;
}

function showError(error) {
  const box = document.getElementById("filter-error");
  box.textContent = error ? error.message : "";
  box.hidden = !error;
}

function fillFormFromUrl() {
  const form = document.getElementById("filters");
  const params = new URLSearchParams(location.search);
  for (const name of FILTER_NAMES) {
    if (params.has(name)) form.elements[name].value = params.get(name);
  }
}

async function setUp() {
  const vocabulary = await whimbrel.loadVocabulary();
  const select = document.getElementById("f-type");
  for (const type of vocabulary.event_types) {
    select.append(whimbrel.el("option", {value: type.name, text: `${type.name} (${type.quad_name})`}));
  }
  const legend = document.getElementById("legend");
  for (const [quad, name] of Object.entries(vocabulary.quads)) {
    const swatch = whimbrel.el("span", {class: "swatch round"});
    swatch.style.background = QUAD_COLOURS[quad];
    legend.append(whimbrel.el("li", {}, swatch, name));
  }
  fillFormFromUrl();
  state.map = await whimbrel.baseMap("map", {center: [20, 10], zoom: 2});
  state.cluster = L.markerClusterGroup({
    maxClusterRadius: 40, showCoverageOnHover: false, chunkedLoading: true,
    iconCreateFunction: clusterIcon,
  });
  state.map.addLayer(state.cluster);

  const form = document.getElementById("filters");
  let timer = null;
  const changed = () => { clearTimeout(timer); timer = setTimeout(refresh, 250); };
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", (event) => { event.preventDefault(); refresh(); });
  form.addEventListener("reset", () => setTimeout(refresh, 0));
  document.getElementById("more").addEventListener("click", () => loadEvents(currentFilters(), true));
  window.addEventListener("popstate", () => { fillFormFromUrl(); refresh(false); });
  await refresh(false);
  // For the browser test and curious users: how long the first full view took.
  document.body.dataset.readyMs = String(Math.round(performance.now()));
  document.body.dataset.ready = "true";
}

// A cluster icon coloured by the quad class most of its events belong to.
function clusterIcon(cluster) {
  const counts = {};
  for (const marker of cluster.getAllChildMarkers()) counts[marker.options.quad] = (counts[marker.options.quad] || 0) + 1;
  const top = Object.entries(counts).sort((a, b) => b[1] - a[1])[0][0];
  const n = cluster.getChildCount();
  const size = n < 10 ? 30 : n < 100 ? 36 : 44;
  return L.divIcon({
    html: `<div style="background:${QUAD_COLOURS[top]}"><span>${n}</span></div>`,
    className: "cluster", iconSize: L.point(size, size),
  });
}

async function refresh(push = true) {
  const params = currentFilters();
  const query = new URLSearchParams(params).toString();
  if (push) history.replaceState(null, "", query ? "?" + query : location.pathname);
  const request = ++state.request;
  try {
    const [geo, stats] = await Promise.all([
      whimbrel.api("/api/v1/events.geojson", Object.assign({limit: MAP_LIMIT}, params)),
      whimbrel.api("/api/v1/stats", Object.assign({interval: "day"}, params)),
      loadEvents(params, false),
    ]);
    if (request !== state.request) return;  // a newer refresh has started
    showError(null);
    drawMarkers(geo);
    const timeline = await timelineStats(stats, params);
    if (request !== state.request) return;
    document.getElementById("timeline-title").textContent = `Events per ${timeline.interval}, by type`;
    drawTimeline(document.getElementById("timeline"), document.getElementById("timeline-legend"), timeline, pickPeriod);
    drawCountries(stats.by_country);
    document.getElementById("total").textContent = `${stats.total.toLocaleString()} events`;
    const countries = document.getElementById("countries");
    countries.replaceChildren(...Object.keys(stats.by_country).map((c) => whimbrel.el("option", {value: c})));
    document.body.dataset.shown = query;  // what the page now shows (the browser test waits on it)
  } catch (error) {
    showError(error);
  }
}

// Daily bars over years of news are slivers: past ~4 months the timeline counts per week,
// past ~3 years per month (a narrower date filter brings the days back).
async function timelineStats(stats, params) {
  const periods = stats.by_period;
  if (periods.length < 2) return stats;
  const days = (new Date(periods[periods.length - 1].period) - new Date(periods[0].period)) / 86400000;
  const interval = days > 1100 ? "month" : days > 120 ? "week" : "day";
  if (interval === "day") return stats;
  return whimbrel.api("/api/v1/stats", Object.assign({}, params, {interval}));
}

function pickPeriod(start, interval) {
  const form = document.getElementById("filters");
  const end = new Date(start + "T00:00:00Z");
  if (interval === "week") end.setUTCDate(end.getUTCDate() + 6);
  if (interval === "month") { end.setUTCMonth(end.getUTCMonth() + 1); end.setUTCDate(0); }
  form.elements.since.value = start;
  form.elements.until.value = end.toISOString().slice(0, 10);
  refresh();
}

function drawCountries(byCountry) {
  const list = document.getElementById("top-countries");
  const entries = Object.entries(byCountry).slice(0, 12);
  const max = entries.length ? entries[0][1] : 1;
  list.replaceChildren(...entries.map(([country, count]) => {
    const bar = whimbrel.el("span", {class: "bar"});
    bar.style.width = `${Math.max(4, 100 * count / max)}%`;
    const item = whimbrel.el("li", {title: `filter on ${country}`},
      whimbrel.el("span", {class: "code", text: country}), bar, whimbrel.el("span", {class: "count", text: String(count)}));
    item.addEventListener("click", () => {
      document.getElementById("filters").elements.country.value = country;
      refresh();
    });
    return item;
  }));
}

function drawMarkers(collection) {
  state.cluster.clearLayers();
  const markers = collection.features.map((feature) => {
    const p = feature.properties;
    const [lon, lat] = feature.geometry.coordinates;
    const marker = L.circleMarker([lat, lon], {
      radius: 7, weight: 1, color: "#fff", fillColor: QUAD_COLOURS[p.quad] || "#666", fillOpacity: 0.9,
      quad: p.quad, className: "event-marker",
    });
    marker.bindPopup(() => popup(p));
    return marker;
  });
  state.cluster.addLayers(markers);
  document.getElementById("map").dataset.markers = String(markers.length);
}

function popup(p) {
  const box = whimbrel.el("div", {class: "popup"});
  box.append(whimbrel.typeBadge(p.event_type), " ", whimbrel.el("span", {text: [p.mode, p.modality].filter(Boolean).join(", ")}));
  box.append(whimbrel.el("p", {text: `${p.source || "?"} → ${p.target || "—"}`}));
  box.append(whimbrel.el("p", {class: "muted", text: `${p.place || ""} · ${p.date || "undated"}`}));
  box.append(whimbrel.el("p", {class: "evidence", text: p.evidence || ""}));
  box.append(whimbrel.el("a", {href: `/events/${encodeURIComponent(p.event_id)}`, text: "Event page →"}));
  return box;
}

async function loadEvents(params, more) {
  const query = Object.assign({limit: PAGE_SIZE}, params);
  if (more && state.nextCursor) query.cursor = state.nextCursor;
  const page = await whimbrel.api("/api/v1/events", query);
  const body = document.querySelector("#events tbody");
  if (!more) body.replaceChildren();
  for (const event of page.events) body.append(eventRow(event));
  state.nextCursor = page.next_cursor;
  document.getElementById("more").hidden = !page.next_cursor;
  document.getElementById("shown").textContent = `(${body.children.length} shown)`;
  if (!body.children.length) {
    body.append(whimbrel.el("tr", {}, whimbrel.el("td", {colspan: "5", class: "empty", text: "No events match these filters."})));
  }
  return page;
}

function eventRow(event) {
  const link = `/events/${encodeURIComponent(event.event_id)}`;
  const when = event.date ? event.date.value + (event.date.fallback ? "*" : "") : "—";
  const where = event.location ? (event.location.name || event.location.text) : "—";
  const who = whimbrel.actorLabel(event.source) || "?";
  const whom = whimbrel.actorLabel(event.target);
  const type = whimbrel.el("td", {}, whimbrel.typeBadge(event.event_type));
  if (event.modality !== "asserted") type.append(" ", whimbrel.el("em", {class: "modality", text: event.modality}));
  const row = whimbrel.el("tr", {"data-event": event.event_id},
    whimbrel.el("td", {class: "nowrap", text: when}),
    type,
    whimbrel.el("td", {text: whom ? `${who} → ${whom}` : who}),
    whimbrel.el("td", {text: where}),
    whimbrel.el("td", {class: "evidence"}, whimbrel.highlightEvidence(event), " ",
                whimbrel.el("a", {href: link, class: "more", text: "details"})),
  );
  return row;
}

setUp().catch((error) => showError(error));
