// A chart of a result, drawn as SVG: bar (horizontal, so long labels such as ARNs stay
// readable), line or pie. Axes are picked from the result's columns; the default takes
// the first numeric column as the value and the text column with the most distinct
// values as the label (for the seed query: each caller's ARN by its count).
const NUMERIC = /^(tinyint|smallint|integer|int|bigint|real|double|float|decimal)/;
const MAX_POINTS = 50;
const SVG = "http://www.w3.org/2000/svg";
const PIE = ["#4c6ef5", "#20c997", "#fab005", "#fa5252", "#7950f2", "#15aabf", "#82c91e", "#e64980", "#fd7e14", "#868e96"];

export function defaultAxes(columns, rows) {
  const numeric = columns.map((c, i) => NUMERIC.test(c.type) ? i : -1).filter(i => i >= 0);
  const text = columns.map((c, i) => NUMERIC.test(c.type) ? -1 : i).filter(i => i >= 0);
  if (!numeric.length) return null;
  const y = numeric[numeric.length - 1];
  // one text column that tells the rows apart labels them; when only their combination
  // does (a GROUP BY over several columns, like the seed query), the label joins them all
  const unique = text.find(i => new Set(rows.map(r => r[i])).size === rows.length);
  const x = unique !== undefined ? unique : text.length ? -2 : numeric.length > 1 ? numeric[0] : -1;
  return {x, y, kind: "bar", text};
}

function el(name, attrs = {}, text) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function label(rows, axes, i) {
  if (axes.x === -2) return axes.text.map(j => rows[i][j] ?? "NULL").join(" · ");
  return axes.x < 0 ? String(i + 1) : (rows[i][axes.x] ?? "NULL");
}
function short(s, n) { return s.length > n ? s.slice(0, n - 1) + "…" : s; }
// Axis ticks at round steps (1, 2 or 5 times a power of ten), about four of them.
function ticks(max) {
  if (max <= 0) return [0, 1];
  const raw = max / 4, p = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map(m => m * p).find(m => m >= raw);
  const out = [];
  for (let t = 0; t < max + step; t += step) out.push(+t.toPrecision(12));
  return out;
}
function fmt(v) { return Math.abs(v) >= 1e6 ? (v / 1e6).toFixed(1) + "M" : Math.abs(v) >= 1e4 ? (v / 1e3).toFixed(1) + "k" : String(+v.toFixed(2)); }

export function drawChart(container, columns, rows, axes) {
  container.replaceChildren();
  const data = rows.slice(0, MAX_POINTS).map((r, i) => ({label: label(rows, axes, i), value: Number(r[axes.y]) || 0}));
  const width = Math.max(container.clientWidth - 40, 480);
  if (axes.kind === "bar") return container.append(bars(data, width, columns[axes.y].name));
  if (axes.kind === "line") return container.append(line(data, width, columns[axes.y].name));
  return container.append(pie(data, width));
}

function bars(data, width, valueName) {
  const chars = Math.floor(width * 0.5 / 6.6);
  const labelW = Math.min(width * 0.5, Math.max(80, ...data.map(d => Math.min(d.label.length, chars) * 6.6))) + 12;
  const barH = 24, top = 28, h = top + data.length * barH + 24;
  const svg = el("svg", {width, height: h, role: "img", "aria-label": `bar chart of ${valueName}`});
  const marks = ticks(Math.max(0, ...data.map(d => d.value))), max = marks[marks.length - 1];
  const plotW = width - labelW - 60;
  for (const t of marks) {
    const x = labelW + plotW * t / max;
    svg.append(el("line", {x1: x, x2: x, y1: top - 6, y2: h - 20, class: "gridline"}));
    svg.append(el("text", {x, y: top - 12, "text-anchor": "middle", class: "axis"}, fmt(t)));
  }
  data.forEach((d, i) => {
    const y = top + i * barH;
    const w = Math.max(1, plotW * d.value / max);
    const g = el("g", {class: "bar-group", "data-label": d.label, "data-value": d.value});
    g.append(el("text", {x: labelW - 8, y: y + barH / 2 + 4, "text-anchor": "end"}, short(d.label, chars)));
    const bar = el("rect", {x: labelW, y: y + 4, width: w, height: barH - 8, rx: 3, class: "bar"});
    bar.append(el("title", {}, `${d.label}: ${d.value}`));
    g.append(bar);
    g.append(el("text", {x: labelW + w + 6, y: y + barH / 2 + 4, class: "axis"}, fmt(d.value)));
    svg.append(g);
  });
  return svg;
}

function line(data, width, valueName) {
  const h = 340, left = 56, bottom = 60, top = 20, plotW = width - left - 20, plotH = h - top - bottom;
  const svg = el("svg", {width, height: h, role: "img", "aria-label": `line chart of ${valueName}`});
  const marks = ticks(Math.max(0, ...data.map(d => d.value))), max = marks[marks.length - 1];
  for (const t of marks) {
    const y = top + plotH - plotH * t / max;
    svg.append(el("line", {x1: left, x2: left + plotW, y1: y, y2: y, class: "gridline"}));
    svg.append(el("text", {x: left - 8, y: y + 4, "text-anchor": "end", class: "axis"}, fmt(t)));
  }
  const step = data.length > 1 ? plotW / (data.length - 1) : 0;
  const pts = data.map((d, i) => [left + i * step, top + plotH - plotH * d.value / max]);
  svg.append(el("path", {d: pts.map((p, i) => (i ? "L" : "M") + p[0].toFixed(1) + "," + p[1].toFixed(1)).join(""), class: "line"}));
  const every = Math.ceil(data.length / 12);
  pts.forEach((p, i) => {
    const c = el("circle", {cx: p[0], cy: p[1], r: 3, class: "bar"}); c.append(el("title", {}, `${data[i].label}: ${data[i].value}`));
    svg.append(c);
    if (i % every === 0) svg.append(el("text", {x: p[0], y: top + plotH + 16, "text-anchor": "middle", class: "axis"}, short(data[i].label, 14)));
  });
  return svg;
}

function pie(data, width) {
  const h = 340, r = 130, cx = 170, cy = h / 2;
  const svg = el("svg", {width, height: h, role: "img", "aria-label": "pie chart"});
  const total = data.reduce((a, d) => a + Math.max(0, d.value), 0) || 1;
  let angle = -Math.PI / 2;
  data.slice(0, 10).forEach((d, i) => {
    const share = Math.max(0, d.value) / total, next = angle + share * 2 * Math.PI;
    const large = next - angle > Math.PI ? 1 : 0;
    const p = share >= 0.9999
      ? el("circle", {cx, cy, r, fill: PIE[i % PIE.length]})
      : el("path", {d: `M${cx},${cy}L${cx + r * Math.cos(angle)},${cy + r * Math.sin(angle)}A${r},${r} 0 ${large} 1 ${cx + r * Math.cos(next)},${cy + r * Math.sin(next)}Z`, fill: PIE[i % PIE.length]});
    p.append(el("title", {}, `${d.label}: ${d.value} (${(share * 100).toFixed(1)}%)`));
    svg.append(p);
    svg.append(el("rect", {x: cx + r + 40, y: 30 + i * 24, width: 12, height: 12, rx: 2, fill: PIE[i % PIE.length]}));
    svg.append(el("text", {x: cx + r + 60, y: 40 + i * 24}, `${short(d.label, 60)} — ${(share * 100).toFixed(1)}%`));
    angle = next;
  });
  return svg;
}
