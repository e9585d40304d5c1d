// oidc-provider as the persona oidc-provider-9 describes it: node-oidc-provider
// with its configuration defaults (no features configured), in front of a small
// MCP resource server (the SDK's server library) that accepts JWT access tokens
// whose audience is its URL. For tests/persona-product.sh, which runs the same
// profiles against this server and against `--as oidc-provider-9`.
// Usage: node oidc-defaults.mjs PORT
// - the only configuration: one pre-registered public native client, the one
//   a user of a provider without DCR registers by hand, as the fixture has it
//   (mcpcompat-public, redirects http://127.0.0.1/callback and
//   http://localhost/callback, any port: harness/engine/run.c); everything else is oidc-provider's default:
//   features.registration off, features.resourceIndicators on with the default
//   getResourceServerInfo (throws InvalidTarget) and defaultResource (none, so
//   a token without `resource` is opaque, for userinfo), PKCE required for
//   public clients, dev interactions (HTML login + consent), development
//   signing and cookie keys, scopes openid and offline_access
// - issuer http://127.0.0.1:PORT (both discovery documents at the root)
// - MCP at /mcp, PRM at /.well-known/oauth-protected-resource/mcp
import express from 'express';
import Provider from 'oidc-provider';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';

const port = Number(process.argv[2]);
const origin = `http://127.0.0.1:${port}`;
const issuer = origin;
const mcpUrl = `${origin}/mcp`;
const prmUrl = `${origin}/.well-known/oauth-protected-resource/mcp`;

const provider = new Provider(issuer, {
  clients: [{ client_id: 'mcpcompat-public', token_endpoint_auth_method: 'none',
              application_type: 'native', redirect_uris: ['http://127.0.0.1/callback', 'http://localhost/callback'] }],
});
provider.on('server_error', (ctx, err) => console.error('server_error', err));

const app = express();
app.get('/.well-known/oauth-protected-resource/mcp', (req, res) => {
  res.json({ resource: mcpUrl, authorization_servers: [issuer], bearer_methods_supported: ['header'] });
});
const keys = createRemoteJWKSet(new URL(`${issuer}/jwks`));
const auth = requireBearerAuth({
  resourceMetadataUrl: prmUrl,
  verifier: {
    async verifyAccessToken(token) {
      let payload;
      try {
        ({ payload } = await jwtVerify(token, keys, { issuer, audience: mcpUrl }));
      } catch (e) {
        throw new InvalidTokenError(`invalid token: ${e.code || e.message}`);
      }
      return { token, clientId: payload.client_id, scopes: (payload.scope || '').split(' '),
               expiresAt: payload.exp, resource: new URL(mcpUrl) };
    },
  },
});
app.post('/mcp', express.json(), auth, async (req, res) => {
  const server = new McpServer({ name: 'oidc-defaults-test', version: '1.0.0' });
  server.registerTool('echo', { description: 'Echoes its input' }, async () => ({
    content: [{ type: 'text', text: 'ok' }] }));
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on('close', () => { transport.close(); server.close(); });
  await server.connect(transport);
  await transport.handleRequest(req, res, req.body);
});
app.get('/mcp', auth, (req, res) => res.status(405).set('Allow', 'POST').end());
app.use(provider.callback());
app.listen(port, '127.0.0.1', () => console.log(`ready ${mcpUrl}`));
