// The small MCP resource server the test authorization servers stand in front
// of (oidc-defaults.mjs, oidc-mcp.mjs, glewlwyd-mcp.mjs), written with the
// SDK's server library: its protected resource metadata, and /mcp behind
// requireBearerAuth, which accepts a JWT access token signed by the issuer's
// keys (its jwks endpoint) whose audience is `resource`; one tool, echo. It
// answers on the caller's express app, so a caller's own middleware
// (oidc-mcp.mjs's secrets log) sees its requests too.
import express from 'express';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';

// Adds to app: GET /.well-known/oauth-protected-resource/mcp, POST /mcp and
// GET /mcp (405). Options:
// - origin: http://127.0.0.1:PORT, where app listens
// - issuer: the authorization server's issuer (its keys at ISSUER/jwks)
// - resource: the audience a token must have (the MCP URL)
// - prmResource: the `resource` the metadata names (default: resource)
// - scopes: the metadata's scopes_supported (default: none said)
// - name: the MCP server's name
// - transport: more options of StreamableHTTPServerTransport
export function addMcpResource(app, { origin, issuer, resource, prmResource = resource, scopes,
                                      name, transport: transportOptions = {} }) {
  const prmUrl = `${origin}/.well-known/oauth-protected-resource/mcp`;
  app.get('/.well-known/oauth-protected-resource/mcp', (req, res) => {
    res.json({ resource: prmResource, authorization_servers: [issuer],
               ...(scopes ? { scopes_supported: scopes } : {}),
               bearer_methods_supported: ['header'] });
  });
  const keys = createRemoteJWKSet(new URL(`${issuer}/jwks`));
  const auth = requireBearerAuth({
    resourceMetadataUrl: prmUrl,
    verifier: {
      async verifyAccessToken(token) {
        let payload;
        try {
          ({ payload } = await jwtVerify(token, keys, { issuer, audience: resource }));
        } catch (e) {
          throw new InvalidTokenError(`invalid token: ${e.code || e.message}`);
        }
        return { token, clientId: payload.client_id,
                 scopes: String(payload.scope || '').split(' '), // whatever type the claim has
                 expiresAt: payload.exp, resource: new URL(resource) };
      },
    },
  });
  app.post('/mcp', express.json(), auth, async (req, res) => {
    const server = new McpServer({ name, version: '1.0.0' });
    server.registerTool('echo', { description: 'Echoes its input' }, async () => ({
      content: [{ type: 'text', text: 'ok' }] }));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined,
                                                          ...transportOptions });
    res.on('close', () => { transport.close(); server.close(); });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });
  app.get('/mcp', auth, (req, res) => res.status(405).set('Allow', 'POST').end());
}
