// The catalog as the console knows it: databases, tables with their column types (parsed
// into trees, so struct fields can be browsed and completed), and the completion model.
import {athena} from "./api.js";
import {KEYWORDS, FUNCTIONS, TYPES} from "./sqlwords.js";

// "struct<a:string,b:array<struct<c:int>>>" -> {kind, name, fields|element|key/value}
export function parseType(text) {
  let i = 0;
  const s = String(text || "");
  function name() {
    const m = /^[^<>,:()\s]+(\([^)]*\))?/.exec(s.slice(i).trimStart());
    const skipped = s.slice(i).length - s.slice(i).trimStart().length;
    i += skipped + (m ? m[0].length : 0);
    return m ? m[0] : "";
  }
  function type() {
    const base = name();
    const lower = base.toLowerCase();
    if (s[i] !== "<") return {kind: "scalar", name: base};
    i++;  // <
    let node;
    if (lower === "struct" || lower === "row") {
      const fields = [];
      while (i < s.length && s[i] !== ">") {
        const field = name();
        if (s[i] === ":") i++;
        fields.push({name: field, type: type()});
        if (s[i] === ",") i++;
      }
      node = {kind: "struct", name: base, fields};
    } else if (lower === "map") {
      const key = type(); if (s[i] === ",") i++;
      node = {kind: "map", name: base, key, value: type()};
    } else {
      node = {kind: "array", name: base, element: type()};
    }
    if (s[i] === ">") i++;
    return node;
  }
  try { return type(); } catch (e) { return {kind: "scalar", name: s}; }
}

export function typeLabel(t) {
  if (t.kind === "scalar") return t.name;
  if (t.kind === "struct") return "struct";
  if (t.kind === "map") return `map<${typeLabel(t.key)},${typeLabel(t.value)}>`;
  return `array<${typeLabel(t.element)}>`;
}

export class Catalog {
  constructor() { this.databases = []; this.tables = new Map(); }   // db -> [table metadata]

  async loadDatabases() {
    const out = []; let token;
    do {
      const page = await athena("ListDatabases", {CatalogName: "AwsDataCatalog", ...(token ? {NextToken: token} : {})});
      out.push(...page.DatabaseList.map(d => d.Name)); token = page.NextToken;
    } while (token);
    this.databases = out;
    return out;
  }

  async loadTables(database) {
    const out = []; let token;
    do {
      const page = await athena("ListTableMetadata", {CatalogName: "AwsDataCatalog", DatabaseName: database,
                                                      MaxResults: 50, ...(token ? {NextToken: token} : {})});
      out.push(...page.TableMetadataList); token = page.NextToken;
    } while (token);
    for (const t of out) {
      t.columnTypes = (t.Columns || []).map(c => ({name: c.Name, type: parseType(c.Type), text: c.Type}));
      t.partitionTypes = (t.PartitionKeys || []).map(c => ({name: c.Name, type: parseType(c.Type), text: c.Type}));
    }
    this.tables.set(database, out);
    return out;
  }

  async loadAll() {
    await this.loadDatabases();
    await Promise.all(this.databases.map(d => this.loadTables(d).catch(() => [])));
  }

  table(database, name) {
    return (this.tables.get(database) || []).find(t => t.Name.toLowerCase() === String(name).toLowerCase());
  }

  // Completions for `a.b.c.<word>`: parts = ["a","b","c"]; `doc` names the tables in use.
  complete(parts, word, doc, database) {
    const lower = word.toLowerCase();
    const match = label => label.toLowerCase().startsWith(lower);
    const out = [];
    const add = (label, type, detail, boost = 0) => { if (match(label)) out.push({label, type, detail, boost}); };
    const inUse = this.tablesIn(doc, database);
    if (!parts.length) {
      for (const t of inUse) for (const c of [...t.table.columnTypes, ...t.table.partitionTypes])
        add(c.name, "property", typeLabel(c.type), 3);
      for (const t of this.tables.get(database) || []) add(t.Name, "class", t.TableType === "VIRTUAL_VIEW" ? "view" : "table", 2);
      for (const d of this.databases) add(d, "namespace", "database", 1);
      for (const k of KEYWORDS) add(k, "keyword", "", 0);
      for (const f of FUNCTIONS) add(f, "function", "function", 0);
      for (const ty of TYPES) add(ty, "type", "type", -1);
      return dedupe(out);
    }
    for (const node of this.resolve(parts, inUse, database)) {
      if (node.database) for (const t of this.tables.get(node.database) || []) add(t.Name, "class", "table", 2);
      for (const c of node.columns || []) add(c.name, "property", typeLabel(c.type), 3);
    }
    return dedupe(out);
  }

  // What a dotted prefix stands for: a database (its tables), a table or alias (its columns),
  // or a struct-typed column or field (its fields).
  resolve(parts, inUse, database) {
    const head = parts[0].replace(/"/g, "").toLowerCase();
    let starts = [];
    if (this.databases.some(d => d.toLowerCase() === head)) {
      if (parts.length === 1) return [{database: head}];
      const t = this.table(head, parts[1].replace(/"/g, ""));
      if (t) starts.push({columns: allColumns(t), rest: parts.slice(2)});
    }
    for (const u of inUse)
      if (u.alias === head || u.table.Name.toLowerCase() === head) starts.push({columns: allColumns(u.table), rest: parts.slice(1)});
    const t = this.table(database, head);
    if (t && !inUse.some(u => u.table === t)) starts.push({columns: allColumns(t), rest: parts.slice(1)});
    for (const u of inUse) starts.push({columns: allColumns(u.table), rest: parts});   // a column of a table in use
    const found = [];
    for (const start of starts) {
      let columns = start.columns;
      for (const part of start.rest) {
        const c = columns.find(c => c.name.toLowerCase() === part.replace(/"/g, "").toLowerCase());
        columns = c && c.type.kind === "struct" ? c.type.fields : null;
        if (!columns) break;
      }
      if (columns) found.push({columns});
    }
    return found;
  }

  // Tables named after FROM / JOIN in the text, with their aliases; before the query
  // names any (SELECT typed first), every table of the current database.
  tablesIn(doc, database) {
    const out = this.named(doc, database);
    return out.length ? out : (this.tables.get(database) || []).map(table => ({table, alias: ""}));
  }

  named(doc, database) {
    const out = [];
    const re = /\b(?:from|join)\s+((?:"?[\w$]+"?\.)?"?[\w$]+"?)(?:\s+(?:as\s+)?(?!(?:where|join|on|left|right|inner|full|cross|group|order|limit|union|having|natural|using|with|tablesample)\b)([A-Za-z_][\w$]*))?/gi;
    let m;
    while ((m = re.exec(doc))) {
      const name = m[1].replace(/"/g, "");
      const [db, tname] = name.includes(".") ? name.split(".") : [database, name];
      const table = this.table(db, tname);
      if (table) out.push({table, alias: (m[2] || "").toLowerCase()});
    }
    return out;
  }
}

function allColumns(t) { return [...t.columnTypes, ...t.partitionTypes]; }

function dedupe(options) {
  const seen = new Set();
  return options.filter(o => { const k = o.label + "|" + o.type; if (seen.has(k)) return false; seen.add(k); return true; });
}
