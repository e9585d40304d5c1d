// Drives code-server's VS Code (web/remote build) in headless Chromium for
// vscode.sh: starts the user-level MCP server "rec" from the command palette,
// clicks through the authentication consent, follows the authorization popup
// and stands in for https://vscode.dev/redirect (never reached: Chromium
// resolves no name but 127.0.0.1 and localhost). Ends once tools/list has been
// answered 200 (twice with AGAIN_AFTER) and the trace has been quiet for
// STOP_AFTER seconds, or after WAIT_S seconds.
//
// Environment: CS_URL (code-server's workbench URL), TRACE (the recorder's log,
// read to see how far the client got), SHOTS (screenshot folder), SERVER (the
// server name, default rec), CLIENT_ID / CLIENT_SECRET (typed when VS Code asks
// for a client registration), WAIT_S, STOP_AFTER, AGAIN_AFTER (seconds: start
// the server again that long after the first tools/list, for refresh),
// PUPPETEER_CORE (the puppeteer-core module), CHROMIUM (the browser binary).
// Against a real authorization server (ci/predict): FORM_BROWSER names the
// browser stand-in that logs in (tools/recorder/form-browser.js, or
// login-browser.js with LOGIN_COMMAND); the authorization URL VS Code opens
// is handed to it (FORM_PRINT_FINAL=1: it prints the redirect it stops at),
// and that redirect is delivered to code-server's callback as vscode.dev
// would. MCP_PATH: connected once an authorized POST to that path is
// answered 2xx (the trace of `mcpcompat proxy --record` or wire-log.cjs);
// QUIET_S: stop when the trace has been still that long and no login is
// under way (the client stopped).
"use strict";
const puppeteer = require(process.env.PUPPETEER_CORE || "puppeteer-core");
const fs = require("fs");

const CS = process.env.CS_URL || "http://127.0.0.1:18480/";
const SHOTS = process.env.SHOTS || "";
const SERVER = process.env.SERVER || "rec";
const TRACE = process.env.TRACE;
const T0 = Date.now();
const log = (...a) => console.log(`[${((Date.now() - T0) / 1000).toFixed(1)}s]`, ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let shotN = 0;
async function shot(page, name) {
  if (!SHOTS) return;
  try {
    await Promise.race([
      page.screenshot({ path: `${SHOTS}/${String(++shotN).padStart(2, "0")}-${name}.png` }),
      sleep(4000).then(() => { throw new Error("timeout"); }),
    ]);
  } catch (e) { log("screenshot failed", name, e.message); }
}

function traceEntries() {
  try {
    return fs.readFileSync(TRACE, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));
  } catch { return []; }
}
const MCP_PATH = process.env.MCP_PATH || "";
const bearer = (e) => Object.entries(e.headers || {}).some(([k, v]) => k.toLowerCase() === "authorization" && /^Bearer\s/i.test(String(v)));
const toolsListed = () => traceEntries().filter((e) => MCP_PATH
  ? (e.path === MCP_PATH || e.path === MCP_PATH + "/") && e.method === "POST" && e.status >= 200 && e.status < 300 && bearer(e)
  : e.path === "/mcp" && e.status === 200 && e.body && e.body.method === "tools/list").length;
const traceSize = () => { try { return fs.statSync(TRACE).size; } catch { return 0; } };
const FORM_BROWSER = process.env.FORM_BROWSER || "";

// The emulated https://vscode.dev/redirect: it sends the browser to the URL in
// `state` with the other parameters. code-server's asExternalUri puts the
// callback's query into the path (…/callback%3Fvscode-reqid%3D…): decoded once
// so the callback route gets a real query. `state` goes first: VS Code's web
// callback reads /[?&]code=/, which a query starting with code= misses.
function redirectTarget(u) {
  const src = new URL(u);
  const state = src.searchParams.get("state");
  if (!state) return null;
  let t = new URL(state);
  if (/%3F/i.test(t.pathname) && !t.search) t = new URL(t.origin + decodeURIComponent(t.pathname));
  t.searchParams.set("state", state);
  for (const [k, v] of src.searchParams) if (k !== "state") t.searchParams.set(k, v);
  return t.toString();
}

(async () => {
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-popup-blocking",
      "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost",
      "--window-size=1400,900"],
    defaultViewport: { width: 1400, height: 900 },
  });
  const handled = new Set();
  let delivered = 0;
  browser.on("targetcreated", async (t) => {
    if (t.type() !== "page") return;
    const p = await t.page();
    if (!p) return;
    const onUrl = async (u) => {
      if (!u.startsWith("https://vscode.dev/redirect") || handled.has(u)) return;
      handled.add(u);
      const dest = redirectTarget(u);
      log("standing in for vscode.dev/redirect");
      if (!dest) return;
      delivered++;
      await p.goto(dest).catch((e) => log("callback:", e.message));
      await sleep(1500);
      await p.close().catch(() => {});
    };
    p.on("framenavigated", (f) => { if (f === p.mainFrame()) onUrl(f.url()); });
    onUrl(t.url());
  });
  const page = await browser.newPage();
  // With FORM_BROWSER: the authorization URL goes to the stand-in that logs
  // in; the redirect it stops at (https://vscode.dev/redirect?…) is opened as
  // vscode.dev would, in a new tab of this browser.
  let logins = 0;
  if (FORM_BROWSER) {
    const { execFile } = require("child_process");
    await page.exposeFunction("__mcpcompatAuthorize", (u) => {
      logins++;
      log("authorization URL handed to", FORM_BROWSER.replace(/.*\//, ""));
      execFile(process.execPath, [FORM_BROWSER, u], { env: { ...process.env, FORM_PRINT_FINAL: "1" }, timeout: 90000 },
        async (err, stdout) => {
          const fin = String(stdout || "").split("\n").find((l) => l.startsWith("https://vscode.dev/redirect"));
          const dest = fin ? redirectTarget(fin) : null;
          log(err ? `browser stand-in: ${err.message.split("\n")[0]}` : "browser stand-in done",
            dest ? "; standing in for vscode.dev/redirect" : "; no redirect to vscode.dev");
          if (dest) {
            delivered++;
            const p = await browser.newPage();
            await p.goto(dest).catch((e) => log("callback:", e.message));
            await sleep(1500);
            await p.close().catch(() => {});
          }
          logins--;
        });
    });
  }
  // code-server's asExternalUri turns http://127.0.0.1:P/x into
  // http://<code-server>/proxy/P/x, a port-forward route that rewrites the
  // query (resource=http:/…): undone, as a port-preserving forward would.
  await page.evaluateOnNewDocument((form) => {
    const o = window.open;
    window.open = function (...a) {
      if (typeof a[0] === "string") {
        const m = /^(https?:\/\/[^/]+)\/proxy\/(\d+)\/(.*)$/.exec(a[0]);
        if (m) a[0] = "http://127.0.0.1:" + m[2] + "/" + m[3];
        if (form && /[?&]response_type=/.test(a[0])) {
          window.__mcpcompatAuthorize(a[0]);
          a[0] = "about:blank";
        }
      }
      return o.apply(this, a);
    };
  }, !!FORM_BROWSER);
  page.on("dialog", async (d) => { log("js dialog", d.message()); await d.accept(); });
  await page.goto(CS, { waitUntil: "domcontentloaded" });
  await page.waitForSelector(".monaco-workbench", { timeout: 60000 });
  log("workbench up");
  await sleep(5000);
  await shot(page, "workbench");

  const qpRows = async () => page.$$eval(".quick-input-widget .monaco-list-row",
    (rs) => rs.map((r) => r.innerText.replace(/\s+/g, " ")));
  async function palette(cmd) {
    await page.keyboard.press("F1");
    await page.waitForSelector(".quick-input-widget input", { visible: true, timeout: 10000 });
    await sleep(300);
    await page.keyboard.type(cmd, { delay: 20 });
    await sleep(1200);
    await page.keyboard.press("Enter");
  }
  // "MCP: List Servers" -> the server -> the action (Start Server, Start, ...)
  async function serverAction(action) {
    await palette("MCP: List Servers");
    await sleep(2000);
    await page.keyboard.type(SERVER, { delay: 20 }); await sleep(800);
    await page.keyboard.press("Enter"); await sleep(1500);
    log("actions", JSON.stringify(await qpRows().catch(() => [])));
    await page.keyboard.type(action, { delay: 20 }); await sleep(800);
    await page.keyboard.press("Enter");
    log("requested", action);
  }

  const CLIENT_ID = process.env.CLIENT_ID, CLIENT_SECRET = process.env.CLIENT_SECRET;
  const AGAIN_AFTER = Number(process.env.AGAIN_AFTER || 0);
  await serverAction("Start Server");
  let goal = 1, againDone = false, typedId = false, typedSecret = false, idleSince = null;
  const deadline = Date.now() + Number(process.env.WAIT_S || 60) * 1000;
  const QUIET_S = Number(process.env.QUIET_S || 0);
  let lastSize = -1, stillSince = Date.now();
  while (Date.now() < deadline) {
    await sleep(700);
    if (QUIET_S) {
      const size = traceSize();
      if (size !== lastSize || logins > 0) { lastSize = size; stillSince = Date.now(); }
      else if (size > 0 && Date.now() - stillSince > QUIET_S * 1000) { log("the trace has been still for", QUIET_S, "s"); break; }
    }
    const dlg = await page.$$eval(".monaco-dialog-box", (ds) => ds.map((d) => ({
      text: d.innerText.replace(/\s+/g, " ").slice(0, 600),
      buttons: [...d.querySelectorAll(".monaco-button")].map((b) => b.innerText.trim()),
    }))).catch(() => []);
    if (dlg.length) {
      log("dialog", JSON.stringify(dlg[0]));
      await shot(page, "dialog");
      const labels = dlg[0].buttons;
      // the consent ("wants to authenticate") is allowed; with no registration
      // endpoint VS Code offers "Copy URIs & Proceed" to type a client id:
      // taken only when the mode gives one
      let want = /Allow|^Open$|Continue|^Yes$|^OK$/;
      if (/Dynamic Client Registration not supported/.test(dlg[0].text)) want = CLIENT_ID ? /Proceed/ : /^Cancel$/;
      let idx = labels.findIndex((b) => want.test(b));
      if (idx < 0) idx = labels.findIndex((b) => b !== "Cancel");
      const btns = await page.$$(".monaco-dialog-box .monaco-button");
      log("clicking", labels[idx]);
      if (btns[idx]) await btns[idx].click();
      continue;
    }
    const qi = await page.$eval(".quick-input-widget", (w) => (w.style.display !== "none" && w.offsetParent !== null
      ? w.innerText.replace(/\s+/g, " ").slice(0, 300) + " | " + (w.querySelector("input") || {}).placeholder : null))
      .catch(() => null);
    if (qi && CLIENT_ID) {
      if (!typedId && /client id/i.test(qi)) {
        log("typing the client id"); await page.keyboard.type(CLIENT_ID); await page.keyboard.press("Enter");
        typedId = true; continue;
      }
      if (typedId && !typedSecret && /secret/i.test(qi)) {
        log("typing the client secret"); await page.keyboard.type(CLIENT_SECRET || ""); await page.keyboard.press("Enter");
        typedSecret = true; continue;
      }
    }
    const n = toolsListed();
    if (n >= goal) {
      if (AGAIN_AFTER && !againDone) {
        log("tools/list answered; starting the server again in", AGAIN_AFTER, "s");
        await sleep(AGAIN_AFTER * 1000); againDone = true; goal = n + 1;
        await serverAction("Start");
        continue;
      }
      if (!idleSince) idleSince = Date.now();
      if (Date.now() - idleSince > Number(process.env.STOP_AFTER || 3) * 1000) break;
    }
  }
  await page.bringToFront().catch(() => {});
  await shot(page, "final");
  log("done; callbacks delivered", delivered, "tools/list answered", toolsListed());
  await browser.close();
})().catch((e) => { console.error("drive-vscode:", e); process.exit(1); });
