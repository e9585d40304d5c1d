// The Worker's own handlers (shared by worker.mjs, 0.2.4, and worker-v1.mjs, 1.2.3):
// the login page at /authorize and a minimal stateless MCP server at /mcp.
// - the login page: username + password (the password is the worker's
//   LOGIN_PASSWORD var), then completeAuthorization and a redirect back; an
//   authorization request parseAuthRequest refuses (unknown client, redirect
//   URI not registered) is answered 400 with its message, as the templates'
//   handler would fail the request
// - /mcp: initialize, tools/list, tools/call of one tool `echo`, JSON
//   responses; the library checks the token first

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const html = (body, status = 200) => new Response(`<!doctype html><html><head><title>Sign in</title></head><body>${body}</body></html>`,
  { status, headers: { 'Content-Type': 'text/html; charset=utf-8' } });

export const defaultHandler = {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname !== '/authorize') return new Response('not found', { status: 404 });
    if (request.method === 'GET') {
      let info;
      try {
        info = await env.OAUTH_PROVIDER.parseAuthRequest(request);
      } catch (e) {
        return html(`<h1>Authorization error</h1><p>${esc(e.message)}</p>`, 400);
      }
      const state = btoa(JSON.stringify(info));
      return html(`<form method="post" action="/authorize">
<input type="hidden" name="state" value="${esc(state)}">
<label>User <input type="text" name="username"></label>
<label>Password <input type="password" name="password"></label>
<button type="submit" name="action" value="approve">Sign in and approve</button></form>`);
    }
    if (request.method === 'POST') {
      const form = await request.formData();
      if (form.get('password') !== env.LOGIN_PASSWORD) return html('<h1>Wrong password</h1>', 401);
      let info;
      try {
        info = JSON.parse(atob(String(form.get('state') || '')));
      } catch {
        return html('<h1>Bad request</h1>', 400);
      }
      const user = String(form.get('username') || 'user');
      const { redirectTo } = await env.OAUTH_PROVIDER.completeAuthorization({
        request: info, userId: user, metadata: {}, scope: info.scope, props: { user } });
      return Response.redirect(redirectTo, 302);
    }
    return new Response('method not allowed', { status: 405 });
  },
};

const rpc = (id, result) => ({ jsonrpc: '2.0', id, result });
export const apiHandler = {
  async fetch(request) {
    if (request.method !== 'POST') return new Response(null, { status: 405, headers: { Allow: 'POST' } });
    let msg;
    try {
      msg = await request.json();
    } catch {
      return Response.json({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } }, { status: 400 });
    }
    if (msg.id === undefined) return new Response(null, { status: 202 });
    switch (msg.method) {
      case 'initialize':
        return Response.json(rpc(msg.id, { protocolVersion: msg.params?.protocolVersion || '2025-06-18',
          capabilities: { tools: {} }, serverInfo: { name: 'workers-oauth-test', version: '1.0.0' } }));
      case 'tools/list':
        return Response.json(rpc(msg.id, { tools: [{ name: 'echo', description: 'Echoes its input',
          inputSchema: { type: 'object' } }] }));
      case 'tools/call':
        return Response.json(rpc(msg.id, { content: [{ type: 'text', text: 'ok' }] }));
      case 'ping':
        return Response.json(rpc(msg.id, {}));
      default:
        return Response.json({ jsonrpc: '2.0', id: msg.id, error: { code: -32601, message: 'Method not found' } });
    }
  },
};
