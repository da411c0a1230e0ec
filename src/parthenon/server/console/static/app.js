// The console: query tabs and the editor, the catalog, results, history, saved queries.
// Tabs, the theme, the workgroup and the price per TB are kept in localStorage; nothing
// secret is (the session is an HttpOnly cookie, the CSRF token lives in memory only).
import * as api from "./api.js";
import {Catalog, typeLabel} from "./catalog.js";
import {Grid, prettyNested} from "./grid.js";
import {defaultAxes, drawChart} from "./chart.js";
import {KEYWORDS, FUNCTIONS, TYPES} from "./sqlwords.js";
import {parameterCount, costOf, bytes, millis, ago} from "./util.js";

const $ = id => document.getElementById(id);
const STORE = "parthenon.console";
const FINAL = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);
const catalog = new Catalog();
let editor, grid = null, principal = "";
let state = loadState();
let shown = null;        // the execution the results panel shows
let view = "grid";

// -- persisted state
function loadState() {
  let s = {};
  try { s = JSON.parse(localStorage.getItem(STORE) || "{}"); } catch (e) {}
  if (!Array.isArray(s.tabs) || !s.tabs.length) s.tabs = [newTab(1)];
  if (!s.tabs.some(t => t.id === s.active)) s.active = s.tabs[0].id;
  return {workgroup: "primary", database: "default", price: 5, ...s};
}
function saveState() { localStorage.setItem(STORE, JSON.stringify(state)); }
function newTab(n) { return {id: Math.random().toString(36).slice(2, 10), title: `Query ${n}`, sql: "", queryId: null}; }
function activeTab() { return state.tabs.find(t => t.id === state.active); }

// -- sign-in
async function boot() {
  window.addEventListener("signed-out", () => showSignIn());
  try {
    const s = await api.session();
    api.setCsrf(s.csrf); principal = s.principal;
    await start();
  } catch (e) { showSignIn(); }
}

function showSignIn() {
  $("app").hidden = true; $("signin").hidden = false; $("signin-key").focus();
}

$("signin-form").addEventListener("submit", async e => {
  e.preventDefault();
  $("signin-error").textContent = "";
  const secret = $("signin-secret");
  try {
    const s = await api.signIn($("signin-key").value.trim(), secret.value);
    secret.value = "";                                  // not kept anywhere in the page
    api.setCsrf(s.csrf); principal = s.principal;
    $("signin").hidden = true;
    await start();
  } catch (err) {
    secret.value = "";
    $("signin-error").textContent = err.message;
  }
});

$("signout").addEventListener("click", async () => {
  try { await api.signOut(); } finally { api.setCsrf(null); showSignIn(); }
});

// -- start
let started = false;
async function start() {
  $("app").hidden = false;
  $("principal").textContent = principal;
  if (!started) {
    started = true;
    editor = PEditor.createEditor($("editor"), {
      doc: activeTab().sql, keywords: KEYWORDS, functions: FUNCTIONS, types: TYPES,
      onRun: () => run(),
      onChange: text => { const t = activeTab(); t.sql = text; saveState(); },
      completions: (parts, word, doc) => catalog.complete(parts, word, doc, state.database)
        .map(o => ({label: o.label, type: o.type, detail: o.detail, boost: o.boost})),
    });
    wire();
  }
  renderTabs();
  await Promise.all([loadWorkgroups(), loadCatalog()]);
  loadHistory(); loadSaved();
  const tab = activeTab();
  if (tab.queryId) showExecution(tab.queryId, tab); else showEmpty();
  editor.focus();
}

function wire() {
  if (/Mac|iPhone|iPad/.test(navigator.platform)) $("run-hint").textContent = "⌘+Enter to run";
  $("run").addEventListener("click", () => run());
  $("cancel").addEventListener("click", cancel);
  $("format").addEventListener("click", formatQuery);
  $("save").addEventListener("click", saveQuery);
  $("theme").addEventListener("click", () => {
    const dark = document.documentElement.dataset.theme !== "dark";
    document.documentElement.dataset.theme = dark ? "dark" : "light";
    localStorage.setItem("parthenon.theme", dark ? "dark" : "light");
    if (view === "chart") renderChart();
  });
  $("workgroup").addEventListener("change", e => { state.workgroup = e.target.value; saveState(); loadHistory(); loadSaved(); });
  $("database").addEventListener("change", e => { state.database = e.target.value; saveState(); renderCatalog(); });
  $("catalog-filter").addEventListener("input", renderCatalog);
  document.querySelectorAll(".side-tabs button").forEach(b => b.addEventListener("click", () => {
    document.querySelectorAll(".side-tabs button").forEach(x => x.classList.toggle("active", x === b));
    for (const p of ["catalog", "saved", "history"]) $("panel-" + p).hidden = p !== b.dataset.panel;
    if (b.dataset.panel === "history") loadHistory();
    if (b.dataset.panel === "saved") loadSaved();
  }));
  document.querySelectorAll(".result-tabs button").forEach(b => b.addEventListener("click", () => showView(b.dataset.view)));
  $("copy").addEventListener("click", async () => { if (grid && await grid.copy()) toast("Copied"); });
  $("grid-filter").addEventListener("input", e => grid && grid.setFilter(e.target.value));
  document.addEventListener("click", e => { if (!e.target.closest(".menu")) closeMenu(); });
  splitter();
}

function splitter() {
  const wrap = $("editor"); let startY = 0, startH = 0;
  const move = e => { wrap.style.height = `${Math.max(90, startH + e.clientY - startY)}px`; };
  $("splitter").addEventListener("mousedown", e => {
    startY = e.clientY; startH = wrap.getBoundingClientRect().height;
    document.addEventListener("mousemove", move);
    document.addEventListener("mouseup", () => document.removeEventListener("mousemove", move), {once: true});
    e.preventDefault();
  });
}

// -- query tabs
function renderTabs() {
  const bar = $("query-tabs"); bar.replaceChildren();
  for (const t of state.tabs) {
    const el = document.createElement("div");
    el.className = "qtab" + (t.id === state.active ? " active" : ""); el.dataset.tab = t.id;
    const dot = document.createElement("span"); dot.className = "dot " + (t.state || "");
    const title = document.createElement("span"); title.className = "title"; title.textContent = t.title;
    title.addEventListener("dblclick", async () => {
      const name = await ask("Rename tab", [{name: "title", label: "Name", value: t.title}]);
      if (name) { t.title = name.title || t.title; saveState(); renderTabs(); }
    });
    const close = document.createElement("button"); close.className = "close"; close.textContent = "×"; close.title = "Close tab";
    close.addEventListener("click", e => { e.stopPropagation(); closeTab(t.id); });
    el.append(dot, title, close);
    el.addEventListener("click", () => switchTab(t.id));
    bar.append(el);
  }
  const add = document.createElement("button"); add.className = "qtab-add"; add.textContent = "+"; add.title = "New query tab";
  add.addEventListener("click", () => openTab(""));
  bar.append(add);
}

function switchTab(id) {
  if (id === state.active) return;
  state.active = id; saveState();
  const t = activeTab();
  editor.setValue(t.sql); renderTabs();
  if (t.queryId) showExecution(t.queryId, t); else showEmpty();
}

function openTab(sql, title) {
  const n = state.tabs.length + 1;
  const t = newTab(n); t.sql = sql; if (title) t.title = title;
  state.tabs.push(t); state.active = t.id; saveState();
  editor.setValue(sql); renderTabs(); showEmpty(); editor.focus();
  return t;
}

function closeTab(id) {
  const i = state.tabs.findIndex(t => t.id === id);
  state.tabs.splice(i, 1);
  if (!state.tabs.length) state.tabs.push(newTab(1));
  if (state.active === id) { state.active = state.tabs[Math.max(0, i - 1)].id; editor.setValue(activeTab().sql); }
  saveState(); renderTabs();
  const t = activeTab();
  if (t.queryId) showExecution(t.queryId, t); else showEmpty();
}

// -- running
async function run(text, tab = activeTab(), from = null) {
  let runText = text, runFrom = from ?? 0;
  if (runText === undefined) { const r = editor.runnable(); runText = r.text; runFrom = r.from; }
  if (!runText.trim()) return;
  editor.clearErrors();
  $("message").hidden = true;
  const request = {QueryString: runText, WorkGroup: state.workgroup,
                   QueryExecutionContext: {Database: state.database, Catalog: "AwsDataCatalog"}};
  const n = parameterCount(runText);
  if (n) {
    const fields = Array.from({length: n}, (_, i) => ({name: "p" + i, label: `Parameter ${i + 1} (a SQL literal: 'text', 42, DATE '2024-01-01')`,
                                                        value: (tab.params || [])[i] || ""}));
    const values = await ask(`This query has ${n} parameter${n > 1 ? "s" : ""}`, fields);
    if (!values) return;
    tab.params = fields.map(f => values[f.name]);
    request.ExecutionParameters = tab.params;
  }
  setRunning(true);
  let id;
  try {
    id = (await api.athena("StartQueryExecution", request)).QueryExecutionId;
  } catch (e) {      // refused before it started (a syntax error): no execution exists
    setRunning(false);
    shown = null; grid = null; shownResult = null;
    $("view-grid").replaceChildren(); $("view-chart").replaceChildren(); $("view-stats").replaceChildren();
    $("summary").replaceChildren(); $("live").textContent = "";
    const results = document.querySelector(".results");
    results.dataset.queryId = `refused-${Date.now()}`; results.dataset.state = "FAILED";
    showFailure(e.message, tab === activeTab() ? runFrom : null);
    return;
  }
  tab.queryId = id; tab.runFrom = runFrom; tab.state = "QUEUED"; saveState(); renderTabs();
  await showExecution(id, tab, true);
}

async function cancel() {
  const t = activeTab();
  if (t.queryId) await api.athena("StopQueryExecution", {QueryExecutionId: t.queryId}).catch(e => toast(e.message));
}

function setRunning(on) { $("run").disabled = on; $("cancel").disabled = !on; }

// Poll an execution until it is final, showing elapsed time and data scanned as it runs.
async function showExecution(id, tab, fresh = false) {
  shown = id;
  grid = null;
  const results = document.querySelector(".results");
  results.dataset.queryId = id; results.dataset.state = "";
  $("view-grid").replaceChildren(); $("view-chart").replaceChildren(); $("view-stats").replaceChildren();
  $("message").hidden = true; $("download").classList.add("disabled"); $("copy").disabled = true; $("grid-filter").hidden = true;
  const began = performance.now();
  let q, progress;
  for (;;) {
    try { ({QueryExecution: q, Progress: progress} = await api.progress(id)); }
    catch (e) { if (shown === id) { setRunning(false); showFailure(e.message, null); } return; }
    if (shown !== id) return;
    const s = q.Status.State;
    if (tab) { tab.state = s; }
    if (FINAL.has(s)) break;
    setRunning(true);
    const submitted = new Date(q.Status.SubmissionDateTime * 1000);
    const elapsed = fresh ? performance.now() - began : Date.now() - submitted.getTime();
    const scanned = (q.Statistics || {}).DataScannedInBytes || 0;
    $("live").className = "live running";
    // the planned bytes (the CLI's progress bar's total) once the planner has listed storage
    const planned = progress && progress.PlannedBytes;
    const of = planned ? ` of ${bytes(planned)} (${Math.min(100, Math.floor(100 * scanned / planned))}%)` : "";
    $("live").textContent = `${s === "QUEUED" ? "Queued" : "Running"} · ${(elapsed / 1000).toFixed(1)} s · ${bytes(scanned)}${of} scanned`;
    renderSummary(q);
    await new Promise(r => setTimeout(r, 200));
  }
  if (tab) { saveState(); renderTabs(); }
  setRunning(false);
  if (fresh && q.Status.State === "SUCCEEDED" && q.StatementType === "DDL") loadCatalog();
  const st = q.Statistics || {};
  $("live").className = "live"; $("live").textContent = "";     // the results' summary says it now
  renderSummary(q);
  renderStats(q);
  if (fresh) loadHistory();
  try { await outcome(q, tab); } finally { if (shown === id) results.dataset.state = q.Status.State; }
}

async function outcome(q, tab) {
  if (q.Status.State === "FAILED") {
    const from = tab && tab === activeTab() && editor.getValue().slice(tab.runFrom || 0).startsWith(q.Query) ? (tab.runFrom || 0) : null;
    return showFailure(q.Status.StateChangeReason || "The query failed.", from);
  }
  if (q.Status.State === "CANCELLED") {
    showMessage(q.Status.StateChangeReason || "The query was cancelled.", false);
    return showView(view);
  }
  await showResults(q);
}

async function showResults(q) {
  const id = q.QueryExecutionId;
  const statsCall = await api.athena("GetQueryRuntimeStatistics", {QueryExecutionId: id}).catch(() => null);
  const first = await api.rows(id, 0, 1000);
  if (shown !== id) return;
  const total = statsCall ? statsCall.QueryRuntimeStatistics.Rows.OutputRows : first.rows.length;
  $("download").href = api.csvUrl(id);
  $("download").setAttribute("download", q.ResultConfiguration.OutputLocation.split("/").pop());
  $("download").classList.toggle("disabled", !q.ResultConfiguration.OutputLocation.endsWith(".csv"));
  q.rowCount = total;
  renderSummary(q);
  if (!first.columns.length) {
    $("view-grid").innerHTML = `<div class="empty">${q.StatementType === "DDL" ? "Done." : "No result rows."}</div>`;
    shownResult = null;
    return showView(view);
  }
  grid = new Grid($("view-grid"), {
    columns: first.columns, total, sample: first.rows,
    fetchRows: (offset, limit) => offset === 0 ? Promise.resolve(first.rows) : api.rows(id, offset, limit).then(r => r.rows),
    onSelect: (value, column) => { $("copy").disabled = false; inspect(value, column); },
  });
  $("grid-filter").hidden = false; $("grid-filter").value = "";
  shownResult = {columns: first.columns, rows: first.rows, axes: defaultAxes(first.columns, first.rows)};
  showView(view);
}
let shownResult = null;

function inspect(value, column) {
  document.querySelectorAll(".inspector").forEach(e => e.remove());
  if (!column || value === undefined || value === null || !(value[0] === "{" || value[0] === "[") && value.length < 60) return;
  const box = document.createElement("div"); box.className = "inspector";
  const close = document.createElement("button"); close.className = "close"; close.textContent = "×";
  close.addEventListener("click", () => box.remove());
  const head = document.createElement("div"); head.className = "inspector-head";
  const title = document.createElement("span"); title.className = "muted"; title.textContent = `${column.name} · ${column.type}`;
  head.append(title, close);
  const body = document.createElement("div"); body.className = "value"; body.textContent = prettyNested(value);
  box.append(head, body);
  $("view-grid").append(box);
}

function showFailure(message, from) {
  showMessage(message, true);
  const m = /line (\d+):(\d+)/.exec(message);
  if (m && from !== null) editor.showError(+m[1], +m[2], message, from);
  showView(view);
}

function showMessage(text, isError) {
  const m = $("message"); m.hidden = false; m.textContent = text; m.className = "message" + (isError ? " error" : "");
}

function showEmpty() {
  shown = null; grid = null; shownResult = null;
  $("view-grid").innerHTML = `<div class="empty">Run a query to see its results here.<br><span class="small">Ctrl+Enter runs the editor's text, or only the selected part.</span></div>`;
  $("view-chart").replaceChildren(); $("view-stats").replaceChildren();
  $("message").hidden = true; $("summary").replaceChildren(); $("live").textContent = "";
  $("download").classList.add("disabled"); $("copy").disabled = true; $("grid-filter").hidden = true;
  setRunning(false);
}

function renderSummary(q) {
  const s = $("summary"); s.replaceChildren();
  const chip = document.createElement("span"); chip.className = "state " + q.Status.State; chip.textContent = q.Status.State;
  s.append(chip);
  const st = q.Statistics || {};
  const parts = [];
  if (FINAL.has(q.Status.State)) parts.push(millis(st.TotalExecutionTimeInMillis));
  parts.push(`${bytes(st.DataScannedInBytes || 0)} scanned`);
  if (q.rowCount !== undefined) parts.push(`${q.rowCount.toLocaleString()} row${q.rowCount === 1 ? "" : "s"}`);
  for (const p of parts) { const e = document.createElement("span"); e.textContent = p; s.append(e); }
}

function showView(name) {
  view = name;
  document.querySelectorAll(".result-tabs button").forEach(b => b.classList.toggle("active", b.dataset.view === name));
  for (const v of ["grid", "chart", "stats"]) $("view-" + v).hidden = v !== name;
  if (name === "chart") renderChart();
}

// -- chart
function renderChart() {
  const box = $("view-chart"); box.replaceChildren();
  if (!shownResult) { box.innerHTML = `<div class="empty">Run a query to chart its result.</div>`; return; }
  const {columns, rows} = shownResult;
  let axes = shownResult.axes;
  if (!axes) { box.innerHTML = `<div class="empty">A chart needs a numeric column in the result.</div>`; return; }
  const controls = document.createElement("div"); controls.className = "chart-controls";
  const pick = (label, options, value, onChange) => {
    const l = document.createElement("label"); l.textContent = label;
    const s = document.createElement("select"); s.dataset.axis = label.toLowerCase();
    for (const [v, text] of options) { const o = document.createElement("option"); o.value = v; o.textContent = text; s.append(o); }
    s.value = String(value); s.addEventListener("change", () => onChange(s.value)); l.append(s); return l;
  };
  const cols = columns.map((c, i) => [i, c.name]);
  controls.append(
    pick("Type", [["bar", "Bar"], ["line", "Line"], ["pie", "Pie"]], axes.kind, v => { axes.kind = v; renderChart(); }),
    pick("Label", [[-2, "(all text columns)"], [-1, "(row number)"], ...cols], axes.x, v => { axes.x = +v; renderChart(); }),
    pick("Value", cols.filter(([i]) => /^(tinyint|smallint|integer|int|bigint|real|double|float|decimal)/.test(columns[i].type)), axes.y,
         v => { axes.y = +v; renderChart(); }));
  const note = document.createElement("span"); note.className = "muted small";
  note.textContent = rows.length > 50 ? "first 50 rows" : `${rows.length} rows`;
  controls.append(note);
  const chart = document.createElement("div"); chart.className = "chart";
  box.append(controls, chart);
  drawChart(chart, columns, rows, axes);
}

// -- stats
function renderStats(q) {
  const box = $("view-stats"); box.replaceChildren();
  const st = q.Statistics || {};
  const wrap = document.createElement("div"); wrap.className = "stats";
  const stat = (label, value) => {
    const d = document.createElement("div"); d.className = "stat";
    d.innerHTML = `<div class="label"></div><div class="value"></div>`;
    d.querySelector(".label").textContent = label; d.querySelector(".value").textContent = value;
    wrap.append(d); return d;
  };
  stat("State", q.Status.State);
  stat("Run time", millis(st.TotalExecutionTimeInMillis));
  stat("Data scanned", bytes(st.DataScannedInBytes || 0));
  const cost = stat("Cost", costOf(st.DataScannedInBytes || 0, state.price));
  const price = document.createElement("input"); price.type = "number"; price.min = "0"; price.step = "0.5"; price.value = state.price;
  price.title = "Price per TB scanned (Athena: $5; billed per MB rounded up, 10 MB minimum)";
  const pl = document.createElement("div"); pl.className = "label"; pl.append("at $ ", price, " / TB");
  price.addEventListener("change", () => { state.price = Math.max(0, Number(price.value) || 0); saveState(); renderStats(q); });
  cost.append(pl);
  stat("Statement", q.StatementType || "");
  const submitted = new Date(q.Status.SubmissionDateTime * 1000);
  stat("Submitted", submitted.toLocaleTimeString()).title = submitted.toString();
  // Athena's timeline: planning is part of the engine's time, so execution is what remains
  const planning = st.QueryPlanningTimeInMillis || 0;
  const parts = [["Queue", st.QueryQueueTimeInMillis, "t-queue"], ["Planning", planning, "t-plan"],
                 ["Execution", Math.max(0, (st.EngineExecutionTimeInMillis || 0) - planning), "t-exec"],
                 ["Service", st.ServiceProcessingTimeInMillis, "t-service"]];
  const sum = parts.reduce((a, p) => a + (p[1] || 0), 0) || 1;
  const tl = document.createElement("div"); tl.className = "stat timeline";
  tl.innerHTML = `<div class="label">Run time split</div><div class="bar"></div><div class="legend"></div>`;
  for (const [name, ms, cls] of parts) {
    const seg = document.createElement("span"); seg.className = cls; seg.style.width = `${100 * (ms || 0) / sum}%`; seg.title = `${name}: ${millis(ms)}`;
    tl.querySelector(".bar").append(seg);
    const l = document.createElement("span"); l.innerHTML = `<i class="swatch ${cls}"></i>`; l.append(`${name} ${millis(ms)}`);
    tl.querySelector(".legend").append(l);
  }
  wrap.append(tl);
  const where = stat("Output location", q.ResultConfiguration.OutputLocation);
  where.classList.add("timeline"); where.querySelector(".value").style.cssText = "font: 12px var(--mono); word-break: break-all";
  box.append(wrap);
}

// -- format, save
async function formatQuery() {
  const {text, from} = editor.runnable();
  try {
    const out = (await api.format(text)).sql;
    if (from === 0 && text === editor.getValue()) editor.setValue(out); else editor.insert(out);
  } catch (e) {
    if (e.body && e.body.line) editor.showError(e.body.line, e.body.column, e.message, from);
    toast(e.message);
  }
}

async function saveQuery() {
  const tab = activeTab();
  const values = await ask("Save query", [{name: "name", label: "Name", value: tab.title}, {name: "description", label: "Description", value: ""}]);
  if (!values || !values.name) return;
  try {
    await api.athena("CreateNamedQuery", {Name: values.name, Description: values.description || undefined, Database: state.database,
                                          QueryString: editor.getValue(), WorkGroup: state.workgroup});
    tab.title = values.name; saveState(); renderTabs(); toast(`Saved “${values.name}”`); loadSaved();
  } catch (e) { toast(e.message); }
}

// -- workgroups, catalog
async function loadWorkgroups() {
  const list = (await api.athena("ListWorkGroups", {})).WorkGroups.map(w => w.Name);
  if (!list.includes(state.workgroup)) state.workgroup = list.includes("primary") ? "primary" : list[0];
  fill($("workgroup"), list, state.workgroup);
}

async function loadCatalog() {
  await catalog.loadAll();
  if (!catalog.databases.includes(state.database)) state.database = catalog.databases.includes("default") ? "default" : catalog.databases[0];
  fill($("database"), catalog.databases, state.database);
  renderCatalog();
}

function fill(select, values, selected) {
  select.replaceChildren(...values.map(v => { const o = document.createElement("option"); o.value = o.textContent = v; return o; }));
  select.value = selected;
}

function renderCatalog() {
  const tree = $("catalog-tree"); tree.replaceChildren();
  const filter = $("catalog-filter").value.toLowerCase();
  const tables = (catalog.tables.get(state.database) || []).filter(t => t.Name.toLowerCase().includes(filter));
  if (!tables.length) { tree.innerHTML = `<div class="empty small">No tables${filter ? " match" : " in " + state.database}.</div>`; return; }
  for (const t of tables) {
    const isView = t.TableType === "VIRTUAL_VIEW";
    const node = treeNode(t.Name, isView ? "view" : "", isView ? "icon-view" : "icon-table", () => {
      const kids = document.createElement("div");
      for (const c of t.columnTypes) kids.append(columnNode(c));
      if (t.partitionTypes.length) {
        const p = treeNode("Partitions", "", "", () => {
          const k = document.createElement("div");
          for (const c of t.partitionTypes) { const n = columnNode(c); n.querySelector(".node").append(tag("partition")); k.append(n); }
          const show = document.createElement("div"); show.className = "node"; show.innerHTML = `<span class="twisty"></span><a class="name">Show partitions…</a>`;
          show.addEventListener("click", () => runInNewTab(`SHOW PARTITIONS ${qualified(t)}`, `${t.Name} partitions`));
          k.append(show);
          return k;
        });
        kids.append(p);
      }
      return kids;
    });
    node.dataset.table = t.Name;
    const menuBtn = document.createElement("button"); menuBtn.className = "menu-btn"; menuBtn.textContent = "⋯"; menuBtn.title = "Table actions";
    menuBtn.addEventListener("click", e => { e.stopPropagation(); tableMenu(t, menuBtn); });
    node.querySelector(".node").append(menuBtn);
    node.querySelector(".node").addEventListener("contextmenu", e => { e.preventDefault(); tableMenu(t, menuBtn); });
    tree.append(node);
  }
}

function tag(text) { const s = document.createElement("span"); s.className = "tag"; s.textContent = text; return s; }

function columnNode(c) {
  const nested = c.type.kind === "struct" || (c.type.kind === "array" && c.type.element.kind === "struct");
  const fields = c.type.kind === "struct" ? c.type.fields : nested ? c.type.element.fields : [];
  const node = treeNode(c.name, c.text.length > 28 ? typeLabel(c.type) : c.text, "", nested ? () => {
    const k = document.createElement("div");
    for (const f of fields) k.append(columnNode({name: f.name, type: f.type, text: typeLabel(f.type)}));
    return k;
  } : null);
  node.querySelector(".node").title = `${c.name}: ${c.text}`;
  node.querySelector(".node").addEventListener("dblclick", e => { e.stopPropagation(); editor.insert(c.name); });
  return node;
}

// A tree row; `children` builds its contents on first expansion.
function treeNode(name, type, icon, children) {
  const wrap = document.createElement("div");
  const row = document.createElement("div"); row.className = "node"; row.setAttribute("role", "treeitem");
  const tw = document.createElement("span"); tw.className = "twisty"; tw.textContent = children ? "▶" : "";
  row.append(tw);
  if (icon) { const i = document.createElement("span"); i.className = icon; row.append(i); }
  const n = document.createElement("span"); n.className = "name"; n.textContent = name; row.append(n);
  if (type) { const ty = document.createElement("span"); ty.className = "type"; ty.textContent = type; row.append(ty); }
  wrap.append(row);
  let kids = null;
  if (children) row.addEventListener("click", () => {
    if (!kids) { kids = children(); kids.classList.add("children"); wrap.append(kids); }
    else kids.hidden = !kids.hidden;
    tw.textContent = kids.hidden ? "▶" : "▼";
    row.setAttribute("aria-expanded", String(!kids.hidden));
  });
  return wrap;
}

function qualified(t) { return `${quoteName(state.database)}.${quoteName(t.Name)}`; }
function quoteName(n) { return /^[a-z_][a-z0-9_]*$/.test(n) ? n : `"${n.replace(/"/g, '""')}"`; }

function tableMenu(t, anchor) {
  closeMenu();
  const menu = document.createElement("div"); menu.className = "menu"; menu.id = "table-menu";
  const item = (label, fn, cls) => {
    const b = document.createElement("button"); b.textContent = label; if (cls) b.className = cls;
    b.addEventListener("click", () => { closeMenu(); fn(); }); menu.append(b);
  };
  const isView = t.TableType === "VIRTUAL_VIEW";
  item("Preview table", () => runInNewTab(`SELECT * FROM ${qualified(t)} LIMIT 10`, `${t.Name} preview`));
  item("Generate DDL", () => runInNewTab(isView ? `SHOW CREATE VIEW ${qualified(t)}` : `SHOW CREATE TABLE ${qualified(t)}`, `${t.Name} DDL`));
  if (!isView && t.partitionTypes.length) item("Load partitions", () => runInNewTab(`MSCK REPAIR TABLE ${qualified(t)}`, `${t.Name} partitions`));
  item("Insert name into editor", () => editor.insert(qualified(t)));
  menu.append(document.createElement("hr"));
  item(isView ? "Drop view…" : "Drop table…", async () => {
    const ok = await ask(`Drop ${isView ? "view" : "table"} ${qualified(t)}?`, [], isView ? "Drop view" : "Drop table",
                         isView ? "The view's definition is removed from the catalog." : "The table is removed from the catalog; its data files stay where they are.");
    if (!ok) return;
    const tab = openTab(`DROP ${isView ? "VIEW" : "TABLE"} ${qualified(t)}`, `drop ${t.Name}`);
    await run(tab.sql, tab, 0);
  }, "danger");
  document.body.append(menu);
  const r = anchor.getBoundingClientRect();
  menu.style.left = `${Math.min(r.left, innerWidth - 190)}px`; menu.style.top = `${r.bottom + 4}px`;
  anchor.setAttribute("aria-expanded", "true");
}
function closeMenu() {
  document.querySelectorAll(".menu").forEach(m => m.remove());
  document.querySelectorAll(".menu-btn[aria-expanded]").forEach(b => b.removeAttribute("aria-expanded"));
}

async function runInNewTab(sql, title) {
  const tab = openTab(sql, title);
  await run(sql, tab, 0);
}

// -- history
async function loadHistory() {
  const list = $("history-list");
  try {
    const ids = (await api.athena("ListQueryExecutions", {WorkGroup: state.workgroup, MaxResults: 50})).QueryExecutionIds;
    const items = ids.length ? (await api.athena("BatchGetQueryExecution", {QueryExecutionIds: ids})).QueryExecutions : [];
    items.sort((a, b) => b.Status.SubmissionDateTime - a.Status.SubmissionDateTime);
    list.replaceChildren(...items.map(historyItem));
    if (!items.length) list.innerHTML = `<div class="empty small">No queries in ${state.workgroup} yet.</div>`;
  } catch (e) { list.textContent = e.message; }
}

function historyItem(q) {
  const el = document.createElement("div"); el.className = "item"; el.dataset.id = q.QueryExecutionId;
  const st = q.Statistics || {};
  el.innerHTML = `<div class="meta"><span class="dot"></span><span class="st"></span><span class="when"></span><span class="spacer"></span><span class="dur"></span></div><div class="sql"></div><div class="actions"><button data-act="open">Open results</button><button data-act="rerun">Run again</button></div>`;
  el.querySelector(".dot").classList.add(q.Status.State);
  el.querySelector(".st").textContent = q.Status.State.toLowerCase();
  el.querySelector(".when").textContent = ago(q.Status.SubmissionDateTime);
  el.querySelector(".dur").textContent = `${millis(st.TotalExecutionTimeInMillis)} · ${bytes(st.DataScannedInBytes || 0)}`;
  el.querySelector(".sql").textContent = q.Query;
  el.querySelector('[data-act="open"]').addEventListener("click", () => {
    const tab = openTab(q.Query, "History"); tab.queryId = q.QueryExecutionId; tab.state = q.Status.State; saveState(); renderTabs();
    showExecution(q.QueryExecutionId, tab);
  });
  el.querySelector('[data-act="rerun"]').addEventListener("click", () => { const tab = openTab(q.Query); run(q.Query, tab, 0); });
  return el;
}

// -- saved queries
async function loadSaved() {
  const list = $("saved-list");
  try {
    const ids = (await api.athena("ListNamedQueries", {WorkGroup: state.workgroup, MaxResults: 50})).NamedQueryIds;
    const items = ids.length ? (await api.athena("BatchGetNamedQuery", {NamedQueryIds: ids})).NamedQueries : [];
    items.sort((a, b) => a.Name.localeCompare(b.Name));
    list.replaceChildren(...items.map(savedItem));
    if (!items.length) list.innerHTML = `<div class="empty small">No saved queries in ${state.workgroup}. Use Save to keep one.</div>`;
  } catch (e) { list.textContent = e.message; }
}

function savedItem(n) {
  const el = document.createElement("div"); el.className = "item"; el.dataset.id = n.NamedQueryId;
  el.innerHTML = `<div class="name"></div><div class="meta desc"></div><div class="sql"></div><div class="actions"><button data-act="open">Open</button><button data-act="run">Run</button><button data-act="rename">Rename</button><button data-act="delete" class="danger">Delete</button></div>`;
  el.querySelector(".name").textContent = n.Name;
  el.querySelector(".desc").textContent = `${n.Database}${n.Description ? " · " + n.Description : ""}`;
  el.querySelector(".sql").textContent = n.QueryString;
  el.querySelector('[data-act="open"]').addEventListener("click", () => openTab(n.QueryString, n.Name));
  el.querySelector('[data-act="run"]').addEventListener("click", () => { const tab = openTab(n.QueryString, n.Name); run(n.QueryString, tab, 0); });
  el.querySelector('[data-act="rename"]').addEventListener("click", async () => {
    const v = await ask("Rename saved query", [{name: "name", label: "Name", value: n.Name}]);
    if (!v || !v.name) return;
    await api.athena("UpdateNamedQuery", {NamedQueryId: n.NamedQueryId, Name: v.name, QueryString: n.QueryString,
                                          ...(n.Description ? {Description: n.Description} : {})}).catch(e => toast(e.message));
    loadSaved();
  });
  el.querySelector('[data-act="delete"]').addEventListener("click", async () => {
    if (!await ask(`Delete saved query “${n.Name}”?`, [], "Delete")) return;
    await api.athena("DeleteNamedQuery", {NamedQueryId: n.NamedQueryId}).catch(e => toast(e.message));
    loadSaved();
  });
  return el;
}

// -- dialogs
function ask(title, fields, okLabel = "OK", text = "") {
  const dialog = $("dialog");
  $("dialog-title").textContent = title;
  const body = $("dialog-body"); body.replaceChildren();
  if (text) { const p = document.createElement("p"); p.className = "muted"; p.textContent = text; body.append(p); }
  const inputs = fields.map(f => {
    const l = document.createElement("label"); l.textContent = f.label;
    const i = document.createElement("input"); i.name = f.name; i.value = f.value || ""; i.spellcheck = false;
    l.append(i); body.append(l); return i;
  });
  $("dialog-ok").textContent = okLabel;
  dialog.returnValue = "";
  dialog.showModal();
  if (inputs[0]) { inputs[0].focus(); inputs[0].select(); }
  return new Promise(resolve => {
    dialog.addEventListener("close", () => {
      if (dialog.returnValue !== "ok") return resolve(null);
      resolve(Object.fromEntries(inputs.map(i => [i.name, i.value])));
    }, {once: true});
  });
}

let toastTimer;
function toast(text) {
  const t = $("toast"); t.textContent = text; t.hidden = false;
  clearTimeout(toastTimer); toastTimer = setTimeout(() => { t.hidden = true; }, 2500);
}

boot();
