#!/usr/bin/env node
// An https front on loopback for real clients that refuse an http
// authorization server (Auggie's OAuth library), before `mcpcompat proxy` or,
// for a setup recorded inside its server (Better Auth), before the server
// itself: each of the proxy's listeners (http://127.0.0.1:P, announced on its
// standard error as "proxying … at http://127.0.0.1:P"; ci/predict writes
// such a line for a server) gets an https listener of its own, with a
// throwaway certificate; requests are passed on unchanged but for the front's
// URLs, which become the proxy's again, and answers come back with the
// proxy's URLs made the front's (headers and text bodies; event streams pass
// as they are). Everything else, the client's own loopback callback included,
// is left alone. The proxy (or the server) records what it sees: the requests
// as the server gets them.
//   tls-front.js CERT KEY PROXY-STDERR-FILE PROXY-URL
// Prints the front's URL for PROXY-URL on its first line; runs until SIGTERM.
"use strict";
const fs = require("fs");
const http = require("http");
const https = require("https");
const [cert, key, errFile, proxyUrl] = process.argv.slice(2);
if (!cert || !key || !errFile || !proxyUrl) {
  console.error("usage: tls-front.js CERT KEY PROXY-STDERR-FILE PROXY-URL");
  process.exit(2);
}
const tlsOpts = { cert: fs.readFileSync(cert), key: fs.readFileSync(key) };
const fronts = new Map(); // proxy port -> front port
const pending = new Map(); // proxy port -> Promise of the front port

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
// the spellings a URL takes in a document or a query: plain, percent-encoded,
// and encoded twice (a query carried inside a form field: Better Auth's login
// form posts its signed authorization query, resource=https%3A… encoded again)
function swap(text, from, to) {
  let t = text.split(from).join(to);
  for (let ef = from, et = to, i = 0; i < 2; i++) {
    ef = encodeURIComponent(ef);
    et = encodeURIComponent(et);
    t = t.replace(new RegExp(esc(ef), "gi"), et);
  }
  return t;
}
const toProxy = (t) => {
  for (const [p, f] of fronts) t = swap(t, `https://127.0.0.1:${f}`, `http://127.0.0.1:${p}`);
  return t;
};
const toFront = (t) => {
  for (const [p, f] of fronts) t = swap(t, `http://127.0.0.1:${p}`, `https://127.0.0.1:${f}`);
  return t;
};

function front(pport) {
  if (pending.has(pport)) return pending.get(pport);
  const p = new Promise((resolve) => {
    const srv = https.createServer(tlsOpts, (req, res) => handle(pport, req, res));
    srv.listen(0, "127.0.0.1", () => {
      fronts.set(pport, srv.address().port);
      resolve(srv.address().port);
    });
  });
  pending.set(pport, p);
  return p;
}
// the proxy's listeners so far (it starts one for each origin it meets)
async function learn() {
  let text = "";
  try { text = fs.readFileSync(errFile, "utf8"); } catch { /* not yet */ }
  for (const m of text.matchAll(/ at http:\/\/127\.0\.0\.1:(\d+)/g)) await front(Number(m[1]));
}

function handle(pport, req, res) {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", async () => {
    await learn();
    let body = Buffer.concat(chunks);
    if (body.length) body = Buffer.from(toProxy(body.toString("utf8")), "utf8");
    const headers = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (["content-length", "accept-encoding", "host"].includes(k)) continue;
      headers[k] = Array.isArray(v) ? v.map(toProxy) : toProxy(String(v));
    }
    headers.host = `127.0.0.1:${pport}`;
    if (body.length) headers["content-length"] = body.length;
    const up = http.request({ host: "127.0.0.1", port: pport, method: req.method, path: toProxy(req.url), headers,
      timeout: 60000 }, async (ur) => {
      const type = String(ur.headers["content-type"] || "");
      const out = {};
      for (const [k, v] of Object.entries(ur.headers)) {
        if (["content-length", "transfer-encoding", "connection"].includes(k)) continue;
        out[k] = v;
      }
      if (/event-stream/.test(type)) {
        res.writeHead(ur.statusCode, out);
        ur.pipe(res);
        return;
      }
      const got = [];
      ur.on("data", (c) => got.push(c));
      ur.on("end", async () => {
        await learn(); // an origin met in this answer has a listener now
        for (const [k, v] of Object.entries(out)) out[k] = Array.isArray(v) ? v.map(toFront) : toFront(String(v));
        let b = Buffer.concat(got);
        if (b.length && /json|text|html|xml|javascript|urlencoded/.test(type)) b = Buffer.from(toFront(b.toString("utf8")), "utf8");
        out["content-length"] = b.length;
        res.writeHead(ur.statusCode, out);
        res.end(b);
      });
    });
    up.on("timeout", () => up.destroy(new Error("timeout")));
    up.on("error", (e) => { if (!res.headersSent) res.writeHead(502); res.end(`tls-front: ${e.message}`); });
    up.end(body.length ? body : undefined);
  });
}

(async () => {
  const u = new URL(proxyUrl);
  const f = await front(Number(u.port));
  console.log(`https://127.0.0.1:${f}${u.pathname}${u.search}`);
})();
process.on("SIGTERM", () => process.exit(0));
