#!/usr/bin/env node
// The real outcome of one real client's run, read off what went over the
// wire: `mcpcompat proxy --record` (one JSON object per request) and the
// browser stand-in's log. Prints one JSON object:
//   {"outcome": "pass"|"broke"|"no-run", "step": null|"<step id>",
//    "evidence": "<trace line: the request and its answer>"}
// Steps are mcpcompat's (DESIGN.md §4). The client connected ("pass") when an
// authorized MCP request was answered 2xx. Otherwise it stopped at the
// furthest step it reached: that step when its last attempt failed or when
// the client did nothing with what it got (a rejected metadata document, an
// authorization response it refused, a token it did not use); the
// registration step when it had the authorization server's metadata and
// went no further (no way to obtain a client). "no-run": the client sent
// nothing, a harness failure, never a verdict.
//   outcome.js TRACE.jsonl MCP-PATH [BROWSER-LOG]
"use strict";
const fs = require("fs");
const [trace, mcpPath, browserLog] = process.argv.slice(2);
const lines = fs.existsSync(trace) ? fs.readFileSync(trace, "utf8").split("\n").filter((l) => l.trim()) : [];
const STEPS = ["probe", "resource-metadata", "as-metadata", "registration", "authorization", "token", "mcp-call"];
const auth = (r) => {
  const h = r.headers || {};
  for (const k of Object.keys(h)) if (k.toLowerCase() === "authorization") return String(h[k]);
  return "";
};
const body = (r) => (r.body && typeof r.body === "object" ? r.body : {});
const rpc = (r) => (body(r).method ? String(body(r).method) : "");
function classify(r) {
  const p = r.path || "", q = r.query || {};
  if (p.includes("/.well-known/oauth-protected-resource")) return "resource-metadata";
  if (p.includes("/.well-known/oauth-authorization-server") || p.includes("/.well-known/openid-configuration"))
    return "as-metadata";
  if (p === mcpPath || p === mcpPath + "/") return /^Bearer\s/i.test(auth(r)) ? "mcp-call" : "probe";
  const b = body(r);
  if (r.method === "POST" && (Array.isArray(b.redirect_uris) || /\/(reg|register|registration)$/.test(p)))
    return "registration";
  if (r.method === "POST" && b.grant_type === "authorization_code") return "token";
  // recorded from inside the server (wire-log.cjs): no request body, the path tells
  if (r.method === "POST" && r.body == null && /\/token$/.test(p)) return "token";
  if (r.method === "POST" && b.grant_type === "refresh_token") return "refresh";
  if (q.response_type || /\/(authorize|auth|interaction|login|consent|sign-in)\b/.test(p)) return "authorization";
  return "other";
}
const reqs = lines.map((l, i) => {
  let r;
  try { r = JSON.parse(l); } catch { return null; }
  return { n: i + 1, r, step: classify(r), ok: r.status >= 200 && r.status < 400 };
}).filter(Boolean);
const ev = (x) => {
  const r = x.r, resp = r.response && typeof r.response === "object" ? r.response : null;
  const err = resp && (resp.error || resp.message)
    ? ` ${resp.error || ""}${resp.error_description ? ": " + String(resp.error_description).slice(0, 140) : resp.message ? ": " + String(resp.message).slice(0, 140) : ""}`
    : "";
  const m = rpc(r) ? ` (${rpc(r)})` : "";
  return `${process.env.OUTCOME_LABEL || trace.replace(/.*\//, "")}:${x.n}: ${r.method} ${r.path}${m} -> ${r.status}${err}`;
};
const out = (outcome, step, evidence) => { console.log(JSON.stringify({ outcome, step, evidence })); process.exit(0); };

if (!reqs.length) out("no-run", null, "the client sent nothing through the proxy");
const mcpOk = reqs.filter((x) => x.step === "mcp-call" && x.ok && x.r.method === "POST");
if (mcpOk.length) {
  const tl = mcpOk.find((x) => rpc(x.r) === "tools/list") || mcpOk[0];
  out("pass", null, ev(tl));
}
// authorization errors come back to the client in a redirect: the browser
// stand-in's log has them (form-browser.js keeps `error`, cuts the rest)
const blog = browserLog && fs.existsSync(browserLog) ? fs.readFileSync(browserLog, "utf8") : "";
const authErr = /-> 30\d (\S+)\?… error=([^\s]+)(.*)$/m.exec(blog);
// (a Location recorded by wire-log.cjs shows such an error too)
const stopped = /stopped: (4\d\d|5\d\d)(.*)$/m.exec(blog);
let far = -1;
for (const x of reqs) far = Math.max(far, STEPS.indexOf(x.step));
if (far < 0) out("no-run", null, `no handshake request among ${reqs.length}`);
const step = STEPS[far], ofStep = reqs.filter((x) => x.step === step), last = ofStep[ofStep.length - 1];
if (step === "authorization") {
  if (authErr) out("broke", step, `browser: redirect to ${authErr[1]} with error=${authErr[2]}${authErr[3]}`);
  if (stopped) out("broke", step, `browser: ${stopped[0].slice(0, 200)}`);
  const bad = ofStep.find((x) => !x.ok);
  out("broke", step, bad ? ev(bad) : `${ev(last)}; the client did not exchange the code`);
}
if (step === "probe") out("broke", step, ev(last));
if (ofStep.some((x) => x.ok) && step === "as-metadata") {
  const ok = [...ofStep].reverse().find((x) => x.ok);
  out("broke", "registration", `${ev(ok)}; then no registration and no authorization request`);
}
if (!ofStep.some((x) => x.ok)) out("broke", step, ev(last));
out("broke", step, `${ev(last)}; the client went no further`);
