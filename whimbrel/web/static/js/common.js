// Shared by the dashboard, event and article pages: colours, API calls, evidence highlighting.
// Plain JS, no build step; every value from the API reaches the page through textContent or
// esc(), never as raw HTML.
"use strict";

const QUAD_COLOURS = {1: "#2b8cbe", 2: "#31a354", 3: "#fd8d3c", 4: "#d7301f"};
const QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"};
// Four shades per quad hue, so that a stacked timeline can tell the types apart.
const TYPE_SHADES = {
  1: ["#08519c", "#3182bd", "#6baed6", "#9ecae1"],
  2: ["#006d2c", "#31a354", "#74c476", "#a1d99b"],
  3: ["#a63603", "#e6550d", "#fd8d3c", "#fdae6b"],
  4: ["#99000d", "#cb181d", "#ef3b2c", "#fb6a4a"],
};

const whimbrel = {
  vocabulary: null,
  typeQuad: {},
  typeColour: {},

  async api(path, params) {
    const query = params ? "?" + new URLSearchParams(params).toString() : "";
    const response = await fetch(path + query, {headers: {Accept: "application/json"}});
    const body = await response.json();
    if (!response.ok) {
      const error = new Error(body.error ? body.error.message : response.statusText);
      error.field = body.error && body.error.field;
      throw error;
    }
    return body;
  },

  async loadVocabulary() {
    if (this.vocabulary) return this.vocabulary;
    this.vocabulary = await this.api("/api/v1/vocabulary");
    const seen = {};
    for (const type of this.vocabulary.event_types) {
      const quad = type.quad;
      seen[quad] = (seen[quad] || 0);
      this.typeQuad[type.name] = quad;
      this.typeColour[type.name] = TYPE_SHADES[quad][seen[quad] % 4];
      seen[quad] += 1;
    }
    return this.vocabulary;
  },

  quadColour(eventType) {
    return QUAD_COLOURS[this.typeQuad[eventType]] || "#666";
  },

  actorLabel(actors) {
    return (actors || []).map((a) => {
      const code = [a.country, a.sector].filter(Boolean).join(" ");
      const label = a.name || a.text;
      return code ? `${label} (${code})` : label;
    }).join("; ");
  },

  // The evidence sentence as DOM nodes with the actors, trigger, place and date marked.
  // The trigger has exact offsets; the others are found by their text in the sentence.
  highlightEvidence(event) {
    const sentence = event.evidence.text;
    const base = event.evidence.start;
    const marks = [];
    const add = (start, end, kind) => {
      if (start < 0 || end > sentence.length || end <= start) return;
      if (marks.some((m) => start < m.end && m.start < end)) return;  // first claim wins
      marks.push({start, end, kind});
    };
    add(event.trigger.start - base, event.trigger.end - base, "trigger");
    // The first occurrence not already marked: "Bogota court ... near Bogota" marks both.
    const find = (text, kind) => {
      if (!text) return;
      for (let at = sentence.indexOf(text); at >= 0; at = sentence.indexOf(text, at + 1)) {
        const end = at + text.length;
        if (!marks.some((m) => at < m.end && m.start < end)) { add(at, end, kind); return; }
      }
    };
    for (const actor of event.source || []) find(actor.text, "actor");
    for (const actor of event.target || []) find(actor.text, "target");
    if (event.location) find(event.location.text, "place");
    if (event.date) find(event.date.text, "date");
    marks.sort((a, b) => a.start - b.start);
    const fragment = document.createDocumentFragment();
    let at = 0;
    for (const mark of marks) {
      fragment.append(sentence.slice(at, mark.start));
      const span = document.createElement("mark");
      span.className = "hl-" + mark.kind;
      span.title = mark.kind;
      span.textContent = sentence.slice(mark.start, mark.end);
      fragment.append(span);
      at = mark.end;
    }
    fragment.append(sentence.slice(at));
    return fragment;
  },

  typeBadge(eventType) {
    const badge = document.createElement("span");
    badge.className = "badge";
    badge.style.background = this.quadColour(eventType);
    badge.textContent = eventType;
    return badge;
  },

  el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else node.setAttribute(key, value);
    }
    node.append(...children.filter((c) => c !== null && c !== undefined));
    return node;
  },

  // An offline base map: world-atlas country outlines drawn as vectors, no tiles.
  async baseMap(elementId, options) {
    const map = L.map(elementId, Object.assign({worldCopyJump: true, minZoom: 1, maxZoom: 12,
                                                attributionControl: true}, options || {}));
    map.attributionControl.setPrefix(false).addAttribution("Natural Earth via world-atlas");
    const atlas = await fetch("/static/vendor/world-atlas/countries-50m.json").then((r) => r.json());
    const countries = topojson.feature(atlas, atlas.objects.countries);
    L.geoJSON(countries, {
      interactive: false,
      renderer: L.svg({padding: 0.5}),
      style: {color: "#9aa5b1", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1},
    }).addTo(map);
    return map;
  },
};
