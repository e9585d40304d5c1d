// A deliberately broken MCP server + authorization server for mcpcompat's
// robustness tests. Usage: node hostile.mjs PORT MODE
// MODE: garbage-json (metadata is not JSON), huge (a 50 MiB metadata body),
// redirect-loop (/authorize redirects to itself), hang-token (/token never
// answers), bad-challenge (an unparseable WWW-Authenticate), html-401 (401 with
// an HTML page and no challenge), slow-drip (metadata trickles out slowly),
// hang (accepts every request and never answers), endless (metadata is a
// never-ending chunked body, as fast as the client reads), trickle (metadata
// one byte every 100 ms, forever), error-body / error-body-token (the 400 of
// registration / token carries invalid UTF-8 and control characters),
// ssrf-name / ssrf-redirect (the authorization server is http://metadata.test:PORT,
// a name the tests resolve to 169.254.169.254; directly, or through a redirect
// of the metadata).
import http from 'node:http';

const port = Number(process.argv[2]);
const mode = process.argv[3];
const base = `http://127.0.0.1:${port}`;

const json = (res, status, obj, headers = {}) => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(obj));
};

// raw bytes: invalid UTF-8 (\xff, a lone continuation byte, a truncated
// sequence) and control characters (BEL, ESC, NUL escaped) inside strings
const hostileError = (code) => Buffer.concat([
  Buffer.from(`{"error":"${code}","error_description":"bad `),
  Buffer.from([0xff, 0xfe, 0x20, 0x80, 0x07, 0x1b]),
  Buffer.from('[31mred\\u0000 redirect_uri '),
  Buffer.from([0xe2, 0x82]),
  Buffer.from('"}'),
]);
const hostileReply = (res, code) => {
  res.writeHead(400, { 'Content-Type': 'application/json' });
  res.end(hostileError(code));
};

http.createServer((req, res) => {
  const url = new URL(req.url, base);
  const p = url.pathname;
  if (mode === 'hang') return; // accepts, never answers
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
    if (mode === 'endless') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"resource": "' + base + '/mcp", "pad": "');
      const chunk = Buffer.alloc(64 * 1024, 'x');
      let open = true;
      req.on('close', () => { open = false; });
      res.on('close', () => { open = false; });
      const more = () => {
        while (open) if (!res.write(chunk)) return res.once('drain', more);
      };
      return more();
    }
    if (mode === 'trickle') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const t = setInterval(() => { if (!res.write('{')) clearInterval(t); }, 100);
      req.on('close', () => clearInterval(t));
      res.on('close', () => clearInterval(t));
      return;
    }
    if (mode === 'ssrf-name') {
      return json(res, 200, { resource: `${base}/mcp`, authorization_servers: [`http://metadata.test:${port}`] });
    }
    if (mode === 'ssrf-redirect') {
      res.writeHead(302, { Location: `http://metadata.test:${port}/latest/meta-data/` });
      return res.end();
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
  if (p === '/register') {
    if (mode === 'error-body') return hostileReply(res, 'invalid_redirect_uri');
    return json(res, 201, { client_id: 'hostile-client' });
  }
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
    if (mode === 'error-body-token') return hostileReply(res, 'invalid_grant');
    return json(res, 400, { error: 'invalid_grant' });
  }
  res.writeHead(404);
  res.end();
}).listen(port, '127.0.0.1', () => console.log(`ready ${base}/mcp`));
