// A deliberately broken MCP server + authorization server for mcpcompat's
// robustness tests. Usage: node hostile.mjs PORT MODE
// MODE: garbage-json (metadata is not JSON), huge (a 50 MiB metadata body),
// redirect-loop (/authorize redirects to itself), hang-token (/token never
// answers), bad-challenge (an unparseable WWW-Authenticate), html-401 (401 with
// an HTML page and no challenge), slow-drip (metadata trickles out slowly).
import http from 'node:http';

const port = Number(process.argv[2]);
const mode = process.argv[3];
const base = `http://127.0.0.1:${port}`;

const json = (res, status, obj, headers = {}) => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(obj));
};

http.createServer((req, res) => {
  const url = new URL(req.url, base);
  const p = url.pathname;
  if (p === '/mcp') {
    if (mode === 'bad-challenge') {
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="unterminated, scope=' });
      return res.end();
    }
    if (mode === 'html-401') {
      res.writeHead(401, { 'Content-Type': 'text/html' });
      return res.end('<html><body>Login required</body></html>');
    }
    return json(res, 401, { error: 'unauthorized' },
      { 'WWW-Authenticate': `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource/mcp"` });
  }
  if (p.startsWith('/.well-known/oauth-protected-resource')) {
    if (mode === 'garbage-json') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return res.end('{"resource": "' + base + '/mcp", "authorization_servers": [tru');
    }
    if (mode === 'huge') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 'x');
      let sent = 0;
      const more = () => {
        while (sent < 50) {
          sent++;
          if (!res.write(chunk)) return res.once('drain', more);
        }
        res.end();
      };
      return more();
    }
    if (mode === 'slow-drip') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const t = setInterval(() => { if (!res.write(' ')) clearInterval(t); }, 500);
      req.on('close', () => clearInterval(t));
      return;
    }
    return json(res, 200, { resource: `${base}/mcp`, authorization_servers: [base] });
  }
  if (p === '/.well-known/oauth-authorization-server') {
    return json(res, 200, {
      issuer: base, authorization_endpoint: `${base}/authorize`, token_endpoint: `${base}/token`,
      registration_endpoint: `${base}/register`, response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
    });
  }
  if (p === '/register') return json(res, 201, { client_id: 'hostile-client' });
  if (p === '/authorize') {
    if (mode === 'redirect-loop') {
      res.writeHead(302, { Location: `${base}/authorize?again=1` });
      return res.end();
    }
    const to = new URL(url.searchParams.get('redirect_uri'));
    to.searchParams.set('code', 'hostile-code-0123456789');
    to.searchParams.set('state', url.searchParams.get('state') || '');
    res.writeHead(302, { Location: to.toString() });
    return res.end();
  }
  if (p === '/token') {
    if (mode === 'hang-token') return; // never answers
    return json(res, 400, { error: 'invalid_grant' });
  }
  res.writeHead(404);
  res.end();
}).listen(port, '127.0.0.1', () => console.log(`ready ${base}/mcp`));
