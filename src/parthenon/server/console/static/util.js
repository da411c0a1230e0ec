// Small pure helpers: `?` parameters, sizes, durations, cost.

// Count `?` placeholders outside strings, quoted names and comments.
export function parameterCount(sql) {
  let n = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'" || c === '"' || c === "`") {
      const end = sql.indexOf(c, i + 1);
      i = end < 0 ? sql.length : end;        // '' inside a string re-enters here harmlessly
    } else if (c === "-" && sql[i + 1] === "-") {
      const end = sql.indexOf("\n", i); i = end < 0 ? sql.length : end;
    } else if (c === "/" && sql[i + 1] === "*") {
      const end = sql.indexOf("*/", i + 2); i = end < 0 ? sql.length : end + 1;
    } else if (c === "?") n++;
  }
  return n;
}

export function bytes(n) {
  if (!n) return "0 B";
  const units = ["B", "KB", "MB", "GB", "TB", "PB"];
  const i = Math.min(units.length - 1, Math.floor(Math.log(n) / Math.log(1024)));
  return `${(n / 1024 ** i).toFixed(i ? (n / 1024 ** i < 10 ? 2 : 1) : 0)} ${units[i]}`;
}

export function millis(ms) {
  if (ms === undefined || ms === null) return "–";
  return ms < 1000 ? `${Math.round(ms)} ms` : ms < 60000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.floor(ms / 60000)} min ${Math.round(ms % 60000 / 1000)} s`;
}

// Athena's bill: per TB scanned, each query rounded up to the MB with a 10 MB minimum.
export function costOf(scanned, pricePerTB) {
  if (!scanned) return "$0.00";
  const billed = Math.max(10, Math.ceil(scanned / 2 ** 20)) * 2 ** 20;
  const cost = billed / 2 ** 40 * pricePerTB;
  return cost < 0.01 ? `$${cost.toFixed(6)}` : `$${cost.toFixed(2)}`;
}

export function ago(seconds) {
  const d = Date.now() / 1000 - seconds;
  if (d < 60) return "just now";
  if (d < 3600) return `${Math.floor(d / 60)} min ago`;
  if (d < 86400) return `${Math.floor(d / 3600)} h ago`;
  return new Date(seconds * 1000).toLocaleString();
}
