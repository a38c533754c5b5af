// Event clusters: one happening reported by several articles, biggest first.
"use strict";

let nextOffset = 0;

function clusterParams(form) {
  const params = {};
  for (const [name, value] of new FormData(form).entries()) {
    if (value.trim()) params[name] = value.trim();
  }
  return params;
}

function clusterItem(cluster) {
  const event = cluster.representative;
  const where = event.location ? (event.location.name || event.location.text) : "no place";
  const dates = cluster.date_start === cluster.date_end ? cluster.date_start : `${cluster.date_start} – ${cluster.date_end}`;
  const item = whimbrel.el("li", {class: "panel cluster", "data-cluster": cluster.cluster_id});
  item.append(whimbrel.el("p", {},
    whimbrel.typeBadge(event.event_type), " ",
    whimbrel.el("strong", {text: `${whimbrel.actorLabel(event.source) || "?"} → ${whimbrel.actorLabel(event.target) || "—"}`}),
    whimbrel.el("span", {class: "muted", text: ` · ${where} · ${dates || "undated"}`})));
  item.append(whimbrel.el("p", {class: "counts",
    text: `${cluster.articles} articles · ${cluster.sources} sources · ${cluster.documents} documents · ${cluster.events} mentions`}));
  item.append(whimbrel.el("blockquote", {class: "evidence"}, whimbrel.highlightEvidence(event)));
  const links = whimbrel.el("p", {class: "muted"}, "mentions: ");
  cluster.event_ids.forEach((id, i) => {
    if (i) links.append(", ");
    links.append(whimbrel.el("a", {href: `/events/${encodeURIComponent(id)}`, text: String(i + 1)}));
  });
  item.append(links);
  return item;
}

async function loadClusters(reset) {
  const form = document.getElementById("filters");
  const list = document.getElementById("cluster-list");
  const box = document.getElementById("error");
  if (reset) { list.textContent = ""; nextOffset = 0; }
  box.hidden = true;
  try {
    const body = await whimbrel.api("/api/v1/clusters", Object.assign(clusterParams(form), {offset: nextOffset, limit: 50}));
    for (const cluster of body.clusters) list.append(clusterItem(cluster));
    nextOffset = body.next_offset;
    document.getElementById("more").hidden = nextOffset === null;
    const shown = list.children.length;
    document.getElementById("total").textContent =
      `${shown}${nextOffset === null ? "" : "+"} cluster${shown === 1 && nextOffset === null ? "" : "s"}`;
  } catch (error) {
    box.textContent = error.message;
    box.hidden = false;
  }
  document.body.dataset.ready = "true";
}

async function start() {
  const vocabulary = await whimbrel.loadVocabulary();
  const select = document.getElementById("f-type");
  for (const type of vocabulary.event_types) select.append(whimbrel.el("option", {value: type.name, text: type.name}));
  const form = document.getElementById("filters");
  form.addEventListener("submit", (e) => { e.preventDefault(); loadClusters(true); });
  document.getElementById("more").addEventListener("click", () => loadClusters(false));
  await loadClusters(true);
}

start();
