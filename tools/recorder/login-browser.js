#!/usr/bin/env node
// A headless stand-in for a person's web browser on an authorization server
// whose login page is a script (glewlwyd's is a JavaScript application, which
// form-browser.js cannot fill): the setup's login program, the one mcpcompat
// runs as --login-command, logs in and consents with the authorization URL the
// real client opened and prints the redirect back to the client; this then
// opens that redirect (the client's callback), as the browser would. Only
// loopback URLs are fetched. It logs in form-browser.js's words, so that
// tools/recorder/outcome.js reads an error redirect the same way.
//   login-browser.js URL
// Environment: LOGIN_COMMAND (the program), FORM_USER, FORM_PASSWORD (handed
// to it as PP_USER, PP_PASSWORD), FAKE_BROWSER_LOG (no codes, no state: query
// strings are cut, an `error` and its description kept), FORM_PRINT_FINAL=1
// (a redirect that is not loopback is printed whole on stdout, as
// form-browser.js does).
"use strict";
const { execFileSync } = require("child_process");
const http = require("http");
const https = require("https");
const { say, short, loopback } = require("./browser-log");
const url = process.argv[2] || "";
say(`open ${short(url)}`);
if (!loopback(url)) { say(`not loopback, not fetched: ${short(url)}`); process.exit(0); }
let back;
try {
  const out = execFileSync(process.env.LOGIN_COMMAND, [url], {
    env: { ...process.env, PP_USER: process.env.FORM_USER || "", PP_PASSWORD: process.env.FORM_PASSWORD || "" },
    timeout: 60000, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"],
  });
  back = out.trim().split("\n").pop() || "";
} catch (e) {
  say(`stopped: 400, no form (the login program failed: ${String(e.stderr || e.message).trim().slice(0, 200)})`);
  process.exit(0);
}
// the authorization endpoint's redirect, as form-browser.js logs a hop
say(`GET ${short(url)} -> 302 ${short(back)}`);
if (!loopback(back)) {
  say(`not loopback, not fetched: ${short(back)}`);
  if (process.env.FORM_PRINT_FINAL === "1") process.stdout.write(back + "\n");
  process.exit(0);
}
const req = (back.startsWith("https:") ? https : http).get(back, { timeout: 20000 }, (r) => {
  r.resume();
  r.on("end", () => say(`GET ${short(back)} -> ${r.statusCode}`));
});
req.on("timeout", () => req.destroy(new Error("timeout")));
req.on("error", (e) => say(`error: ${e.message}`));
