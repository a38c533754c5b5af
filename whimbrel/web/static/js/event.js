// One event: its evidence with the parts marked, every field, a small map, and its article.
"use strict";

function field(list, name, ...value) {
  list.append(whimbrel.el("dt", {text: name}), whimbrel.el("dd", {}, ...value));
}

async function showEvent() {
  const id = decodeURIComponent(location.pathname.split("/").pop());
  await whimbrel.loadVocabulary();
  const body = await whimbrel.api(`/api/v1/events/${encodeURIComponent(id)}`);
  const event = body.event;
  document.title = `whimbrel: ${event.event_type} event`;
  const title = document.getElementById("title");
  title.append(whimbrel.typeBadge(event.event_type), " ",
               `${whimbrel.actorLabel(event.source) || "?"} → ${whimbrel.actorLabel(event.target) || "—"}`);
  document.getElementById("evidence").append(whimbrel.highlightEvidence(event));

  const fields = document.getElementById("fields");
  field(fields, "Type", `${event.event_type} (${body.quad_name})`);
  field(fields, "Mode", event.mode || "—");
  field(fields, "Modality", event.modality);
  field(fields, "Context", (event.context || []).join(", ") || "—");
  field(fields, "Actor", whimbrel.actorLabel(event.source) || "—");
  field(fields, "Recipient", whimbrel.actorLabel(event.target) || "—");
  const where = event.location;
  field(fields, "Place", where ? `${where.name || where.text} (${[where.country, where.feature].filter(Boolean).join(", ")})`
                              + (where.geonameid ? ` · GeoNames ${where.geonameid}` : "") : "—");
  const when = event.date;
  field(fields, "Date", when ? `${when.value} (${when.precision}${when.fallback ? ", publication date" : ""})`
                             + (when.text ? ` from “${when.text}”` : "") : "—");
  field(fields, "Trigger", `“${event.trigger.text}” at ${event.trigger.start}–${event.trigger.end}`);
  field(fields, "Confidence", String(event.confidence));

  const article = body.article;
  const paragraph = document.getElementById("article");
  if (article) {
    paragraph.append(whimbrel.el("a", {href: `/articles/${encodeURIComponent(article.id)}`, id: "article-link",
                                       text: article.title || article.id}));
    paragraph.append(` · published ${article.published || "?"}`);
    if (article.url && /^https?:\/\//.test(article.url)) {
      paragraph.append(" · ", whimbrel.el("a", {href: article.url, rel: "noopener noreferrer", text: "original"}));
    }
  }
  // How many articles reported this happening (its event cluster), when there are several.
  try {
    const cluster = await whimbrel.api(`/api/v1/events/${encodeURIComponent(id)}/cluster`);
    if (cluster.articles > 1) {
      paragraph.append(whimbrel.el("br"), `One of ${cluster.events} mentions of this happening in ${cluster.articles} articles `
                       + `from ${cluster.sources} sources`);
    }
  } catch (error) { /* not clustered (stored before clustering existed): nothing to add */ }
  document.getElementById("record").textContent = JSON.stringify(event, null, 2);
  document.getElementById("event").hidden = false;

  if (where && where.lat !== null && where.lon !== null) {
    const box = document.getElementById("event-map");
    box.hidden = false;
    const map = await whimbrel.baseMap("event-map", {center: [where.lat, where.lon], zoom: 5});
    L.circleMarker([where.lat, where.lon], {radius: 8, color: "#fff", weight: 1,
      fillColor: whimbrel.quadColour(event.event_type), fillOpacity: 0.95}).addTo(map);
  }
  document.body.dataset.ready = "true";
}

showEvent().catch((error) => {
  const box = document.getElementById("error");
  box.textContent = error.message;
  box.hidden = false;
});
