// FastMCP (the TypeScript one, npm `fastmcp`) with its OAuth proxy in front of
// an upstream identity provider that knows only one pre-registered client (the
// proxy's): the common way MCP servers put Google/GitHub/Entra behind DCR.
// The upstream IdP is oidc-provider with HTML login + consent (dev
// interactions) on its own port. Usage: node fastmcp-proxy.mjs PORT UPSTREAM-PORT
// - MCP at http://127.0.0.1:PORT/mcp, the proxy's AS at the same origin
//   (/oauth/register, /oauth/authorize, /oauth/token, /oauth/callback)
// - upstream issuer http://127.0.0.1:UPSTREAM-PORT
import express from 'express';
import Provider from 'oidc-provider';
import { exportJWK, generateKeyPair } from 'jose';
import { FastMCP, OAuthProvider } from 'fastmcp';

const port = Number(process.argv[2]);
const upPort = Number(process.argv[3]);
const base = `http://127.0.0.1:${port}`;
const upstream = `http://127.0.0.1:${upPort}`;

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: 'k1', use: 'sig', alg: 'RS256' };
const provider = new Provider(upstream, {
  clients: [{ client_id: 'fastmcp-upstream', client_secret: 'fastmcp-upstream-secret',
              redirect_uris: [`${base}/oauth/callback`], grant_types: ['authorization_code', 'refresh_token'] }],
  jwks: { keys: [jwk] },
  cookies: { keys: ['mcpcompat-test-cookie-key'] },
  scopes: ['openid', 'profile', 'offline_access'],
  pkce: { required: () => false },
  features: { devInteractions: { enabled: true } },
});
provider.on('server_error', (ctx, err) => console.error('server_error', err));
const up = express();
up.use(provider.callback());
up.listen(upPort, '127.0.0.1');

const server = new FastMCP({
  name: 'fastmcp-proxy-test',
  version: '1.0.0',
  auth: new OAuthProvider({
    baseUrl: base,
    authorizationEndpoint: `${upstream}/auth`,
    tokenEndpoint: `${upstream}/token`,
    clientId: 'fastmcp-upstream',
    clientSecret: 'fastmcp-upstream-secret',
    scopes: ['openid', 'profile'],
    allowedRedirectUriPatterns: ['http://localhost:*', 'http://127.0.0.1:*'],
    consentRequired: true,
    encryptionKey: 'mcpcompat-test-encryption-key-0123456789',
    jwtSigningKey: 'mcpcompat-test-jwt-signing-key-0123456789',
  }),
});
server.addTool({ name: 'echo', description: 'Echoes its input', execute: async () => 'ok' });
await server.start({ transportType: 'httpStream', httpStream: { port, host: '127.0.0.1', endpoint: '/mcp' } });
console.log(`ready ${base}/mcp`);
