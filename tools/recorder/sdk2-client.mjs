// The smallest app on the TypeScript SDK v2 (@modelcontextprotocol/client):
// what the SDK itself does during MCP authorization, for recording. It
// connects, lets the SDK's auth() discover, register and redirect, opens the
// authorization URL with $BROWSER, takes the callback on a loopback listener,
// hands every callback parameter (iss included) to finishAuth, connects again
// and lists the tools. Everything else is the SDK's default.
//
//   node sdk2-client.mjs URL [--port N] [--client-id ID] [--client-secret S]
//                            [--cimd-url URL] [--again-after SECONDS]
//
// SDK2_DIR names the folder whose node_modules holds the package (the
// recorder installs it outside the repository). Exits 0 after tools/list,
// 1 on any error (printed), 2 on bad arguments; gives up after 40 s.
import { createServer } from "node:http";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const argv = process.argv.slice(2);
const opt = { url: null, port: 8899, clientId: null, secret: null, cimd: null, again: 0 };
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const next = () => {
    if (i + 1 >= argv.length) die(`missing value for ${a}`, 2);
    return argv[++i];
  };
  if (a === "--port") opt.port = parseInt(next(), 10);
  else if (a === "--client-id") opt.clientId = next();
  else if (a === "--client-secret") opt.secret = next();
  else if (a === "--cimd-url") opt.cimd = next();
  else if (a === "--again-after") opt.again = parseFloat(next());
  else if (!opt.url && !a.startsWith("--")) opt.url = a;
  else die(`unknown argument ${a}`, 2);
}
if (!opt.url) die("usage: sdk2-client.mjs URL [options]", 2);
function die(msg, code = 1) {
  process.stderr.write(`sdk2-client: ${msg}\n`);
  process.exit(code);
}
setTimeout(() => die("timed out"), 40000).unref();

const dir = process.env.SDK2_DIR || process.cwd();
const sdk = await import(
  pathToFileURL(join(dir, "node_modules/@modelcontextprotocol/client/dist/index.mjs")).href
);
const { Client, StreamableHTTPClientTransport, UnauthorizedError } = sdk;

const REDIRECT = `http://localhost:${opt.port}/callback`;
let callback; // resolves with the callback's URLSearchParams
const called = new Promise((r) => (callback = r));
const listener = createServer((req, res) => {
  const u = new URL(req.url, REDIRECT);
  if (u.pathname !== "/callback") {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { "content-type": "text/plain" }).end("done, close this window");
  callback(u.searchParams);
});
await new Promise((ok, bad) => listener.listen(opt.port, "127.0.0.1", ok).on("error", bad));

// The app's own part: in-memory storage, one redirect URI, its name.
const store = {};
const provider = {
  get redirectUrl() {
    return REDIRECT;
  },
  clientMetadataUrl: opt.cimd || undefined,
  get clientMetadata() {
    return {
      client_name: "mcpcompat sdk2 recorder",
      redirect_uris: [REDIRECT],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    };
  },
  clientInformation() {
    if (opt.clientId) return { client_id: opt.clientId, client_secret: opt.secret || undefined };
    return store.client;
  },
  saveClientInformation(info) {
    store.client = info;
  },
  tokens() {
    return store.tokens;
  },
  saveTokens(t) {
    store.tokens = t;
  },
  redirectToAuthorization(url) {
    const browser = process.env.BROWSER || "xdg-open";
    execFile(browser, [url.toString()], () => {});
  },
  saveCodeVerifier(v) {
    store.verifier = v;
  },
  codeVerifier() {
    return store.verifier;
  },
  state() {
    return Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
  },
};

async function session() {
  const client = new Client({ name: "mcpcompat-sdk2-recorder", version: "2.4.0" });
  const transport = new StreamableHTTPClientTransport(new URL(opt.url), { authProvider: provider });
  try {
    await client.connect(transport);
  } catch (e) {
    if (!(e instanceof UnauthorizedError)) throw e;
    const params = await called;
    await transport.finishAuth(params);
    return session();
  }
  const tools = await client.listTools();
  process.stdout.write(`tools: ${tools.tools.map((t) => t.name).join(", ")}\n`);
  await client.close();
}

try {
  await session();
  if (opt.again > 0) {
    await new Promise((r) => setTimeout(r, opt.again * 1000));
    await session();
  }
  listener.close();
  process.exit(0);
} catch (e) {
  die(`${e && e.name ? e.name + ": " : ""}${e && e.message ? e.message : e}`);
}
