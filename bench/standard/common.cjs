/**
 * What both standard services share: a bounded JSON body reader, a JSON
 * reply, the probes and /metrics (OTel's Prometheus exporter), one pino line
 * per request, and a shutdown on SIGTERM that flushes the SDK.
 */
'use strict';
const http = require('node:http');
const { randomUUID } = require('node:crypto');

function readJson(req) {
  return new Promise((resolve, reject) => {
    const parts = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > 64 * 1024) {
        reject(Object.assign(new Error('body too large'), { status: 413 }));
        req.destroy();
        return;
      }
      parts.push(c);
    });
    req.on('error', reject);
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(parts).toString('utf8')));
      } catch {
        reject(Object.assign(new Error('body is not valid JSON'), { status: 400 }));
      }
    });
  });
}

function sendJson(res, status, body, headers = {}) {
  if (res.headersSent) return void res.end();
  const s = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(s), ...headers }).end(s);
}

/** Starts the service: probes, /metrics, a request line per request; `handle` answers the rest. */
function serve({ port, host, logger, prometheus, sdk, ready, handle }) {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics') return prometheus.getMetricsRequestHandler(req, res);
    if (path === '/livez') return sendJson(res, 200, { status: 'ok' });
    if (path === '/readyz' || path === '/healthz') return sendJson(res, ready() ? 200 : 503, { status: ready() ? 'ok' : 'starting' });
    const id = typeof req.headers['x-request-id'] === 'string' ? req.headers['x-request-id'] : randomUUID();
    res.setHeader('x-request-id', id);
    const t0 = performance.now();
    res.once('finish', () => logger.info({ request_id: id, method: req.method, path, status: res.statusCode, ms: Math.round((performance.now() - t0) * 1000) / 1000 }, 'request'));
    handle(req, res, id);
  });
  server.listen(port, host);
  process.once('SIGTERM', () => {
    server.close();
    server.closeAllConnections();
    const done = () => process.exit(0);
    setTimeout(done, 5000).unref();
    sdk.shutdown().then(done, done);
  });
  return server;
}

module.exports = { readJson, sendJson, serve };
