// Counts per day (or week, month) stacked by event type, as an SVG bar chart.
"use strict";

function drawTimeline(container, legend, stats, onPick) {
  const SVG = "http://www.w3.org/2000/svg";
  container.replaceChildren();
  legend.replaceChildren();
  const periods = stats.by_period;
  if (!periods.length) {
    container.append(whimbrel.el("p", {class: "empty", text: "No dated events match."}));
    return;
  }
  const types = Object.keys(stats.by_type);
  const width = Math.max(container.clientWidth, 280);
  const height = 150, pad = {left: 32, right: 8, top: 8, bottom: 22};
  const first = new Date(periods[0].period), last = new Date(periods[periods.length - 1].period);
  const dayMs = 86400000;
  const span = Math.max(1, Math.round((last - first) / dayMs) + 1);
  const step = {day: 1, week: 7, month: 30.4}[stats.interval] || 1;
  const slots = Math.max(1, Math.ceil(span / step));
  const barWidth = Math.max(1, (width - pad.left - pad.right) / slots - (slots > 150 ? 0 : 1));
  const totals = periods.map((p) => Object.values(p.counts).reduce((a, b) => a + b, 0));
  const max = Math.max(...totals);
  const y = (count) => (height - pad.top - pad.bottom) * count / max;

  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("width", "100%");
  svg.setAttribute("height", height);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", "Events per " + stats.interval + " by type");
  const axis = document.createElementNS(SVG, "g");
  axis.setAttribute("class", "axis");
  for (const [value, label] of [[max, String(max)], [0, "0"]]) {
    const text = document.createElementNS(SVG, "text");
    text.setAttribute("x", pad.left - 4);
    text.setAttribute("y", height - pad.bottom - y(value) + 4);
    text.setAttribute("text-anchor", "end");
    text.textContent = label;
    axis.append(text);
  }
  for (const [when, anchor, x] of [[periods[0].period, "start", pad.left],
                                   [periods[periods.length - 1].period, "end", width - pad.right]]) {
    const text = document.createElementNS(SVG, "text");
    text.setAttribute("x", x);
    text.setAttribute("y", height - 6);
    text.setAttribute("text-anchor", anchor);
    text.textContent = when;
    axis.append(text);
  }
  svg.append(axis);

  periods.forEach((period) => {
    const offset = Math.round((new Date(period.period) - first) / dayMs / step);
    const x = pad.left + offset * (width - pad.left - pad.right) / slots;
    let base = height - pad.bottom;
    const group = document.createElementNS(SVG, "g");
    group.setAttribute("class", "bar");
    const title = document.createElementNS(SVG, "title");
    title.textContent = period.period + "\n" + Object.entries(period.counts).map(([t, n]) => `${t}: ${n}`).join("\n");
    group.append(title);
    for (const type of types) {
      const count = period.counts[type];
      if (!count) continue;
      const rect = document.createElementNS(SVG, "rect");
      const h = y(count);
      base -= h;
      rect.setAttribute("x", x.toFixed(1));
      rect.setAttribute("y", base.toFixed(1));
      rect.setAttribute("width", barWidth.toFixed(1));
      rect.setAttribute("height", Math.max(h, 0.5).toFixed(1));
      rect.setAttribute("fill", whimbrel.typeColour[type] || "#888");
      group.append(rect);
    }
    group.addEventListener("click", () => onPick(period.period, stats.interval));
    svg.append(group);
  });
  container.append(svg);

  for (const type of types) {
    const swatch = whimbrel.el("span", {class: "swatch"});
    swatch.style.background = whimbrel.typeColour[type];
    legend.append(whimbrel.el("li", {}, swatch, `${type} ${stats.by_type[type]}`));
  }
}
