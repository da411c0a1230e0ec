// The console's calls to its server. Athena actions go to /console/api/athena/<Action>
// and run, server-side, through the API's own dispatch as the signed-in key.
let csrf = null;   // kept in memory only: a reload asks the server again

export class ApiError extends Error {
  constructor(status, body) {
    super(body.Message || body.message || `HTTP ${status}`);
    this.status = status; this.body = body;
  }
}

export function setCsrf(token) { csrf = token; }

async function send(method, path, body) {
  const headers = {};
  if (method === "POST") { headers["Content-Type"] = "application/json"; if (csrf) headers["X-CSRF-Token"] = csrf; }
  const response = await fetch(path, {method, headers, credentials: "same-origin",
                                      body: body === undefined ? undefined : JSON.stringify(body)});
  const text = await response.text();
  let data = {};
  try { data = text ? JSON.parse(text) : {}; } catch (e) { data = {message: text}; }
  if (!response.ok) {
    if (response.status === 401 && path !== "/console/api/signin") window.dispatchEvent(new Event("signed-out"));
    throw new ApiError(response.status, data);
  }
  return data;
}

export const session = () => send("GET", "/console/api/session");
export const signIn = (accessKeyId, secretAccessKey) =>
  send("POST", "/console/api/signin", {accessKeyId, secretAccessKey});
export const signOut = () => send("POST", "/console/api/signout", {});
export const athena = (action, params = {}) => send("POST", `/console/api/athena/${action}`, params);
export const rows = (QueryExecutionId, Offset, Limit) =>
  send("POST", "/console/api/rows", {QueryExecutionId, Offset, Limit});
export const progress = QueryExecutionId => send("POST", "/console/api/progress", {QueryExecutionId});
export const format = sql => send("POST", "/console/api/format", {sql});
export const csvUrl = id => `/console/api/csv/${encodeURIComponent(id)}`;
