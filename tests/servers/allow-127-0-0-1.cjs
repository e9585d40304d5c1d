// Preloaded (node --require) into a third-party server under test: an
// allowlist of the address 127.0.0.1, as a server that serves "localhost
// only" by comparing the peer address may keep (other 127/8 addresses get
// 403). The real clients on the user's machine come from 127.0.0.1.
const http = require('node:http');
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, req, res, ...rest) {
  if (event === 'request') {
    const peer = req.socket.remoteAddress || '';
    if (peer !== '127.0.0.1' && peer !== '::ffff:127.0.0.1' && peer !== '::1') {
      res.writeHead(403, { 'Content-Type': 'text/plain' });
      res.end(`forbidden: ${peer} is not 127.0.0.1\n`);
      return true;
    }
  }
  return emit.call(this, event, req, res, ...rest);
};
