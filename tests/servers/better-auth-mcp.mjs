// Better Auth (better-auth + @better-auth/oauth-provider 1.7.29, @better-auth/mcp
// 1.7.5) as the authorization server of an MCP server, for mcpcompat's tests.
// Usage: node better-auth-mcp.mjs PORT [--infer]
// - mcp() with its defaults and open DCR (allowDynamicClientRegistration and
//   allowUnauthenticatedClientRegistration); --infer adds the setting Better Auth
//   documents for native MCP clients, clientRegistrationDefaultApplicationType
//   "infer" (a loopback or private-scheme redirect URI makes a client native)
// - the AS at http://127.0.0.1:PORT/api/auth (RFC 8414 metadata at the root
//   /.well-known/oauth-authorization-server/api/auth, served by Better Auth)
// - MCP at http://127.0.0.1:PORT/mcp behind requireMcpAuth; the PRM at
//   /.well-known/oauth-protected-resource/mcp (served by the mcp plugin)
// - the app's pages, as a Better Auth app without client-side script has them:
//   /login posts the HTML form straight to Better Auth's sign-in endpoint (which
//   answers a navigation with a redirect); /consent posts to the app, which
//   calls /oauth2/consent with the browser's own headers (cookie, Origin) as a
//   server action does. User alice@example.test, password from
//   BETTER_AUTH_TEST_PASSWORD. Each POST is logged (cookie yes/no, Origin, Referer yes/no).
// Better Auth's CSRF rule (better-auth/dist/api/middlewares/origin-check.mjs):
// a POST that carries a cookie and neither Origin nor Referer is refused, 403
// MISSING_OR_NULL_ORIGIN, on every endpoint, /oauth2/token included.
import http from 'node:http';
import { betterAuth } from 'better-auth';
import { jwt } from 'better-auth/plugins';
import { toNodeHandler } from 'better-auth/node';
import { mcp, requireMcpAuth } from '@better-auth/mcp';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';

const port = Number(process.argv[2]);
const infer = process.argv.includes('--infer');
const origin = `http://127.0.0.1:${port}`;
const mcpUrl = `${origin}/mcp`;
const password = process.env.BETTER_AUTH_TEST_PASSWORD || 'mcpcompat-test-password';

const auth = betterAuth({
  baseURL: origin,
  secret: 'mcpcompat-test-secret-0123456789abcdef0123456789',
  emailAndPassword: { enabled: true },
  telemetry: { enabled: false },
  logger: { level: 'error' },
  plugins: [
    jwt(),
    mcp({
      loginPage: '/login',
      consentPage: '/consent',
      resource: mcpUrl,
      allowDynamicClientRegistration: true,
      allowUnauthenticatedClientRegistration: true,
      ...(infer ? { clientRegistrationDefaultApplicationType: 'infer' } : {}),
    }),
  ],
});
await auth.api.signUpEmail({ body: { email: 'alice@example.test', password, name: 'alice' } });

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title, form) =>
  `<!doctype html><html><head><title>${title}</title></head><body>${form}</body></html>`;

function loginPage(query) {
  return page('Sign in', `<form method="post" action="/api/auth/sign-in/email">
<input type="email" name="email"><input type="password" name="password">
<input type="hidden" name="oauth_query" value="${esc(query)}">
<button type="submit">Sign in</button></form>`);
}

function consentPage(query) {
  return page('Authorize', `<form method="post" action="/consent">
<input type="hidden" name="oauth_query" value="${esc(query)}">
<button type="submit" name="accept" value="true">Allow</button></form>`);
}

const toWeb = (req, body) => new Request(new URL(req.url, origin), {
  method: req.method,
  headers: Object.entries(req.headers).filter(([, v]) => typeof v === 'string'),
  body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
});

async function sendWeb(res, r) {
  res.statusCode = r.status;
  r.headers.forEach((v, k) => { if (k !== 'set-cookie') res.setHeader(k, v); });
  const cookies = r.headers.getSetCookie();
  if (cookies.length) res.setHeader('set-cookie', cookies);
  res.end(Buffer.from(await r.arrayBuffer()));
}

const readBody = (req) => new Promise((ok, ko) => {
  const parts = [];
  let n = 0;
  req.on('data', (c) => { n += c.length; if (n > 1 << 20) req.destroy(); else parts.push(c); });
  req.on('end', () => ok(Buffer.concat(parts)));
  req.on('error', ko);
});

const mcpHandler = requireMcpAuth(auth, async (request) => {
  const server = new McpServer({ name: 'better-auth-mcp-test', version: '1.0.0' });
  server.registerTool('echo', { description: 'Echoes its input' }, async () => ({
    content: [{ type: 'text', text: 'ok' }] }));
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined,
    enableJsonResponse: true });
  await server.connect(transport);
  return transport.handleRequest(request);
}, { resource: mcpUrl });

const authNode = toNodeHandler(auth);
http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, origin);
    // what each POST carried, for the tests (names only, never values)
    if (req.method === 'POST')
      console.log(`POST ${url.pathname} cookie=${req.headers.cookie ? 'yes' : 'no'} ` +
                  `origin=${req.headers.origin || '-'} referer=${req.headers.referer ? 'yes' : 'no'}`);
    if (url.pathname === '/mcp') {
      if (req.method !== 'POST') { res.writeHead(405, { Allow: 'POST' }).end(); return; }
      await sendWeb(res, await mcpHandler(toWeb(req, await readBody(req))));
    } else if (url.pathname === '/login' && req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end(loginPage(url.search.slice(1)));
    } else if (url.pathname === '/consent' && req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end(consentPage(url.search.slice(1)));
    } else if (url.pathname === '/consent' && req.method === 'POST') {
      const form = new URLSearchParams((await readBody(req)).toString());
      const headers = Object.fromEntries(['cookie', 'origin', 'referer']
        .filter((h) => req.headers[h]).map((h) => [h, req.headers[h]]));
      const r = await auth.handler(new Request(`${origin}/api/auth/oauth2/consent`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ accept: form.get('accept') === 'true',
                               oauth_query: form.get('oauth_query') || '' }),
      }));
      const out = await r.json().catch(() => ({}));
      if (r.ok && out.url) res.writeHead(302, { Location: out.url }).end();
      else res.writeHead(r.status, { 'Content-Type': 'text/html' })
        .end(page('Error', `<p>${esc(out.code || out.error || r.status)}: ${esc(out.message || '')}</p>`));
    } else {
      await authNode(req, res);
    }
  } catch (e) {
    console.error(e);
    if (!res.headersSent) res.writeHead(500).end();
  }
}).listen(port, '127.0.0.1', () => console.log(`ready ${mcpUrl}`));
