// Preloaded (node --require) into a real server under ci/predict when a
// recording proxy in front of it would change what is measured (Better Auth
// signs its authorization query: a proxy that rewrites URLs in it breaks the
// signature, which no real deployment sees). Every HTTP request the server's
// process answers is written to $WIRE_LOG, one JSON object a line, in the
// shape of `mcpcompat proxy --record` (method, path, query, headers, status,
// response): nothing between the client and the server. The request body is
// not read (a second reader could starve the server's own); the form and
// JSON fields that decide a step are told by path. Secrets are cut to four
// characters as the proxy does: Authorization, Cookie, Set-Cookie, and the
// token and secret fields of JSON answers.
'use strict';
const http = require('node:http');
const fs = require('node:fs');
const file = process.env.WIRE_LOG;
const SECRET = /^(access_token|refresh_token|id_token|code|client_secret|registration_access_token|password)$/;
const cut = (v) => (typeof v === 'string' && v.length > 8 ? `${v.slice(0, 4)}…` : '…');
let seq = 0;
if (file) {
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (event, req, res) {
    if (event === 'request' && req && res) {
      const started = Date.now();
      const chunks = [];
      let size = 0;
      const write = res.write, end = res.end;
      const keep = (c) => {
        if (c && size < 65536) { const b = Buffer.from(c); chunks.push(b); size += b.length; }
      };
      res.write = function (c, ...rest) { keep(typeof c === 'function' ? null : c); return write.call(this, c, ...rest); };
      res.end = function (c, ...rest) { keep(typeof c === 'function' ? null : c); return end.call(this, c, ...rest); };
      res.on('finish', () => {
        const u = new URL(req.url, 'http://x');
        const headers = {};
        for (const [k, v] of Object.entries(req.headers)) {
          headers[k] = /^(authorization|cookie)$/i.test(k) ? String(v).replace(/^(\w+ )?(.*)$/, (m, s, t) => (s || '') + cut(t)) : v;
        }
        let response = null;
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          response = JSON.parse(text);
          if (response && typeof response === 'object') {
            for (const k of Object.keys(response)) if (SECRET.test(k)) response[k] = cut(response[k]);
          }
        } catch { response = null; }
        const query = Object.fromEntries([...u.searchParams].map(([k, v]) => [k, k === 'code' ? cut(v) : v]));
        const line = { seq: ++seq, t_ms: started, method: req.method, path: u.pathname, query, headers,
                       body: null, status: res.statusCode, response,
                       location: res.getHeader('location') ? String(res.getHeader('location')).replace(/([?&]code=)[^&]*/, '$1…') : null };
        fs.appendFileSync(file, JSON.stringify(line) + '\n');
      });
    }
    return emit.apply(this, arguments);
  };
}
