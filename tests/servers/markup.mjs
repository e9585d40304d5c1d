// A loopback MCP server + authorization server whose every string is markup,
// for the HTML report's escaping test: a report that turned any of them into
// elements or script would show it in the rendered DOM (tests/targets.sh,
// case html-hostile). Usage: node markup.mjs PORT
import http from 'node:http';

const port = Number(process.argv[2]);
const base = `http://127.0.0.1:${port}`;
// <script>, an attribute breakout with an event handler, and a CDATA end.
const payload = '<script>document.body.dataset.pwned="script"</script>' +
  '"><img src=x onerror="document.body.dataset.pwned=\'img\'">]]>';
// Header values may not hold the double quotes of a quoted-string.
const inHeader = payload.replaceAll('"', "'");

const send = (res, status, obj, headers = {}) => {
  res.writeHead(status, { 'Content-Type': 'application/json', 'X-Markup': inHeader, ...headers });
  res.end(JSON.stringify(obj));
};

http.createServer((req, res) => {
  const url = new URL(req.url, base);
  const p = url.pathname;
  if (p === '/mcp') {
    return send(res, 401, { error: 'unauthorized', message: payload }, {
      'WWW-Authenticate': `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource/mcp", ` +
        `error_description="${inHeader}"`,
    });
  }
  if (p.startsWith('/.well-known/oauth-protected-resource')) {
    return send(res, 200, { resource: `${base}/mcp`, authorization_servers: [base], resource_name: payload });
  }
  if (p === '/.well-known/oauth-authorization-server') {
    return send(res, 200, {
      issuer: base, authorization_endpoint: `${base}/authorize`, token_endpoint: `${base}/token`,
      registration_endpoint: `${base}/register`, response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'], service_documentation: payload,
    });
  }
  if (p === '/register') return send(res, 201, { client_id: 'markup-client', client_name: payload });
  if (p === '/authorize') {
    const to = new URL(url.searchParams.get('redirect_uri'));
    to.searchParams.set('code', 'markup-code-0123456789');
    to.searchParams.set('state', url.searchParams.get('state') || '');
    res.writeHead(302, { Location: to.toString(), 'X-Markup': inHeader });
    return res.end();
  }
  if (p === '/token') return send(res, 400, { error: 'invalid_grant', error_description: payload });
  res.writeHead(404, { 'Content-Type': 'text/html' });
  res.end(payload);
}).listen(port, '127.0.0.1', () => console.log(`ready ${base}/mcp`));
