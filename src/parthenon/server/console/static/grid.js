// The result grid: virtualised (only the rows in view exist in the DOM) and paged (rows
// are fetched PAGE at a time as they scroll into view, never the whole result at once).
// Sorting needs every row, so it loads the remaining pages first, up to SORT_LIMIT rows.
const ROW = 28, PAGE = 1000, OVERSCAN = 10, SORT_LIMIT = 1_000_000;
const NUMERIC = /^(tinyint|smallint|integer|int|bigint|real|double|float|decimal)/;

export class Grid {
  constructor(container, {columns, total, fetchRows, onSelect, sample = []}) {
    this.container = container;
    this.columns = columns;
    this.total = total;
    this.fetchRows = fetchRows;           // (offset, limit) -> Promise<rows>
    this.onSelect = onSelect || (() => {});
    this.pages = new Map();               // page index -> rows, or a pending Promise
    this.order = null;                    // sorted row indices when sorted
    this.sort = null;                     // {column, dir}
    this.selected = null;                 // {row, col} | {rows: Set}
    this.filter = "";
    this.numeric = columns.map(c => NUMERIC.test(c.type));
    // widths from the header and the first rows: wide enough for typical values, capped
    this.widths = columns.map((c, j) => {
      let chars = c.name.length + c.type.length * 0.9 + 2;
      for (const r of sample.slice(0, 200)) chars = Math.max(chars, r[j] === null ? 4 : r[j].length);
      return Math.round(Math.min(480, Math.max(72, 22 + 7.6 * (chars + 1))));
    });
    this.numberWidth = Math.max(48, 20 + 7.6 * String(total).length);
    this.build();
  }

  build() {
    this.container.innerHTML = "";
    const el = this.el = document.createElement("div");
    el.className = "grid"; el.tabIndex = 0;
    this.head = document.createElement("div"); this.head.className = "grid-head";
    this.body = document.createElement("div"); this.body.className = "grid-body";
    el.append(this.head, this.body);
    this.container.append(el);
    this.renderHead();
    this.resize();
    el.addEventListener("scroll", () => this.schedule());
    el.addEventListener("keydown", e => {
      if ((e.ctrlKey || e.metaKey) && e.key === "c") { this.copy(); e.preventDefault(); }
    });
    new ResizeObserver(() => this.schedule()).observe(el);
    this.schedule();
  }

  get count() { return this.order ? this.order.length : this.total; }

  resize() { this.body.style.height = `${this.count * ROW}px`; this.body.style.width = `${this.rowWidth()}px`; }
  rowWidth() { return this.numberWidth + this.widths.reduce((a, b) => a + b, 0); }

  renderHead() {
    this.head.innerHTML = "";
    const corner = cell("#", "rownum"); corner.style.width = `${this.numberWidth}px`; this.head.append(corner);
    this.columns.forEach((c, i) => {
      const h = cell("", this.numeric[i] ? "num" : "");
      h.style.width = `${this.widths[i]}px`;
      h.title = `${c.name} ${c.type} — click to sort`;
      h.dataset.col = i;
      const name = document.createElement("span"); name.textContent = c.name;
      const type = document.createElement("span"); type.className = "type"; type.textContent = c.type;
      h.append(name, type);
      if (this.sort && this.sort.column === i) {
        const a = document.createElement("span"); a.className = "arrow"; a.textContent = this.sort.dir > 0 ? "▲" : "▼"; h.append(a);
      }
      h.addEventListener("click", () => this.sortBy(i));
      this.head.append(h);
    });
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = null; this.render(); });
  }

  rowAt(i) {   // the row at display position i, or undefined while its page is loading
    const index = this.order ? this.order[i] : i;
    const page = this.pages.get(Math.floor(index / PAGE));
    return Array.isArray(page) ? page[index % PAGE] : undefined;
  }

  load(page) {
    if (this.pages.has(page)) return Promise.resolve(this.pages.get(page));
    const pending = this.fetchRows(page * PAGE, PAGE).then(rows => { this.pages.set(page, rows); this.schedule(); return rows; },
      e => { this.pages.delete(page); throw e; });
    this.pages.set(page, pending);
    return pending;
  }

  render() {
    const top = this.el.scrollTop, height = this.el.clientHeight || 400;
    const first = Math.max(0, Math.floor(top / ROW) - OVERSCAN);
    const last = Math.min(this.count, Math.ceil((top + height) / ROW) + OVERSCAN);
    const frag = document.createDocumentFragment();
    for (let i = first; i < last; i++) {
      const row = this.rowAt(i);
      if (row === undefined && !this.order) this.load(Math.floor(i / PAGE)).catch(() => {});
      const index = this.order ? this.order[i] : i;
      const r = document.createElement("div");
      r.className = "grid-row"; r.style.top = `${i * ROW}px`; r.dataset.row = index;
      if (this.selected && this.selected.rows && this.selected.rows.has(index)) r.classList.add("selected");
      const num = cell(String(index + 1), "rownum"); num.style.width = `${this.numberWidth}px`;
      num.addEventListener("click", e => this.selectRow(index, e.shiftKey));
      r.append(num);
      this.columns.forEach((c, j) => {
        const d = cell("", this.numeric[j] ? "num" : "");
        d.style.width = `${this.widths[j]}px`;
        if (row === undefined) d.textContent = "…";
        else renderValue(d, row[j]);
        if (this.selected && this.selected.row === index && this.selected.col === j) d.classList.add("selected");
        d.addEventListener("click", () => this.selectCell(index, j));
        r.append(d);
      });
      frag.append(r);
    }
    this.body.replaceChildren(frag);
  }

  selectCell(row, col) {
    this.selected = {row, col};
    this.render(); this.el.focus({preventScroll: true});
    this.onSelect(this.valueOf(row, col), this.columns[col]);
  }

  selectRow(row, extend) {
    const rows = extend && this.selected && this.selected.rows ? this.selected.rows : new Set();
    if (extend && this.selected && this.selected.rows && this.selected.last !== undefined) {
      // a range of rows as shown: positions in the sorted order when sorted
      const pos = i => (this.order ? this.order.indexOf(i) : i);
      const [a, b] = [pos(this.selected.last), pos(row)].sort((x, y) => x - y);
      for (let p = a; p <= b; p++) rows.add(this.order ? this.order[p] : p);
    } else rows.add(row);
    this.selected = {rows, last: row};
    this.render(); this.el.focus({preventScroll: true});
    this.onSelect(null);
  }

  valueOf(index, col) {
    const page = this.pages.get(Math.floor(index / PAGE));
    return Array.isArray(page) ? page[index % PAGE][col] : undefined;
  }

  // Tab-separated text of the selection: a cell's value, or whole rows with a header.
  selectionText() {
    if (!this.selected) return "";
    if (this.selected.rows) {
      const lines = [this.columns.map(c => c.name).join("\t")];
      // in the order shown (sorted or not)
      const position = this.order ? new Map(this.order.map((index, at) => [index, at])) : null;
      const at = i => (position ? position.get(i) ?? Infinity : i);
      for (const i of [...this.selected.rows].sort((a, b) => at(a) - at(b)))
        lines.push(this.columns.map((_, j) => this.valueOf(i, j) ?? "").join("\t"));
      return lines.join("\n");
    }
    return this.valueOf(this.selected.row, this.selected.col) ?? "";
  }

  async copy() {
    const text = this.selectionText();
    if (!text) return false;
    try { await navigator.clipboard.writeText(text); }
    catch (e) {   // no clipboard permission (plain http on another host): the old way
      const t = document.createElement("textarea"); t.value = text; document.body.append(t); t.select();
      document.execCommand("copy"); t.remove();
    }
    return text;
  }

  async loadAll() {
    const pages = Math.ceil(this.total / PAGE);
    for (let p = 0; p < pages; p++) await this.load(p);
  }

  async sortBy(col) {
    if (this.total > SORT_LIMIT) throw new Error(`Sorting needs every row; this result has ${this.total}. Add ORDER BY to the query.`);
    await this.loadAll();
    const dir = this.sort && this.sort.column === col ? -this.sort.dir : 1;
    this.sort = {column: col, dir};
    const numeric = this.numeric[col];
    const values = [];
    for (let i = 0; i < this.total; i++) values.push(this.valueOf(i, col));
    const key = numeric ? values.map(v => (v === null ? null : Number(v))) : values;
    const idx = this.filtered();
    idx.sort((a, b) => {
      const x = key[a], y = key[b];
      if (x === y) return a - b;
      if (x === null) return 1;            // NULLs last, either direction
      if (y === null) return -1;
      return (numeric ? x - y : (x < y ? -1 : 1)) * dir;
    });
    this.order = idx;
    this.renderHead(); this.resize(); this.render();
  }

  filtered() {
    const idx = [];
    const needle = this.filter.toLowerCase();
    for (let i = 0; i < this.total; i++) {
      if (!needle) { idx.push(i); continue; }
      const page = this.pages.get(Math.floor(i / PAGE));
      if (Array.isArray(page) && page[i % PAGE].some(v => v !== null && v.toLowerCase().includes(needle))) idx.push(i);
    }
    return idx;
  }

  async setFilter(text) {
    this.filter = text;
    if (!text && !this.sort) { this.order = null; }
    else {
      await this.loadAll();
      if (this.sort) { const s = this.sort; this.sort = {column: s.column, dir: -s.dir}; return this.sortBy(s.column); }
      this.order = this.filtered();
    }
    this.el.scrollTop = 0; this.resize(); this.render();
  }
}

function cell(text, cls) {
  const d = document.createElement("div");
  d.className = "cell" + (cls ? " " + cls : "");
  d.textContent = text;
  return d;
}

// NULL in grey italics; Athena's text for structs, maps and arrays ({k=v, ...}, [a, b])
// with its punctuation and keys tinted so nested values can be read at a glance.
function renderValue(d, v) {
  if (v === null) { const s = document.createElement("span"); s.className = "null"; s.textContent = "NULL"; d.append(s); return; }
  d.title = v.length > 40 ? v.slice(0, 2000) : "";
  if (v.length > 1 && (v[0] === "{" || v[0] === "[") && v.length < 4000) {
    const re = /([{}\[\],])|([\w.$-]+)(=)/g;
    let last = 0, m;
    while ((m = re.exec(v))) {
      if (m.index > last) d.append(v.slice(last, m.index));
      if (m[1]) { const s = document.createElement("span"); s.className = "nest"; s.textContent = m[1]; d.append(s); }
      else { const k = document.createElement("span"); k.className = "key"; k.textContent = m[2]; d.append(k, "="); }
      last = re.lastIndex;
    }
    d.append(v.slice(last));
    return;
  }
  d.textContent = v;
}

// An Athena nested value, laid out one member a line for the inspector.
export function prettyNested(v) {
  if (v === null || v === undefined) return "NULL";
  if (!(v[0] === "{" || v[0] === "[")) return v;
  let out = "", depth = 0;
  const pad = () => "\n" + "  ".repeat(depth);
  for (let i = 0; i < v.length; i++) {
    const ch = v[i];
    if (ch === "{" || ch === "[") { depth++; out += ch + pad(); }
    else if (ch === "}" || ch === "]") { depth--; out += pad() + ch; }
    else if (ch === "," && v[i + 1] === " ") { out += "," + pad(); i++; }
    else out += ch;
  }
  return out;
}
