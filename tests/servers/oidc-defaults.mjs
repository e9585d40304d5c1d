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
// - MCP at /mcp, PRM at /.well-known/oauth-protected-resource/mcp (mcp-resource.mjs)
import express from 'express';
import Provider from 'oidc-provider';
import { addMcpResource } from './mcp-resource.mjs';

const port = Number(process.argv[2]);
const origin = `http://127.0.0.1:${port}`;
const issuer = origin;
const mcpUrl = `${origin}/mcp`;

const provider = new Provider(issuer, {
  clients: [{ client_id: 'mcpcompat-public', token_endpoint_auth_method: 'none',
              application_type: 'native', redirect_uris: ['http://127.0.0.1/callback', 'http://localhost/callback'] }],
});
provider.on('server_error', (ctx, err) => console.error('server_error', err));

const app = express();
addMcpResource(app, { origin, issuer, resource: mcpUrl, name: 'oidc-defaults-test' });
app.use(provider.callback());
app.listen(port, '127.0.0.1', () => console.log(`ready ${mcpUrl}`));
