// One article: its text with every event trigger marked at its exact offsets, and its events.
"use strict";

async function showArticle() {
  const id = decodeURIComponent(location.pathname.split("/").pop());
  await whimbrel.loadVocabulary();
  const body = await whimbrel.api(`/api/v1/articles/${encodeURIComponent(id)}`);
  const article = body.article;
  document.title = `whimbrel: ${article.title || article.id}`;
  document.getElementById("title").textContent = article.title || article.id;
  const meta = document.getElementById("meta");
  meta.append(`published ${article.published || "?"} · coded ${article.coded_at} by whimbrel ${article.pipeline_version}`);
  if (article.url && /^https?:\/\//.test(article.url)) {
    meta.append(" · ", whimbrel.el("a", {href: article.url, rel: "noopener noreferrer", text: "original"}));
  }

  const list = document.getElementById("event-list");
  for (const event of body.events) {
    const item = whimbrel.el("li", {id: `e-${event.event_id}`}, whimbrel.typeBadge(event.event_type), " ");
    if (event.modality !== "asserted") item.append(whimbrel.el("em", {class: "modality", text: event.modality}), " ");
    item.append(whimbrel.el("a", {href: `/events/${encodeURIComponent(event.event_id)}`,
      text: `${whimbrel.actorLabel(event.source) || "?"} → ${whimbrel.actorLabel(event.target) || "—"}`}));
    item.append(whimbrel.el("span", {class: "muted", text: ` · ${event.location ? (event.location.name || event.location.text) : "no place"}`
                                                         + ` · ${event.date ? event.date.value : "undated"}`}));
    list.append(item);
  }

  // Triggers never overlap the way the pipeline finds them, but be safe: skip any that would.
  const text = article.text;
  const triggers = body.events.map((e) => ({start: e.trigger.start, end: e.trigger.end, event: e}))
                              .sort((a, b) => a.start - b.start);
  const container = document.getElementById("text");
  let at = 0;
  for (const trigger of triggers) {
    if (trigger.start < at || trigger.end > text.length) continue;
    container.append(text.slice(at, trigger.start));
    const mark = whimbrel.el("a", {class: "hl-trigger", href: `/events/${encodeURIComponent(trigger.event.event_id)}`,
                                   title: trigger.event.event_type, text: text.slice(trigger.start, trigger.end)});
    mark.style.borderBottomColor = whimbrel.quadColour(trigger.event.event_type);
    container.append(mark);
    at = trigger.end;
  }
  container.append(text.slice(at));
  document.getElementById("article").hidden = false;
  document.body.dataset.ready = "true";
}

showArticle().catch((error) => {
  const box = document.getElementById("error");
  box.textContent = error.message;
  box.hidden = false;
});
