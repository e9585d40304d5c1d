// Cloudflare workers-oauth-provider 0.2.4 as Cloudflare's remote MCP server
// templates set it up: an OAuthProvider with apiRoute /mcp, a default handler
// that renders the login page at /authorize (handlers.mjs), and
// clientRegistrationEndpoint /register; run by workerd under `wrangler dev`
// (start.sh). For tests/persona-product.sh. With WOP_ORIGIN defined (start.sh
// --resource-metadata) it also sets resourceMetadata.resource to the MCP URL,
// the persona's remedy for its protected resource metadata.
import { OAuthProvider } from '@cloudflare/workers-oauth-provider';
import { apiHandler, defaultHandler } from './handlers.mjs';

/* global WOP_ORIGIN */
const remedy = typeof WOP_ORIGIN !== 'undefined';
export default new OAuthProvider({
  ...(remedy ? { resourceMetadata: { resource: `${WOP_ORIGIN}/mcp` } } : {}),
  apiRoute: '/mcp',
  apiHandler,
  defaultHandler,
  authorizeEndpoint: '/authorize',
  tokenEndpoint: '/token',
  clientRegistrationEndpoint: '/register',
});
