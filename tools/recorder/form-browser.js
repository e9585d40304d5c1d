#!/usr/bin/env node
// A headless stand-in for a person's web browser that can log in: given the
// authorization URL a real client opened, it GETs it, follows redirects by
// hand (only to loopback), and fills and submits the HTML forms it meets
// (login: the text field and the password field; consent: the form's own
// button) until it reaches a
// page without a form (the client's callback page, or an error page).
// Like Chromium it keeps its own cookies (per host:port) and sends `Origin`
// and `Referer` on form posts. It never leaves loopback.
//   form-browser.js URL
// Environment: FORM_USER, FORM_PASSWORD (the login; defaults alice / any),
// FAKE_BROWSER_LOG (where it writes what it did, one line each; no cookies,
// no passwords, no codes: query strings are cut), FAKE_BROWSER_CACERT (a CA
// to trust for https on loopback), FORM_PRINT_FINAL=1 (the redirect it stops
// at because it is not loopback, e.g. https://vscode.dev/redirect?code=…, is
// printed whole on stdout for the caller to deliver; never logged whole).
"use strict";
const http = require("http");
const https = require("https");
const fs = require("fs");
const { say, short, loopback } = require("./browser-log");
const user = process.env.FORM_USER || "alice";
const password = process.env.FORM_PASSWORD || "mcpcompat-test-password";
const UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
// https on loopback (a server with a throwaway certificate): the CA it is told to trust
const ca = process.env.FAKE_BROWSER_CACERT ? fs.readFileSync(process.env.FAKE_BROWSER_CACERT) : undefined;
const jar = new Map(); // host:port -> Map(name -> value)

function request(method, url, body, headers) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const cookies = jar.get(u.host);
    const h = { "User-Agent": UA, Accept: "text/html,application/xhtml+xml,*/*;q=0.8", ...headers };
    if (cookies && cookies.size) h.Cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    if (body !== undefined) {
      h["Content-Type"] = "application/x-www-form-urlencoded";
      h["Content-Length"] = Buffer.byteLength(body);
    }
    const tls = u.protocol === "https:";
    const req = (tls ? https : http).request(u, { method, headers: h, timeout: 20000, ...(tls && ca ? { ca } : {}) }, (res) => {
      for (const c of [].concat(res.headers["set-cookie"] || [])) {
        const m = /^([^=;]+)=([^;]*)/.exec(c);
        if (!m) continue;
        if (!jar.has(u.host)) jar.set(u.host, new Map());
        if (/expires=Thu, 01 Jan 1970/i.test(c) || /max-age=0/i.test(c)) jar.get(u.host).delete(m[1]);
        else jar.get(u.host).set(m[1], m[2]);
      }
      let data = "";
      res.setEncoding("utf8");
      res.on("data", (d) => { if (data.length < 1 << 20) data += d; });
      res.on("end", () => resolve({ status: res.statusCode, location: res.headers.location, body: data }));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

// a page's visible text, for the log: no head, scripts, styles or tags
const text = (html) => html.replace(/<(head|script|style)\b[\s\S]*?<\/\1>/gi, " ")
  .replace(/<[^>]*>/g, " ").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&")
  .replace(/\s+/g, " ").trim();
// character references in an attribute value, as a browser reads them
const NAMED = { amp: "&", quot: '"', apos: "'", lt: "<", gt: ">", nbsp: "\u00a0" };
const decode = (v) => v.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e) =>
  e[0] === "#" ? String.fromCodePoint(parseInt(e[1] === "x" || e[1] === "X" ? e.slice(2) : e.slice(1), e[1] === "x" || e[1] === "X" ? 16 : 10))
    : NAMED[e.toLowerCase()] ?? m);
const attr = (tag, name) => {
  const m = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, "i").exec(tag);
  return m ? decode(m[2] ?? m[3] ?? m[4]) : null;
};

// The first form of the page, filled: a password field gets the password,
// the text field beside it the user name, hidden fields keep their values;
// of the named submit buttons the one a person who wants to connect clicks
// (approve, allow, accept, continue…; never deny or cancel) is sent as
// clicked, else the first that is not a refusal.
const YES = /approve|allow|accept|authori[sz]e|consent|continue|confirm|grant|yes|sign.?in|log.?in|submit/i;
const NO = /deny|cancel|reject|decline|abort|refuse|\bno\b/i;
function fill(html) {
  const f = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  if (!f) return null;
  const fields = [];
  const buttons = [];
  for (const m of f[2].matchAll(/<(input|button)\b([^>]*)>/gi)) {
    const tag = m[2], type = (attr(tag, "type") || (m[1].toLowerCase() === "button" ? "submit" : "text")).toLowerCase();
    const name = attr(tag, "name");
    if (!name) continue;
    if (type === "submit") { buttons.push([name, attr(tag, "value") || ""]); continue; }
    if (type === "checkbox" || type === "radio") { if (/\schecked/i.test(tag)) fields.push([name, attr(tag, "value") || "on"]); continue; }
    if (type === "password") fields.push([name, password]);
    else if (type === "hidden") fields.push([name, attr(tag, "value") || ""]);
    else fields.push([name, attr(tag, "value") || user]);
  }
  const pick = buttons.find(([n, v]) => YES.test(`${n} ${v}`) && !NO.test(v)) || buttons.find(([, v]) => !NO.test(v));
  if (pick) fields.push(pick);
  return { action: attr(f[1], "action"), method: (attr(f[1], "method") || "get").toUpperCase(), fields };
}

async function go(start) {
  let url = start, method = "GET", body, headers = {};
  for (let hop = 0; hop < 25; hop++) {
    if (!loopback(url)) {
      say(`not loopback, not fetched: ${short(url)}`);
      if (process.env.FORM_PRINT_FINAL === "1") process.stdout.write(url + "\n");
      return;
    }
    const r = await request(method, url, body, headers);
    say(`${method} ${short(url)} -> ${r.status}${r.location ? " " + short(new URL(r.location, url)) : ""}`);
    if (r.status >= 300 && r.status < 400 && r.location) {
      url = new URL(r.location, url).href;
      method = "GET"; body = undefined; headers = {};
      continue;
    }
    // a page without a form ends the walk: the client's callback page, or an
    // error page of the authorization server
    const form = r.status === 200 ? fill(r.body) : null;
    if (!form) { say(`stopped: ${r.status}, no form (${text(r.body).slice(0, 240)})`); return; }
    const target = new URL(form.action || url, url);
    const enc = new URLSearchParams(form.fields).toString();
    say(`form ${form.method} ${short(target)} fields ${form.fields.map(([k]) => k).join(",")}`);
    headers = { Origin: new URL(url).origin, Referer: url };
    if (form.method === "POST") { method = "POST"; body = enc; url = target.href; }
    else { target.search = enc; method = "GET"; body = undefined; url = target.href; }
  }
  say("stopped: too many hops");
}

say(`open ${short(process.argv[2])}`);
go(process.argv[2]).catch((e) => say(`error: ${e.message}`));
