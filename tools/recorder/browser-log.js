// The log of the browser stand-ins (form-browser.js, login-browser.js), one
// line a step in form-browser.js's words, which tools/recorder/outcome.js
// reads: FAKE_BROWSER_LOG (default /tmp/fake-browser.log). No cookies, no
// passwords, no codes: query strings are cut.
//   say(text)      appends a line
//   short(url)     the URL with its query cut (codes, state), an `error` and
//                  its description kept
//   loopback(url)  whether the URL is on loopback (the only ones fetched)
"use strict";
const fs = require("fs");
const log = process.env.FAKE_BROWSER_LOG || "/tmp/fake-browser.log";
const say = (s) => fs.appendFileSync(log, `${Math.floor(Date.now() / 1000)} form-browser: ${s}\n`);
const short = (u) => {
  const s = String(u), q = s.indexOf("?");
  if (q < 0) return s;
  const p = new URLSearchParams(s.slice(q + 1)), e = p.get("error");
  return s.slice(0, q) + "?…" + (e ? ` error=${e}${p.get("error_description") ? " (" + p.get("error_description").slice(0, 120) + ")" : ""}` : "");
};
const loopback = (u) => /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(u);
module.exports = { say, short, loopback };
