// A strict, certified authorization server (oidc-provider) in front of a small
// MCP resource server written with the SDK's server library, for mcpcompat's
// tests. Usage: node oidc-mcp.mjs PORT [--no-dcr] [--no-public] [--dcr-no-scope]
//   [--prm-origin] [--exact-redirect URI[,URI...]]
// Policies (ci/predict runs real clients against each):
// - --no-dcr: no registration endpoint; the pre-registered clients only
// - --no-public: DCR, but only confidential clients (no token_endpoint_auth_method none)
// - --dcr-no-scope: DCR refuses a body with `scope` (400 invalid_client_metadata),
//   as authorization servers that manage scopes per client do
// - --prm-origin: the protected resource metadata names the origin as `resource`
//   (a prefix of the MCP URL, which clients built on the TypeScript SDK accept)
//   while the AS binds resources exactly to the MCP URL (the resource server's
//   registered identifier): only the MCP URL is a valid `resource`
// - --exact-redirect: the pre-registered clients are web clients with exactly
//   these redirect URIs (port included) instead of native loopback ones
// - AS at http://127.0.0.1:PORT/as (OpenID Connect discovery only: oidc-provider
//   publishes /.well-known/openid-configuration, not RFC 8414 metadata)
// - PKCE S256 required, resource indicators with audience-bound JWT access
//   tokens, HTML login and consent (oidc-provider's dev interactions)
// - DCR at /as/reg unless --no-dcr; pre-registered clients for the no-DCR case
// - MCP at http://127.0.0.1:PORT/mcp, PRM at /.well-known/oauth-protected-resource/mcp
//   (mcp-resource.mjs)
import express from 'express';
import Provider, { errors } from 'oidc-provider';
import { exportJWK, generateKeyPair } from 'jose';
import { addMcpResource } from './mcp-resource.mjs';

const port = Number(process.argv[2]);
const dcr = !process.argv.includes('--no-dcr');
const noPublic = process.argv.includes('--no-public');
const dcrNoScope = process.argv.includes('--dcr-no-scope');
const prmOrigin = process.argv.includes('--prm-origin');
const exactAt = process.argv.indexOf('--exact-redirect');
const exact = exactAt > 0 ? process.argv[exactAt + 1].split(',') : null;
const origin = `http://127.0.0.1:${port}`;
const issuer = `${origin}/as`;
const mcpUrl = `${origin}/mcp`;
// the resource the AS binds tokens to, and the one the PRM names
const resource = mcpUrl;
const prmResource = prmOrigin ? origin : mcpUrl;
const staticClient = exact ? { application_type: 'web', redirect_uris: exact }
                           : { application_type: 'native', redirect_uris: ['http://127.0.0.1/callback'] };

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: 'k1', use: 'sig', alg: 'RS256' };

const provider = new Provider(issuer, {
  clients: [
    { client_id: 'mcpcompat-public', token_endpoint_auth_method: 'none', ...staticClient,
      grant_types: ['authorization_code', 'refresh_token'] },
    { client_id: 'mcpcompat-confidential', client_secret: process.env.OIDC_CLIENT_SECRET || 'unused',
      token_endpoint_auth_method: 'client_secret_basic', ...staticClient,
      grant_types: ['authorization_code', 'refresh_token'] },
  ],
  ...(noPublic ? { clientAuthMethods: ['client_secret_basic', 'client_secret_post'] } : {}),
  jwks: { keys: [jwk] },
  cookies: { keys: ['mcpcompat-test-cookie-key'] },
  scopes: ['openid', 'offline_access', 'mcp:tools'],
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: true },
    registration: { enabled: dcr },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: (ctx, asked) => {
        if (asked !== resource) throw new errors.InvalidTarget();
        return { scope: 'mcp:tools', audience: resource, accessTokenTTL: 3600,
                 accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } };
      },
    },
  },
});

provider.on('server_error', (ctx, err) => console.error('server_error', err));
const app = express();

// OIDC_SECRETS_LOG=FILE: every secret this server issues or receives, one
// "kind name value" line each, read by the secrets test (tests/targets.sh
// case secrets-oidc) to look for them in mcpcompat's outputs. Taken from
// the wire here, so the test does not depend on how mcpcompat finds them.
if (process.env.OIDC_SECRETS_LOG) {
  const { appendFileSync } = await import('node:fs');
  const log = (kind, name, value) => {
    if (value) appendFileSync(process.env.OIDC_SECRETS_LOG, `${kind} ${name} ${value}\n`);
  };
  const cookies = (kind, header) => {
    for (const c of [].concat(header || [])) {
      const pairs = kind === 'set-cookie' ? [c.split(';')[0]] : c.split(';');
      for (const p of pairs) {
        const i = p.indexOf('=');
        if (i > 0) log(kind, p.slice(0, i).trim(), p.slice(i + 1).trim());
      }
    }
  };
  const secretKeys = ['access_token', 'refresh_token', 'id_token', 'code', 'code_verifier',
    'client_secret', 'password'];
  app.use(express.urlencoded({ extended: false }), (req, res, next) => {
    cookies('cookie', req.headers.cookie);
    const auth = req.headers.authorization || '';
    if (auth.startsWith('Basic ')) {
      log('basic', 'authorization', auth.slice(6));
      const pair = Buffer.from(auth.slice(6), 'base64').toString();
      log('basic', 'secret', pair.slice(pair.indexOf(':') + 1));
    } else if (auth.startsWith('Bearer ')) {
      log('bearer', 'authorization', auth.slice(7));
    }
    for (const k of secretKeys) log('form', k, req.body && req.body[k]);
    const setHeader = res.setHeader;
    res.setHeader = function (name, value) {
      if (String(name).toLowerCase() === 'set-cookie') cookies('set-cookie', value);
      if (String(name).toLowerCase() === 'location') {
        const code = /[?&]code=([^&]+)/.exec(String(value));
        if (code) log('location', 'code', decodeURIComponent(code[1]));
      }
      return setHeader.call(this, name, value);
    };
    const end = res.end;
    res.end = function (chunk, ...rest) {
      // koa's cookies set their header with the prototype's setHeader
      cookies('set-cookie', this.getHeader('set-cookie'));
      const text = chunk ? String(chunk) : '';
      for (const m of text.matchAll(/<input[^>]*type="hidden"[^>]*>/gi)) {
        const name = /name="([^"]*)"/.exec(m[0]), value = /value="([^"]*)"/.exec(m[0]);
        if (name && value) log('hidden', name[1], value[1]);
      }
      try {
        const j = JSON.parse(text);
        for (const k of secretKeys) log('json', k, j[k]);
      } catch { /* not JSON */ }
      return end.call(this, chunk, ...rest);
    };
    next();
  });
}
addMcpResource(app, {
  origin, issuer, resource, prmResource, scopes: ['mcp:tools'], name: 'oidc-mcp-test',
  transport: {
    // MCP 2025-11-25: a foreign Origin gets 403 (DNS rebinding protection)
    enableDnsRebindingProtection: true,
    allowedHosts: [`127.0.0.1:${port}`, `localhost:${port}`],
    allowedOrigins: [origin, `http://localhost:${port}`],
  },
});
if (dcrNoScope) {
  app.post('/as/reg', express.json(), (req, res, next) => {
    if (req.body && req.body.scope !== undefined) {
      return res.status(400).json({ error: 'invalid_client_metadata', error_description: 'scope is not a registrable client property here' });
    }
    // oidc-provider reads the body itself: hand it the parsed one
    next();
  });
}
app.use('/as', provider.callback());
app.listen(port, '127.0.0.1', () => console.log(`ready ${mcpUrl}`));
