// The same Worker on workers-oauth-provider 1.2.3 (start.sh --v1): its
// one-Worker OAuthProvider, which 1.x requires to name the canonical resource
// at construction (resourceMetadata, docs/migration-1.x.md); WOP_ORIGIN, the
// Worker's origin, is defined by start.sh.
import { OAuthProvider } from 'workers-oauth-provider-1';
import { apiHandler, defaultHandler } from './handlers.mjs';

/* global WOP_ORIGIN */
export default new OAuthProvider({
  resourceMetadata: { resource: `${WOP_ORIGIN}/mcp`, authorization_servers: [WOP_ORIGIN] },
  apiRoute: '/mcp',
  apiHandler,
  defaultHandler,
  authorizeEndpoint: '/authorize',
  tokenEndpoint: '/token',
  clientRegistrationEndpoint: '/register',
});
