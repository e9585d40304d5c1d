// glewlwyd (the Debian package, 2.7.5) as the authorization server of a small
// MCP resource server: the setups glewlwyd and glewlwyd-ui-defaults of
// tests/predict-setups.sh, which the personas glewlwyd-2.7 and
// glewlwyd-2.7-ui-defaults are checked against (tests/persona-product.sh).
// Usage: node glewlwyd-mcp.mjs PORT GLEWLWYD-PORT STATE-DIR [--ui-defaults|--resource]
// (login password: $GLEWLWYD_TEST_PASSWORD; $GLEWLWYD_LOG_LEVEL DEBUG shows
// why it refuses). --ui-defaults: open DCR the only change to the admin UI's
// defaults (PKCE and non-OIDC requests stay off, allowed-scope openid).
// --resource: the remedy the persona glewlwyd-2.7 names for the token's
// audience: resource indicators on, the scope mcp:tools for the MCP URL
// (resource-allowed, resource-scope), so aud is the MCP server.
// - glewlwyd: a fresh sqlite3 database from the package's own init script
//   (/usr/share/doc/glewlwyd/database/init.sqlite3.sql.gz), the package's
//   /etc/glewlwyd/glewlwyd.conf with its port, bind address (loopback), external
//   URL, database and log changed; then, through its admin API as the admin
//   UI does it, one OpenID Connect plugin instance `oidc` with the admin UI's default parameters
//   (webapp/src/Admin/GlwdOIDCParams.js defaultParam, the knobs in
//   glewlwyd-oidc-defaults.json, the rest left to the plugin: resource
//   indicators off) and the changes
//   without which no MCP client gets past authorization (protocol_oidc.c at
//   v2.7.5): client registration allowed without a token (open DCR); PKCE
//   allowed (off by default: any code_challenge is invalid_request,
//   is_code_challenge_valid); non-OIDC requests allowed (allow-non-oidc off:
//   a request without scope openid is invalid_scope; one with openid needs a
//   nonce either way, which OAuth clients do not send: protocol_oidc.c:14655)
//   with a scope mcp:tools for the MCP server; an RSA key; user alice with
//   scopes openid and mcp:tools
// - issuer http://127.0.0.1:GLEWLWYD-PORT/api/oidc (OpenID discovery under it)
// - MCP at http://127.0.0.1:PORT/mcp (tests/servers/mcp-resource.mjs): the
//   SDK's server library, JWT access tokens checked against glewlwyd's JWKS,
//   issuer and audience (the MCP URL); the PRM at
//   /.well-known/oauth-protected-resource/mcp names glewlwyd's issuer and
//   scope mcp:tools
// Logging in: tests/servers/glewlwyd-login.sh (glewlwyd's login page is a
// JavaScript application; the script makes the same API calls it makes).
import { execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import express from 'express';
import { addMcpResource } from './mcp-resource.mjs';

const [port, gport] = process.argv.slice(2, 4).map(Number);
const state = process.argv[4];
const uiDefaults = process.argv[5] === '--ui-defaults';
const resourceIndicators = process.argv[5] === '--resource';
const password = process.env.GLEWLWYD_TEST_PASSWORD || 'mcpcompat-test-password';
const gbase = `http://127.0.0.1:${gport}`;
const issuer = `${gbase}/api/oidc`;
const origin = `http://127.0.0.1:${port}`;
const mcpUrl = `${origin}/mcp`;

mkdirSync(state, { recursive: true });
const db = `${state}/glewlwyd.db`;
rmSync(db, { force: true });
execFileSync('sh', ['-c', `zcat /usr/share/doc/glewlwyd/database/init.sqlite3.sql.gz | sqlite3 "${db}"`]);
const conf = readFileSync('/etc/glewlwyd/glewlwyd.conf', 'utf8')
  .replace(/^port=.*$/m, `port=${gport}`)
  // loopback only: the package's default listens on every interface
  .replace(/^#?bind_address=.*$/m, 'bind_address="127.0.0.1"')
  .replace(/^external_url=.*$/m, `external_url="${gbase}"`)
  .replace(/^log_mode=.*$/m, 'log_mode="console"')
  .replace(/^log_level=.*$/m, `log_level="${process.env.GLEWLWYD_LOG_LEVEL || 'INFO'}"`)
  .replace(/^@include.*$/m, `database = { type = "sqlite3" path = "${db}" };`);
writeFileSync(`${state}/glewlwyd.conf`, conf);
const glew = spawn('glewlwyd', ['-c', `${state}/glewlwyd.conf`], { stdio: ['ignore', 'inherit', 'inherit'] });
const stop = () => { glew.kill('SIGTERM'); process.exit(0); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
glew.on('exit', (code) => { console.error(`glewlwyd exited ${code}`); process.exit(1); });

async function until(url) {
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(url)).ok) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer`);
}
await until(`${gbase}/config`);
// the admin API, with the admin session the init script's admin/password opens
const login = await fetch(`${gbase}/api/auth/`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ username: 'admin', password: 'password' }) });
if (!login.ok) throw new Error(`admin login: ${login.status}`);
const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
const admin = async (path, body) => {
  const r = await fetch(`${gbase}/api/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie },
    body: JSON.stringify(body) });
  if (!r.ok) throw new Error(`admin ${path}: ${r.status} ${await r.text()}`);
};
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
// the admin UI's defaults (glewlwyd 2.7 webapp/src/Admin/GlwdOIDCParams.js) for the plugin's knobs
const defaults = JSON.parse(readFileSync(new URL('./glewlwyd-oidc-defaults.json', import.meta.url), 'utf8'));
await admin('mod/plugin/', { module: 'oidc', name: 'oidc', display_name: 'OpenID Connect', parameters: {
  ...defaults, key: privateKey, cert: publicKey, iss: issuer,
  // the changes: open DCR, PKCE, requests without openid (and so without nonce)
  'register-client-allowed': true, 'register-client-auth-scope': [],
  ...(uiDefaults ? {} : { 'pkce-allowed': true, 'allow-non-oidc': true, 'allowed-scope': ['openid', 'mcp:tools'] }),
  ...(resourceIndicators ? { 'resource-allowed': true, 'resource-scope': { 'mcp:tools': [mcpUrl] } } : {}) } });
await admin('scope/', { name: 'mcp:tools', display_name: 'MCP tools', description: 'The MCP server', password_required: false });
await admin('user/', { username: 'alice', password, name: 'alice', scope: ['openid', 'mcp:tools'], enabled: true });

const app = express();
addMcpResource(app, { origin, issuer, resource: mcpUrl, scopes: ['mcp:tools'], name: 'glewlwyd-mcp-test' });
app.listen(port, '127.0.0.1', () => console.log(`ready ${mcpUrl}`));
